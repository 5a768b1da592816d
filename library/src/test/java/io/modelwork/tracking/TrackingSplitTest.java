package io.modelwork.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Progress;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import io.modelwork.tracking.metrics.MotMetrics;
import io.modelwork.tracking.video.VideoFrame;
import io.modelwork.tracking.video.VideoSource;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * split by video: three real clips cut from PETS2009 S2.L1 (frames 1–30, 31–60, 61–90, each MPEG-4 with its own
 * renumbered MOTChallenge ground truth {@code <name>.gt.txt}) in one folder; whole videos go to one set each, and a
 * single video is cut into contiguous time segments.
 */
class TrackingSplitTest {
    static final Path DATA = Assets.root().resolve("data/tracking");
    static final int CLIP = 30;
    @TempDir static Path dir;
    static Path clips;

    @BeforeAll static void cutClips() throws Exception {
        clips = dir.resolve("clips");
        Files.createDirectories(clips);
        List<String> gt = Files.readAllLines(DATA.resolve("gt.txt"));
        try (VideoSource v = VideoSource.open(DATA.resolve("vtest.avi").toString(), 0)) {
            for (String name : List.of("a", "b", "c")) {
                FFmpegFrameRecorder rec = new FFmpegFrameRecorder(clips.resolve(name + ".mp4").toFile(), 768, 576, 0);
                rec.setFormat("mp4");
                rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                rec.setFrameRate(10);
                rec.setVideoQuality(2);
                rec.start();
                int first = -1;
                for (int i = 0; i < CLIP; i++) {
                    VideoFrame f = v.next();
                    if (first < 0) first = f.index();
                    Frame fr = new Frame(f.width(), f.height(), Frame.DEPTH_UBYTE, 3);
                    ByteBuffer buf = (ByteBuffer) fr.image[0];
                    for (int y = 0; y < f.height(); y++) buf.put(y * fr.imageStride, f.bgr(), y * f.width() * 3, f.width() * 3);
                    rec.record(fr, avutil.AV_PIX_FMT_BGR24);
                }
                rec.stop();
                rec.release();
                List<String> own = new ArrayList<>();
                for (String l : gt) {
                    String[] p = l.split(",", 2);
                    int fno = Integer.parseInt(p[0].strip());
                    if (fno > first && fno <= first + CLIP) own.add((fno - first) + "," + p[1]);
                }
                Files.write(clips.resolve(name + ".gt.txt"), own);
            }
        }
    }

    static Session session(Path tmp) {
        Session s = Session.create(tmp);
        s.progress(Progress.silent());
        s.configure(Args.of("seed", 1, "run_dir", tmp.resolve("run").toString(), "threads", 2));
        return s;
    }

    @Test void aFolderOfVideosIsSplitByWholeVideoAndEvaluatedOnTheTestVideoOnly(@TempDir Path tmp) throws Exception {
        try (Session s = session(tmp)) {
            StepReport att = s.attachDataset(Args.of("path", clips.toString()));
            assertEquals(3, att.body().get("videos").size());
            for (JsonNode v : att.body().get("videos")) assertTrue(v.get("gt").asText().endsWith(v.get("name").asText() + ".gt.txt"), v.toString());
            s.prepareData(Args.empty());
            // segments= would mix one video's frames into two sets: refused with the way out
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.split(Args.of("segments", 3)));
            assertTrue(e.fix().contains("fractions") && e.fix().contains("validation="), e.fix());
            // a misspelt video name: did you mean
            e = assertThrows(ModelworkException.class, () -> s.split(Args.of("test", "cc")));
            assertTrue(e.fix().contains("'c'"), e.fix());
            StepReport sp = s.split(Args.empty());
            assertEquals("video", sp.body().get("by").asText());
            assertEquals("a", sp.body().get("train_segments").get(0).get("video").asText());
            assertEquals("b", sp.body().get("validation_segments").get(0).get("video").asText());
            assertEquals("c", sp.body().get("test_segments").get(0).get("video").asText());
            Set<String> seen = new HashSet<>();
            for (String set : List.of("train_segments", "validation_segments", "test_segments"))
                for (JsonNode g : sp.body().get(set)) {
                    assertTrue(seen.add(g.get("video").asText()), "a video in two sets: " + sp.body());
                    assertEquals(1, g.get("from").asInt());
                    assertEquals(CLIP, g.get("to").asInt(), "a whole video per set");
                }
            s.build(Args.of("detector", "yolox_nano"));
            s.fit(Args.empty());
            StepReport ev = s.evaluate(Args.of("gallery", 0, "video", false));
            JsonNode test = ev.body().get("metrics").get("test");
            assertEquals(CLIP, test.get("frames").asInt(), "only the test video is scored");
            // the same figures as scoring the test video's tracks file against its own ground truth (metrics mot)
            Path tracks = Path.of(ev.body().get("tracks_file").asText());
            MotMetrics m = MotMetrics.evaluate(clips.resolve("c.gt.txt"), tracks, CLIP);
            assertEquals(m.hotaValue(), test.get("hota").asDouble(), 1e-12);
            assertEquals(m.mota(), test.get("mota").asDouble(), 1e-12);
            assertTrue(test.get("mota").asDouble() > 0.4, test.toString());
            assertEquals(CLIP, ev.body().get("metrics").get("validation").get("frames").asInt());
            // names instead of the default order
            StepReport named = s.split(Args.of("validation", "c", "test", "a"));
            assertEquals("a", named.body().get("test_segments").get(0).get("video").asText());
            assertEquals("b", named.body().get("train_segments").get(0).get("video").asText());
        }
    }

    @Test void aCommaListOfVideosSplitsByFractionsOfVideos(@TempDir Path tmp) {
        try (Session s = session(tmp)) {
            s.attachDataset(Args.of("path", clips.resolve("a.mp4") + "," + clips.resolve("b.mp4"), "task", "tracking"));
            s.prepareData(Args.of("max_frames", 10));
            StepReport sp = s.split(Args.of("fractions", "0,0.5,0.5"));
            assertEquals(0, sp.body().get("train_segments").size());
            assertEquals("a", sp.body().get("validation_segments").get(0).get("video").asText());
            assertEquals("b", sp.body().get("test_segments").get(0).get("video").asText());
            assertEquals(10, sp.body().get("test_segments").get(0).get("to").asInt());
        }
    }

    @Test void oneVideoIsCutIntoContiguousTimeSegments(@TempDir Path tmp) {
        try (Session s = session(tmp)) {
            s.attachDataset(Args.of("path", DATA.resolve("vtest.avi").toString()));
            s.prepareData(Args.of("max_frames", 100));
            StepReport sp = s.split(Args.of("segments", 5));
            assertEquals("time", sp.body().get("by").asText());
            // 5 segments of 20: the first 3 train, then validation, the last test (what is left)
            assertEquals(60, sp.body().get("train_segments").get(0).get("to").asInt());
            assertEquals(61, sp.body().get("validation_segments").get(0).get("from").asInt());
            assertEquals(80, sp.body().get("validation_segments").get(0).get("to").asInt());
            assertEquals(81, sp.body().get("test_segments").get(0).get("from").asInt());
            assertEquals(100, sp.body().get("test_segments").get(0).get("to").asInt());
            StepReport fr = s.split(Args.of("fractions", "0.5,0.25,0.25"));
            assertEquals(50, fr.body().get("train_segments").get(0).get("to").asInt());
            assertEquals(75, fr.body().get("validation_segments").get(0).get("to").asInt());
            assertThrows(ModelworkException.class, () -> s.split(Args.of("test", "vtest")), "names are for several videos");
        }
    }
}
