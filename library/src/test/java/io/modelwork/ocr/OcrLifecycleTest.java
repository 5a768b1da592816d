package io.modelwork.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import io.modelwork.core.Step;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.PpOcr;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The OCR steps on the shared pages: attach → evaluate → tune → calibrate → export, and the bundle reloaded. */
class OcrLifecycleTest {
    @TempDir Path tmp;

    @Test void pagesThroughExportAndReload() throws Exception {
        try (Session s = Session.create(tmp)) {
            s.configure("seed=3 threads=2 run_dir=" + tmp.resolve("run"));
            StepReport att = s.attachDataset("path=" + Assets.data("ocr/tesseractjs") + " include=testocr,simple,cosmic");
            assertEquals("ocr", s.category().name(), "a folder with .gt.txt files is recognised as OCR data");
            assertEquals(3, att.body().get("with_ground_truth").asInt());
            assertEquals(0, att.body().get("chars_not_in_dictionary").size(), "all characters are in ppocr_keys_v1");
            s.prepareData("");
            StepReport sp = s.split("ratios=0,0.34,0.66");
            assertEquals(1, sp.body().get("validation").asInt());
            assertEquals(2, sp.body().get("test").asInt());
            s.build("spec=ocr.ppocr");
            StepReport fit = s.fit("");
            assertFalse(fit.body().get("trained").asBoolean());
            assertTrue(fit.notes().stream().anyMatch(n -> n.contains("no network training")));
            StepReport ev = s.evaluate("");
            JsonNode m = ev.body().get("metrics");
            for (String k : new String[]{"cer", "wer", "exact_match"}) assertTrue(m.has(k), k);
            assertTrue(m.get("cer").asDouble() < 0.1, ev.title());
            // the error gallery shows the worst lines: a crop of the line (not the page), the truth, the marked prediction
            if (m.get("cer").asDouble() > 0) {
                var first = ev.gallery().get(0);
                assertTrue(first.id().contains("line"), first.id());
                assertTrue(first.truth().contains("[") || first.prediction().contains("["), "differing characters marked: " + first);
                java.awt.image.BufferedImage crop = javax.imageio.ImageIO.read(Path.of(first.mediaPath()).toFile());
                java.awt.image.BufferedImage page = javax.imageio.ImageIO.read(Assets.data("ocr/tesseractjs").resolve(first.id().replaceAll(" · .*", "")).toFile());
                assertTrue(crop.getHeight() < page.getHeight() / 3, "a line crop: " + crop.getHeight() + " of " + page.getHeight() + " px");
                assertTrue(ev.body().get("lines_with_errors").asInt() >= 1);
            }
            StepReport tune = s.tune("trials=3");
            assertEquals(3, tune.body().get("trials").asInt());
            assertTrue(tune.body().get("best_cer").asDouble() <= tune.body().get("current_cer").asDouble() + 1e-12 || !tune.body().get("applied").asBoolean());
            assertFalse(tune.charts().isEmpty(), "the standard tuning history chart");
            StepReport cal = s.calibrate("target_precision=0.9");
            double thr = cal.body().get("word_confidence_threshold").asDouble();
            assertTrue(thr > 0 && thr <= 1, cal.title());
            assertTrue(Files.isRegularFile(tmp.resolve("run/thresholds.json")));
            StepReport ex = s.export("");
            Path dir = Path.of(ex.body().get("dir").asText());
            for (String f : new String[]{"det.onnx", "cls.onnx", "rec.onnx", "dict.txt", "pipeline.json", "thresholds.json", "artifact_manifest.json"})
                assertTrue(Files.isRegularFile(dir.resolve(f)), f);
            // a fresh pipeline from the bundle reads the test images identically
            StepReport ev2 = s.evaluate("on=test whitespace=keep");
            try (PpOcr fresh = OcrBundle.load(dir, 2)) {
                for (JsonNode per : ev2.body().get("per_image")) {
                    String id = per.get("image").asText();
                    String text = fresh.read(BgrImage.read(Assets.data("ocr/tesseractjs").resolve(id))).text().strip();
                    assertEquals(per.get("text").asText(), text, id);
                }
            }
            assertEquals("modelwork.ocr/1", Json.MAPPER.readTree(dir.resolve("pipeline.json").toFile()).get("format").asText());
        }
    }

    @Test void detectionMetricsFromTesseractBoxFiles() {
        try (Session s = Session.create(tmp)) {
            s.configure("threads=2 run_dir=" + tmp.resolve("run2"));
            StepReport att = s.attachDataset("path=" + Assets.data("ocr/synthetic-lines") + " include=l2_DejaVuSans,l2_DejaVuSerif");
            assertEquals(2, att.body().get("with_boxes").asInt());
            assertEquals(1, att.body().get("documents").asInt(), "both renderings of l2 are one document");
            s.prepareData("");
            s.split("");
            s.build("");
            s.fit("");
            StepReport ev = s.evaluate("on=all");
            assertEquals(1.0, ev.body().get("metrics").get("det_hmean").asDouble(), 1e-9, "one line box each, found at IoU ≥ 0.5");
            assertEquals(0.0, ev.body().get("metrics").get("cer").asDouble());
            assertEquals(1.0, ev.body().get("metrics").get("exact_match").asDouble());
            assertNotNull(s.report(Step.EVALUATE).orElseThrow());
        }
    }

    /** labels= TSV, spec ocr.ppocr.rec on word images, case-insensitive scoring. */
    @Test void wordImagesWithLabelsAndTheRecognitionOnlySpec() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("words"));
        String[] words = {"Modelwork", "Invoice42", "RECEIPT"};
        StringBuilder tsv = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(40 + 28 * words[i].length(), 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), 64);
            g.setColor(java.awt.Color.BLACK);
            g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 40));
            g.drawString(words[i], 12, 46);
            g.dispose();
            javax.imageio.ImageIO.write(img, "png", dir.resolve("w" + i + ".png").toFile());
            tsv.append("w").append(i).append(".png\t").append(i == 2 ? words[i].toLowerCase() : words[i]).append('\n');
        }
        Files.writeString(tmp.resolve("labels.tsv"), tsv.toString());
        try (Session s = Session.create(tmp)) {
            s.configure("threads=2 run_dir=" + tmp.resolve("run3"));
            s.attachDataset("path=" + dir + " labels=" + tmp.resolve("labels.tsv") + " task=ocr");
            s.prepareData("");
            s.split("");
            s.build("spec=ocr.ppocr.rec");
            s.fit("");
            StepReport strict = s.evaluate("on=all");
            StepReport loose = s.evaluate("on=all case_sensitive=false");
            // the third label is lower-case: an error only when case counts
            assertEquals(1.0, loose.body().get("metrics").get("exact_match").asDouble(), loose.body().toString());
            assertEquals(0.0, loose.body().get("metrics").get("cer").asDouble());
            assertEquals(2.0 / 3, strict.body().get("metrics").get("exact_match").asDouble(), 1e-12);
        }
    }

    /** build lang=en (PaddleOCR's English set) beats Tesseract on the shared pages and survives checkpoint, resume and export. */
    @Test void englishModelsThroughCheckpointResumeAndExport() throws Exception {
        String ckpt, run;
        double cer;
        Path bundle;
        try (Session s = Session.create(tmp)) {
            s.configure("threads=2 run_dir=" + tmp.resolve("run4"));
            StepReport att = s.attachDataset("path=" + Assets.data("ocr/tesseractjs"));
            assertTrue(att.body().get("ascii_only").asBoolean());
            assertTrue(att.notes().stream().anyMatch(n -> n.contains("lang=en")), att.notes().toString());
            s.prepareData("");
            s.split("");
            StepReport b = s.build("lang=en");
            assertEquals("en", b.body().get("lang").asText());
            assertEquals(97, b.body().get("classes").asInt(), "en_dict: blank + 95 + space");
            assertTrue(b.body().get("models").get("rec").asText().endsWith("en_PP-OCRv4_rec.onnx"));
            s.fit("");
            StepReport ev = s.evaluate("baseline=true");
            cer = ev.body().get("metrics").get("cer").asDouble();
            assertTrue(cer <= 0.02, "lang=en corpus CER " + cer);
            if (ev.body().has("baseline"))
                assertTrue(cer <= ev.body().get("baseline").get("cer").asDouble(), "equal or better than Tesseract: " + ev.body().get("baseline"));
            bundle = Path.of(s.export("").body().get("dir").asText());
            ckpt = s.saveCheckpoint("en").body().get("checkpoint_id").asText();
            run = s.context().runDir().toString();
        }
        try (Session s = Session.create(tmp)) {
            s.resume(io.modelwork.core.Args.of("id", ckpt, "run_dir", run));
            assertEquals("en", s.state(OcrState.class).lang);
            assertEquals(cer, s.evaluate("").body().get("metrics").get("cer").asDouble(), 1e-12, "the English models again after resume");
        }
        try (PpOcr fresh = OcrBundle.load(bundle, 2)) {
            assertEquals(97, fresh.decoder().classes());
            assertEquals("Hello World from beyond the Cosmic Void",
                    OcrScoring.norm(fresh.read(BgrImage.read(Assets.data("ocr/tesseractjs").resolve("cosmic.png"))).text(), true, true));
        }
    }
}
