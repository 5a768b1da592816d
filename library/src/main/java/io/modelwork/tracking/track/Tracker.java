package io.modelwork.tracking.track;

import io.modelwork.tracking.detect.Detection;

import java.util.List;

/** A tracker fed one frame of detections at a time, in order; returns the boxes it outputs for that frame. */
public interface Tracker {
    List<TrackBox> update(List<Detection> detections);

    /** Runs a whole sequence (frame i of the list = frame i+1). */
    default List<TrackBox> run(List<List<Detection>> frames) {
        List<TrackBox> out = new java.util.ArrayList<>();
        for (List<Detection> f : frames) out.addAll(update(f));
        return out;
    }
}
