package io.modelwork.tracking.track;

/** One tracker output box: 1-based frame, track id, top-left, size (MOTChallenge order) and the detection score. */
public record TrackBox(int frame, int id, double left, double top, double width, double height, double score) {
    /** The MOTChallenge tracker line {@code frame,id,left,top,w,h,conf,-1,-1,-1}. */
    public String motLine() {
        return String.format(java.util.Locale.ROOT, "%d,%d,%.2f,%.2f,%.2f,%.2f,%.4f,-1,-1,-1", frame, id, left, top, width, height, score);
    }
}
