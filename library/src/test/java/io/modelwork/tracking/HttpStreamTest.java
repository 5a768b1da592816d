package io.modelwork.tracking;

import com.sun.net.httpserver.HttpServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.Progress;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import io.modelwork.tracking.video.VideoFrame;
import io.modelwork.tracking.video.VideoSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An {@code http://} source goes through the same FFmpeg decoder; a stream that stops mid-way ends the iteration
 * with the frames received so far and a reason.
 */
class HttpStreamTest {
    /** Serves the first {@code 1/fraction} of PETS's bytes while announcing the whole file, then drops the connection. */
    static HttpServer serveCut(int fraction) throws Exception {
        byte[] all = Files.readAllBytes(Assets.root().resolve("data/tracking/vtest.avi"));
        byte[] part = Arrays.copyOf(all, all.length / fraction);
        HttpServer srv = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        srv.createContext("/cut.avi", ex -> {
            ex.sendResponseHeaders(200, all.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(part);
                o.flush();
            } catch (java.io.IOException ignored) {
                // the client may give up first
            }
            ex.close();
        });
        srv.start();
        return srv;
    }

    @Test void aStreamThatStopsMidwayKeepsAndScoresWhatWasTrackedAndCloseClosesTheDecoder(@TempDir Path tmp) throws Exception {
        HttpServer srv = serveCut(8);
        try {
            String url = "http://127.0.0.1:" + srv.getAddress().getPort() + "/cut.avi";
            String gt = Assets.root().resolve("data/tracking/gt.txt").toString();
            try (Session s = Session.create(tmp)) {
                s.progress(Progress.silent());
                s.configure(Args.of("seed", 1, "run_dir", tmp.resolve("run").toString(), "threads", 2));
                StepReport att = s.attachDataset(Args.of("path", url, "gt", gt));
                assertEquals("stream", att.body().get("video").get("kind").asText());
                assertThrows(io.modelwork.core.ModelworkException.class, () -> s.prepareData(Args.empty()), "a stream needs max_frames");
                s.prepareData(Args.of("max_frames", 795));
                s.split(Args.of("segments", 3));
                s.build(Args.of("detector", "yolox_nano"));
                StepReport fit = s.fit(Args.empty());
                int got = fit.body().get("frames").asInt();
                assertTrue(fit.body().get("stopped_early").asBoolean(), fit.body().toString());
                assertTrue(got > 20 && got < 400, "frames before the cut: " + got);
                assertTrue(fit.notes().toString().contains("re-cut"), fit.notes().toString());
                StepReport ev = s.evaluate(Args.of("gallery", 2));
                JsonNode test = ev.body().get("metrics").get("test");
                assertEquals(got - 2 * (got / 3), test.get("frames").asInt(), "the last third of what arrived is the test segment");
                assertTrue(test.get("mota").asDouble() > 0.4, test.toString());
                String notes = ev.notes().toString();
                assertTrue(notes.contains("stopped early") && notes.contains("cannot be decoded again"), notes);
            }
            // close() closes the decoder attach opened and fit read (a stream's frames arrive once)
            TrackingState st = new TrackingState();
            TrackingData.attach(st, Args.of("path", url), null);
            VideoSource live = st.first().live;
            assertNotNull(live);
            assertFalse(live.isClosed());
            assertNotNull(live.next(), "the held decoder reads on");
            st.close();
            assertTrue(live.isClosed());
            assertNull(st.first().live);
            assertNull(live.next(), "a closed decoder gives no frame (and never touches the released native context)");
        } finally {
            srv.stop(0);
        }
    }

    @Test void httpStreamDecodesAndAStreamCutMidwayKeepsItsFrames() throws Exception {
        HttpServer srv = serveCut(5); // announces the whole file, then drops the connection after a fifth of it
        try {
            String url = "http://127.0.0.1:" + srv.getAddress().getPort() + "/cut.avi";
            assertTrue(VideoSource.isStream(url));
            try (VideoSource v = VideoSource.open(url, 0)) {
                assertEquals("stream", v.info().kind());
                assertEquals(768, v.info().width());
                List<VideoFrame> got = v.read(0);
                assertTrue(got.size() > 20 && got.size() < 795, "frames before the cut: " + got.size());
                assertEquals(got.size(), v.decoded());
                assertTrue(v.stoppedEarly() && v.stopReason().contains("stream ended"), v.stopReason());
            }
        } finally {
            srv.stop(0);
        }
    }
}
