package io.modelwork.vision;

import io.modelwork.core.Assets;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Decoding of the real magnetic-tile JPEGs, EXIF orientation, frozen preprocessing, dataset listing and profile. */
class VisionLayerTest {
    @Test
    void grayscaleJpegDecodesToThreeEqualChannels() throws Exception {
        Path dir = Assets.data("anomaly/magnetic-tile/test/blowhole");
        Path f;
        try (var s = Files.list(dir)) { f = s.sorted().findFirst().orElseThrow(); }
        Images.Decoded d = Images.read(f);
        assertEquals(1, d.channels());
        assertEquals(8, d.bitDepth());
        int p = d.rgb().getRGB(d.width() / 2, d.height() / 2);
        assertEquals((p >> 16) & 0xff, p & 0xff);
        assertArrayEquals(new int[]{d.width(), d.height()}, Images.size(f));
    }

    @Test
    void exifOrientationsMapPixelsLikeTheSpec() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x111111); // top-left marker
        BufferedImage r6 = Images.orient(img, 6); // rotate 90° clockwise: top-left goes to top-right
        assertEquals(2, r6.getWidth());
        assertEquals(3, r6.getHeight());
        assertEquals(0x111111, r6.getRGB(1, 0) & 0xFFFFFF);
        BufferedImage r3 = Images.orient(img, 3);
        assertEquals(0x111111, r3.getRGB(2, 1) & 0xFFFFFF);
        BufferedImage r8 = Images.orient(img, 8); // rotate 270° clockwise: top-left goes to bottom-left
        assertEquals(0x111111, r8.getRGB(0, 2) & 0xFFFFFF);
        assertSame(img, Images.orient(img, 1));
    }

    @Test
    void exifOrientationOfAJpegFileIsAppliedOnRead(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, 0xFFFFFF); // white top-left block
        java.io.ByteArrayOutputStream jpg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpg", jpg);
        byte[] b = jpg.toByteArray();
        // APP1 "Exif\0\0", big-endian TIFF header, one IFD entry: 0x0112 (orientation) SHORT 1 = 6 (rotate 90° clockwise)
        byte[] app1 = {(byte) 0xFF, (byte) 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
                0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
        byte[] out = new byte[b.length + app1.length];
        System.arraycopy(b, 0, out, 0, 2);
        System.arraycopy(app1, 0, out, 2, app1.length);
        System.arraycopy(b, 2, out, 2 + app1.length, b.length - 2);
        Path f = tmp.resolve("rotated.jpg");
        Files.write(f, out);
        Images.Decoded d = Images.read(f);
        assertEquals(16, d.rgb().getWidth(), "orientation 6 turns 32×16 into 16×32");
        assertEquals(32, d.rgb().getHeight());
        assertTrue((d.rgb().getRGB(12, 3) & 0xFF) > 200, "the top-left block is now top-right");
        assertTrue((d.rgb().getRGB(3, 3) & 0xFF) < 50);
    }

    @Test
    void cmykJpegDecodesThroughTheTwelveMonkeysPlugin() throws Exception {
        Path f = Path.of(VisionLayerTest.class.getResource("/ocr/cmyk.jpg").toURI());
        Images.Decoded d = Images.read(f);
        // the JDK's own JPEG reader refuses CMYK ("Unsupported Image Type"); the plugin decodes it to RGB
        assertTrue(d.width() > 0 && d.height() > 0);
        assertEquals(3, d.channels(), "CMYK is decoded, not refused: " + d);
        assertEquals(d.width(), d.rgb().getWidth());
    }

    @Test
    void preprocessingIsFrozenAsJsonAndNormalisesLikeImagenet() {
        Preprocessing p = Preprocessing.imagenet(32, 28);
        Preprocessing back = Preprocessing.fromJson(p.toJson());
        assertEquals(p.resize(), back.resize());
        assertEquals(p.crop(), back.crop());
        assertArrayEquals(p.mean(), back.mean());
        BufferedImage white = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) for (int x = 0; x < 50; x++) white.setRGB(x, y, 0xFFFFFF);
        float[] t = new float[3 * 28 * 28];
        p.tensor(white, t, 0);
        assertEquals((1 - 0.485f) / 0.229f, t[0], 1e-5);
        assertEquals((1 - 0.406f) / 0.225f, t[2 * 28 * 28 + 5], 1e-5);
        assertEquals(28 * 28, p.mask(white).length);
        assertTrue(p.mask(white)[0]);
    }

    @Test
    void magneticTileProfileAndFingerprintAreStable() {
        ImageDataset ds = ImageDataset.open(Assets.data("anomaly/magnetic-tile"), "auto");
        assertEquals("mvtec", ds.kind());
        assertEquals(400, ds.split("train").size());
        assertEquals(300, ds.split("test").size());
        assertEquals(200, ds.split("test").stream().filter(i -> i.mask() != null).count());
        assertEquals(64, ds.fingerprint().length());
    }
}
