package io.modelwork.tracking;

import com.sun.net.httpserver.HttpServer;
import io.modelwork.core.Assets;
import io.modelwork.tracking.video.VideoFrame;
import io.modelwork.tracking.video.VideoSource;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An {@code http://} source goes through the same FFmpeg decoder; a stream that stops mid-way ends the iteration
 * with the frames received so far and a reason.
 */
class HttpStreamTest {
    @Test void httpStreamDecodesAndAStreamCutMidwayKeepsItsFrames() throws Exception {
        byte[] all = Files.readAllBytes(Assets.root().resolve("data/tracking/vtest.avi"));
        byte[] part = Arrays.copyOf(all, all.length / 5);
        HttpServer srv = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        srv.createContext("/cut.avi", ex -> {
            // announces the whole file, then drops the connection after a fifth of it
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
