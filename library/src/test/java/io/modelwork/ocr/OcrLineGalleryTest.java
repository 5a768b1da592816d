package io.modelwork.ocr;

import io.modelwork.ocr.ppocr.OcrResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Ground-truth lines paired with the rows read: equal lines pair, a line nobody read and a row with no truth stand alone. */
class OcrLineGalleryTest {
    static OcrResult.Line box(double x, double y, String text) {
        return new OcrResult.Line(new double[]{x, y, x + 100, y, x + 100, y + 20, x, y + 20}, text, 0.9, new double[0]);
    }

    @Test
    void linesAlignInOrderWithMissedAndExtraLines() {
        // rows read: "The quick" + "brown fox" on one row (two boxes), "over the lazy dgo", and a stray "x" row
        OcrResult read = new OcrResult(List.of(box(0, 0, "The quick"), box(120, 2, "brown fox"), box(0, 60, "over the lazy dgo"), box(0, 120, "x")));
        List<OcrLineGallery.LineError> l = OcrLineGallery.lines("p.png", "The quick brown fox\njumps\nover the lazy dog\n", read, true);
        assertEquals(4, l.size(), l.toString());
        assertEquals(0, l.get(0).alignment().errors(), "the first row is two boxes joined by a space");
        assertEquals("jumps", l.get(1).truth());
        assertEquals("", l.get(1).prediction(), "a line nobody read");
        assertTrue(l.get(1).row().isEmpty());
        assertEquals(2, l.get(2).alignment().errors(), "dgo for dog: two substitutions");
        assertEquals(-1, l.get(3).index(), "a row with no truth line");
        assertEquals("x", l.get(3).prediction());
        var worst = OcrLineGallery.worst(l, 2, id -> null, null);
        assertEquals(2, worst.size());
        assertTrue(worst.get(0).id().contains("not read"), "five deletions first: " + worst.get(0).id());
        assertEquals("(nothing read)", worst.get(0).prediction());
        assertTrue(worst.get(1).truth().startsWith("over the lazy d") && worst.get(1).truth().contains("["), worst.get(1).truth());
        assertEquals("2", worst.get(1).fields().get("char errors"));
    }
}
