package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.audio.SileroVad;
import io.modelwork.core.Json;
import io.modelwork.speaker.diarization.Backend;
import io.modelwork.speaker.diarization.Diarizer;
import io.modelwork.speaker.diarization.XVectors;
import io.modelwork.speaker.metrics.Rttm;
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
 * The speaker category's state: the dataset, its profile, the split, the pipeline configuration, the fitted back end
 * (mean, whitening, LDA) and clustering threshold, the calibrated collar, the export folder, and the cache of VAD
 * regions and window x-vectors per recording (keyed by the VAD/window settings; saved with a checkpoint, so a resumed
 * session scores without recomputing them). The native models are loaded on first use.
 */
public final class SpeakerState implements CategoryState, Exportable {
    SpeakerDataset dataset;
    ArrayNode profiles = Json.MAPPER.createArrayNode();
    Map<String, Double> durations = new LinkedHashMap<>();
    Map<String, String> excluded = new LinkedHashMap<>();
    List<String> train = new ArrayList<>(), test = new ArrayList<>(), validation = new ArrayList<>();
    String spec;
    Diarizer.Config config = Diarizer.Config.defaults();
    Backend backend = Backend.identity();
    boolean fitted;
    ObjectNode calibration;
    Path exportDir;
    /** embedKey → uri → embeddings */
    final Map<String, Map<String, Diarizer.Embedded>> cache = new LinkedHashMap<>();
    /** speaker.verification: the labelled utterances (null for diarization; then train/test hold speaker names) */
    SpeakerUtterances utterances;
    /** utterance id → whole-utterance x-vector (null entry: Vosk found too little speech) */
    final Map<String, double[]> utteranceX = new LinkedHashMap<>();
    private XVectors xv;
    private SileroVad vad;

    Diarizer.Embedded embedded(String uri, Diarizer.Config c) {
        Map<String, Diarizer.Embedded> m = cache.computeIfAbsent(c.embedKey(), k -> new LinkedHashMap<>());
        Diarizer.Embedded e = m.get(uri);
        if (e != null) return e;
        if (xv == null) xv = XVectors.load();
        if (vad == null) vad = SileroVad.load();
        e = Diarizer.embed(uri, AudioDecoder.decode(dataset.audio().get(uri)).samples(), vad, xv, c);
        m.put(uri, e);
        return e;
    }

    /** Forgets the data and everything learnt from it (a new attach_dataset). */
    void reset() {
        dataset = null;
        utterances = null;
        cache.clear();
        utteranceX.clear();
        excluded.clear();
        durations.clear();
        profiles.removeAll();
        train.clear();
        test.clear();
        validation.clear();
        calibration = null;
        backend = Backend.identity();
        fitted = false;
    }

    boolean verification() { return utterances != null; }

    /** The x-vector of one whole utterance (cached), or null when Vosk found too little speech in it. */
    double[] utteranceVector(String id) {
        if (utteranceX.containsKey(id)) return utteranceX.get(id);
        if (xv == null) xv = XVectors.load();
        float[] a = AudioDecoder.decode(utterances.audio().get(id)).samples();
        xv.newRecording();
        double[] x = xv.embed(a, 0, a.length, null);
        utteranceX.put(id, x);
        return x;
    }

    /** Hypothesis turns of {@code uris} with {@code c} and {@code b}. */
    Map<String, List<Rttm.Turn>> diarize(List<String> uris, Diarizer.Config c, Backend b, io.modelwork.spi.StepContext ctx, String step) {
        Map<String, List<Rttm.Turn>> out = new LinkedHashMap<>();
        int i = 0;
        for (String u : uris) {
            if (ctx != null) ctx.progress().update(step, ++i, uris.size(), u);
            out.put(u, Diarizer.label(embedded(u, c), b, c));
        }
        return out;
    }

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode o = Json.object();
        if (dataset != null) o.set("dataset", dataset.toJson());
        if (utterances != null) o.set("utterances", utterances.toJson());
        o.set("profiles", profiles);
        ObjectNode d = o.putObject("durations");
        durations.forEach(d::put);
        ObjectNode ex = o.putObject("excluded");
        excluded.forEach(ex::put);
        train.forEach(o.putArray("train")::add);
        test.forEach(o.putArray("test")::add);
        validation.forEach(o.putArray("validation")::add);
        o.put("spec", spec).put("fitted", fitted).set("config", config.toJson());
        o.set("backend", backend.toJson());
        if (calibration != null) o.set("calibration", calibration);
        if (exportDir != null) o.put("export_dir", exportDir.toString());
        out.json("speaker_state.json", o);
        ObjectNode c = Json.object();
        cache.forEach((k, m) -> { ObjectNode x = c.putObject(k); m.forEach((u, e) -> x.set(u, e.toJson())); });
        if (utterances != null) {
            ObjectNode u = c.putObject("utterances");
            utteranceX.forEach((id, x) -> { if (x == null) u.putNull(id); else { ArrayNode v = u.putArray(id); for (double y : x) v.add(y); } });
        }
        out.json("embeddings.json", c);
    }

    @Override public void restore(StateReader in) throws IOException {
        JsonNode o = in.json("speaker_state.json");
        if (o.has("dataset")) dataset = SpeakerDataset.fromJson(o.get("dataset"));
        if (o.has("utterances")) utterances = SpeakerUtterances.fromJson(o.get("utterances"));
        profiles = o.path("profiles").isArray() ? (ArrayNode) o.get("profiles") : Json.MAPPER.createArrayNode();
        o.path("durations").fields().forEachRemaining(e -> durations.put(e.getKey(), e.getValue().asDouble()));
        o.path("excluded").fields().forEachRemaining(e -> excluded.put(e.getKey(), e.getValue().asText()));
        o.path("train").forEach(x -> train.add(x.asText()));
        o.path("test").forEach(x -> test.add(x.asText()));
        o.path("validation").forEach(x -> validation.add(x.asText()));
        spec = o.path("spec").isNull() ? null : o.path("spec").asText(null);
        fitted = o.path("fitted").asBoolean(false);
        config = Diarizer.Config.fromJson(o.path("config"));
        backend = Backend.fromJson(o.get("backend"));
        if (o.has("calibration")) calibration = (ObjectNode) o.get("calibration");
        if (o.hasNonNull("export_dir")) exportDir = Path.of(o.get("export_dir").asText());
        if (in.has("embeddings.json"))
            in.json("embeddings.json").fields().forEachRemaining(k -> {
                if (k.getKey().equals("utterances")) {
                    k.getValue().fields().forEachRemaining(u -> {
                        double[] x = null;
                        if (u.getValue().isArray()) { x = new double[u.getValue().size()]; for (int i = 0; i < x.length; i++) x[i] = u.getValue().get(i).asDouble(); }
                        utteranceX.put(u.getKey(), x);
                    });
                    return;
                }
                Map<String, Diarizer.Embedded> m = new LinkedHashMap<>();
                k.getValue().fields().forEachRemaining(u -> m.put(u.getKey(), Diarizer.Embedded.fromJson(u.getValue())));
                cache.put(k.getKey(), m);
            });
    }

    @Override public void close() {
        if (xv != null) { xv.close(); xv = null; }
        if (vad != null) { vad.close(); vad = null; }
    }

    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() {
        String root = dataset != null ? dataset.root().getFileName().toString() : utterances != null ? utterances.root().getFileName().toString() : "speech";
        return ((verification() ? "speaker-verification-" : "speaker-diarization-") + root).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    @Override public Map<String, String> registerTags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("category", "speaker");
        if (spec != null) m.put("spec", spec);
        if (!verification()) m.put("method", config.method());
        return m;
    }

    @Override public Map<String, Object> artifacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (exportDir != null) {
            m.put("export", exportDir);
            m.put("pipeline", exportDir.resolve("pipeline.json"));
            m.put("backend", exportDir.resolve("backend.json"));
            if (exportDir.resolve("metrics.json").toFile().isFile()) m.put("metrics", exportDir.resolve("metrics.json"));
            if (calibration != null) m.put("thresholds", exportDir.resolve("thresholds.json"));
        }
        return m;
    }
}
