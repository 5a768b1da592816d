package io.modelwork.asr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StepContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * export: a bundle (through {@link BundleWriter}, with its SHA-256 manifest) holding the pipeline configuration
 * (decoding, VAD, segmentation), the model reference (name, version, SHA-256 of the artifact it comes from; the weights
 * themselves stay in the asset cache), the signature, the calibrated thresholds and the evaluate metrics.
 */
final class AsrExport {
    private AsrExport() {}

    static StepReport export(AsrState s, Args a, StepContext ctx) {
        Path dir = a.has("dir") ? Path.of(a.getString("dir", null)) : ctx.run().runDir().resolve("export");
        if (!a.has("dir")) for (int k = 2; Files.exists(dir); k++) dir = ctx.run().runDir().resolve("export-" + k);
        ObjectNode model = s.engine().modelReference();
        try (BundleWriter b = BundleWriter.create(dir, "export")) {
            ObjectNode p = Json.object();
            p.put("format", "modelwork.asr/1").put("spec", s.spec);
            p.putObject("audio").put("decoder", "FFmpeg (JavaCV 1.5.11, FFmpeg 7.1)").put("sample_rate", 16000).put("channels", 1)
                    .put("resampler", "libswresample");
            p.set("segmentation", s.settingsJson());
            p.put("word_confidence_threshold", s.confThreshold);
            p.set("engine", s.engineArgs.deepCopy()); // beam, patience, lang, task, timestamps, prompt, threads
            b.json("pipeline.json", p);
            b.json("model.json", model);
            b.json("vad.json", s.vadConfig.withMaxSpeech(s.segLen).toJson());
            ObjectNode sig = Json.object();
            sig.putObject("input").put("type", "audio file or 16 kHz mono float samples").put("formats", "WAV, FLAC, MP3, OGG, video audio tracks");
            sig.putObject("output").put("text", "string").put("words", "[{word, start, end, conf}] (seconds, confidence 0..1)")
                    .put("alternatives", "[{text, confidence}] when alternatives > 0");
            b.json("signature.json", sig);
            if (s.calibration != null) b.json("thresholds.json", s.calibration);
            ctx.report(Step.EVALUATE).ifPresent(ev -> {
                ObjectNode m = Json.object();
                m.put("wer", ev.body().path("wer").asDouble()).put("cer", ev.body().path("cer").asDouble())
                        .put("on", ev.body().path("on").asText()).put("normalize", ev.body().path("normalize").asText());
                b.json("metrics.json", m);
            });
            b.manifest().put("format", "modelwork.asr/1").put("spec", s.spec).set("model", model);
            s.exportDir = b.publish();
        }
        StepReport r = new StepReport("export", "Exported the " + s.spec + " pipeline to " + s.exportDir);
        r.body().put("dir", s.exportDir.toString()).set("model", model);
        r.note("the bundle references the model (name, version, SHA-256) instead of copying it; the asset cache holds the files");
        return r;
    }
}
