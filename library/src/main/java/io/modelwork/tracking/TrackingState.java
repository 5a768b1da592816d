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

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the tracking steps read and write: the videos (info, ground truth, camera id, how prepare_data reads
 * them), the segments of the split (whole videos, or time segments of one video), the detector (reloaded with its
 * SHA-256 on restore), the ByteTrack parameters, the cached detections of fit (kept in checkpoints so tune/evaluate
 * never re-run the detector) and the export folder.
 */
public final class TrackingState implements CategoryState, Exportable {
    /** Prepared frames {@code [from, to)} of video {@code video} (an index into {@link #videos}). */
    record Segment(int video, int from, int to) {
        int length() { return to - from; }
    }

    List<TrackingVideo> videos = new ArrayList<>();
    // split
    List<Segment> train = List.of(), validation = List.of(), test = List.of();
    // build
    String detectorName;
    String detectorSha;
    float conf = 0.1f, nms = 0.45f;
    int[] classes = {0};
    ByteTracker.Params params;
    OnnxDetector detector;
    Path exportDir;
    Path videoFile; // evaluate's annotated video (its path is checkpointed; the file stays in the run that wrote it)
    int threads = 1;

    TrackingVideo video(Segment g) { return videos.get(g.video()); }

    TrackingVideo first() { return videos.get(0); }

    boolean hasGt() { return videos.stream().anyMatch(v -> !v.gt.isEmpty()); }

    void ensureFitted(String step) {
        if (videos.isEmpty() || videos.stream().anyMatch(v -> v.dets == null))
            throw new ModelworkException("No cached detections", step, "run fit first (it runs the detector over the frames)");
    }

    /** The tracker parameters at a video's prepared frame rate (the lost buffer scales with it). */
    ByteTracker.Params paramsFor(Segment g, ByteTracker.Params p) {
        double fps = video(g).fps();
        return p.fps() == fps ? p : new ByteTracker.Params(p.trackThresh(), p.lowThresh(), p.matchThresh(), p.buffer(), fps, p.newTrackMargin());
    }

    /** Cached detections of a segment with score ≥ the current detector confidence. */
    List<List<Detection>> window(Segment g) { return window(g, conf); }

    /** Cached detections of a segment with score ≥ {@code minConf} (≥ the fitted confidence to be meaningful). */
    List<List<Detection>> window(Segment g, double minConf) {
        TrackingVideo v = video(g);
        List<List<Detection>> out = new ArrayList<>();
        for (int f = g.from(); f < Math.min(g.to(), v.decoded()); f++) {
            List<Detection> keep = new ArrayList<>();
            for (Detection d : v.dets.get(f)) if (d.score() >= minConf) keep.add(d);
            out.add(keep);
        }
        return out;
    }

    /** Frames of a segment that fit decoded. */
    int frames(Segment g) { return Math.max(0, Math.min(g.to(), video(g).decoded()) - g.from()); }

    int frames(List<Segment> gs) { return gs.stream().mapToInt(this::frames).sum(); }

    /** The segments evaluate and export report: test, else validation. */
    List<Segment> main() { return frames(test) > 0 ? test : validation; }

    String describe(Segment g) {
        String r = "frames " + (g.from() + 1) + "–" + g.to() + " (" + g.length() + ")";
        return videos.size() == 1 ? r : video(g).name() + " " + r;
    }

    String describe(List<Segment> gs) {
        if (gs.isEmpty()) return "none";
        return String.join(", ", gs.stream().map(this::describe).toList());
    }

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode s = Json.object();
        ArrayNode vs = s.putArray("videos");
        for (TrackingVideo v : videos) {
            ObjectNode o = vs.addObject();
            o.put("source", v.source);
            if (v.gtPath != null) o.put("gt", v.gtPath.toString());
            o.put("camera_id", v.cameraId).put("start", v.start).put("frames", v.frames).put("step", v.step)
                    .put("resize_w", v.resizeW).put("resize_h", v.resizeH);
            if (v.roi != null) put(o, "roi", v.roi);
            o.set("info", Json.MAPPER.valueToTree(v.info));
            if (v.stopReason != null) o.put("stop_reason", v.stopReason);
        }
        s.set("train", segments(train)); s.set("validation", segments(validation)); s.set("test", segments(test));
        if (detectorName != null) {
            s.put("detector", detectorName).put("detector_sha256", detectorSha).put("conf", conf).put("nms", nms);
            put(s, "classes", classes);
            s.set("params", Json.MAPPER.valueToTree(params));
        }
        if (exportDir != null) s.put("export_dir", exportDir.toString());
        if (videoFile != null) s.put("annotated_video", videoFile.toString());
        out.json("tracking.json", s);
        if (videos.stream().anyMatch(v -> v.dets != null)) {
            ArrayNode all = Json.MAPPER.createArrayNode();
            for (TrackingVideo v : videos) {
                ArrayNode a = all.addArray();
                if (v.dets == null) continue;
                for (List<Detection> f : v.dets) {
                    ArrayNode fa = a.addArray();
                    for (Detection d : f) fa.addArray().add(d.x1()).add(d.y1()).add(d.x2()).add(d.y2()).add(d.score()).add(d.cls());
                }
            }
            out.json("detections.json", all);
        }
    }

    @Override public void restore(StateReader in) throws IOException {
        JsonNode s = in.json("tracking.json");
        videos = new ArrayList<>();
        for (JsonNode o : in.require(s, "videos", "tracking.json")) {
            TrackingVideo v = new TrackingVideo();
            v.source = o.get("source").asText();
            v.gtPath = o.has("gt") ? Path.of(o.get("gt").asText()) : null;
            v.gt = v.gtPath == null ? List.of() : MotText.read(v.gtPath, true);
            v.cameraId = o.path("camera_id").isNull() ? null : o.path("camera_id").asText(null);
            v.start = o.path("start").asInt();
            v.frames = o.path("frames").asInt();
            v.step = Math.max(1, o.path("step").asInt(1));
            v.resizeW = o.path("resize_w").asInt();
            v.resizeH = o.path("resize_h").asInt();
            v.roi = o.has("roi") ? ints(o.get("roi")) : null;
            v.info = Json.MAPPER.treeToValue(in.require(o, "info", "tracking.json"), VideoInfo.class);
            v.stopReason = o.path("stop_reason").asText(null);
            videos.add(v);
        }
        train = segments(s.get("train")); validation = segments(s.get("validation")); test = segments(s.get("test"));
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
        if (s.has("export_dir")) exportDir = Path.of(s.get("export_dir").asText());
        if (s.has("annotated_video") && java.nio.file.Files.isRegularFile(Path.of(s.get("annotated_video").asText())))
            videoFile = Path.of(s.get("annotated_video").asText());
        if (in.has("detections.json")) {
            JsonNode all = in.json("detections.json");
            for (int k = 0; k < videos.size() && k < all.size(); k++) {
                List<List<Detection>> dets = new ArrayList<>();
                for (JsonNode f : all.get(k)) {
                    List<Detection> l = new ArrayList<>();
                    for (JsonNode d : f)
                        l.add(new Detection((float) d.get(0).asDouble(), (float) d.get(1).asDouble(), (float) d.get(2).asDouble(),
                                (float) d.get(3).asDouble(), (float) d.get(4).asDouble(), d.get(5).asInt()));
                    dets.add(l);
                }
                videos.get(k).dets = dets;
            }
        }
    }

    private static ArrayNode segments(List<Segment> gs) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Segment g : gs) a.addArray().add(g.video()).add(g.from()).add(g.to());
        return a;
    }

    private static List<Segment> segments(JsonNode a) {
        List<Segment> out = new ArrayList<>();
        if (a != null) for (JsonNode g : a) out.add(new Segment(g.get(0).asInt(), g.get(1).asInt(), g.get(2).asInt()));
        return out;
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

    /** Closes the detector and every decoder a step holds (a live stream's, opened by attach). */
    @Override public void close() {
        if (detector != null) { detector.close(); detector = null; }
        for (TrackingVideo v : videos) v.close();
    }

    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() {
        String n = videos.isEmpty() ? "video" : first().name();
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
