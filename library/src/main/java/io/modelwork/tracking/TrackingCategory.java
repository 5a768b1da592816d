package io.modelwork.tracking;

import io.modelwork.core.Args;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.shared.ArtifactsHandler;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.Category;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import io.modelwork.tracking.video.VideoSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Multi-object video tracking: {@code tracking.bytetrack} — an ONNX detector (YOLOX-Nano, NanoDet-m or a
 * YOLOv8/YOLO11 export) per frame and ByteTrack, scored with the TrackEval-exact HOTA, CLEAR and Identity metrics on
 * MOTChallenge ground truth. Recognises video files, MOTChallenge sequence folders and stream URLs.
 */
public final class TrackingCategory implements Category<TrackingState> {
    static final Options ATTACH = Options.of(
            Option.path("path", "video file (any FFmpeg codec), folder of videos or MOTChallenge sequences, comma list, sequence / img1 folder, or rtsp:// / http:// URL"),
            Option.path("gt", "MOTChallenge ground truth, one per video in order (default: <name>.gt.txt beside the video, gt/gt.txt, or gt.txt beside a lone video)"),
            Option.number("fps", null, 0.0, 1000.0, "frame rate of a frame folder without seqinfo.ini (default 25)"),
            Option.text("camera_id", null, "camera identifier kept as metadata"),
            Option.text("task", null, "tracking"));
    static final Options PREPARE = Options.of(
            Option.integer("start", 0, 0, null, "first frame used (0-based)"),
            Option.integer("max_frames", 0, 0, null, "frames used from start, after sampling (0 = to the end; needed for a live stream)"),
            Option.number("fps", null, 0.0, 1000.0, "sampling rate: keep every round(source fps / fps)-th frame (default: every frame)"),
            Option.numbers("roi", null, 0.0, 100000.0, "region of interest x,y,w,h in pixels: the detector sees only it; ground truth centred outside is not scored"),
            Option.text("resize", null, "size the frame (or roi) is scaled to before the detector: W (height kept in proportion) or WxH"));
    static final Options SPLIT = Options.of(
            Option.integer("segments", 3, 3, 1000, "one video: equal time segments, the first segments-2 train, then validation, the last test"),
            Option.numbers("fractions", null, 0.0, 1.0, "train,validation,test fractions of the frames (one video, in time order) or of the videos (in name order)"),
            Option.list("validation", null, "several videos: the names of the validation videos"),
            Option.list("test", null, "several videos: the names of the test videos (the rest train)"));
    static final Options BUILD = Options.of(
            Option.text("spec", "tracking.bytetrack", "model spec"),
            Option.text("detector", "yolox_nano", "yolox_nano, nanodet_m or the path of an .onnx detector (YOLOv8/YOLO11 [1,84,N] layout)"),
            Option.number("conf", 0.1, 0.0, 1.0, "detector confidence kept (ByteTrack uses detections down to low_thresh)"),
            Option.number("nms", 0.45, 0.0, 1.0, "NMS IoU"),
            Option.list("classes", "0", "class indices tracked (COCO 0 = person)"),
            Option.number("track_thresh", 0.5, 0.0, 1.0, "high/low score split"),
            Option.number("low_thresh", 0.1, 0.0, 1.0, "lowest score used by the second association"),
            Option.number("match_thresh", 0.8, 0.0, 1.0, "cost limit of the first association (1 − IoU·score)"),
            Option.integer("buffer", 30, 1, 10000, "lost-track buffer at 30 fps (scaled by the video's rate)"),
            Option.number("new_track_margin", 0.1, 0.0, 1.0, "a track starts at track_thresh + margin"));
    static final Options EVALUATE = Options.of(Option.integer("gallery", 3, 0, 100, "frames with the most misses and false tracks shown"),
            Option.bool("video", true, "write the annotated test segment (boxes, ids, trails) as MP4"));
    static final Options TUNE = Tuning.OPTIONS;
    static final Options BACKTEST = Options.of(Option.integer("windows", 4, 1, 1000, "replay windows over validation + test"));
    static final Options CALIBRATE = Options.of(
            Option.numbers("low_thresh", "0.05,0.1,0.2,0.3", 0.0, 1.0, "low thresholds tried"),
            Option.numbers("new_track_margin", "0,0.1,0.2", 0.0, 1.0, "start margins tried"));
    static final Options EXPORT = Options.of(Option.path("target", "bundle folder (default <run_dir>/export)"));

    @Override public String name() { return "tracking"; }

    @Override public String description() { return "multi-object video tracking (ONNX detector + ByteTrack, TrackEval-exact HOTA/MOTA/IDF1)"; }

    @Override public Set<String> tasks() { return Set.of("tracking", "video_tracking", "mot"); }

    @Override public Map<String, String> specs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tracking.bytetrack", "ByteTrack over YOLOX-Nano / NanoDet-m / YOLOv8-layout ONNX detections, Kalman motion, two-stage association");
        return m;
    }

    @Override public int recognise(Args a) {
        String t = a.getString("task", null);
        if (t != null && tasks().contains(t.toLowerCase(Locale.ROOT))) return EXPLICIT;
        String p = a.getString("path", null);
        if (p == null) return 0;
        if (VideoSource.isStream(p)) return RECOGNISED;
        String l = p.toLowerCase(Locale.ROOT);
        // above asr's RECOGNISED for media files: a video file is tracking unless task=asr says otherwise
        if (l.matches(".*\\.(avi|mp4|mkv|mov|webm|m4v|mpg|mpeg|ts|flv|wmv)$")) return RECOGNISED + 2;
        if (l.contains(",") && java.util.Arrays.stream(l.split(",")).allMatch(x -> x.strip().matches(TrackingData.VIDEO_EXT))) return RECOGNISED + 2;
        try {
            Path d = Path.of(p);
            if (Files.isDirectory(d.resolve("img1")) || (Files.isRegularFile(d.resolve("seqinfo.ini")))) return RECOGNISED + 1;
            if (Files.isDirectory(d) && TrackingData.sources(p).stream().anyMatch(x -> x.matches(TrackingData.VIDEO_EXT) || Files.isDirectory(Path.of(x, "img1"))))
                return RECOGNISED + 1;
        } catch (RuntimeException e) {
            return 0;
        }
        return 0;
    }

    @Override public TrackingState newState(StepContext ctx) {
        TrackingState s = new TrackingState();
        s.threads = ctx.run().threads();
        return s;
    }

    @Override public Options options(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> ATTACH;
            case PREPARE_DATA -> PREPARE;
            case SPLIT -> SPLIT;
            case BUILD -> BUILD;
            case EVALUATE -> EVALUATE;
            case TUNE -> TUNE;
            case BACKTEST -> BACKTEST;
            case CALIBRATE -> CALIBRATE;
            case EXPORT -> EXPORT;
            case REGISTER -> RegisterHandler.OPTIONS;
            default -> Options.none();
        };
    }

    @Override public StepHandler<TrackingState> handler(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> TrackingData::attach;
            case PREPARE_DATA -> TrackingData::prepare;
            case SPLIT -> TrackingData::split;
            case BUILD -> TrackingData::build;
            case FIT -> TrackingData::fit;
            case EVALUATE -> TrackingEvaluate::evaluate;
            case TUNE -> TrackingTune::tune;
            case BACKTEST -> TrackingTune::backtest;
            case CALIBRATE -> TrackingTune::calibrate;
            case EXPORT -> TrackingExport::export;
            case REGISTER -> new RegisterHandler<>();
            case ARTIFACTS -> new ArtifactsHandler<>();
            default -> null;
        };
    }

    @Override public LinkedHashMap<Step, Args> example(Path assets) {
        LinkedHashMap<Step, Args> m = new LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", assets.resolve("data/tracking/vtest.avi").toString()));
        m.put(Step.PREPARE_DATA, Args.of("max_frames", 90));
        m.put(Step.SPLIT, Args.of("segments", 3));
        m.put(Step.BUILD, Args.of("detector", "yolox_nano"));
        m.put(Step.FIT, Args.empty());
        m.put(Step.EVALUATE, Args.of("gallery", 1));
        m.put(Step.TUNE, Args.of("strategy", "random", "trials", 4));
        m.put(Step.BACKTEST, Args.of("windows", 2));
        m.put(Step.CALIBRATE, Args.empty());
        m.put(Step.EXPORT, Args.empty());
        m.put(Step.ARTIFACTS, Args.empty());
        return m;
    }
}
