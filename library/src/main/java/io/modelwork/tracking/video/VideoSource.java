package io.modelwork.tracking.video;

import io.modelwork.core.ModelworkException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decodes a video into BGR frames with FFmpeg (JavaCV's {@link FFmpegFrameGrabber}); one decoder for every source:
 * <ul>
 *   <li>a video file in any codec FFmpeg knows (PETS2009's MS-MPEG4v3 AVI, H.264 MP4, …);</li>
 *   <li>a folder of numbered frames in MOTChallenge layout ({@code img1/000001.jpg …}, or the sequence folder that
 *       holds {@code img1/} and {@code seqinfo.ini}), read through FFmpeg's {@code image2} demuxer; the frame rate
 *       comes from {@code seqinfo.ini} ({@code frameRate=}), else {@code fps} given by the caller, else 25;</li>
 *   <li>an {@code rtsp://}, {@code rtmp://}, {@code http(s)://} or {@code udp://} URL.</li>
 * </ul>
 * A source that stops early (a truncated file, a stream that drops) ends the iteration: {@link #next()} returns null
 * and {@link #stoppedEarly()} / {@link #stopReason()} say why, so callers keep what they decoded so far. Not
 * thread-safe; {@link #close()} releases the decoder.
 */
public final class VideoSource implements AutoCloseable {
    static { avutil.av_log_set_level(avutil.AV_LOG_QUIET); }

    private static final Pattern FRAME_NAME = Pattern.compile("(\\d+)\\.(jpg|jpeg|png|bmp)", Pattern.CASE_INSENSITIVE);

    private final String source;
    private final String kind;
    private final FFmpegFrameGrabber grabber;
    private final VideoInfo info;
    private int next;
    private String stopReason;
    private boolean ended;
    private volatile boolean closed;

    private VideoSource(String source, String kind, FFmpegFrameGrabber g, double fpsOverride) {
        this.source = source;
        this.kind = kind;
        this.grabber = g;
        double fps = fpsOverride > 0 ? fpsOverride : g.getFrameRate();
        int frames = kind.equals("stream") ? -1 : announcedFrames(g);
        double secs = g.getLengthInTime() > 0 ? g.getLengthInTime() / 1e6 : (frames > 0 && fps > 0 ? frames / fps : -1);
        this.info = new VideoInfo(source, kind, g.getFormat(), g.getVideoCodecName(), fps, frames, g.getImageWidth(),
                g.getImageHeight(), secs);
    }

    /**
     * The frame count the container's header announces (AVI {@code dwLength}, MP4 {@code stsz}: FFmpeg's
     * {@code nb_frames}), which survives a truncated file; else FFmpeg's estimate from duration × rate.
     */
    private static int announcedFrames(FFmpegFrameGrabber g) {
        try {
            long nb = g.getFormatContext().streams(g.getVideoStream()).nb_frames();
            if (nb > 0 && nb < Integer.MAX_VALUE) return (int) nb;
        } catch (RuntimeException e) {
            // no stream information: fall back to the estimate
        }
        return g.getLengthInFrames();
    }

    /** True for URLs FFmpeg reads as network streams. */
    public static boolean isStream(String s) {
        return s.matches("(?i)(rtsp|rtsps|rtmp|http|https|udp|tcp|srt)://.+");
    }

    /** Opens {@code source} (file, frame folder or URL); {@code fps} ≤ 0 = the source's own rate. */
    public static VideoSource open(String source, double fps) {
        if (isStream(source)) return start(source, "stream", new FFmpegFrameGrabber(source), fps, false);
        Path p = Path.of(source);
        if (Files.isDirectory(p)) return openFolder(p, fps);
        if (!Files.isRegularFile(p))
            throw new ModelworkException("The video source does not exist", source,
                    "give a video file, a folder of frames (MOTChallenge img1/ layout) or an rtsp:// / http:// URL");
        try {
            if (Files.size(p) == 0) throw new ModelworkException("The video file is empty (0 bytes)", source, "re-export or re-download the file");
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the video file: " + e.getMessage(), source, "check its permissions");
        }
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(p.toFile());
        return start(source, "file", g, fps, false);
    }

    private static VideoSource openFolder(Path dir, double fps) {
        Path img = Files.isDirectory(dir.resolve("img1")) ? dir.resolve("img1") : dir;
        Path ini = (img.equals(dir) ? dir.getParent() : dir);
        if (fps <= 0 && ini != null && Files.isRegularFile(ini.resolve("seqinfo.ini"))) fps = seqinfoRate(ini.resolve("seqinfo.ini"));
        if (fps <= 0) fps = 25;
        String first = null, ext = null;
        int digits = 0, start = Integer.MAX_VALUE, count = 0;
        try (Stream<Path> s = Files.list(img)) {
            for (Path f : s.sorted().toList()) {
                Matcher m = FRAME_NAME.matcher(f.getFileName().toString());
                if (!m.matches()) continue;
                if (first == null) { first = m.group(1); ext = m.group(2); digits = first.length(); }
                start = Math.min(start, Integer.parseInt(m.group(1)));
                count++;
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot list the frame folder: " + e.getMessage(), img.toString(), "check its permissions");
        }
        if (count == 0)
            throw new ModelworkException("The folder holds no numbered frames", img.toString(),
                    "use MOTChallenge layout: img1/000001.jpg, 000002.jpg, … (jpg, png or bmp)");
        String pattern = img.resolve("%0" + digits + "d." + ext).toString();
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(pattern);
        g.setFormat("image2");
        g.setOption("start_number", Integer.toString(start));
        g.setOption("framerate", Double.toString(fps));
        return start(img.toString(), "frames", g, fps, true);
    }

    /** {@code frameRate=} of a MOTChallenge {@code seqinfo.ini}, or 0. */
    static double seqinfoRate(Path ini) {
        try {
            for (String l : Files.readAllLines(ini)) {
                String t = l.strip().toLowerCase(Locale.ROOT);
                if (t.startsWith("framerate")) return Double.parseDouble(t.substring(t.indexOf('=') + 1).strip());
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static VideoSource start(String source, String kind, FFmpegFrameGrabber g, double fps, boolean fixedRate) {
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        if (kind.equals("stream")) g.setOption("rw_timeout", "10000000");
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            try { g.release(); } catch (FrameGrabber.Exception ignored) { /* already failed */ }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().strip();
            throw new ModelworkException("FFmpeg cannot open the video (" + msg + ")", source,
                    kind.equals("stream") ? "check the URL, the network and that the stream is live"
                            : "check that the file is a complete video (a damaged header or a truncated download cannot be opened)", e);
        }
        if (!g.hasVideo() || g.getImageWidth() <= 0) {
            try { g.release(); } catch (FrameGrabber.Exception ignored) { /* closing */ }
            throw new ModelworkException("The source has no video stream", source,
                    "give a video file (AVI, MP4, MKV…), a frame folder or a video stream; this one is audio-only or empty");
        }
        return new VideoSource(source, kind, g, fixedRate ? fps : fps);
    }

    public VideoInfo info() { return info; }

    /** The next frame, or null at the end (or when the source stopped: see {@link #stoppedEarly()}). */
    public VideoFrame next() {
        if (ended || closed) return null; // never touch a released decoder (native memory)
        Frame f;
        try {
            f = grabber.grabImage();
        } catch (FrameGrabber.Exception e) {
            ended = true;
            stopReason = "decoder error after " + next + " frames: " + (e.getMessage() == null ? e : e.getMessage().strip());
            return null;
        }
        if (f == null || f.image == null) {
            ended = true;
            if (kind.equals("stream"))
                stopReason = "the stream ended after " + next + " frames (a live source has no announced length: what arrived is kept)";
            else if (info.frames() > 0 && next < info.frames() - 1 && !kind.equals("frames"))
                stopReason = "the source ended after " + next + " of " + info.frames() + " frames (truncated or cut off)";
            return null;
        }
        int w = f.imageWidth, h = f.imageHeight, stride = f.imageStride;
        ByteBuffer b = (ByteBuffer) f.image[0];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) b.get(y * stride, out, y * w * 3, w * 3);
        double t = info.fps() > 0 ? next / info.fps() : f.timestamp / 1e6;
        return new VideoFrame(next++, t, w, h, out);
    }

    /** Decodes at most {@code max} frames (≤ 0 = all) from the current position. */
    public List<VideoFrame> read(int max) {
        List<VideoFrame> out = new java.util.ArrayList<>();
        VideoFrame f;
        while ((max <= 0 || out.size() < max) && (f = next()) != null) out.add(f);
        return out;
    }

    /** Frames decoded so far. */
    public int decoded() { return next; }

    /** True when the source ended before the frame count its container announced (or on a decoder error). */
    public boolean stoppedEarly() { return stopReason != null; }

    /** Why the source stopped early, or null. */
    public String stopReason() { return stopReason; }

    /** True once {@link #close()} released the decoder. */
    public boolean isClosed() { return closed; }

    @Override public void close() {
        if (closed) return;
        closed = true;
        try {
            grabber.close();
        } catch (FrameGrabber.Exception ignored) {
            // releasing a decoder that failed is not the caller's problem
        }
    }
}
