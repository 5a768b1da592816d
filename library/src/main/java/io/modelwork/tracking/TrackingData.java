package io.modelwork.tracking;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.tracking.detect.OnnxDetector;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.track.ByteTracker;
import io.modelwork.tracking.video.VideoSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** attach_dataset, prepare_data, split, build and fit of the tracking category. */
final class TrackingData {
    private TrackingData() { }

    static final String VIDEO_EXT = "(?i).*\\.(avi|mp4|mkv|mov|webm|m4v|mpg|mpeg|ts|flv|wmv)$";

    /**
     * The videos of {@code path=}: a comma list, a folder of videos or of MOTChallenge sequences (each with
     * {@code img1/}), or one video / sequence / stream. Folders are listed in name order.
     */
    static List<String> sources(String path) {
        if (VideoSource.isStream(path)) return List.of(path);
        if (path.contains(",")) {
            List<String> out = new ArrayList<>();
            for (String p : path.split(",")) if (!p.isBlank()) out.add(p.strip());
            return out;
        }
        Path d = Path.of(path);
        if (!Files.isDirectory(d) || Files.isDirectory(d.resolve("img1")) || Files.isRegularFile(d.resolve("seqinfo.ini"))) return List.of(path);
        List<String> out = new ArrayList<>();
        try (var st = Files.list(d)) {
            for (Path f : st.sorted().toList())
                if ((Files.isRegularFile(f) && f.getFileName().toString().matches(VIDEO_EXT)) || Files.isDirectory(f.resolve("img1")))
                    out.add(f.toString());
        } catch (java.io.IOException e) {
            throw new ModelworkException("Cannot list the folder: " + e.getMessage(), path, "check its permissions");
        }
        return out.isEmpty() ? List.of(path) : out; // a plain frame folder
    }

    /**
     * The ground truth of a video: {@code gt} if given, else {@code <stem>.gt.txt} beside it, MOTChallenge
     * {@code <seq>/gt/gt.txt}, or (for a lone video) {@code gt.txt} in its folder.
     */
    static Path findGt(String source, String gt, boolean lone) {
        if (gt != null) return Path.of(gt);
        if (VideoSource.isStream(source)) return null;
        Path p = Path.of(source);
        if (Files.isRegularFile(p)) {
            Path own = p.resolveSibling(p.getFileName().toString().replaceAll("\\.[A-Za-z0-9]+$", "") + ".gt.txt");
            if (Files.isRegularFile(own)) return own;
        }
        Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
        if (dir == null) return null;
        if (dir.getFileName() != null && dir.getFileName().toString().equals("img1")) dir = dir.getParent();
        if (Files.isRegularFile(dir.resolve("gt/gt.txt"))) return dir.resolve("gt/gt.txt");
        if ((lone || Files.isDirectory(p)) && Files.isRegularFile(dir.resolve("gt.txt"))) return dir.resolve("gt.txt");
        return null;
    }

    static StepReport attach(TrackingState s, Args a, StepContext ctx) {
        String src = a.requireString("path", "path=<video file, folder of videos, comma list, MOT img1 folder or rtsp:// URL>");
        List<String> srcs = sources(src);
        List<String> gts = a.has("gt") ? List.of(a.getString("gt", "").split(",")) : null;
        if (gts != null && gts.size() != srcs.size())
            throw new ModelworkException(gts.size() + " ground-truth files for " + srcs.size() + " videos", "attach_dataset gt",
                    "give one gt per video in the same order, or none (found beside each video as <name>.gt.txt or gt/gt.txt)");
        for (TrackingVideo v : s.videos) v.close();
        s.videos = new ArrayList<>();
        for (int k = 0; k < srcs.size(); k++)
            s.videos.add(attachOne(srcs.get(k), gts == null ? null : gts.get(k).strip(), srcs.size() == 1, a));
        Set<String> names = new HashSet<>();
        for (TrackingVideo v : s.videos)
            if (!names.add(v.name()))
                throw new ModelworkException("Two videos are named '" + v.name() + "'", src, "give each video its own file name (the split names them)");
        TrackingVideo v0 = s.first();
        StepReport r = new StepReport("attach_dataset", s.videos.size() == 1 ? "Video " + v0.name() : s.videos.size() + " videos");
        Table t = Table.create("Videos");
        StringColumn nm = StringColumn.create("video"), codec = StringColumn.create("codec"), size = StringColumn.create("size"),
                gtc = StringColumn.create("ground truth");
        DoubleColumn fps = DoubleColumn.create("fps"), dur = DoubleColumn.create("duration_s");
        IntColumn frames = IntColumn.create("frames"), boxes = IntColumn.create("gt_boxes"), idc = IntColumn.create("gt_ids");
        ArrayNode arr = r.body().putArray("videos");
        int totalBoxes = 0, totalIds = 0, outside = 0;
        for (TrackingVideo v : s.videos) {
            int ids = (int) v.gt.stream().mapToInt(MotText.Box::id).distinct().count();
            int out = outside(v);
            totalBoxes += v.gt.size(); totalIds += ids; outside += out;
            nm.append(v.name()); codec.append(v.info.codec()); size.append(v.info.width() + "×" + v.info.height());
            fps.append(v.info.fps()); dur.append(v.info.seconds()); frames.append(v.info.frames());
            boxes.append(v.gt.size()); idc.append(ids); gtc.append(v.gtPath == null ? "none" : v.gtPath.toString());
            ObjectNode o = arr.addObject();
            o.put("name", v.name()).put("camera_id", v.cameraId).put("gt", v.gtPath == null ? null : v.gtPath.toString())
                    .put("gt_boxes", v.gt.size()).put("gt_ids", ids).put("gt_boxes_outside_image", out);
            o.set("video", Json.MAPPER.valueToTree(v.info));
            if (out > 0) r.note(v.name() + ": " + out + " ground-truth boxes lie entirely outside the " + v.info.width() + "×" + v.info.height() + " image");
            if (v.gtPath == null) r.note(v.name() + ": no ground truth found (gt=, <name>.gt.txt beside the video, gt/gt.txt, or gt.txt beside a lone video): "
                    + "evaluate, tune and calibrate score only the videos that have one");
        }
        t.addColumns(nm, codec, fps, frames, size, dur, boxes, idc, gtc);
        r.table(t);
        r.body().set("video", Json.MAPPER.valueToTree(v0.info));
        r.body().put("camera_id", v0.cameraId).put("gt_boxes", totalBoxes).put("gt_ids", totalIds).put("gt_boxes_outside_image", outside);
        if (v0.gtPath != null) r.body().put("gt", v0.gtPath.toString());
        return r;
    }

    private static TrackingVideo attachOne(String src, String gt, boolean lone, Args a) {
        TrackingVideo v = new TrackingVideo();
        v.source = src;
        if (VideoSource.isStream(src)) {
            v.live = VideoSource.open(src, a.getDouble("fps", 0)); // held until fit reads it (close() closes it)
            v.info = v.live.info();
        } else {
            try (VideoSource vs = VideoSource.open(src, a.getDouble("fps", 0))) {
                v.info = vs.info();
            }
        }
        v.cameraId = a.getString("camera_id", null);
        v.frames = v.info.frames() > 0 ? v.info.frames() : 0;
        v.gtPath = findGt(src, gt, lone);
        if (v.gtPath == null) return v;
        v.gt = MotText.read(v.gtPath, true);
        int beyond = 0, maxFrame = 0;
        Map<Long, Integer> seen = new HashMap<>();
        for (MotText.Box b : v.gt) {
            maxFrame = Math.max(maxFrame, b.frame());
            if (v.info.frames() > 0 && b.frame() > v.info.frames()) beyond++;
            Integer prev = seen.put(((long) b.frame() << 32) | b.id(), b.line());
            if (prev != null)
                throw new ModelworkException("Ground truth has id " + b.id() + " twice in frame " + b.frame() + " (lines " + prev + " and " + b.line() + ")",
                        v.gtPath + ":" + b.line(), "give each object one box per frame");
        }
        if (beyond > 0)
            throw new ModelworkException(beyond + " ground-truth boxes lie beyond the video's " + v.info.frames() + " frames (last: frame " + maxFrame + ")",
                    v.gtPath.toString(), "use the ground truth of this video (MOTChallenge frames count from 1)");
        return v;
    }

    private static int outside(TrackingVideo v) {
        int n = 0;
        for (MotText.Box b : v.gt)
            if (b.left() + b.width() < 0 || b.top() + b.height() < 0 || b.left() > v.info.width() || b.top() > v.info.height()) n++;
        return n;
    }

    /**
     * The frames each video contributes: {@code start}, {@code max_frames} (prepared frames, after sampling),
     * {@code fps} (keep every round(source / fps)-th frame), {@code roi} (x,y,w,h: the detector sees only this
     * region, the ground truth is the boxes centred in it) and {@code resize} (the size the region is scaled to
     * before the detector, {@code W} or {@code WxH}).
     */
    static StepReport prepare(TrackingState s, Args a, StepContext ctx) {
        Table t = Table.create("Prepared frames");
        StringColumn nm = StringColumn.create("video"), used = StringColumn.create("source frames"), roiC = StringColumn.create("roi"),
                rs = StringColumn.create("detector input");
        IntColumn fr = IntColumn.create("frames"), st = IntColumn.create("step");
        DoubleColumn fpsC = DoubleColumn.create("fps");
        int total = 0;
        for (TrackingVideo v : s.videos) {
            prepareOne(v, a);
            total += v.frames;
            nm.append(v.name()); fr.append(v.frames); st.append(v.step); fpsC.append(v.fps());
            used.append((v.start + 1) + "–" + (v.sourceFrame(v.frames - 1) + 1) + (v.step > 1 ? " every " + v.step : ""));
            roiC.append(v.roi == null ? "whole frame" : v.roi[0] + "," + v.roi[1] + " " + v.roi[2] + "×" + v.roi[3]);
            int w = v.roi == null ? v.info.width() : v.roi[2], h = v.roi == null ? v.info.height() : v.roi[3];
            rs.append(v.resizeW > 0 ? v.resizeW + "×" + v.resizeH : w + "×" + h);
        }
        t.addColumns(nm, used, st, fr, fpsC, roiC, rs);
        TrackingVideo v0 = s.first();
        StepReport r = new StepReport("prepare_data", s.videos.size() == 1 ? "Frames " + (v0.start + 1) + "–" + (v0.sourceFrame(v0.frames - 1) + 1) + (v0.step > 1 ? " every " + v0.step + " (" + v0.fps() + " fps)" : "")
                : total + " frames of " + s.videos.size() + " videos");
        r.table(t);
        r.body().put("start", v0.start).put("frames", total).put("step", v0.step).put("fps", v0.fps());
        if (v0.roi != null) { ArrayNode ra = r.body().putArray("roi"); for (int x : v0.roi) ra.add(x); }
        if (v0.resizeW > 0) r.body().put("resize", v0.resizeW + "x" + v0.resizeH);
        r.note("detections are mapped back to source pixels, so the ground truth, the metrics and the annotated video keep the video's coordinates"
                + (v0.roi != null ? "; with a roi only ground-truth boxes centred inside it are scored" : "")
                + (v0.step > 1 ? "; the lost-track buffer scales with the sampled rate" : ""));
        return r;
    }

    private static void prepareOne(TrackingVideo v, Args a) {
        v.start = a.getInt("start", 0);
        int max = a.getInt("max_frames", 0);
        double want = a.getDouble("fps", 0);
        double src = v.info.fps() > 0 ? v.info.fps() : 30;
        if (want > src + 1e-9)
            throw new ModelworkException("fps " + want + " is above " + v.name() + "'s " + src + " fps", "prepare_data fps",
                    "sampling only drops frames: give fps ≤ " + src + " (or leave it out for every frame)");
        v.step = want > 0 ? Math.max(1, (int) Math.round(src / want)) : 1;
        int total = v.info.frames() > 0 ? v.info.frames() : Integer.MAX_VALUE;
        if (v.start >= total)
            throw new ModelworkException("start " + v.start + " is beyond " + v.name() + "'s " + total + " frames", "prepare_data start", "use start < " + total);
        if (total == Integer.MAX_VALUE && max <= 0)
            throw new ModelworkException("A live stream has no end", "prepare_data max_frames", "give max_frames= for a stream");
        int avail = total == Integer.MAX_VALUE ? Integer.MAX_VALUE : (total - v.start + v.step - 1) / v.step;
        v.frames = max > 0 ? Math.min(max, avail) : avail;
        v.roi = TrackingVideo.checkRoi(a.getDoubles("roi", null), v.info, "prepare_data roi");
        v.resizeW = v.resizeH = 0;
        String rz = a.getString("resize", null);
        if (rz != null && !rz.isBlank()) {
            int w = v.roi == null ? v.info.width() : v.roi[2], h = v.roi == null ? v.info.height() : v.roi[3];
            try {
                String[] p = rz.toLowerCase(Locale.ROOT).split("x");
                v.resizeW = Integer.parseInt(p[0].strip());
                v.resizeH = p.length > 1 ? Integer.parseInt(p[1].strip()) : (int) Math.round((double) h * v.resizeW / w);
            } catch (NumberFormatException e) {
                throw new ModelworkException("resize '" + rz + "' is not W or WxH", "prepare_data resize", "e.g. resize=640 or resize=640x480");
            }
            if (v.resizeW < 32 || v.resizeH < 32 || v.resizeW > 8192 || v.resizeH > 8192)
                throw new ModelworkException("resize " + v.resizeW + "×" + v.resizeH + " is outside 32…8192 px", "prepare_data resize", "e.g. resize=640");
        }
        v.dets = null;
    }

    /**
     * Several videos: whole videos go to one set each (in name order: the last test, the one before validation, the
     * rest train; or {@code fractions=}; or {@code validation=}/{@code test=} by name). One video: {@code segments=}
     * equal time segments (the first k-2 train, then validation, the last test) or {@code fractions=} in time order.
     */
    static StepReport split(TrackingState s, Args a, StepContext ctx) {
        if (s.videos.size() > 1) return TrackingSplit.byVideo(s, a);
        return TrackingSplit.bySegments(s, a);
    }

    static StepReport build(TrackingState s, Args a, StepContext ctx) {
        String spec = a.getString("spec", "tracking.bytetrack");
        if (!spec.equals("tracking.bytetrack"))
            throw new ModelworkException("Unknown spec '" + spec + "'", "build spec", "use tracking.bytetrack");
        if (s.detector != null) s.detector.close();
        s.detector = OnnxDetector.load(a.getString("detector", "yolox_nano"), Math.max(1, s.threads));
        s.detectorName = a.getString("detector", "yolox_nano");
        s.detectorSha = s.detector.sha256();
        s.conf = (float) a.getDouble("conf", 0.1);
        s.nms = (float) a.getDouble("nms", 0.45);
        List<String> cl = a.has("classes") ? a.getList("classes") : List.of("0");
        s.classes = cl.stream().mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        double fps = s.first().fps();
        s.params = new ByteTracker.Params(a.getDouble("track_thresh", 0.5), a.getDouble("low_thresh", 0.1),
                a.getDouble("match_thresh", 0.8), a.getInt("buffer", 30), fps, a.getDouble("new_track_margin", 0.1));
        for (TrackingVideo v : s.videos) v.dets = null;
        StepReport r = new StepReport("build", "ByteTrack with " + s.detector.name());
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("detector", s.detector.name() + " (" + s.detector.layout().name().toLowerCase(Locale.ROOT) + " layout, " + s.detector.inputSize() + " px)");
        kv.put("detector_sha256", s.detectorSha);
        kv.put("conf / nms", s.conf + " / " + s.nms);
        kv.put("classes", java.util.Arrays.toString(s.classes));
        kv.put("track_thresh / low / match", s.params.trackThresh() + " / " + s.params.lowThresh() + " / " + s.params.matchThresh());
        kv.put("lost buffer", s.params.buffer() + " → " + s.params.maxTimeLost() + " frames at " + fps + " fps");
        r.table(Tables.keyValues("Pipeline", kv));
        r.body().put("detector", s.detectorName).put("detector_sha256", s.detectorSha).put("max_time_lost", s.params.maxTimeLost());
        return r;
    }

    static StepReport fit(TrackingState s, Args a, StepContext ctx) {
        if (s.detector == null) throw new ModelworkException("No detector", "fit", "run build first");
        int n = s.videos.stream().mapToInt(v -> v.frames).sum();
        int done = 0, dets = 0, frames = 0;
        List<String> notes = new ArrayList<>();
        String stop = null;
        for (TrackingVideo v : s.videos) {
            final int base = done;
            Mot.Detected d = v.detect(s.detector, s.conf, s.nms, s.classes, k -> ctx.progress().update("fit", base + k, n, "detecting " + v.name()));
            done += v.frames;
            v.dets = d.frames();
            v.stopReason = d.stopReason();
            if (v.dets.isEmpty())
                throw new ModelworkException("No frame could be decoded" + (d.stopReason() == null ? "" : " (" + d.stopReason() + ")"), v.source,
                        "check that the video is complete and playable");
            if (d.stopReason() != null) {
                stop = d.stopReason();
                notes.add(v.name() + " stopped early: " + d.stopReason() + "; the " + v.dets.size() + " frames decoded so far are kept and scored");
            }
            frames += v.dets.size();
            for (var f : v.dets) dets += f.size();
        }
        if (s.videos.size() == 1 && s.first().decoded() < s.first().frames) {
            // one video that stopped early (a truncated file, a dropped stream): the time segments are re-cut in
            // proportion over the frames decoded, so that what was tracked so far is scored
            TrackingVideo v = s.first();
            int d = v.decoded(), n0 = v.frames;
            java.util.function.UnaryOperator<List<TrackingState.Segment>> cut = gs -> gs.stream()
                    .map(g -> new TrackingState.Segment(0, (int) ((long) g.from() * d / n0), (int) ((long) g.to() * d / n0)))
                    .filter(g -> g.to() > g.from()).toList();
            s.train = cut.apply(s.train); s.validation = cut.apply(s.validation); s.test = cut.apply(s.test);
            v.frames = d;
            notes.add("the split's time segments are re-cut over the " + d + " frames decoded: train " + s.describe(s.train)
                    + ", validation " + s.describe(s.validation) + ", test " + s.describe(s.test));
        }
        StepReport r = new StepReport("fit", "Detections cached for " + frames + " frames");
        if (stop != null) r.body().put("stop_reason", stop);
        notes.forEach(r::note);
        r.body().put("frames", frames).put("detections", dets).put("detections_per_frame", (double) dets / frames)
                .put("stopped_early", s.videos.stream().anyMatch(v -> v.stopReason != null));
        r.note("the detector is not fine-tuned here: fit runs " + s.detector.name() + " over the train, validation and test frames once and caches "
                + "the detections (score ≥ " + s.conf + ") so that evaluate, tune, backtest and calibrate only re-run the tracker");
        return r;
    }

    static void writeTracks(Path file, List<io.modelwork.tracking.track.TrackBox> tracks) {
        StringBuilder sb = new StringBuilder();
        for (var t : tracks) sb.append(t.motLine()).append('\n');
        AtomicFiles.writeString(file, sb.toString());
    }
}
