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
 * CER of both pinned PP-OCR model sets ({@code lang=ch}: ch_PP-OCRv4; {@code lang=en}: PaddleOCR's English set,
 * en_PP-OCRv3 det + en_PP-OCRv4 rec) on the shared OCR data against the reference text, side by side with Tesseract 5
 * (Debian's tesseract-ocr; its column is skipped with a message when the binary is absent). CER with jiwer's
 * definitions after whitespace runs became one space (layout not scored) — the figure ASSETS.md quotes for Tesseract;
 * a folder's CER is jiwer's corpus CER (edit distances summed over the images, over the summed reference length).
 */
class PpOcrQualityTest {
    static PpOcr ch, en;
    static final boolean TESS = TesseractBaseline.available();

    @BeforeAll static void load() {
        ch = PpOcr.load(PpOcr.Models.forLang("ch"), OcrConfig.defaults(), 2, "cpu");
        en = PpOcr.load(PpOcr.Models.forLang("en"), OcrConfig.defaults(), 2, "cpu");
        if (!TESS) System.out.println("Tesseract is not installed (apt-get install -y tesseract-ocr): its column is skipped");
    }

    @AfterAll static void close() { ch.close(); en.close(); }

    /** Per image: the reference, each pipeline's text and Tesseract's (null when absent), all normalised. */
    record Page(String image, String ref, String ch, String en, String tess) {
        double cer(String hyp) { return hyp == null ? Double.NaN : WordErrorRate.cer(ref, hyp); }
    }

    static List<Page> run(Path dir, List<String> images, List<String> gts) throws Exception {
        List<Page> pages = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Path img = dir.resolve(images.get(i));
            BgrImage im = BgrImage.read(img);
            Page p = new Page(images.get(i), OcrScoring.norm(Files.readString(dir.resolve(gts.get(i))), true, true),
                    OcrScoring.norm(ch.read(im).text(), true, true), OcrScoring.norm(en.read(im).text(), true, true),
                    TESS ? OcrScoring.norm(TesseractBaseline.read(img), true, true) : null);
            pages.add(p);
            System.out.printf(Locale.ROOT, "%-22s CER lang=ch %.4f   lang=en %.4f   tesseract %s%n", p.image(), p.cer(p.ch()),
                    p.cer(p.en()), TESS ? String.format(Locale.ROOT, "%.4f", p.cer(p.tess())) : "skipped");
        }
        return pages;
    }

    static double corpus(List<Page> pages, java.util.function.Function<Page, String> hyp) {
        return WordErrorRate.corpus(pages.stream().map(Page::ref).toList(), pages.stream().map(hyp).toList(),
                WordErrorRate.Normalize.NONE).cer();
    }

    @Test void tesseractjsPages() throws Exception {
        Path dir = Assets.data("ocr/tesseractjs");
        List<String> names = List.of("testocr", "bill", "simple", "cosmic");
        List<Page> p = run(dir, names.stream().map(n -> n + ".png").toList(), names.stream().map(n -> n + ".gt.txt").toList());
        double chC = corpus(p, Page::ch), enC = corpus(p, Page::en), tC = TESS ? corpus(p, Page::tess) : Double.NaN;
        System.out.printf(Locale.ROOT, "tesseractjs corpus CER lang=ch %.4f   lang=en %.4f   tesseract %.4f%n", chC, enC, tC);
        // measured lang=en: testocr 0.0106 ("Iot", two stray '.'), bill 0.0213, simple 0, cosmic 0.0256 ("Hello" for the
        // reference's "HellO"); corpus 0.0183. Tesseract 5.3: 0.000, 0.0626, 0, 0.000; corpus 0.0424.
        // lang=ch: testocr 0.0035 (final '.' outside the box), bill 0.0469 (no spaces between words), simple 0, cosmic 0.077.
        assertTrue(enC <= 0.02, "lang=en corpus CER " + enC);
        if (TESS) assertTrue(enC <= tC, "lang=en corpus CER " + enC + " equal or better than Tesseract's " + tC);
        assertTrue(p.get(1).cer(p.get(1).en()) <= 0.025, "bill lang=en CER " + p.get(1).cer(p.get(1).en()) + " (Tesseract 0.063)");
        if (TESS) assertTrue(p.get(1).cer(p.get(1).en()) < p.get(1).cer(p.get(1).tess()));
        assertTrue(p.get(0).cer(p.get(0).en()) <= 0.011, "testocr lang=en CER " + p.get(0).cer(p.get(0).en()));
        assertEquals("Hello World from beyond the Cosmic Void", p.get(3).en());
        assertEquals("Tesseract.js", p.get(2).en());
        assertEquals("Tesseract.js", p.get(2).ch());
        assertTrue(p.get(0).cer(p.get(0).ch()) <= 0.005, "testocr lang=ch CER " + p.get(0).cer(p.get(0).ch()));
        assertTrue(p.get(1).cer(p.get(1).ch()) <= 0.063, "bill lang=ch CER " + p.get(1).cer(p.get(1).ch()));
        assertTrue(p.get(3).cer(p.get(3).ch()) <= 0.2, "cosmic lang=ch CER " + p.get(3).cer(p.get(3).ch()));
    }

    @Test void syntheticLines() throws Exception {
        Path dir = Assets.data("ocr/synthetic-lines");
        List<String> imgs, gts = new ArrayList<>();
        try (var s = Files.list(dir)) { imgs = s.map(q -> q.getFileName().toString()).filter(n -> n.endsWith(".tif")).sorted().toList(); }
        for (String n : imgs) gts.add(n.replaceAll("_.*", "") + ".gt.txt");
        List<Page> p = run(dir, imgs, gts);
        // lang=en reads all ten lines verbatim, as Tesseract does.
        for (Page q : p) assertEquals(q.ref(), q.en(), q.image() + " lang=en");
        assertEquals(0.0, corpus(p, Page::en));
        if (TESS) assertEquals(0.0, corpus(p, Page::tess), "Tesseract reads them verbatim (ASSETS.md)");
        // lang=ch: 9 of 10; l1_DejaVuSans (115 characters, a 50:1 line) is read at confidence 0.44 < drop_score and
        // dropped — PaddleOCR's own inference (ppocr_reference.py, DROP=0) reads the same at 0.4387.
        long exact = p.stream().filter(q -> q.ref().equals(q.ch())).count();
        assertTrue(exact >= 9, exact + " lines verbatim with lang=ch");
        System.out.printf(Locale.ROOT, "synthetic-lines corpus CER lang=ch %.4f   lang=en %.4f%n", corpus(p, Page::ch), corpus(p, Page::en));
    }
}
