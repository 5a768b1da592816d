package io.modelwork.bench;

import io.modelwork.core.Assets;
import io.modelwork.tracking.Mot;
import io.modelwork.tracking.detect.Detection;
import io.modelwork.tracking.detect.OnnxDetector;
import io.modelwork.tracking.metrics.MotMetrics;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.track.ByteTracker;
import io.modelwork.tracking.track.IouTracker;
import io.modelwork.tracking.track.TrackBox;
import io.modelwork.tracking.video.VideoFrame;
import io.modelwork.tracking.video.VideoSource;

import java.nio.file.Path;
import java.util.List;

import static io.modelwork.bench.BenchSupport.*;

/**
 * Video tracking on PETS2009 S2.L1 ({@code vtest.avi}, 10 fps) on CPU, {@value BenchSupport#THREADS} ONNX threads:
 * decode-only frames/s, end-to-end frames/s (decode + detect + ByteTrack) against the video's real time, ByteTrack-only
 * and greedy-IoU-only ms per frame, and HOTA/MOTA/IDF1 of both trackers against {@code gt.txt}, per detector.
 *
 * <pre>bench/run.sh TrackingBench [--quick] [--frames=795] [--detectors=yolox_nano,nanodet_m]</pre>
 */
public final class TrackingBench {
    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        int frames = fl.getInt("frames", 795, 100);
        String[] detectors = fl.get("detectors", "yolox_nano,nanodet_m").split(",");
        Path data = Assets.data("tracking");
        String video = data.resolve("vtest.avi").toString();
        List<MotText.Box> gt = Mot.gtWindow(MotText.read(data.resolve("gt.txt"), true), 0, frames);
        System.out.println("| measure | value |\n|---|---|");
        double fps;
        long t0 = System.nanoTime();
        try (VideoSource v = VideoSource.open(video, 0)) {
            fps = v.info().fps();
            int n = 0;
            VideoFrame f;
            while (n < frames && (f = v.next()) != null) n++;
            double s = (System.nanoTime() - t0) / 1e9;
            row("decode only (" + v.info().codec() + " " + v.info().width() + "×" + v.info().height() + "), frames/s", f(n / s, 1));
        }
        for (String name : detectors) {
            List<List<Detection>> dets;
            long t1 = System.nanoTime();
            try (VideoSource v = VideoSource.open(video, 0); OnnxDetector d = OnnxDetector.load(name, THREADS)) {
                dets = Mot.detect(v, d, frames, 0.1f, 0.45f, new int[]{0}, null).frames();
            }
            double s = (System.nanoTime() - t1) / 1e9;
            long t2 = System.nanoTime();
            List<TrackBox> bt = new ByteTracker(ByteTracker.Params.defaults(fps)).run(dets);
            double btMs = (System.nanoTime() - t2) / 1e6 / dets.size();
            long t3 = System.nanoTime();
            List<TrackBox> iou = new IouTracker(0.5, 0.3, 1).run(dets);
            double iouMs = (System.nanoTime() - t3) / 1e6 / dets.size();
            double e2e = dets.size() / (s + btMs * dets.size() / 1e3);
            row(name + ": end-to-end frames/s (decode + detect + ByteTrack), × real time at " + fps + " fps",
                    f(e2e, 2) + " (" + f(e2e / fps, 2) + "×)");
            row(name + ": ByteTrack / greedy IoU ms per frame", f(btMs, 3) + " / " + f(iouMs, 3));
            for (var e : List.of(new Object[]{"ByteTrack", bt}, new Object[]{"greedy IoU", iou})) {
                @SuppressWarnings("unchecked") MotMetrics m = Mot.score(gt, (List<TrackBox>) e[1], dets.size(), "gt.txt");
                row(name + " + " + e[0] + ": HOTA / MOTA / IDF1 / IDSW (" + dets.size() + " frames)",
                        f(m.hotaValue(), 3) + " / " + f(m.mota(), 3) + " / " + f(m.idf1(), 3) + " / " + m.clear().idsw());
            }
        }
    }

    private static void row(String k, String v) { System.out.println("| " + k + " | " + v + " |"); }

    private TrackingBench() { }

}
