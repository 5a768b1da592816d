package io.modelwork.tracking;

import io.modelwork.core.ModelworkException;
import io.modelwork.tracking.detect.Detection;
import io.modelwork.tracking.detect.Detector;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.video.VideoFrame;
import io.modelwork.tracking.video.VideoInfo;
import io.modelwork.tracking.video.VideoSource;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.ObjIntConsumer;

/**
 * One attached video and how prepare_data reads it: the first source frame ({@code start}), the sampling step (every
 * {@code step}-th source frame, from {@code fps=}), the prepared frame count, the region of interest and the resize
 * applied before the detector. Prepared frame {@code i} is source frame {@code start + i·step} (0-based); detections
 * are mapped back to source pixels, so the ground truth, the metrics and the annotated video stay in the video's own
 * coordinates. Fit's cached detections of the prepared frames live here too.
 */
final class TrackingVideo {
    String source;
    VideoInfo info;
    Path gtPath;
    List<MotText.Box> gt = List.of();
    String cameraId;
    // prepare_data
    int start, frames, step = 1;
    int[] roi;          // x, y, w, h in source pixels, or null for the whole frame
    int resizeW, resizeH; // size the (cropped) frame is resized to before the detector; 0 = as is
    // fit
    List<List<Detection>> dets;
    String stopReason;
    /** A live stream's decoder, opened by attach and read on by fit (a stream cannot be decoded twice); closed by close. */
    VideoSource live;

    boolean isStream() { return VideoSource.isStream(source); }

    String name() {
        Path p = Path.of(source).getFileName();
        String n = p == null ? source : p.toString();
        if (n.equals("img1") && Path.of(source).getParent() != null) n = Path.of(source).getParent().getFileName().toString();
        return n.replaceAll("\\.[A-Za-z0-9]+$", "");
    }

    /** The prepared frame rate: the source's rate over the sampling step. */
    double fps() { return (info.fps() > 0 ? info.fps() : 30) / step; }

    /** 0-based source frame of prepared frame {@code i}. */
    int sourceFrame(int i) { return start + i * step; }

    /** Prepared frames fit decoded (≤ {@link #frames} when the source stopped early). */
    int decoded() { return dets == null ? 0 : dets.size(); }

    boolean inRoi(double left, double top, double w, double h) {
        if (roi == null) return true;
        double cx = left + w / 2, cy = top + h / 2;
        return cx >= roi[0] && cy >= roi[1] && cx < roi[0] + roi[2] && cy < roi[1] + roi[3];
    }

    /**
     * Ground truth of prepared frames {@code [from, to)} renumbered from 1; with a region of interest only the boxes
     * whose centre lies inside it (the tracker sees nothing outside).
     */
    List<MotText.Box> gtWindow(int from, int to) {
        List<MotText.Box> out = new ArrayList<>();
        for (MotText.Box b : gt) {
            int f = b.frame() - 1 - start;
            if (f < 0 || f % step != 0) continue;
            int i = f / step;
            if (i < from || i >= to || !inRoi(b.left(), b.top(), b.width(), b.height())) continue;
            out.add(new MotText.Box(i - from + 1, b.id(), b.left(), b.top(), b.width(), b.height(), b.conf(), b.cls(), b.line()));
        }
        return out;
    }

    VideoSource open() { return VideoSource.open(source, info.fps()); }

    void close() {
        if (live != null) { live.close(); live = null; }
    }

    /** Calls {@code each} with the prepared frames {@code [from, to)} (decoded, not cropped) and their prepared index. */
    void frames(int from, int to, ObjIntConsumer<VideoFrame> each) {
        try (VideoSource v = open()) {
            VideoFrame f;
            int last = sourceFrame(to - 1);
            while ((f = v.next()) != null && f.index() <= last) {
                int k = f.index() - start;
                if (k < 0 || k % step != 0) continue;
                int i = k / step;
                if (i >= from) each.accept(f, i);
            }
        }
    }

    /** Runs the detector over the prepared frames (sampling, ROI, resize), keeping what was decoded if the source stops. */
    Mot.Detected detect(Detector det, float conf, float nms, int[] classes, IntConsumer progress) {
        if (isStream()) {
            // a stream goes on from where attach (or an earlier fit) left it: its frames arrive once
            if (live == null) live = open();
            return detect(live, 0, det, conf, nms, classes, progress);
        }
        try (VideoSource v = open()) {
            return detect(v, start, det, conf, nms, classes, progress);
        }
    }

    private Mot.Detected detect(VideoSource v, int first, Detector det, float conf, float nms, int[] classes, IntConsumer progress) {
        List<List<Detection>> out = new ArrayList<>();
        VideoFrame f;
        int base = -1;
        while (out.size() < frames && (f = v.next()) != null) {
            if (base < 0) base = f.index();
            int k = f.index() - base - first;
            if (k < 0 || k % step != 0) continue;
            out.add(detectOne(det, f, conf, nms, classes));
            if (progress != null) progress.accept(out.size());
        }
        return new Mot.Detected(out, out.size(), v.stopReason());
    }

    List<Detection> detectOne(Detector det, VideoFrame f, float conf, float nms, int[] classes) {
        VideoFrame in = crop(f, roi);
        double sx = 1, sy = 1;
        if (resizeW > 0 && (resizeW != in.width() || resizeH != in.height())) {
            sx = (double) in.width() / resizeW;
            sy = (double) in.height() / resizeH;
            in = resize(in, resizeW, resizeH);
        }
        List<Detection> d = det.detect(in, conf, nms, classes);
        if (roi == null && sx == 1 && sy == 1) return d;
        int ox = roi == null ? 0 : roi[0], oy = roi == null ? 0 : roi[1];
        List<Detection> back = new ArrayList<>(d.size());
        for (Detection x : d)
            back.add(new Detection((float) (x.x1() * sx + ox), (float) (x.y1() * sy + oy), (float) (x.x2() * sx + ox),
                    (float) (x.y2() * sy + oy), x.score(), x.cls()));
        return back;
    }

    /** The region {@code roi} (x, y, w, h) of a frame; the frame itself when {@code roi} is null. */
    static VideoFrame crop(VideoFrame f, int[] roi) {
        if (roi == null) return f;
        int w = roi[2], h = roi[3];
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) System.arraycopy(f.bgr(), ((roi[1] + y) * f.width() + roi[0]) * 3, out, y * w * 3, w * 3);
        return new VideoFrame(f.index(), f.seconds(), w, h, out);
    }

    /** Bilinear resize through Java2D (the detector then letterboxes the result to its input side). */
    static VideoFrame resize(VideoFrame f, int w, int h) {
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        var g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(f.toImage(), 0, 0, w, h, null);
        g.dispose();
        return new VideoFrame(f.index(), f.seconds(), w, h, ((DataBufferByte) dst.getRaster().getDataBuffer()).getData());
    }

    /** Checks a region of interest against the frame size. */
    static int[] checkRoi(double[] r, VideoInfo info, String where) {
        if (r == null) return null;
        if (r.length != 4)
            throw new ModelworkException("roi needs four values x,y,w,h (pixels)", where, "e.g. roi=0,100,768,476");
        int[] v = {(int) r[0], (int) r[1], (int) r[2], (int) r[3]};
        if (v[0] < 0 || v[1] < 0 || v[2] < 16 || v[3] < 16 || v[0] + v[2] > info.width() || v[1] + v[3] > info.height())
            throw new ModelworkException("roi " + v[0] + "," + v[1] + "," + v[2] + "," + v[3] + " does not fit in the " + info.width() + "×"
                    + info.height() + " frame (or is under 16 px)", where, "give x,y,w,h with x+w ≤ " + info.width() + " and y+h ≤ " + info.height());
        return v;
    }
}
