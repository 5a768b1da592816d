package io.modelwork.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Progress;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import io.modelwork.tracking.detect.Detection;
import io.modelwork.tracking.detect.OnnxDetector;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.video.VideoFrame;
import io.modelwork.tracking.video.VideoSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** prepare_data on real PETS2009 frames: sampling fps, region of interest, resize before the detector. */
class TrackingPrepareTest {
    static final Path DATA = Assets.root().resolve("data/tracking");

    static Session session(Path tmp) {
        Session s = Session.create(tmp);
        s.progress(Progress.silent());
        s.configure(Args.of("seed", 1, "run_dir", tmp.resolve("run").toString(), "threads", 2));
        s.attachDataset(Args.of("path", DATA.resolve("vtest.avi").toString()));
        return s;
    }

    @Test void samplingAtFiveFpsKeepsEveryOtherFrameAndScalesTheBuffer(@TempDir Path tmp) throws Exception {
        try (Session s = session(tmp)) {
            StepReport p = s.prepareData(Args.of("fps", 5, "max_frames", 45));
            assertEquals(2, p.body().get("step").asInt());
            assertEquals(5.0, p.body().get("fps").asDouble(), 1e-9);
            assertEquals(45, p.body().get("frames").asInt());
            s.split(Args.of("segments", 3));
            StepReport b = s.build(Args.of("detector", "yolox_nano"));
            assertEquals(5, b.body().get("max_time_lost").asInt(), "buffer 30 at 5 fps keeps 5 frames");
            assertEquals(45, s.fit(Args.empty()).body().get("frames").asInt());
            StepReport ev = s.evaluate(Args.of("gallery", 0, "video", false));
            JsonNode test = ev.body().get("metrics").get("test");
            assertEquals(15, test.get("frames").asInt());
            assertTrue(test.get("mota").asDouble() > 0.4, "at half the frame rate: " + test);
            // the tracks file is in the video's own frame numbers: the test segment is source frames 61, 63, …, 89
            List<MotText.Box> tracks = MotText.read(Path.of(ev.body().get("tracks_file").asText()), false);
            assertFalse(tracks.isEmpty());
            for (MotText.Box t : tracks) {
                assertEquals(1, t.frame() % 2, "sampled frames only: " + t);
                assertTrue(t.frame() >= 61 && t.frame() <= 89, t.toString());
            }
            assertThrows(ModelworkException.class, () -> s.prepareData(Args.of("fps", 25)), "sampling cannot add frames");
        }
    }

    @Test void roiAndResizeMapTheBoxesBackToSourcePixels(@TempDir Path tmp) throws Exception {
        try (Session s = session(tmp)) {
            // the right half of the frame, scaled to 192 px wide before the detector
            StepReport p = s.prepareData(Args.of("max_frames", 30, "roi", "384,0,384,576", "resize", "192"));
            assertEquals("192x288", p.body().get("resize").asText());
            s.split(Args.of("segments", 3));
            s.build(Args.of("detector", "yolox_nano"));
            s.fit(Args.empty());
            StepReport ev = s.evaluate(Args.of("gallery", 0, "video", false));
            JsonNode test = ev.body().get("metrics").get("test");
            assertTrue(test.get("mota").asDouble() > 0.3, "right half only, at half the resolution: " + test);
            for (MotText.Box t : MotText.read(Path.of(ev.body().get("tracks_file").asText()), false))
                assertTrue(t.left() + t.width() / 2 >= 384 - 8, "a track centred in the roi, in source pixels: " + t);
            assertThrows(ModelworkException.class, () -> s.prepareData(Args.of("roi", "400,0,400,576")), "a roi outside the 768 px frame");
            assertThrows(ModelworkException.class, () -> s.prepareData(Args.of("resize", "big")));
        }
    }

    @Test void aResizedFrameStillBoxesThePeopleOfFrameOneInSourceCoordinates() {
        VideoFrame f;
        try (VideoSource v = VideoSource.open(DATA.resolve("vtest.avi").toString(), 0)) { f = v.next(); }
        List<MotText.Box> gt = MotText.read(DATA.resolve("gt.txt"), true).stream().filter(b -> b.frame() == 1).toList();
        TrackingVideo tv = new TrackingVideo();
        tv.resizeW = 384;
        tv.resizeH = 288;
        try (OnnxDetector det = OnnxDetector.load("yolox_nano", 1)) {
            List<Detection> d = tv.detectOne(det, f, 0.3f, 0.45f, new int[]{0});
            long hit = gt.stream().filter(g -> d.stream().anyMatch(x -> x.iou(new Detection((float) g.left(), (float) g.top(),
                    (float) (g.left() + g.width()), (float) (g.top() + g.height()), 1, 0)) >= 0.5)).count();
            assertTrue(hit >= 3, "boxes at half resolution mapped back: " + hit + " of " + gt.size() + " " + d);
        }
        // the crop is the source's bytes
        VideoFrame c = TrackingVideo.crop(f, new int[]{10, 20, 30, 40});
        assertEquals(30, c.width());
        assertEquals(f.bgr()[(20 * 768 + 10) * 3 + 1], c.bgr()[1]);
        assertEquals(f.bgr()[((20 + 39) * 768 + 10 + 29) * 3 + 2], c.bgr()[(39 * 30 + 29) * 3 + 2]);
        assertTrue(Files.isRegularFile(DATA.resolve("gt.txt")));
    }
}
