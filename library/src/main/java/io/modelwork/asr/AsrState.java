package io.modelwork.asr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.audio.Audio;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.audio.SileroVad;
import io.modelwork.core.Json;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ASR category's state: the dataset and its profiles, the segmentation settings (VAD, segment length), the split,
 * the spec and its engine, the transcript cache (fit fills it for the training set; evaluate adds what it
 * transcribes), the calibrated word-confidence threshold and the export folder. A checkpoint keeps everything but the
 * engine, which is built again from the spec on first use after resume.
 */
public final class AsrState implements CategoryState, Exportable {
    AsrDataset dataset;
    ArrayNode profiles = Json.MAPPER.createArrayNode();
    /** ids left out (unreadable audio, zero-length, silence only) → why */
    Map<String, String> excluded = new LinkedHashMap<>();
    /** "auto" (VAD when a clip is longer than segLen), "on" or "off" */
    String vad = "auto";
    SileroVad.Config vadConfig = SileroVad.Config.defaults();
    double segLen = 30;
    List<String> train = new ArrayList<>(), test = new ArrayList<>();
    String spec;
    int alternatives;
    String modelPath;
    /** build's engine settings: beam, patience, lang, task, timestamps, prompt, threads */
    ObjectNode engineArgs = Json.object();
    double confThreshold;
    ObjectNode calibration;
    Path exportDir;
    final Map<String, Transcript> cache = new LinkedHashMap<>();
    private AsrEngine engine;
    private SileroVad vadModel;

    /** The engine of the built spec (created on first use, e.g. after resume). */
    AsrEngine engine() {
        if (engine == null) engine = AsrCategory.createEngine(spec, alternatives, modelPath, engineArgs);
        return engine;
    }

    /** Another beam (tune): the engine is built again on next use; the caller manages the cache. */
    void useBeam(double beam) {
        closeEngine();
        engineArgs.put("beam", beam);
    }

    double beam() { return engineArgs.path("beam").asDouble(0); }

    void setEngine(AsrEngine e) {
        closeEngine();
        engine = e;
        cache.clear();
    }

    /** Whether segmentation by VAD applies to a clip of {@code seconds}. */
    boolean useVad(double seconds) { return vad.equals("on") || (vad.equals("auto") && seconds > segLen); }

    /** Transcribes one utterance (cached): decode to 16 kHz, split at pauses by the VAD when it applies, recognise. */
    Transcript transcribe(AsrDataset.Utterance u) {
        Transcript t = cache.get(u.id());
        if (t != null) return t;
        Audio a = AudioDecoder.decode(u.audio());
        t = transcribe(a);
        cache.put(u.id(), t);
        return t;
    }

    Transcript transcribe(Audio a) {
        if (!useVad(a.durationSeconds())) return engine().transcribe(a);
        if (vadModel == null) vadModel = SileroVad.load();
        List<Transcript> parts = new ArrayList<>();
        for (SileroVad.Segment s : merge(vadModel.speech(a.samples(), vadConfig.withMaxSpeech(segLen)), (int) (segLen * 16_000))) {
            Transcript p = engine().transcribe(a.slice(s.start(), s.end()));
            double off = s.startSeconds();
            List<Transcript.Word> ws = p.words().stream().map(w -> new Transcript.Word(w.word(), w.start() + off, w.end() + off, w.conf())).toList();
            parts.add(new Transcript(p.text(), ws, p.alternatives()));
        }
        return Transcript.join(parts);
    }

    /**
     * Consecutive speech segments merged while the merged span stays within {@code max} samples (the VAD cuts at every
     * 100 ms pause; the recogniser does better with whole phrases, so segments are only cut at pauses when needed).
     */
    static List<SileroVad.Segment> merge(List<SileroVad.Segment> segs, int max) {
        List<SileroVad.Segment> out = new ArrayList<>();
        SileroVad.Segment cur = null;
        for (SileroVad.Segment s : segs) {
            if (cur != null && s.end() - cur.start() <= max) cur = new SileroVad.Segment(cur.start(), s.end());
            else { if (cur != null) out.add(cur); cur = s; }
        }
        if (cur != null) out.add(cur);
        return out;
    }

    List<AsrDataset.Utterance> utterances(List<String> ids) {
        List<AsrDataset.Utterance> out = new ArrayList<>();
        for (String id : ids) out.add(dataset.byId(id));
        return out;
    }

    ObjectNode settingsJson() {
        ObjectNode o = Json.object();
        o.put("vad", vad).put("seg_len", segLen).set("vad_config", vadConfig.toJson());
        return o;
    }

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode o = Json.object();
        if (dataset != null) o.set("dataset", dataset.toJson());
        o.set("profiles", profiles);
        ObjectNode ex = o.putObject("excluded");
        excluded.forEach(ex::put);
        o.put("vad", vad).put("seg_len", segLen).put("threshold", vadConfig.threshold()).put("min_speech_ms", vadConfig.minSpeechMs())
                .put("min_silence_ms", vadConfig.minSilenceMs()).put("speech_pad_ms", vadConfig.speechPadMs());
        train.forEach(o.putArray("train")::add);
        test.forEach(o.putArray("test")::add);
        o.put("spec", spec).put("alternatives", alternatives).put("model", modelPath).put("conf_threshold", confThreshold);
        o.set("engine_args", engineArgs);
        if (calibration != null) o.set("calibration", calibration);
        if (exportDir != null) o.put("export_dir", exportDir.toString());
        ObjectNode c = o.putObject("cache");
        cache.forEach((k, v) -> c.set(k, v.toJson()));
        out.json("asr_state.json", o);
    }

    @Override public void restore(StateReader in) throws IOException {
        JsonNode o = in.json("asr_state.json");
        if (o.has("dataset")) dataset = AsrDataset.fromJson(o.get("dataset"));
        profiles = o.path("profiles").isArray() ? (ArrayNode) o.get("profiles") : Json.MAPPER.createArrayNode();
        o.path("excluded").fields().forEachRemaining(e -> excluded.put(e.getKey(), e.getValue().asText()));
        vad = o.path("vad").asText("auto");
        segLen = o.path("seg_len").asDouble(30);
        vadConfig = new SileroVad.Config(o.path("threshold").asDouble(0.5), Double.NaN, o.path("min_speech_ms").asInt(250),
                o.path("min_silence_ms").asInt(100), o.path("speech_pad_ms").asInt(30), Double.POSITIVE_INFINITY);
        o.path("train").forEach(x -> train.add(x.asText()));
        o.path("test").forEach(x -> test.add(x.asText()));
        spec = o.path("spec").isNull() ? null : o.path("spec").asText(null);
        alternatives = o.path("alternatives").asInt(0);
        modelPath = o.path("model").isNull() ? null : o.path("model").asText(null);
        confThreshold = o.path("conf_threshold").asDouble(0);
        if (o.path("engine_args").isObject()) engineArgs = (ObjectNode) o.get("engine_args");
        if (o.has("calibration")) calibration = (ObjectNode) o.get("calibration");
        if (o.hasNonNull("export_dir")) exportDir = Path.of(o.get("export_dir").asText());
        o.path("cache").fields().forEachRemaining(e -> cache.put(e.getKey(), Transcript.fromJson(e.getValue())));
    }

    private void closeEngine() {
        if (engine != null) { engine.close(); engine = null; }
    }

    /** Closes the recogniser and the VAD session. */
    @Override public void close() {
        closeEngine();
        if (vadModel != null) { vadModel.close(); vadModel = null; }
    }

    boolean engineOpen() { return engine != null; }

    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() {
        String root = dataset == null || dataset.root() == null ? "speech" : dataset.root().getFileName().toString();
        return ("asr-" + (spec == null ? "model" : spec.replace("asr.", "")) + "-" + root).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    @Override public Map<String, String> registerTags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("category", "asr");
        if (spec != null) m.put("spec", spec);
        m.put("engine", spec == null ? "" : spec.replace("asr.", ""));
        return m;
    }

    @Override public Map<String, Object> artifacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (exportDir != null) {
            m.put("export", exportDir);
            m.put("pipeline", exportDir.resolve("pipeline.json"));
            m.put("model_reference", exportDir.resolve("model.json"));
            if (calibration != null) m.put("thresholds", exportDir.resolve("thresholds.json"));
        }
        return m;
    }
}
