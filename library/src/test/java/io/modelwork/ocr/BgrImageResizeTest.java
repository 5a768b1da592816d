package io.modelwork.ocr;

import io.modelwork.ocr.ppocr.BgrImage;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link BgrImage#resize} against {@code cv2.resize} (INTER_LINEAR, OpenCV 5.0) value for value: up- and downscales,
 * odd sizes, an exact 2× reduction (INTER_AREA in OpenCV). Fixture written by
 * {@code src/test/resources/ocr/resize_reference.py}.
 */
class BgrImageResizeTest {
    @Test void equalsOpenCvOnEveryValue() throws Exception {
        int cases = 0;
        try (InputStream raw = BgrImageResizeTest.class.getResourceAsStream("/ocr/resize_reference.bin");
             DataInputStream in = new DataInputStream(raw)) {
            byte[] head = new byte[16];
            while (in.read(head, 0, 1) == 1) {
                in.readFully(head, 1, 15);
                ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                int sh = b.getInt(), sw = b.getInt(), dh = b.getInt(), dw = b.getInt();
                byte[] src = new byte[sh * sw * 3], want = new byte[dh * dw * 3];
                in.readFully(src);
                in.readFully(want);
                int[] d = new int[src.length];
                for (int i = 0; i < d.length; i++) d[i] = src[i] & 255;
                BgrImage r = new BgrImage(sw, sh, d).resize(dw, dh);
                int differ = 0;
                for (int i = 0; i < want.length; i++) if (r.data[i] != (want[i] & 255)) differ++;
                assertEquals(0, differ, sh + "×" + sw + " → " + dh + "×" + dw + ": values that differ from cv2.resize");
                cases++;
            }
        }
        assertEquals(9, cases);
    }
}
