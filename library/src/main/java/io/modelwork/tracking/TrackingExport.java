package io.modelwork.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StepContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** export: a bundle (through {@link BundleWriter}) with the detector ONNX, {@code pipeline.json} and the test tracks. */
final class TrackingExport {
    private TrackingExport() { }

    static StepReport export(TrackingState s, Args a, StepContext ctx) {
        s.ensureFitted("export");
        Path target = a.has("target") ? Path.of(a.getString("target", null)) : ctx.run().runDir().resolve("export");
        if (Files.exists(target) && !a.has("target")) target = ctx.run().runDir().resolve("export-" + System.currentTimeMillis());
        ObjectNode p = Json.object();
        try (BundleWriter b = BundleWriter.create(target, "export")) {
            b.copy(s.detector.file(), "detector.onnx");
            p.put("spec", "tracking.bytetrack").put("detector", s.detectorName).put("detector_layout", s.detector.layout().name().toLowerCase())
                    .put("detector_sha256", s.detectorSha).put("input_size", s.detector.inputSize()).put("conf", s.conf).put("nms_iou", s.nms);
            var cl = p.putArray("classes");
            for (int c : s.classes) cl.add(c);
            p.put("preprocessing", switch (s.detector.layout()) {
                case YOLOX -> "letterbox top-left pad 114, BGR raw 0-255, CHW";
                case NANODET -> "letterbox top-left pad 114, BGR, mean (103.53,116.28,123.675), std (57.375,57.12,58.395), CHW";
                case YOLOV8 -> "letterbox centred pad 114, RGB /255, CHW";
            });
            ObjectNode t = p.putObject("tracker");
            t.put("algorithm", "ByteTrack").put("track_thresh", s.params.trackThresh()).put("low_thresh", s.params.lowThresh())
                    .put("match_thresh", s.params.matchThresh()).put("second_match_thresh", 0.5).put("unconfirmed_match_thresh", 0.7)
                    .put("new_track_thresh", s.params.trackThresh() + s.params.newTrackMargin()).put("track_buffer", s.params.buffer())
                    .put("fps", s.params.fps()).put("max_time_lost_frames", s.params.maxTimeLost()).put("motion", "Kalman constant velocity (x, y, a, h)");
            TrackingVideo v0 = s.first();
            p.put("video_fps", v0.info.fps()).put("camera_id", v0.cameraId);
            ObjectNode prep = p.putObject("prepare");
            prep.put("sample_step", v0.step).put("fps", v0.fps());
            if (v0.roi != null) { var ra = prep.putArray("roi"); for (int x : v0.roi) ra.add(x); }
            if (v0.resizeW > 0) prep.put("resize", v0.resizeW + "x" + v0.resizeH);
            prep.put("boxes", "mapped back to source pixels (÷ resize scale, + roi offset)");
            b.json("pipeline.json", p);
            List<TrackingState.Segment> main = s.main();
            for (int k = 0; k < main.size(); k++) {
                StringBuilder sb = new StringBuilder();
                var g = main.get(k);
                for (var tb : TrackingEvaluate.toSource(s, g, TrackingEvaluate.track(s, g, s.params))) sb.append(tb.motLine()).append('\n');
                // MOTChallenge text has no sequence column: the first test video is tracks.txt, further ones tracks-<name>.txt
                b.text(k == 0 ? "tracks.txt" : "tracks-" + s.video(g).name() + ".txt", sb.toString());
            }
            b.manifest().put("format", "modelwork-tracking-bytetrack").put("model", "detector.onnx");
            b.publish();
        }
        s.exportDir = target;
        StepReport r = new StepReport("export", "Exported ByteTrack pipeline");
        r.body().put("target", target.toString());
        r.body().set("pipeline", p);
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("folder", target);
        kv.put("files", "detector.onnx, pipeline.json, tracks.txt (test segment, MOTChallenge)");
        r.table(Tables.keyValues("Bundle", kv));
        return r;
    }
}
