package io.modelwork.face;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.*;

/**
 * Everything the face steps read and write: the identity folders, the pipeline options, the split by identity, the
 * detector and embedding (reopened, hash checked, on restore) and the enrolled index — one embedding per gallery image
 * plus a template per identity — which is the trained state. Embeddings of evaluation images are cached per file
 * while the pipeline is unchanged.
 */
public final class FaceState implements CategoryState, Exportable {
    // attach
    Path root;
    /** attach photos=: images whose faces evaluate names (null: none). */
    Path photos;
    String fingerprint;
    final Map<String, List<Path>> people = new TreeMap<>();
    List<String[]> pairs = List.of();   // {pathA, pathB, same}
    // prepare
    float minScore = 0.7f;
    boolean align = true, flip = true, cropFallback = true;
    int minFace = 20, maxSide = 1920;
    // split
    List<String> validationIds = List.of(), testIds = List.of(), trainIds = List.of();
    int gallery = 5;
    // build
    String detectorName = "yunet", embeddingName = "fr512", embeddingArg = "fr512";
    String detectorSha, embeddingSha;
    int dim;
    FacePipeline pipeline;
    // fit: the index
    List<String> indexIds = new ArrayList<>();
    List<String> indexPaths = new ArrayList<>();
    float[][] indexEmb = new float[0][];
    Map<String, float[]> templates = new TreeMap<>();
    // calibrate
    Double threshold, targetFar;
    // export
    Path exportDir;
    int threads = 1;
    /** Embedding per image path (null = no face found), valid while the pipeline is unchanged. */
    final Map<Path, float[]> cache = new HashMap<>();
    final Map<Path, FacePipeline.Source> sources = new HashMap<>();
    /** Images whose main face is smaller than the tiny-face size (named in fit and evaluate reports). */
    final Set<Path> tiny = new TreeSet<>();

    void ensureBuilt(String step) {
        if (pipeline == null) throw new ModelworkException("No face pipeline has been built", step, "run build first");
    }

    void ensureFitted(String step) {
        if (templates.isEmpty()) throw new ModelworkException("Nothing has been enrolled", step, "run fit first (it enrols the gallery)");
        if (pipeline != null && indexDim() != dim)
            throw new ModelworkException("The embedding model gives " + dim + "-d vectors but the index holds " + indexDim() + "-d templates",
                    step, "run fit again to enrol with " + embeddingName + ", or build the embedding the index was made with");
    }

    /** Dimension of the enrolled templates (0 when none). */
    int indexDim() { return templates.isEmpty() ? 0 : templates.values().iterator().next().length; }

    /** The images of an identity split by {@link #gallery}: {gallery, probes}. */
    List<List<Path>> galleryProbes(String id) {
        List<Path> all = people.get(id);
        int g = Math.min(gallery, all.size());
        return List.of(all.subList(0, g), all.subList(g, all.size()));
    }

    /** The tiny-face warning for {@code files} (empty when none). */
    String tinyNote(List<Path> files) {
        List<String> t = new ArrayList<>();
        for (Path f : files) if (tiny.contains(f)) t.add(root == null ? f.toString() : root.relativize(f).toString());
        return t.isEmpty() ? "" : "tiny faces (< " + minFace + " px, embeddings unreliable): " + t;
    }

    /** Embeddings of {@code files} (null where no face was found), computed once per file. */
    float[][] embed(List<Path> files) {
        ensureBuilt("embed");
        List<Path> todo = new ArrayList<>();
        for (Path f : files) if (!cache.containsKey(f)) todo.add(f);
        List<FacePipeline.Result> res = new ArrayList<>();
        List<Path> ok = new ArrayList<>();
        for (Path f : todo) {
            FacePipeline.Result r = pipeline.main(FacePipeline.read(f));
            sources.put(f, r == null ? null : r.source());
            if (r != null && r.face() != null && r.face().size() < pipeline.minFace) tiny.add(f);
            if (r == null) cache.put(f, null);
            else { res.add(r); ok.add(f); }
        }
        float[][] e = pipeline.embed(res);
        for (int i = 0; i < ok.size(); i++) cache.put(ok.get(i), e[i]);
        float[][] out = new float[files.size()][];
        for (int i = 0; i < out.length; i++) out[i] = cache.get(files.get(i));
        return out;
    }

    void pipelineChanged() {
        tiny.clear();
        cache.clear();
        sources.clear();
    }

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode s = Json.object();
        s.put("root", root == null ? null : root.toString()).put("fingerprint", fingerprint);
        s.put("photos", photos == null ? null : photos.toString());
        ObjectNode p = s.putObject("people");
        people.forEach((id, files) -> { ArrayNode a = p.putArray(id); files.forEach(f -> a.add(f.toString())); });
        ArrayNode pr = s.putArray("pairs");
        for (String[] x : pairs) pr.addArray().add(x[0]).add(x[1]).add(x[2]);
        s.put("min_score", minScore).put("align", align).put("flip", flip).put("crop_fallback", cropFallback)
                .put("min_face", minFace).put("max_side", maxSide).put("gallery", gallery);
        s.set("validation_ids", strings(validationIds));
        s.set("test_ids", strings(testIds));
        s.set("train_ids", strings(trainIds));
        if (pipeline != null) s.put("detector", detectorName).put("embedding", embeddingName).put("embedding_arg", embeddingArg).put("detector_sha256", detectorSha)
                .put("embedding_sha256", embeddingSha).put("dim", dim);
        s.set("index_ids", strings(indexIds));
        s.set("index_paths", strings(indexPaths));
        if (threshold != null) s.put("threshold", threshold).put("target_far", targetFar);
        if (exportDir != null) s.put("export_dir", exportDir.toString());
        out.json("face.json", s);
        if (indexEmb.length > 0) out.bytes("index.f32", floats(indexEmb));
    }

    @Override public void restore(StateReader in) throws IOException {
        JsonNode s = in.json("face.json");
        root = s.path("root").isTextual() ? Path.of(s.get("root").asText()) : null;
        photos = s.path("photos").isTextual() ? Path.of(s.get("photos").asText()) : null;
        fingerprint = s.path("fingerprint").asText(null);
        people.clear();
        s.path("people").fields().forEachRemaining(e -> {
            List<Path> l = new ArrayList<>();
            e.getValue().forEach(f -> l.add(Path.of(f.asText())));
            people.put(e.getKey(), l);
        });
        List<String[]> pl = new ArrayList<>();
        s.path("pairs").forEach(x -> pl.add(new String[]{x.get(0).asText(), x.get(1).asText(), x.get(2).asText()}));
        pairs = pl;
        minScore = (float) s.path("min_score").asDouble(0.7);
        align = s.path("align").asBoolean(true);
        flip = s.path("flip").asBoolean(true);
        cropFallback = s.path("crop_fallback").asBoolean(true);
        minFace = s.path("min_face").asInt(20);
        maxSide = s.path("max_side").asInt(1920);
        gallery = s.path("gallery").asInt(5);
        validationIds = strings(s.path("validation_ids"));
        testIds = strings(s.path("test_ids"));
        trainIds = strings(s.path("train_ids"));
        if (s.has("detector")) {
            detectorName = s.get("detector").asText();
            embeddingArg = s.path("embedding_arg").asText(s.get("embedding").asText());
            FaceModel.open(this, detectorName, embeddingArg);
            if (!Objects.equals(embeddingSha, s.path("embedding_sha256").asText(null)))
                throw new ModelworkException("The embedding model changed since the checkpoint (SHA-256 " + embeddingSha + ", saved "
                        + s.path("embedding_sha256").asText() + ")", embeddingName, "restore the model file the index was built with, or build and fit again");
        }
        indexIds = new ArrayList<>(strings(s.path("index_ids")));
        indexPaths = new ArrayList<>(strings(s.path("index_paths")));
        if (in.has("index.f32")) {
            indexEmb = floats(in.bytes("index.f32"), indexIds.size());
            templates = FaceMetrics.templates(indexEmb, indexIds);
        }
        if (s.has("threshold")) { threshold = s.get("threshold").asDouble(); targetFar = s.get("target_far").asDouble(); }
        if (s.has("export_dir")) exportDir = Path.of(s.get("export_dir").asText());
    }

    static ArrayNode strings(List<String> l) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        l.forEach(a::add);
        return a;
    }

    static List<String> strings(JsonNode a) {
        List<String> l = new ArrayList<>();
        a.forEach(x -> l.add(x.asText()));
        return l;
    }

    static byte[] floats(float[][] rows) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        ByteBuffer b = ByteBuffer.allocate(rows.length * d * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) for (float v : r) b.putFloat(v);
        return b.array();
    }

    static float[][] floats(byte[] bytes, int n) {
        if (n == 0) return new float[0][];
        int d = bytes.length / 4 / n;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[n][d];
        for (float[] r : out) for (int j = 0; j < d; j++) r[j] = b.getFloat();
        return out;
    }

    @Override public void close() {
        if (pipeline != null) {
            pipeline.close();
            pipeline = null;
        }
    }

    // ---- Exportable
    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() {
        String n = root == null ? "faces" : root.getFileName().toString();
        return ("face-" + embeddingName + "-" + n).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    @Override public Map<String, String> registerTags() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("spec", "face.arcface");
        t.put("engine", "onnxruntime");
        t.put("embedding", embeddingName);
        t.put("detector", detectorName);
        t.put("biometric_data", "true");
        if (fingerprint != null) t.put("data_fingerprint", fingerprint);
        return t;
    }

    @Override public String registerHint() {
        return "the bundle holds face templates (biometric data): detect + align + embed a probe as pipeline.json says, "
                + "cosine against templates, match when score ≥ thresholds.json threshold";
    }

    @Override public Map<String, Object> artifacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (exportDir != null) {
            m.put("bundle", exportDir.toString());
            m.put("emb_index", exportDir.resolve(FaceExport.INDEX_FILE).toString());
            m.put("thresholds", exportDir.resolve("thresholds.json").toString());
            m.put("pipeline", exportDir.resolve("pipeline.json").toString());
        }
        m.put("identities_enrolled", templates.size());
        m.put("embedding", embeddingName + " (" + dim + "-d)");
        return m;
    }
}
