package io.modelwork.tracking.track;

import io.modelwork.metrics.LinearSumAssignment;
import io.modelwork.tracking.detect.Detection;

import java.util.ArrayList;
import java.util.List;

/**
 * ByteTrack (Zhang et al. 2022) as its reference {@code BYTETracker.update} behaves, frame by frame:
 * <ol>
 *   <li>split detections: high (score &gt; {@code trackThresh}) and low ({@code lowThresh} &lt; score &lt; trackThresh);</li>
 *   <li>Kalman-predict the confirmed and lost tracks (a lost track's height velocity is zeroed first) and associate
 *       them with the high detections on IoU distance fused with the score ({@code 1 − IoU·score}), cost limit
 *       {@code matchThresh}; a matched lost track is re-found with its old id;</li>
 *   <li>associate the remaining <i>tracked</i> tracks with the low detections on plain IoU distance, limit 0.5; tracks
 *       still unmatched become lost;</li>
 *   <li>unconfirmed tracks (one frame old; not predicted, as in the reference) against the leftover high detections,
 *       fused cost, limit 0.7; unmatched unconfirmed tracks are removed;</li>
 *   <li>leftover high detections with score ≥ {@code trackThresh + newTrackMargin} (reference: +0.1) start tracks,
 *       confirmed at once only in frame 1;</li>
 *   <li>lost tracks older than {@code int(fps / 30 · buffer)} frames (10 at 10 fps with the default buffer 30) are
 *       removed (as in the reference, a track removed this frame leaves the lost list only in the next frame, so it
       can still be re-found once); duplicates between tracked and lost (IoU distance &lt; 0.15) keep the older one.</li>
 * </ol>
 * The assignments are the reference's {@code lap.lapjv(cost, extend_cost=True, cost_limit=thresh)}: a pair is matched
 * only if that lowers the total against leaving both unmatched at {@code thresh/2} each, i.e. the optimal matching of
 * Σ (cost − thresh) over matched pairs — solved here by {@link LinearSumAssignment} on {@code min(cost − thresh, 0)}
 * (pairs at zero are dropped). The limit is inside the assignment, not applied after it.
 *
 * <p>Deliberate differences: IoU uses continuous coordinates (the reference's {@code cython_bbox} adds +1 pixel to
 * widths and heights); track ids count from 1 per tracker instance (the reference uses a process-wide counter), so
 * two runs give the same ids; the output box is the Kalman state after the update, as in the reference.
 */
public final class ByteTracker implements Tracker {

    /** ByteTrack's parameters; {@link #defaults(double)} gives the reference's at a frame rate. */
    public record Params(double trackThresh, double lowThresh, double matchThresh, int buffer, double fps, double newTrackMargin) {
        public static Params defaults(double fps) { return new Params(0.5, 0.1, 0.8, 30, fps, 0.1); }
        public Params withTrack(double t) { return new Params(t, lowThresh, matchThresh, buffer, fps, newTrackMargin); }
        public Params withMatch(double m) { return new Params(trackThresh, lowThresh, m, buffer, fps, newTrackMargin); }
        public Params withBuffer(int b) { return new Params(trackThresh, lowThresh, matchThresh, b, fps, newTrackMargin); }
        public Params withLow(double l) { return new Params(trackThresh, l, matchThresh, buffer, fps, newTrackMargin); }
        public Params withMargin(double m) { return new Params(trackThresh, lowThresh, matchThresh, buffer, fps, m); }
        /** Frames a lost track is kept: {@code int(fps / 30 · buffer)}. */
        public int maxTimeLost() { return (int) (fps / 30.0 * buffer); }
    }

    private enum State { TRACKED, LOST, REMOVED }

    private static final class STrack {
        final double[] tlwh0;
        double[] mean, cov;
        double score;
        int id, frameId, startFrame;
        boolean activated;
        State state = State.TRACKED;

        STrack(Detection d) {
            tlwh0 = new double[]{d.x1(), d.y1(), d.x2() - d.x1(), d.y2() - d.y1()};
            score = d.score();
        }

        double[] tlwh() {
            if (mean == null) return tlwh0.clone();
            double w = mean[2] * mean[3], h = mean[3];
            return new double[]{mean[0] - w / 2, mean[1] - h / 2, w, h};
        }

        double[] tlbr() { double[] t = tlwh(); return new double[]{t[0], t[1], t[0] + t[2], t[1] + t[3]}; }

        static double[] xyah(double[] t) { return new double[]{t[0] + t[2] / 2, t[1] + t[3] / 2, t[2] / t[3], t[3]}; }
    }

    private final Params p;
    private final int maxTimeLost;
    private List<STrack> tracked = new ArrayList<>(), lost = new ArrayList<>();
    private int frameId, nextId = 1;
    /** Ids removed in earlier frames: the reference subtracts them from the lost list before adding this frame's. */
    private final java.util.Set<Integer> removedIds = new java.util.HashSet<>();

    public ByteTracker(Params p) {
        this.p = p;
        this.maxTimeLost = p.maxTimeLost();
    }

    public Params params() { return p; }

    @Override public List<TrackBox> update(List<Detection> dets) {
        frameId++;
        List<STrack> activated = new ArrayList<>(), refound = new ArrayList<>(), newLost = new ArrayList<>(), removed = new ArrayList<>();
        List<STrack> high = new ArrayList<>(), low = new ArrayList<>();
        for (Detection d : dets) {
            if (d.x2() <= d.x1() || d.y2() <= d.y1()) continue;
            if (d.score() > p.trackThresh()) high.add(new STrack(d));
            else if (d.score() > p.lowThresh()) low.add(new STrack(d));
        }
        List<STrack> unconfirmed = new ArrayList<>(), confirmed = new ArrayList<>();
        for (STrack t : tracked) (t.activated ? confirmed : unconfirmed).add(t);
        List<STrack> pool = join(confirmed, lost);
        for (STrack t : pool) {
            double[] m = t.mean.clone();
            if (t.state != State.TRACKED) m[7] = 0;
            KalmanBoxFilter.predict(m, t.cov);
            t.mean = m;
        }
        // first association: high detections, fused IoU·score
        int[][] m1 = assign(fuse(iouDistance(pool, high), high), p.matchThresh());
        boolean[] poolMatched = new boolean[pool.size()], highMatched = new boolean[high.size()];
        for (int[] ij : m1) {
            STrack t = pool.get(ij[0]);
            STrack d = high.get(ij[1]);
            poolMatched[ij[0]] = highMatched[ij[1]] = true;
            if (t.state == State.TRACKED) { update(t, d); activated.add(t); } else { reactivate(t, d); refound.add(t); }
        }
        // second association: remaining tracked tracks with low detections, plain IoU
        List<STrack> rTracked = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) if (!poolMatched[i] && pool.get(i).state == State.TRACKED) rTracked.add(pool.get(i));
        int[][] m2 = assign(iouDistance(rTracked, low), 0.5);
        boolean[] rMatched = new boolean[rTracked.size()];
        for (int[] ij : m2) {
            STrack t = rTracked.get(ij[0]);
            rMatched[ij[0]] = true;
            if (t.state == State.TRACKED) { update(t, low.get(ij[1])); activated.add(t); } else { reactivate(t, low.get(ij[1])); refound.add(t); }
        }
        for (int i = 0; i < rTracked.size(); i++) {
            STrack t = rTracked.get(i);
            if (!rMatched[i] && t.state != State.LOST) { t.state = State.LOST; newLost.add(t); }
        }
        // unconfirmed tracks with the leftover high detections
        List<STrack> left = new ArrayList<>();
        for (int j = 0; j < high.size(); j++) if (!highMatched[j]) left.add(high.get(j));
        int[][] m3 = assign(fuse(iouDistance(unconfirmed, left), left), 0.7);
        boolean[] uMatched = new boolean[unconfirmed.size()], leftMatched = new boolean[left.size()];
        for (int[] ij : m3) {
            update(unconfirmed.get(ij[0]), left.get(ij[1]));
            activated.add(unconfirmed.get(ij[0]));
            uMatched[ij[0]] = leftMatched[ij[1]] = true;
        }
        for (int i = 0; i < unconfirmed.size(); i++)
            if (!uMatched[i]) { unconfirmed.get(i).state = State.REMOVED; removed.add(unconfirmed.get(i)); }
        // new tracks
        for (int j = 0; j < left.size(); j++) {
            STrack t = left.get(j);
            if (leftMatched[j] || t.score < p.trackThresh() + p.newTrackMargin()) continue;
            activate(t);
            activated.add(t);
        }
        for (STrack t : lost)
            if (frameId - t.frameId > maxTimeLost) { t.state = State.REMOVED; removed.add(t); }
        List<STrack> still = new ArrayList<>();
        for (STrack t : tracked) if (t.state == State.TRACKED) still.add(t);
        tracked = join(join(still, activated), refound);
        List<STrack> l2 = new ArrayList<>();
        for (STrack t : lost) if (!containsId(tracked, t.id)) l2.add(t);
        l2.addAll(newLost);
        List<STrack> l3 = new ArrayList<>();
        for (STrack t : l2) if (!removedIds.contains(t.id)) l3.add(t);
        lost = l3;
        for (STrack t : removed) removedIds.add(t.id);
        removeDuplicates();
        List<TrackBox> out = new ArrayList<>();
        for (STrack t : tracked) {
            if (!t.activated) continue;
            double[] b = t.tlwh();
            out.add(new TrackBox(frameId, t.id, b[0], b[1], b[2], b[3], t.score));
        }
        return out;
    }

    private void activate(STrack t) {
        t.id = nextId++;
        t.mean = new double[8];
        t.cov = new double[64];
        KalmanBoxFilter.initiate(STrack.xyah(t.tlwh0), t.mean, t.cov);
        t.state = State.TRACKED;
        t.activated = frameId == 1;
        t.frameId = t.startFrame = frameId;
    }

    private void update(STrack t, STrack d) {
        t.frameId = frameId;
        KalmanBoxFilter.update(t.mean, t.cov, STrack.xyah(d.tlwh0));
        t.state = State.TRACKED;
        t.activated = true;
        t.score = d.score;
    }

    private void reactivate(STrack t, STrack d) { update(t, d); }

    private static boolean containsId(List<STrack> l, int id) {
        for (STrack t : l) if (t.id == id) return true;
        return false;
    }

    private static List<STrack> join(List<STrack> a, List<STrack> b) {
        List<STrack> out = new ArrayList<>(a);
        for (STrack t : b) if (!containsId(out, t.id)) out.add(t);
        return out;
    }

    private void removeDuplicates() {
        double[][] d = iouDistance(tracked, lost);
        boolean[] dupT = new boolean[tracked.size()], dupL = new boolean[lost.size()];
        for (int i = 0; i < tracked.size(); i++)
            for (int j = 0; j < lost.size(); j++) {
                if (d[i][j] >= 0.15) continue;
                int tp = tracked.get(i).frameId - tracked.get(i).startFrame, tq = lost.get(j).frameId - lost.get(j).startFrame;
                if (tp > tq) dupL[j] = true; else dupT[i] = true;
            }
        List<STrack> a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < tracked.size(); i++) if (!dupT[i]) a.add(tracked.get(i));
        for (int j = 0; j < lost.size(); j++) if (!dupL[j]) b.add(lost.get(j));
        tracked = a;
        lost = b;
    }

    static double[][] iouDistance(List<STrack> a, List<STrack> b) {
        double[][] c = new double[a.size()][b.size()];
        for (int i = 0; i < a.size(); i++) {
            double[] x = a.get(i).tlbr();
            for (int j = 0; j < b.size(); j++) c[i][j] = 1 - iou(x, b.get(j).tlbr());
        }
        return c;
    }

    static double iou(double[] a, double[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]), ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih, u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return u <= 0 ? 0 : inter / u;
    }

    private static double[][] fuse(double[][] cost, List<STrack> dets) {
        for (double[] row : cost) for (int j = 0; j < row.length; j++) row[j] = 1 - (1 - row[j]) * dets.get(j).score;
        return cost;
    }

    /** lapjv with {@code cost_limit}: the optimal matching of Σ (cost − limit) over matched pairs; pairs [row, col]. */
    static int[][] assign(double[][] cost, double limit) {
        if (cost.length == 0 || cost[0].length == 0) return new int[0][];
        double[][] c = new double[cost.length][cost[0].length];
        for (int i = 0; i < c.length; i++) for (int j = 0; j < c[i].length; j++) c[i][j] = Math.min(cost[i][j] - limit, 0);
        LinearSumAssignment.Result r = LinearSumAssignment.minimize(c);
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < r.size(); k++) if (cost[r.rows()[k]][r.cols()[k]] < limit) out.add(new int[]{r.rows()[k], r.cols()[k]});
        return out.toArray(new int[0][]);
    }
}
