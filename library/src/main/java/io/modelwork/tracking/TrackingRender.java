package io.modelwork.tracking;

import io.modelwork.core.ModelworkException;
import io.modelwork.tracking.track.TrackBox;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The annotated video of evaluate: the frames of a segment with each track's box, id and trail (its last
 * {@value #TRAIL} foot points), encoded by FFmpeg (H.264 through openh264 in MP4, so that a browser plays it inline; MPEG-4 Part 2 when
 * the build lacks openh264) and published atomically (written to a
 * temporary file, then moved).
 */
final class TrackingRender {
    static final int TRAIL = 20;
    /** Bits per second of the H.264 stream: 80 PETS frames at 10 fps stay well under the 2 MB inline limit. */
    static final int BITRATE = 800_000;
    /** True when FFmpeg has the openh264 encoder (browsers cannot play MPEG-4 Part 2, the fallback). */
    static final boolean H264 = avcodec.avcodec_find_encoder_by_name("libopenh264") != null;

    /** The codec the annotated video is written with. */
    static String codec() { return H264 ? "H.264 (openh264)" : "MPEG-4 Part 2"; }

    private TrackingRender() { }

    static Color colour(int id) { return Color.getHSBColor((id * 0.618034f) % 1f, 0.9f, 1f); }

    /** Writes the prepared frames of segment {@code g} with its tracks (frames numbered from 1 within the segment) to {@code mp4}. */
    static Path video(TrackingVideo v, TrackingState.Segment g, List<TrackBox> tracks, Path mp4) {
        Map<Integer, List<TrackBox>> byFrame = new HashMap<>();
        for (TrackBox t : tracks) byFrame.computeIfAbsent(t.frame(), k -> new ArrayList<>()).add(t);
        Map<Integer, ArrayDeque<int[]>> trails = new HashMap<>();
        double fps = v.fps();
        Path tmp = null;
        FFmpegFrameRecorder[] rec = {null};
        try {
            Files.createDirectories(mp4.toAbsolutePath().getParent());
            tmp = Files.createTempFile(mp4.toAbsolutePath().getParent(), ".video", ".mp4");
            Path file = tmp;
            try {
                v.frames(g.from(), g.to(), (f, i) -> {
                    try {
                        if (rec[0] == null) rec[0] = recorder(file, f.width(), f.height(), fps);
                        BufferedImage img = f.toImage();
                        if (v.roi != null) {
                            Graphics2D gr = img.createGraphics();
                            gr.setColor(Color.WHITE);
                            gr.drawRect(v.roi[0], v.roi[1], v.roi[2] - 1, v.roi[3] - 1);
                            gr.dispose();
                        }
                        draw(img, byFrame.getOrDefault(i - g.from() + 1, List.of()), trails);
                        Frame fr = new Frame(f.width(), f.height(), Frame.DEPTH_UBYTE, 3);
                        ByteBuffer buf = (ByteBuffer) fr.image[0];
                        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
                        for (int y = 0; y < f.height(); y++) buf.put(y * fr.imageStride, px, y * f.width() * 3, f.width() * 3);
                        rec[0].record(fr, avutil.AV_PIX_FMT_BGR24);
                    } catch (FFmpegFrameRecorder.Exception e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                });
            } finally {
                if (rec[0] != null) { rec[0].stop(); rec[0].release(); }
            }
            Files.move(tmp, mp4, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return mp4;
        } catch (Exception e) {
            try { if (tmp != null) Files.deleteIfExists(tmp); } catch (java.io.IOException ignored) { /* best effort */ }
            throw new ModelworkException("Cannot write the annotated video: " + e.getMessage(), mp4.toString(),
                    "check free disk space; evaluate video=false skips it", e);
        }
    }

    private static FFmpegFrameRecorder recorder(Path file, int w, int h, double fps) throws FFmpegFrameRecorder.Exception {
        FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toFile(), w, h, 0);
        rec.setFormat("mp4");
        rec.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        rec.setFrameRate(fps > 0 ? fps : 25);
        if (H264) {
            // H.264 (Cisco's openh264 in JavaCV's FFmpeg): what browsers play inline in <video>
            rec.setVideoCodecName("libopenh264");
            rec.setVideoBitrate(BITRATE);
            rec.setGopSize((int) Math.round(fps > 0 ? fps : 25) * 2);
        } else {
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setVideoQuality(4);
        }
        rec.start();
        return rec;
    }

    /** Boxes with ids and trails (trails updated in place). */
    static void draw(BufferedImage img, List<TrackBox> boxes, Map<Integer, ArrayDeque<int[]>> trails) {
        Graphics2D g = img.createGraphics();
        g.setStroke(new BasicStroke(2));
        for (TrackBox b : boxes) {
            ArrayDeque<int[]> t = trails.computeIfAbsent(b.id(), k -> new ArrayDeque<>());
            t.addLast(new int[]{(int) (b.left() + b.width() / 2), (int) (b.top() + b.height())});
            if (t.size() > TRAIL) t.removeFirst();
            g.setColor(colour(b.id()));
            g.drawRect((int) b.left(), (int) b.top(), (int) b.width(), (int) b.height());
            g.drawString("#" + b.id(), (int) b.left() + 2, (int) b.top() + 12);
            int[] prev = null;
            for (int[] p : t) {
                if (prev != null) g.drawLine(prev[0], prev[1], p[0], p[1]);
                prev = p;
            }
        }
        g.dispose();
    }
}
