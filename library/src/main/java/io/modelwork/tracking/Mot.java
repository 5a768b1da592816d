package io.modelwork.tracking;

import io.modelwork.tracking.detect.Detection;
import io.modelwork.tracking.detect.Detector;
import io.modelwork.tracking.metrics.MotMetrics;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.track.TrackBox;
import io.modelwork.tracking.video.VideoFrame;
import io.modelwork.tracking.video.VideoSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/** Glue between decoder, detector, tracker and the TrackEval-exact metrics (frame {@code i} of a list = MOT frame {@code i+1}). */
public final class Mot {
    private Mot() { }

    /** Detections of frames {@code [from, to)} of an open source (decoding from its current position, which must be {@code from}). */
    public record Detected(List<List<Detection>> frames, int decoded, String stopReason) { }

    /** Decodes and detects up to {@code count} frames (≤ 0 = to the end); keeps what was decoded when the source stops early. */
    public static Detected detect(VideoSource src, Detector det, int count, float conf, float nms, int[] classes, IntConsumer progress) {
        List<List<Detection>> out = new ArrayList<>();
        VideoFrame f;
        while ((count <= 0 || out.size() < count) && (f = src.next()) != null) {
            out.add(det.detect(f, conf, nms, classes));
            if (progress != null) progress.accept(out.size());
        }
        return new Detected(out, out.size(), src.stopReason());
    }

    /** Tracker output as MOTChallenge boxes, shifted by {@code frameOffset} (0 = the frames as given). */
    public static List<MotText.Box> boxes(List<TrackBox> tracks, int frameOffset) {
        List<MotText.Box> out = new ArrayList<>(tracks.size());
        int line = 0;
        for (TrackBox t : tracks)
            out.add(new MotText.Box(t.frame() + frameOffset, t.id(), t.left(), t.top(), t.width(), t.height(), t.score(), MotText.NO_CLASS, ++line));
        return out;
    }

    /** Ground truth of frames {@code [from+1, from+count]} renumbered from 1. */
    public static List<MotText.Box> gtWindow(List<MotText.Box> gt, int from, int count) {
        List<MotText.Box> out = new ArrayList<>();
        for (MotText.Box b : gt)
            if (b.frame() > from && b.frame() <= from + count)
                out.add(new MotText.Box(b.frame() - from, b.id(), b.left(), b.top(), b.width(), b.height(), b.conf(), b.cls(), b.line()));
        return out;
    }

    /** Scores tracks of {@code count} frames (renumbered from 1) against the ground truth window. */
    public static MotMetrics score(List<MotText.Box> gtWindow, List<TrackBox> tracks, int count, String where) {
        return MotMetrics.evaluate(gtWindow, boxes(tracks, 0), count, where, "tracker output");
    }
}
