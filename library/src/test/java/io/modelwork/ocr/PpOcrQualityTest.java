package io.modelwork.ocr;

import io.modelwork.core.Assets;
import io.modelwork.metrics.WordErrorRate;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.OcrConfig;
import io.modelwork.ocr.ppocr.OcrResult;
import io.modelwork.ocr.ppocr.PpOcr;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/**
 * CER of the PP-OCRv4 pipeline on the shared OCR data against the reference text, side by side with Tesseract 5
 * (Debian's tesseract-ocr; its column is skipped with a message when the binary is absent). CER with jiwer's
 * definitions after whitespace runs became one space (layout not scored) — the figure ASSETS.md quotes for Tesseract.
 */
class PpOcrQualityTest {
    static PpOcr ocr;

    @BeforeAll static void load() { ocr = PpOcr.load(PpOcr.Models.defaults(), OcrConfig.defaults(), 2, "cpu"); }

    @AfterAll static void close() { ocr.close(); }

    record Row(String image, double ours, double tesseract) { }

    static List<Row> run(Path dir, List<String> images, List<String> gts, List<String> oursOut) throws Exception {
        List<Row> rows = new ArrayList<>();
        boolean tess = TesseractBaseline.available();
        if (!tess) System.out.println("Tesseract is not installed (apt-get install -y tesseract-ocr): its column is skipped");
        for (int i = 0; i < images.size(); i++) {
            Path img = dir.resolve(images.get(i));
            String gt = OcrScoring.norm(Files.readString(dir.resolve(gts.get(i))), true, true);
            OcrResult r = ocr.read(BgrImage.read(img));
            String ours = OcrScoring.norm(r.text(), true, true);
            oursOut.add(ours);
            double t = tess ? WordErrorRate.cer(gt, OcrScoring.norm(TesseractBaseline.read(img), true, true)) : Double.NaN;
            rows.add(new Row(images.get(i), WordErrorRate.cer(gt, ours), t));
            System.out.printf(Locale.ROOT, "%-22s modelwork CER %.4f   tesseract CER %s%n", images.get(i), rows.get(i).ours(),
                    tess ? String.format(Locale.ROOT, "%.4f", t) : "skipped");
        }
        return rows;
    }

    @Test void tesseractjsPages() throws Exception {
        Path dir = Assets.data("ocr/tesseractjs");
        List<String> names = List.of("testocr", "bill", "simple", "cosmic");
        List<String> out = new ArrayList<>();
        List<Row> rows = run(dir, names.stream().map(n -> n + ".png").toList(), names.stream().map(n -> n + ".gt.txt").toList(), out);
        // measured: testocr 0.0035 (one final '.' missed; Tesseract 0.000), bill 0.0469 (Tesseract 0.0626 ≈ ASSETS.md's 0.063),
        // simple 0, cosmic 0.077 (no spaces read in "the Cosmic Void"; Tesseract 0.000)
        assertTrue(rows.get(0).ours() <= 0.005, "testocr CER " + rows.get(0).ours());
        assertTrue(rows.get(1).ours() <= 0.063, "bill CER " + rows.get(1).ours() + " equal or better than Tesseract's 0.063");
        if (!Double.isNaN(rows.get(1).tesseract())) assertTrue(rows.get(1).ours() < rows.get(1).tesseract());
        assertEquals(0.0, rows.get(2).ours(), "simple.png reads 'Tesseract.js' exactly");
        assertEquals("Tesseract.js", out.get(2));
        assertTrue(rows.get(3).ours() <= 0.2, "cosmic (transparent PNG, blended over white as PaddleOCR does) CER " + rows.get(3).ours());
    }

    @Test void syntheticLines() throws Exception {
        Path dir = Assets.data("ocr/synthetic-lines");
        List<String> imgs, gts = new ArrayList<>();
        try (var s = Files.list(dir)) { imgs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tif")).sorted().toList(); }
        for (String n : imgs) gts.add(n.replaceAll("_.*", "") + ".gt.txt");
        List<String> out = new ArrayList<>();
        List<Row> rows = run(dir, imgs, gts, out);
        long exact = rows.stream().filter(r -> r.ours() == 0).count();
        // measured: 9 of 10 lines verbatim; l1_DejaVuSans (115 characters, slanted) is recognised with confidence 0.44 < drop_score
        // and dropped, so the corpus CER is set by that one line — PaddleOCR's own inference (the transcription in
        // ppocr_reference.py, DROP=0) reads the same garbage at 0.4387: a limit of the model on a 50:1 line, not of the port.
        // Tesseract reads all ten verbatim.
        assertTrue(exact >= 9, exact + " lines verbatim");
        List<String> refs = new ArrayList<>();
        for (String g : gts) refs.add(OcrScoring.norm(Files.readString(dir.resolve(g)), true, true));
        double corpus = WordErrorRate.corpus(refs, out, WordErrorRate.Normalize.NONE).cer();
        System.out.printf(Locale.ROOT, "synthetic-lines corpus CER %.4f%n", corpus);
        assertTrue(corpus <= 0.2, "corpus CER " + corpus);
    }
}
