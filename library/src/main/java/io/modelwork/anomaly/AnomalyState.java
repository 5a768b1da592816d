package io.modelwork.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;
import io.modelwork.vision.ImageDataset;
import io.modelwork.vision.ImageDataset.Item;
import io.modelwork.vision.Preprocessing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.*;

/**
 * Everything the anomaly steps read and write: the attached images, the frozen preprocessing, the split, the backbone
 * (with its SHA-256), the memory bank (rows in coreset selection order, so a smaller coreset ratio is a prefix), the
 * thresholds and the export folder. A checkpoint keeps all of it except the loaded ONNX session, which is reopened
 * (hash checked) on restore.
 */
public final class AnomalyState implements CategoryState, Exportable {
    // attach
    Path dataPath;
    String format = "auto";
    int sample;
    String fingerprint;
    List<Item> items = List.of();
    // prepare
    Preprocessing pre;
    boolean flips;
    // split
    List<Item> train = List.of(), validation = List.of(), test = List.of();
    // build
    Path backbonePath;
    String backboneSha;
    String input;
    String[] layers;
    int[] heights;
    int channels;
    double coresetRatio = 0.1;
    int k = 9;
    int batch = 16;
    OnnxModel backbone;
    // fit
    float[] bank;
    int trainPatches;
    ObjectNode fitStats = Json.object();
    // calibrate
    Double imageThreshold, pixelThreshold, targetFpr;
    // scored caches (cleared when the model changes)
    final Map<String, Scored> scored = new HashMap<>();
    // export
    Path exportDir;
    int threads = 1;

    /** Scores of one evaluated set: image scores, maps, masks (null for images without one). */
    record Scored(List<Item> items, float[] scores, float[][] maps, boolean[][] masks) { }

    int grid() { return heights[0]; }

    int bankRows() { return bank == null ? 0 : bank.length / channels; }

    Scorer scorer() { return new Scorer(bank, channels, k, grid(), pre.size(), threads); }

    void modelChanged() { scored.clear(); }

    void ensureFitted(String step) {
        if (bank == null) throw new ModelworkException("The model has not been fitted", step, "run fit first");
    }

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode s = Json.object();
        s.put("data_path", dataPath == null ? null : dataPath.toString());
        s.put("format", format);
        s.put("sample", sample);
        s.put("fingerprint", fingerprint);
        s.set("items", items(items));
        if (pre != null) s.set("preprocessing", pre.toJson());
        s.put("flips", flips);
        s.set("train", items(train));
        s.set("validation", items(validation));
        s.set("test", items(test));
        if (backbonePath != null) {
            s.put("backbone", backbonePath.toString()).put("backbone_sha256", backboneSha).put("input", input);
            ArrayNode l = s.putArray("layers");
            for (String x : layers) l.add(x);
            ArrayNode h = s.putArray("heights");
            for (int x : heights) h.add(x);
            s.put("channels", channels).put("coreset_ratio", coresetRatio).put("k", k).put("batch", batch);
        }
        if (bank != null) {
            s.put("bank_rows", bankRows()).put("train_patches", trainPatches);
            s.set("fit", fitStats);
            out.bytes("memory_bank.f32", floats(bank));
        }
        if (imageThreshold != null) s.put("image_threshold", imageThreshold).put("pixel_threshold", pixelThreshold).put("target_fpr", targetFpr);
        if (exportDir != null) s.put("export_dir", exportDir.toString());
        out.json("anomaly.json", s);
    }

    @Override public void restore(StateReader in) throws IOException {
        JsonNode s = in.json("anomaly.json");
        dataPath = s.path("data_path").isTextual() ? Path.of(s.get("data_path").asText()) : null;
        format = s.path("format").asText("auto");
        sample = s.path("sample").asInt(0);
        fingerprint = s.path("fingerprint").asText(null);
        items = items(s.path("items"));
        if (dataPath != null && fingerprint != null) {
            String now = ImageDataset.open(dataPath, format).sample(sample).fingerprint();
            if (!now.equals(fingerprint))
                throw new ModelworkException("The image dataset changed since the checkpoint (fingerprint " + now.substring(0, 12)
                        + "…, saved " + fingerprint.substring(0, 12) + "…)", dataPath.toString(),
                        "restore the images the checkpoint was made from, or start a new session and attach the data again");
        }
        if (s.has("preprocessing")) pre = Preprocessing.fromJson(s.get("preprocessing"));
        flips = s.path("flips").asBoolean(false);
        train = items(s.path("train"));
        validation = items(s.path("validation"));
        test = items(s.path("test"));
        if (s.has("backbone")) {
            backbonePath = Path.of(s.get("backbone").asText());
            backboneSha = s.path("backbone_sha256").asText(null);
            input = s.path("input").asText();
            layers = new String[s.path("layers").size()];
            for (int i = 0; i < layers.length; i++) layers[i] = s.get("layers").get(i).asText();
            heights = new int[s.path("heights").size()];
            for (int i = 0; i < heights.length; i++) heights[i] = s.get("heights").get(i).asInt();
            channels = s.path("channels").asInt();
            coresetRatio = s.path("coreset_ratio").asDouble();
            k = s.path("k").asInt(9);
            batch = s.path("batch").asInt(16);
            backbone = OnnxModel.load(backbonePath, backboneSha, "cpu", threads);
        }
        if (in.has("memory_bank.f32")) {
            bank = floats(in.bytes("memory_bank.f32"));
            trainPatches = s.path("train_patches").asInt();
            fitStats = s.has("fit") ? (ObjectNode) s.get("fit") : Json.object();
        }
        if (s.has("image_threshold")) {
            imageThreshold = s.get("image_threshold").asDouble();
            pixelThreshold = s.get("pixel_threshold").asDouble();
            targetFpr = s.get("target_fpr").asDouble();
        }
        if (s.has("export_dir")) exportDir = Path.of(s.get("export_dir").asText());
    }

    static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    static float[] floats(byte[] bytes) {
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private static ArrayNode items(List<Item> list) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Item it : list) {
            ObjectNode o = a.addObject().put("path", it.path().toString()).put("split", it.split()).put("label", it.label());
            if (it.mask() != null) o.put("mask", it.mask().toString());
        }
        return a;
    }

    private static List<Item> items(JsonNode a) {
        List<Item> out = new ArrayList<>();
        for (JsonNode o : a)
            out.add(new Item(Path.of(o.get("path").asText()), o.path("split").asText(""), o.path("label").asText(ImageDataset.NORMAL),
                    o.has("mask") ? Path.of(o.get("mask").asText()) : null));
        return out;
    }

    @Override public void close() {
        if (backbone != null) {
            backbone.close();
            backbone = null;
        }
    }

    // ---- Exportable
    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() {
        String n = dataPath == null ? "anomaly" : dataPath.getFileName().toString();
        return ("patchcore-" + n).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    @Override public Map<String, String> registerTags() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("spec", "anomaly.patchcore");
        t.put("engine", "onnxruntime");
        if (fingerprint != null) t.put("data_fingerprint", fingerprint);
        if (backboneSha != null) t.put("backbone_sha256", backboneSha);
        return t;
    }

    @Override public String registerHint() {
        return "serve patchcore.onnx with ONNX Runtime: input = preprocessed image (preprocessing.json), outputs score and anomaly_map; "
                + "flag images whose score > thresholds.json image_threshold";
    }

    @Override public Map<String, Object> artifacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (exportDir != null) {
            for (String f : List.of("patchcore.onnx", "backbone.onnx", "memory_bank.f32", "preprocessing.json", "thresholds.json", "model.json"))
                m.put(f, exportDir.resolve(f));
        }
        if (backbonePath != null) m.put("backbone_source", backbonePath);
        return m;
    }
}
