package io.modelwork.tracking;

import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.tracking.detect.Detection;
import io.modelwork.tracking.detect.OnnxDetector;
import io.modelwork.tracking.detect.OnnxDetectorAccess;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.video.VideoFrame;
import io.modelwork.tracking.video.VideoSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Bad inputs of the tracking pipeline, each a ModelworkException (or a kept partial result) that says what happened. */
class TrackingBadInputTest {
    static final Path DATA = Assets.root().resolve("data/tracking");

    @Test void truncatedVideoKeepsTheFramesDecodedAndSaysSo(@TempDir Path tmp) throws Exception {
        byte[] all = Files.readAllBytes(DATA.resolve("vtest.avi"));
        Path cut = tmp.resolve("cut.avi");
        Files.write(cut, Arrays.copyOf(all, all.length / 4));
        try (VideoSource v = VideoSource.open(cut.toString(), 0)) {
            List<VideoFrame> frames = v.read(0);
            assertTrue(frames.size() > 50 && frames.size() < 795, "decoded " + frames.size());
            assertTrue(v.stoppedEarly(), "a truncated file is reported as stopped early");
            assertTrue(v.stopReason().contains("of 795"), v.stopReason());
        }
    }

    @Test void headerOnlyFileCannotBeOpened(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.avi");
        Files.write(bad, Arrays.copyOf(Files.readAllBytes(DATA.resolve("vtest.avi")), 64));
        ModelworkException e = assertThrows(ModelworkException.class, () -> VideoSource.open(bad.toString(), 0).close());
        assertTrue(e.getMessage().contains("FFmpeg") || e.getMessage().contains("no video"), e.getMessage());
    }

    @Test void audioOnlyFileHasNoVideoStream() {
        Path wav = Assets.root().resolve("data/asr/jfk.wav");
        ModelworkException e = assertThrows(ModelworkException.class, () -> VideoSource.open(wav.toString(), 0).close());
        assertTrue(e.getMessage().contains("no video stream"), e.getMessage());
    }

    @Test void malformedGroundTruthLineNamesTheLine(@TempDir Path tmp) throws Exception {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(DATA.resolve("gt.txt")).subList(0, 10));
        lines.set(6, "7,3,12.5,abc,30,80,1,1,1");
        Path gt = tmp.resolve("gt.txt");
        Files.write(gt, lines);
        ModelworkException e = assertThrows(ModelworkException.class, () -> MotText.read(gt, true));
        assertTrue(e.where().endsWith(":7"), e.where());
    }

    @Test void detectorOfUnknownLayoutIsRefused() {
        Path backbone = Assets.root().resolve("models/backbone/mobilenetv2-12-int8.onnx");
        ModelworkException e = assertThrows(ModelworkException.class, () -> OnnxDetector.load(backbone.toString(), 1).close());
        assertTrue(e.getMessage().contains("Unknown detector output layout"), e.getMessage());
        assertTrue(e.fix().contains("YOLOv8"), e.fix());
        assertThrows(ModelworkException.class, () -> OnnxDetector.load("yolo_nonexistent", 1));
    }

    @Test void frameFolderInMotLayoutDecodesThroughFfmpeg(@TempDir Path tmp) throws Exception {
        Path seq = tmp.resolve("PETS-S2L1"), img = seq.resolve("img1");
        Files.createDirectories(img);
        try (VideoSource v = VideoSource.open(DATA.resolve("vtest.avi").toString(), 0)) {
            for (int i = 1; i <= 3; i++) javax.imageio.ImageIO.write(v.next().toImage(), "png", img.resolve(String.format("%06d.png", i)).toFile());
        }
        Files.writeString(seq.resolve("seqinfo.ini"), "[Sequence]\nname=PETS\nframeRate=7\nseqLength=3\n");
        try (VideoSource v = VideoSource.open(seq.toString(), 0)) {
            assertEquals(7.0, v.info().fps(), 1e-9);
            assertEquals("frames", v.info().kind());
            assertEquals(768, v.info().width());
            assertEquals(3, v.read(0).size());
            assertFalse(v.stoppedEarly());
        }
    }

    @Test void yolov8LayoutDecodes() {
        // two candidates, 4 + 2 classes, column-major per candidate as Ultralytics exports [1, 6, N]
        int n = 2;
        float[] o = new float[6 * n];
        float[][] cols = {{100, 50, 20, 40, 0.9f, 0.1f}, {10, 10, 4, 4, 0.05f, 0.02f}};
        for (int j = 0; j < n; j++) for (int r = 0; r < 6; r++) o[r * n + j] = cols[j][r];
        List<Detection> d = OnnxDetectorAccess.yolov8(o, 6, n, 0.25f, new int[]{0});
        assertEquals(1, d.size());
        assertEquals(90, d.get(0).x1(), 1e-4);
        assertEquals(70, d.get(0).y2(), 1e-4);
        assertEquals(0.9f, d.get(0).score(), 1e-6);
    }

    @Test void bothDetectorsBoxTheGroundTruthOfPetsFrameOne() {
        VideoFrame f;
        try (VideoSource v = VideoSource.open(DATA.resolve("vtest.avi").toString(), 0)) { f = v.next(); }
        List<MotText.Box> gt = MotText.read(DATA.resolve("gt.txt"), true).stream().filter(b -> b.frame() == 1).toList();
        for (String name : List.of("yolox_nano", "nanodet_m")) {
            try (OnnxDetector det = OnnxDetector.load(name, 1)) {
                List<Detection> d = det.detect(f, 0.3f, 0.45f, new int[]{0});
                long hit = gt.stream().filter(g -> d.stream().anyMatch(x -> x.iou(new Detection((float) g.left(), (float) g.top(),
                        (float) (g.left() + g.width()), (float) (g.top() + g.height()), 1, 0)) >= 0.5)).count();
                // measured: both box the 3 walking people of frame 1 at IoU ≥ 0.5, the MOT threshold (NanoDet needs the half-cell centre offset)
                assertTrue(hit >= 3, name + " boxes " + hit + " of " + gt.size() + " ground-truth people at IoU ≥ 0.5: " + d);
            }
        }
    }

    @Test void yoloxFindsThePersonInTheStillImage() throws Exception {
        var img = javax.imageio.ImageIO.read(DATA.resolve("still_images/person.jpg").toFile());
        var bgr = new java.awt.image.BufferedImage(img.getWidth(), img.getHeight(), java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(img, 0, 0, null);
        byte[] px = ((java.awt.image.DataBufferByte) bgr.getRaster().getDataBuffer()).getData();
        VideoFrame f = new VideoFrame(0, 0, img.getWidth(), img.getHeight(), px);
        for (String name : List.of("yolox_nano", "nanodet_m")) {
            try (OnnxDetector det = OnnxDetector.load(name, 1)) {
                List<Detection> all = det.detect(f, 0.35f, 0.45f, new int[0]);
                assertTrue(all.stream().anyMatch(d -> d.cls() == 0 && d.score() > 0.5), name + " finds a person: " + all);
            }
        }
    }
}
