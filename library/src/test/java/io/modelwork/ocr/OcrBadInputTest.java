package io.modelwork.ocr;

import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.OcrConfig;
import io.modelwork.ocr.ppocr.OcrResult;
import io.modelwork.ocr.ppocr.PpOcr;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The bad inputs of issue 10: corrupt image, blank page, 20,000-pixel-wide image, gray/CMYK JPEG, odd encodings, wrong dictionary. */
class OcrBadInputTest {
    @TempDir static Path tmp;
    static PpOcr ocr;

    @BeforeAll static void load() { ocr = PpOcr.load(PpOcr.Models.defaults(), OcrConfig.defaults(), 2, "cpu"); }

    @AfterAll static void close() { ocr.close(); }

    private static Path resource(String name) throws Exception {
        Path p = tmp.resolve(name);
        try (var in = OcrBadInputTest.class.getResourceAsStream("/ocr/" + name)) { Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING); }
        return p;
    }

    @Test void grayscaleAndCmykJpegsAreRead() throws Exception {
        // the Chinese+English PP-OCRv4 recogniser often reads no space between words (as on bill.png): compared without spaces
        assertEquals("Grayscalepage42", ocr.read(BgrImage.read(resource("gray.jpg"))).text().replace(" ", ""));
        assertEquals("PrintedinCMYK2026", ocr.read(BgrImage.read(resource("cmyk.jpg"))).text().replace(" ", ""));
    }

    @Test void blankPageIsAnEmptyResult() {
        BufferedImage white = new BufferedImage(600, 400, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = white.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 600, 400);
        g.dispose();
        OcrResult r = ocr.read(BgrImage.of(white));
        assertTrue(r.lines().isEmpty());
        assertEquals("", r.text());
    }

    @Test void twentyThousandPixelWideImage() {
        BufferedImage wide = new BufferedImage(20_000, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = wide.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 20_000, 120);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 90));
        g.drawString("WIDE", 9_000, 100);
        g.dispose();
        // detection input 960 × 32 (the side limit); the word becomes a few pixels of the map: no crash, a result either way
        OcrResult r = ocr.read(BgrImage.of(wide));
        assertNotNull(r.text());
        assertEquals(960, ocr.detect(BgrImage.of(wide)).mw());
    }

    @Test void corruptImageIsNamedAndLeftOut_encodingIsHandled() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("set"));
        Files.copy(Assets.data("ocr/tesseractjs/simple.png"), dir.resolve("simple.png"));
        Files.writeString(dir.resolve("simple.gt.txt"), "Tesseract.js\n");
        Files.write(dir.resolve("broken.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5});
        Files.writeString(dir.resolve("broken.gt.txt"), "nothing");
        Files.write(dir.resolve("empty.png"), new byte[0]);
        Files.writeString(dir.resolve("empty.gt.txt"), "x");
        // a ground truth in windows-1252 (not UTF-8)
        Files.copy(resource("gray.jpg"), dir.resolve("latin.jpg"));
        Files.write(dir.resolve("latin.gt.txt"), "Grayscale page 42 café".getBytes(Charset.forName("windows-1252")));
        Map<String, String> notes = new HashMap<>();
        assertEquals("Grayscale page 42 café", OcrDataset.readText(dir.resolve("latin.gt.txt"), "latin.jpg", notes));
        assertTrue(notes.get("latin.jpg").contains("windows-1252"));
        try (Session s = Session.create(tmp.resolve("s1"))) {
            s.configure("threads=2 run_dir=" + tmp.resolve("run"));
            StepReport att = s.attachDataset("path=" + dir);
            assertEquals(2, att.body().get("images").asInt());
            assertTrue(att.body().get("excluded_images").get("broken.png").asText().startsWith("unreadable image"));
            assertEquals("empty file", att.body().get("excluded_images").get("empty.png").asText());
            assertTrue(att.body().get("notes").get("latin.jpg").asText().contains("windows-1252"));
            ModelworkException strict = assertThrows(ModelworkException.class, () -> s.attachDataset("path=" + dir + " strict=true"));
            assertTrue(strict.getMessage().contains("broken.png"));
        }
    }

    @Test void dictionaryThatDoesNotMatchTheModel() throws Exception {
        Path dict = tmp.resolve("small_dict.txt");
        List<String> lines = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) lines.add(String.valueOf(c));
        Files.write(dict, lines);
        PpOcr.Models d = PpOcr.Models.defaults();
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> PpOcr.load(new PpOcr.Models(d.det(), d.cls(), d.rec(), dict), OcrConfig.defaults(), 1, "cpu"));
        assertTrue(e.getMessage().contains("6625 classes") && e.getMessage().contains("28"), e.getMessage());
        assertTrue(e.fix().contains("6623"), e.fix());
    }

    @Test void singleLineSpecReadsAWordImage() {
        // ocr.ppocr.rec takes images that are already one tight line: the detected crop of simple.png
        BgrImage page = BgrImage.read(Assets.data("ocr/tesseractjs/simple.png"));
        OcrResult.Line l = ocr.readLine(page.crop(ocr.boxes(ocr.detect(page)).get(0)));
        assertEquals("Tesseract.js", l.text());
        assertEquals(l.text().length(), l.charScores().length);
        assertTrue(l.score() > 0.9);
    }
}
