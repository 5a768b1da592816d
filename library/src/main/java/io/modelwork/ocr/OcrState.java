package io.modelwork.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.CtcDecoder;
import io.modelwork.ocr.ppocr.OcrConfig;
import io.modelwork.ocr.ppocr.OcrResult;
import io.modelwork.ocr.ppocr.PpOcr;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.*;

/**
 * The OCR category's state: dataset, excluded images, preparation (denoise), split (by document), spec, model paths,
 * pipeline settings, calibrated confidence threshold and export folder. fit's caches (detection maps, recognitions
 * keyed by image and box) are not checkpointed: the frozen pipeline recomputes them identically after resume.
 */
final class OcrState implements CategoryState, Exportable {
    OcrDataset dataset;
    ObjectNode profile = Json.object();
    Map<String, String> excluded = new LinkedHashMap<>();
    boolean denoise, deskew;
    /** prepare_data deskew=true: each page's orientation, decided at its first read with the built pipeline. */
    final Map<String, io.modelwork.ocr.ppocr.PageOrientation> orientations = new java.util.LinkedHashMap<>();
    List<String> train = new ArrayList<>(), validation = new ArrayList<>(), test = new ArrayList<>();
    String spec;
    String det, cls, rec, dict;
    /** build lang=: the pinned model set (ch or en) that fills what det/cls/rec/dict leave null. */
    String lang = "ch";
    OcrConfig config = OcrConfig.defaults();
    ObjectNode thresholds;
    Path exportDir;
    int threads = 2;
    String device = "cpu";

    final Map<String, PpOcr.DetMap> detCache = new HashMap<>();
    final Map<String, CtcDecoder.Decoded> recCache = new HashMap<>();
    private PpOcr pipeline;

    boolean lineMode() { return "ocr.ppocr.rec".equals(spec); }

    PpOcr pipeline() {
        if (pipeline == null) {
            pipeline = PpOcr.load(PpOcr.Models.of(lang, det, cls, rec, dict), config, threads, device);
            detCache.clear();
            recCache.clear();
        }
        pipeline.config(config);
        return pipeline;
    }

    void resetPipeline() {
        if (pipeline != null) { pipeline.close(); pipeline = null; }
        detCache.clear();
        recCache.clear();
    }

    BgrImage image(OcrDataset.Item it) {
        BgrImage img = BgrImage.read(it.image());
        if (denoise) img = OcrData.median3(img);
        if (!deskew) return img;
        BgrImage page = img;
        var o = orientations.computeIfAbsent(it.id(), id -> io.modelwork.ocr.ppocr.PageOrientation.of(pipeline(), page));
        return o.changes() ? o.apply(img) : img;
    }

    /** The pipeline's reading of one image, with cached detection maps and recognitions (settings part of the keys). */
    OcrResult read(OcrDataset.Item it) {
        PpOcr p = pipeline();
        BgrImage img = image(it);
        if (lineMode()) {
            OcrResult.Line l = p.readLine(img);
            return new OcrResult(List.of(l));
        }
        String mapKey = it.id() + "@" + config.limitSide();
        PpOcr.DetMap m = detCache.get(mapKey);
        if (m == null) { m = p.detect(img); detCache.put(mapKey, m); }
        List<double[]> boxes = p.boxes(m);
        List<double[]> todo = new ArrayList<>();
        for (double[] b : boxes) if (!recCache.containsKey(key(it, b))) todo.add(b);
        if (!todo.isEmpty()) {
            List<BgrImage> crops = new ArrayList<>();
            for (double[] b : todo) crops.add(img.crop(b));
            List<CtcDecoder.Decoded> dec = p.recognise(p.classify(crops));
            for (int i = 0; i < todo.size(); i++) recCache.put(key(it, todo.get(i)), dec.get(i));
        }
        List<OcrResult.Line> lines = new ArrayList<>();
        for (double[] b : boxes) {
            CtcDecoder.Decoded d = recCache.get(key(it, b));
            if (d.score() >= config.dropScore()) lines.add(new OcrResult.Line(b, d.text(), d.score(), d.charScores()));
        }
        return new OcrResult(lines);
    }

    private String key(OcrDataset.Item it, double[] b) {
        return it.id() + "|" + config.useCls() + "|" + config.clsThresh() + "|" + Arrays.toString(b);
    }

    List<OcrDataset.Item> items(List<String> ids) {
        List<OcrDataset.Item> out = new ArrayList<>();
        for (String id : ids) out.add(dataset.byId(id));
        return out;
    }

    ObjectNode modelsJson() {
        ObjectNode o = Json.object();
        o.put("det", det).put("cls", cls).put("rec", rec).put("dict", dict);
        return o;
    }

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode o = Json.object();
        if (dataset != null) o.set("dataset", dataset.toJson());
        o.set("profile", profile);
        ObjectNode ex = o.putObject("excluded");
        excluded.forEach(ex::put);
        o.put("denoise", denoise);
        o.put("deskew", deskew);
        train.forEach(o.putArray("train")::add);
        validation.forEach(o.putArray("validation")::add);
        test.forEach(o.putArray("test")::add);
        o.put("spec", spec).put("lang", lang).set("models", modelsJson());
        o.set("config", config.toJson());
        if (thresholds != null) o.set("thresholds", thresholds);
        if (exportDir != null) o.put("export_dir", exportDir.toString());
        out.json("ocr_state.json", o);
    }

    @Override public void restore(StateReader in) throws IOException {
        JsonNode o = in.json("ocr_state.json");
        if (o.has("dataset")) dataset = OcrDataset.fromJson(o.get("dataset"));
        if (o.path("profile").isObject()) profile = (ObjectNode) o.get("profile");
        o.path("excluded").fields().forEachRemaining(e -> excluded.put(e.getKey(), e.getValue().asText()));
        denoise = o.path("denoise").asBoolean(false);
        deskew = o.path("deskew").asBoolean(false);
        o.path("train").forEach(x -> train.add(x.asText()));
        o.path("validation").forEach(x -> validation.add(x.asText()));
        o.path("test").forEach(x -> test.add(x.asText()));
        spec = o.hasNonNull("spec") ? o.get("spec").asText() : null;
        lang = o.path("lang").asText("ch");
        JsonNode m = o.path("models");
        det = text(m, "det"); cls = text(m, "cls"); rec = text(m, "rec"); dict = text(m, "dict");
        if (o.has("config")) config = OcrConfig.fromJson(o.get("config"));
        if (o.has("thresholds")) thresholds = (ObjectNode) o.get("thresholds");
        if (o.hasNonNull("export_dir")) exportDir = Path.of(o.get("export_dir").asText());
    }

    private static String text(JsonNode m, String k) { return m.hasNonNull(k) ? m.get(k).asText() : null; }

    @Override public void close() { resetPipeline(); }

    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() {
        String root = dataset == null ? "pages" : dataset.root.getFileName().toString();
        return ("ocr-" + (spec == null ? "ppocr" : spec.replace("ocr.", "").replace('.', '-')) + "-" + root).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    @Override public Map<String, String> registerTags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("category", "ocr");
        if (spec != null) m.put("spec", spec);
        m.put("engine", "onnxruntime");
        m.put("models", "PP-OCRv4 (" + PpOcr.PACKAGE + "@" + PpOcr.VERSION + ")");
        return m;
    }

    @Override public String registerHint() { return "load the bundle with io.modelwork.ocr.OcrBundle.load(dir)"; }

    @Override public Map<String, Object> artifacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (exportDir != null) {
            m.put("export", exportDir);
            m.put("pipeline", exportDir.resolve("pipeline.json"));
            if (thresholds != null) m.put("thresholds", exportDir.resolve("thresholds.json"));
        }
        return m;
    }
}
