/**
 * Multi-object trackers over per-frame detections: {@link io.modelwork.tracking.track.ByteTracker} (ByteTrack as the
 * reference implements it, with its Kalman filter) and the greedy IoU baseline
 * {@link io.modelwork.tracking.track.IouTracker}. May import {@code core}, {@code metrics} (the linear assignment)
 * and {@code tracking.detect}.
 */
package io.modelwork.tracking.track;
