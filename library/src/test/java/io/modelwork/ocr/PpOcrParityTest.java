package io.modelwork.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.OcrConfig;
import io.modelwork.ocr.ppocr.OcrResult;
import io.modelwork.ocr.ppocr.PpOcr;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Java pipeline against a transcription of PaddleOCR's inference with OpenCV 4.14 + ONNX Runtime 1.30 (Python,
 * {@code src/test/resources/ocr/ppocr_reference.py}, which wrote {@code ppocr_reference.json}): the same boxes in the
 * same order (corners within 1 px) and the same text on the shared pages.
 */
class PpOcrParityTest {
    @Test void matchesThePaddleOcrTranscription() throws Exception {
        JsonNode ref = Json.MAPPER.readTree(PpOcrParityTest.class.getResourceAsStream("/ocr/ppocr_reference.json"));
        int lines = 0, sameText = 0;
        double worst = 0;
        try (PpOcr ocr = PpOcr.load(PpOcr.Models.defaults(), OcrConfig.defaults(), 2, "cpu")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = ref.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                Path img = Assets.data(name.endsWith(".tif") ? "ocr/synthetic-lines/" + name : "ocr/tesseractjs/" + name);
                OcrResult r = ocr.read(BgrImage.read(img));
                assertEquals(e.getValue().size(), r.lines().size(), name + ": number of lines");
                for (int i = 0; i < r.lines().size(); i++) {
                    JsonNode x = e.getValue().get(i);
                    double[] b = r.lines().get(i).box();
                    for (int k = 0; k < 8; k++) worst = Math.max(worst, Math.abs(b[k] - x.get("box").get(k).asDouble()));
                    lines++;
                    if (x.get("text").asText().equals(r.lines().get(i).text())) sameText++;
                    else System.out.println(name + " line " + i + ": reference '" + x.get("text").asText() + "', java '" + r.lines().get(i).text() + "'");
                }
            }
        }
        System.out.printf("parity: %d lines, %d with identical text, largest corner difference %.1f px%n", lines, sameText, worst);
        assertTrue(worst <= 1, "box corners within 1 px (measured: 1.0), got " + worst);
        assertEquals(lines, sameText, "every line read identically (measured: 74 of 74)");
    }
}
