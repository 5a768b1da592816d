package io.modelwork.tracking;

import io.modelwork.core.Assets;
import io.modelwork.tracking.detect.Detection;
import io.modelwork.tracking.detect.OnnxDetector;
import io.modelwork.tracking.metrics.MotMetrics;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.track.ByteTracker;
import io.modelwork.tracking.track.IouTracker;
import io.modelwork.tracking.video.VideoInfo;
import io.modelwork.tracking.video.VideoSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * YOLOX-Nano + ByteTrack on the first {@value #FRAMES} frames of PETS2009 S2.L1 against {@code gt.txt}, scored with
 * the TrackEval-exact metrics; the greedy IoU tracker runs on the same (cached) detections.
 */
class PetsTrackingTest {
    static final int FRAMES = 200;
    static Path video, gtFile;
    static VideoInfo info;
    static List<List<Detection>> dets;
    static List<MotText.Box> gt;

    @BeforeAll static void detectOnce() {
        Path data = Assets.root().resolve("data/tracking");
        video = data.resolve("vtest.avi");
        gtFile = data.resolve("gt.txt");
        try (VideoSource src = VideoSource.open(video.toString(), 0); OnnxDetector det = OnnxDetector.load("yolox_nano", 2)) {
            info = src.info();
            dets = Mot.detect(src, det, FRAMES, 0.1f, 0.45f, new int[]{0}, null).frames();
        }
        gt = Mot.gtWindow(MotText.read(gtFile, true), 0, FRAMES);
    }

    @Test void videoInfo() {
        assertEquals(768, info.width());
        assertEquals(576, info.height());
        assertEquals(10.0, info.fps(), 1e-6);
        assertEquals(795, info.frames(), 2);
        assertEquals("msmpeg4", info.codec(), "FFmpeg names MS-MPEG4v3 msmpeg4");
        assertEquals(FRAMES, dets.size());
    }

    @Test void byteTrackScoresAndBeatsGreedyIou() {
        MotMetrics bt = Mot.score(gt, new ByteTracker(ByteTracker.Params.defaults(info.fps())).run(dets), FRAMES, gtFile.toString());
        MotMetrics iou = Mot.score(gt, new IouTracker(0.5, 0.3, 1).run(dets), FRAMES, gtFile.toString());
        System.out.printf("ByteTrack  HOTA %.4f MOTA %.4f IDF1 %.4f IDSW %d%n", bt.hotaValue(), bt.mota(), bt.idf1(), bt.clear().idsw());
        System.out.printf("greedy IoU HOTA %.4f MOTA %.4f IDF1 %.4f IDSW %d%n", iou.hotaValue(), iou.mota(), iou.idf1(), iou.clear().idsw());
        // measured: ByteTrack HOTA 0.486, MOTA 0.700, IDF1 0.630 (17 IDSW); greedy IoU 0.389 / 0.594 / 0.499 (24 IDSW)
        assertTrue(bt.mota() >= 0.66, "MOTA " + bt.mota());
        assertTrue(bt.idf1() >= 0.59, "IDF1 " + bt.idf1());
        assertTrue(bt.hotaValue() >= 0.45, "HOTA " + bt.hotaValue());
        assertTrue(bt.mota() > iou.mota(), "ByteTrack MOTA beats greedy IoU");
        assertTrue(bt.hotaValue() > iou.hotaValue(), "ByteTrack HOTA beats greedy IoU");
        assertTrue(bt.idf1() > iou.idf1(), "ByteTrack IDF1 beats greedy IoU");
    }
}
