package io.modelwork.tracking.track;

import io.modelwork.tracking.detect.Detection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** ByteTrack's rules on hand-made sequences: the lost buffer at 10 fps, the low-score second association, the cost limit. */
class ByteTrackerTest {
    static Detection box(double x, double score) { return new Detection((float) x, 100, (float) x + 40, 200, (float) score, 0); }

    /** One object moving 2 px a frame, absent for {@code gap} frames after frame 10. */
    static List<List<Detection>> walk(int gap, double scoreDuringGap) {
        List<List<Detection>> f = new ArrayList<>();
        for (int t = 0; t < 10 + gap + 10; t++) {
            boolean absent = t >= 10 && t < 10 + gap;
            f.add(absent ? (scoreDuringGap > 0 ? List.of(box(100 + 2 * t, scoreDuringGap)) : List.of()) : List.of(box(100 + 2 * t, 0.9)));
        }
        return f;
    }

    static java.util.Set<Integer> ids(List<TrackBox> t) {
        java.util.Set<Integer> s = new java.util.TreeSet<>();
        for (TrackBox b : t) s.add(b.id());
        return s;
    }

    @Test void lostBufferIsScaledByTheFrameRate() {
        ByteTracker.Params p = ByteTracker.Params.defaults(10);
        assertEquals(10, p.maxTimeLost(), "int(10 / 30 · 30)");
        assertEquals(30, ByteTracker.Params.defaults(30).maxTimeLost());
        // absent 9 frames: frame_id − end_frame = 10 ≤ 10 when it returns → re-found with its id
        assertEquals(java.util.Set.of(1), ids(new ByteTracker(p).run(walk(9, 0))));
        // absent 13 frames: removed (the reference drops it one frame after marking it removed) → a new id
        assertEquals(java.util.Set.of(1, 2), ids(new ByteTracker(p).run(walk(13, 0))));
    }

    @Test void lowScoreDetectionsKeepATrackAlive() {
        List<TrackBox> t = new ByteTracker(ByteTracker.Params.defaults(10)).run(walk(5, 0.3));
        assertEquals(java.util.Set.of(1), ids(t));
        assertEquals(25, t.size(), "tracked through the low-score frames too");
        // below the low threshold they are ignored: the track is lost during the gap and output resumes after it
        assertEquals(20, new ByteTracker(ByteTracker.Params.defaults(10)).run(walk(5, 0.05)).size());
    }

    @Test void costLimitIsInsideTheAssignment() {
        // row 0 could take col 0 (0.1) or col 1 (0.3); row 1 only col 0 at 0.35 (limit 0.4):
        // Σ(c − limit): {0-1, 1-0} = (0.3−0.4)+(0.35−0.4) = −0.15 beats {0-0} = −0.3? no: −0.3 < −0.15, so 0-0 alone wins
        int[][] m = ByteTracker.assign(new double[][]{{0.1, 0.3}, {0.35, 0.9}}, 0.4);
        assertEquals(1, m.length);
        assertArrayEquals(new int[]{0, 0}, m[0]);
        // with a higher limit both pairs are worth it
        int[][] m2 = ByteTracker.assign(new double[][]{{0.1, 0.3}, {0.35, 0.9}}, 0.8);
        assertEquals(2, m2.length);
        // nothing under the limit: nothing matched
        assertEquals(0, ByteTracker.assign(new double[][]{{0.9}}, 0.8).length);
    }
}
