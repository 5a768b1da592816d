package io.modelwork.ocr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.Step;
import io.modelwork.ocr.ppocr.PpOcr;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StepContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * export: the three ONNX files, the dictionary, {@code pipeline.json} (spec, settings, file names with their SHA-256
 * and origin), {@code thresholds.json} when calibrated and {@code metrics.json} when evaluated, through
 * {@link BundleWriter} (manifest, atomic publish). {@link OcrBundle#load} reads it back.
 */
final class OcrExport {
    private OcrExport() {}

    static StepReport export(OcrState s, Args a, StepContext ctx) {
        Path dir = a.has("target") ? Path.of(a.getString("target", null)) : ctx.run().runDir().resolve("export");
        if (!a.has("target")) for (int k = 2; Files.exists(dir); k++) dir = ctx.run().runDir().resolve("export-" + k);
        PpOcr p = s.pipeline();
        try (BundleWriter b = BundleWriter.create(dir, "export")) {
            ObjectNode pj = Json.object();
            pj.put("format", OcrBundle.FORMAT).put("spec", s.spec);
            ObjectNode files = pj.putObject("files");
            b.copy(p.models().det(), "det.onnx");
            files.put("det", "det.onnx");
            if (p.models().cls() != null) { b.copy(p.models().cls(), "cls.onnx"); files.put("cls", "cls.onnx"); }
            b.copy(p.models().rec(), "rec.onnx");
            files.put("rec", "rec.onnx");
            b.copy(p.models().dict(), "dict.txt");
            files.put("dict", "dict.txt");
            pj.put("origin", s.det == null && s.rec == null ? "PP-OCRv4 (" + PpOcr.PACKAGE + "@" + PpOcr.VERSION + ", Apache-2.0, PaddleOCR)" : "user models");
            pj.set("config", s.config.toJson());
            pj.putObject("preprocessing").put("denoise", s.denoise).put("deskew", s.deskew).put("color", "BGR as cv2.imread; alpha over white");
            if (s.thresholds != null) pj.put("word_confidence_threshold", s.thresholds.path("word_confidence_threshold").asDouble());
            b.json("pipeline.json", pj);
            if (s.thresholds != null) b.json("thresholds.json", s.thresholds);
            ctx.report(Step.EVALUATE).ifPresent(ev -> b.json("metrics.json", ev.body().path("metrics")));
            b.manifest().put("format", OcrBundle.FORMAT).put("spec", s.spec);
            s.exportDir = b.publish();
        }
        StepReport r = new StepReport("export", "Exported the " + s.spec + " pipeline (3 ONNX models, dictionary, settings) to " + s.exportDir);
        r.body().put("dir", s.exportDir.toString()).put("spec", s.spec);
        r.note("load it with io.modelwork.ocr.OcrBundle.load(dir, threads)");
        return r;
    }
}
