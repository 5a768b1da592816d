package io.modelwork.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;
import io.modelwork.tracking.detect.Detection;
import io.modelwork.tracking.detect.OnnxDetector;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.track.ByteTracker;
import io.modelwork.tracking.video.VideoInfo;
import io.modelwork.tracking.video.VideoSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the tracking steps read and write: the video (its info, ground truth, camera id), the frame range, the
 * time segments of the split, the detector (reloaded with its SHA-256 on restore), the ByteTrack parameters, the
 * cached detections of fit (kept in checkpoints so tune/evaluate never re-run the detector) and the export folder.
 */
public final class TrackingState implements CategoryState, Exportable {
    String source;
    VideoInfo info;
    Path gtPath;
    List<MotText.Box> gt = List.of();
    String cameraId;
    // prepare
    int start, maxFrames;
    // split: frame ranges [from, to) relative to the video
    int[] train = {0, 0}, validation = {0, 0}, test = {0, 0};
    // build
    String detectorName;
    String detectorSha;
    float conf = 0.1f, nms = 0.45f;
    int[] classes = {0};
    ByteTracker.Params params;
    OnnxDetector detector;
    // fit: detections of frames [start, start + dets.size())
    List<List<Detection>> dets;
    String stopReason;
    Path exportDir;
    Path videoFile; // evaluate's annotated video (its path is checkpointed; the file stays in the run that wrote it)
    int threads = 1;
    VideoSource open; // a decoder held by a step (closed by close())

    int end() { return start + (dets == null ? 0 : dets.size()); }

    void ensureFitted(String step) {
        if (dets == null) throw new ModelworkException("No cached detections", step, "run fit first (it runs the detector over the frames)");
    }

    /** Cached detections of frames [from, to) with score ≥ the current detector confidence. */
    List<List<Detection>> window(int[] range) { return window(range, conf); }

    /** Cached detections of frames [from, to) with score ≥ {@code minConf} (≥ the fitted confidence to be meaningful). */
    List<List<Detection>> window(int[] range, double minConf) {
        List<List<Detection>> out = new ArrayList<>();
        for (int f = range[0]; f < Math.min(range[1], end()); f++) {
            List<Detection> keep = new ArrayList<>();
            for (Detection d : dets.get(f - start)) if (d.score() >= minConf) keep.add(d);
            out.add(keep);
        }
        return out;
    }

    int frames(int[] range) { return Math.max(0, Math.min(range[1], end()) - range[0]); }

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode s = Json.object();
        s.put("source", source);
        if (gtPath != null) s.put("gt", gtPath.toString());
        s.put("camera_id", cameraId).put("start", start).put("max_frames", maxFrames);
        s.set("info", Json.MAPPER.valueToTree(info));
        put(s, "train", train); put(s, "validation", validation); put(s, "test", test);
        if (detectorName != null) {
            s.put("detector", detectorName).put("detector_sha256", detectorSha).put("conf", conf).put("nms", nms);
            put(s, "classes", classes);
            s.set("params", Json.MAPPER.valueToTree(params));
        }
        if (stopReason != null) s.put("stop_reason", stopReason);
        if (exportDir != null) s.put("export_dir", exportDir.toString());
        if (videoFile != null) s.put("annotated_video", videoFile.toString());
        out.json("tracking.json", s);
        if (dets != null) {
            ArrayNode a = Json.MAPPER.createArrayNode();
            for (List<Detection> f : dets) {
                ArrayNode fa = a.addArray();
                for (Detection d : f) fa.addArray().add(d.x1()).add(d.y1()).add(d.x2()).add(d.y2()).add(d.score()).add(d.cls());
            }
            out.json("detections.json", a);
        }
    }

    @Override public void restore(StateReader in) throws IOException {
        JsonNode s = in.json("tracking.json");
        source = s.get("source").asText();
        gtPath = s.has("gt") ? Path.of(s.get("gt").asText()) : null;
        gt = gtPath == null ? List.of() : MotText.read(gtPath, true);
        cameraId = s.path("camera_id").isNull() ? null : s.path("camera_id").asText(null);
        start = s.path("start").asInt();
        maxFrames = s.path("max_frames").asInt();
        info = Json.MAPPER.treeToValue(in.require(s, "info", "tracking.json"), VideoInfo.class);
        train = ints(s.get("train")); validation = ints(s.get("validation")); test = ints(s.get("test"));
        if (s.has("detector")) {
            detectorName = s.get("detector").asText();
            detectorSha = s.get("detector_sha256").asText();
            conf = (float) s.get("conf").asDouble();
            nms = (float) s.get("nms").asDouble();
            classes = ints(s.get("classes"));
            params = Json.MAPPER.treeToValue(s.get("params"), ByteTracker.Params.class);
            detector = OnnxDetector.load(detectorName, threads);
            if (!detector.sha256().equals(detectorSha))
                throw new ModelworkException("The detector file changed since the checkpoint (SHA-256 " + detector.sha256() + ", was " + detectorSha + ")",
                        detectorName, "restore the original file or build and fit again");
        }
        stopReason = s.path("stop_reason").asText(null);
        if (s.has("export_dir")) exportDir = Path.of(s.get("export_dir").asText());
        if (s.has("annotated_video") && java.nio.file.Files.isRegularFile(Path.of(s.get("annotated_video").asText())))
            videoFile = Path.of(s.get("annotated_video").asText());
        if (in.has("detections.json")) {
            dets = new ArrayList<>();
            for (JsonNode f : in.json("detections.json")) {
                List<Detection> l = new ArrayList<>();
                for (JsonNode d : f)
                    l.add(new Detection((float) d.get(0).asDouble(), (float) d.get(1).asDouble(), (float) d.get(2).asDouble(),
                            (float) d.get(3).asDouble(), (float) d.get(4).asDouble(), d.get(5).asInt()));
                dets.add(l);
            }
        }
    }

    private static void put(ObjectNode s, String k, int[] v) {
        ArrayNode a = s.putArray(k);
        for (int x : v) a.add(x);
    }

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
        return v;
    }

    @Override public void close() {
        if (detector != null) { detector.close(); detector = null; }
        if (open != null) { open.close(); open = null; }
    }

    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() {
        String n = source == null ? "video" : Path.of(source).getFileName().toString().replaceAll("\\.[A-Za-z0-9]+$", "");
        return ("bytetrack-" + n).replaceAll("[^A-Za-z0-9._-]", "-");
    }

    @Override public Map<String, String> registerTags() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("spec", "tracking.bytetrack");
        t.put("engine", "onnxruntime");
        if (detectorName != null) t.put("detector", detectorName);
        if (detectorSha != null) t.put("detector_sha256", detectorSha);
        return t;
    }

    @Override public String registerHint() {
        return "run detector.onnx per frame (pipeline.json: preprocessing, conf, nms, classes) and ByteTrack with pipeline.json's tracker parameters";
    }

    @Override public Map<String, Object> artifacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (videoFile != null) m.put("annotated_video", videoFile);
        if (exportDir != null) for (String f : List.of("pipeline.json", "detector.onnx", "tracks.txt")) m.put(f, exportDir.resolve(f));
        return m;
    }
}
