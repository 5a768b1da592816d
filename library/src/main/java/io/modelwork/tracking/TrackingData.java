package io.modelwork.tracking;

import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.tracking.detect.OnnxDetector;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.track.ByteTracker;
import io.modelwork.tracking.video.VideoInfo;
import io.modelwork.tracking.video.VideoSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** attach_dataset, prepare_data, split, build and fit of the tracking category. */
final class TrackingData {
    private TrackingData() { }

    /** The ground truth next to a video: {@code gt=}, {@code <dir>/gt.txt} or MOTChallenge {@code <seq>/gt/gt.txt}. */
    static Path findGt(String source, Args a) {
        if (a.has("gt")) return Path.of(a.getString("gt", null));
        if (VideoSource.isStream(source)) return null;
        Path p = Path.of(source);
        Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
        if (dir == null) return null;
        if (dir.getFileName() != null && dir.getFileName().toString().equals("img1")) dir = dir.getParent();
        for (Path c : List.of(dir.resolve("gt/gt.txt"), dir.resolve("gt.txt"))) if (Files.isRegularFile(c)) return c;
        return null;
    }

    static StepReport attach(TrackingState s, Args a, StepContext ctx) {
        String src = a.requireString("path", "path=<video file, MOT img1 folder or rtsp:// URL>");
        VideoInfo info;
        try (VideoSource v = VideoSource.open(src, a.getDouble("fps", 0))) {
            info = v.info();
        }
        s.source = src;
        s.info = info;
        s.cameraId = a.getString("camera_id", null);
        s.gtPath = findGt(src, a);
        StepReport r = new StepReport("attach_dataset", "Video " + Path.of(src).getFileName());
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("source", src);
        kv.put("kind", info.kind());
        kv.put("codec", info.codec());
        kv.put("fps", info.fps());
        kv.put("frames", info.frames());
        kv.put("size", info.width() + "×" + info.height());
        kv.put("duration_s", info.seconds());
        if (s.cameraId != null) kv.put("camera_id", s.cameraId);
        r.body().set("video", io.modelwork.core.Json.MAPPER.valueToTree(info));
        r.body().put("camera_id", s.cameraId);
        if (s.gtPath != null) {
            s.gt = MotText.read(s.gtPath, true);
            int outside = 0, beyond = 0, maxFrame = 0;
            Map<Long, Integer> seen = new HashMap<>();
            java.util.Set<Integer> ids = new java.util.TreeSet<>();
            for (MotText.Box b : s.gt) {
                maxFrame = Math.max(maxFrame, b.frame());
                ids.add(b.id());
                if (info.frames() > 0 && b.frame() > info.frames()) beyond++;
                if (b.left() + b.width() < 0 || b.top() + b.height() < 0 || b.left() > info.width() || b.top() > info.height()) outside++;
                Integer prev = seen.put(((long) b.frame() << 32) | b.id(), b.line());
                if (prev != null)
                    throw new ModelworkException("Ground truth has id " + b.id() + " twice in frame " + b.frame() + " (lines " + prev + " and " + b.line() + ")",
                            s.gtPath + ":" + b.line(), "give each object one box per frame");
            }
            if (beyond > 0)
                throw new ModelworkException(beyond + " ground-truth boxes lie beyond the video's " + info.frames() + " frames (last: frame " + maxFrame + ")",
                        s.gtPath.toString(), "use the ground truth of this video (MOTChallenge frames count from 1)");
            kv.put("ground_truth", s.gtPath + " (" + s.gt.size() + " boxes, " + ids.size() + " ids, frames ≤ " + maxFrame + ")");
            r.body().put("gt", s.gtPath.toString()).put("gt_boxes", s.gt.size()).put("gt_ids", ids.size()).put("gt_boxes_outside_image", outside);
            if (outside > 0) r.note(outside + " ground-truth boxes lie entirely outside the " + info.width() + "×" + info.height() + " image");
        } else {
            s.gt = List.of();
            r.note("no ground truth found (gt=, gt.txt next to the video, or gt/gt.txt): evaluate, tune and calibrate need one");
        }
        r.table(Tables.keyValues("Video", kv));
        return r;
    }

    static StepReport prepare(TrackingState s, Args a, StepContext ctx) {
        s.start = a.getInt("start", 0);
        s.maxFrames = a.getInt("max_frames", 0);
        int total = s.info.frames() > 0 ? s.info.frames() : Integer.MAX_VALUE;
        if (s.start >= total)
            throw new ModelworkException("start " + s.start + " is beyond the video's " + total + " frames", "prepare_data start", "use start < " + total);
        int n = s.maxFrames > 0 ? Math.min(s.maxFrames, total - s.start) : total - s.start;
        if (n == Integer.MAX_VALUE - s.start)
            throw new ModelworkException("A live stream has no end", "prepare_data max_frames", "give max_frames= for a stream");
        s.maxFrames = n;
        StepReport r = new StepReport("prepare_data", "Frames " + (s.start + 1) + "–" + (s.start + n));
        r.body().put("start", s.start).put("frames", n);
        r.note("frames are used at the source's rate and size (the detector letterboxes each frame itself)");
        return r;
    }

    static StepReport split(TrackingState s, Args a, StepContext ctx) {
        int k = a.getInt("segments", 3);
        int n = s.maxFrames;
        if (n < k)
            throw new ModelworkException(n + " frames cannot be cut into " + k + " segments", "split segments", "use fewer segments or more frames");
        double[] w = a.getDoubles("fractions", null);
        int trainEnd, valEnd;
        if (w != null) {
            if (w.length != 3) throw new ModelworkException("fractions needs three values (train, validation, test)", "split fractions", "e.g. fractions=0.4,0.3,0.3");
            double sum = w[0] + w[1] + w[2];
            trainEnd = (int) Math.round(n * w[0] / sum);
            valEnd = (int) Math.round(n * (w[0] + w[1]) / sum);
        } else {
            // k equal time segments: the first k-2 train, then one validation (tune/calibrate), the last test
            int seg = n / k;
            trainEnd = seg * Math.max(1, k - 2);
            valEnd = trainEnd + seg;
        }
        s.train = new int[]{s.start, s.start + trainEnd};
        s.validation = new int[]{s.start + trainEnd, s.start + valEnd};
        s.test = new int[]{s.start + valEnd, s.start + n};
        StepReport r = new StepReport("split", "Time segments of one video (frames never mixed)");
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("train", range(s.train));
        kv.put("validation", range(s.validation));
        kv.put("test", range(s.test));
        r.table(Tables.keyValues("Segments", kv));
        r.body().put("train", range(s.train)).put("validation", range(s.validation)).put("test", range(s.test));
        return r;
    }

    static String range(int[] r) { return "frames " + (r[0] + 1) + "–" + r[1] + " (" + (r[1] - r[0]) + ")"; }

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
        double fps = s.info.fps() > 0 ? s.info.fps() : 30;
        s.params = new ByteTracker.Params(a.getDouble("track_thresh", 0.5), a.getDouble("low_thresh", 0.1),
                a.getDouble("match_thresh", 0.8), a.getInt("buffer", 30), fps, a.getDouble("new_track_margin", 0.1));
        s.dets = null;
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
        int n = s.maxFrames;
        Mot.Detected d;
        try (VideoSource v = VideoSource.open(s.source, s.info.fps())) {
            for (int i = 0; i < s.start && v.next() != null; i++) { /* skip to start */ }
            d = Mot.detect(v, s.detector, n, s.conf, s.nms, s.classes, k -> ctx.progress().update("fit", k, n, "detecting"));
        }
        s.dets = d.frames();
        s.stopReason = d.stopReason();
        if (s.dets.isEmpty())
            throw new ModelworkException("No frame could be decoded" + (d.stopReason() == null ? "" : " (" + d.stopReason() + ")"), s.source,
                    "check that the video is complete and playable");
        int dets = 0;
        for (var f : s.dets) dets += f.size();
        StepReport r = new StepReport("fit", "Detections cached for " + s.dets.size() + " frames");
        r.body().put("frames", s.dets.size()).put("detections", dets).put("detections_per_frame", (double) dets / s.dets.size())
                .put("stopped_early", d.stopReason() != null);
        if (d.stopReason() != null) {
            r.body().put("stop_reason", d.stopReason());
            r.note("the video stopped early: " + d.stopReason() + "; the " + s.dets.size() + " frames decoded so far are kept");
        }
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
