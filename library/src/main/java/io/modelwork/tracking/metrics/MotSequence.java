package io.modelwork.tracking.metrics;

import io.modelwork.core.ModelworkException;
import io.modelwork.metrics.LinearSumAssignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One sequence after TrackEval's MOTChallenge pre-processing ({@code MotChallenge2DBox.get_preprocessed_seq_data}),
 * ready for {@link Hota}, {@link Clear} and {@link Identity}: per frame the ground-truth ids, the tracker ids (both
 * relabelled to 0…n−1 in ascending order of the original ids) and the IoU matrix (ground truth × tracker, both in
 * file order within the frame, as TrackEval keeps them).
 *
 * <p>Pre-processing, as TrackEval does it for MOT17 (the default benchmark):
 * <ol>
 *   <li>ids must be unique within a frame, in both files (TrackEval raises; so does this class, with the lines);</li>
 *   <li>a tracker class above 1 is refused ("evaluation is only valid for pedestrian class");</li>
 *   <li>when the ground truth has a class column: every class must be one of MOTChallenge's 13; tracker boxes matched
 *       (Hungarian on IoU, pairs below 0.5 zeroed) to a ground-truth box of a distractor class
 *       ({@code person_on_vehicle} 2, {@code static_person} 7, {@code distractor} 8, {@code reflection} 12) are
 *       removed; then only ground truth with a non-zero {@code conf} and class 1 (pedestrian) is kept;</li>
 *   <li>when the ground truth has no class column (TrackEval would refuse such a file for MOT17; MOT15 has none), the
 *       distractor step is skipped and only ground truth with {@code int(conf) == 0} is dropped.</li>
 * </ol>
 * For PETS2009 S2.L1's {@code gt.txt} (class 1 and conf 1 on every line) step 3 runs and removes nothing.
 *
 * <p>The number of frames is the largest frame in either file unless given (TrackEval reads it from
 * {@code seqinfo.ini}); it only changes {@code CLR_Frames}.
 */
public final class MotSequence {
    /** MOT17's distractor classes (TrackEval {@code distractor_class_names} without MOT20's {@code non_mot_vehicle}). */
    static final int[] DISTRACTOR_CLASSES = {2, 7, 8, 12};
    /** MOTChallenge's class numbers 1…13. */
    static final int MAX_CLASS = 13;
    static final double EPS = Math.ulp(1.0); // np.finfo('float').eps

    final int numFrames;
    final int[][] gtIds;
    final int[][] trIds;
    final double[][][] sim;
    final int numGtIds;
    final int numTrIds;
    final int numGtDets;
    final int numTrDets;
    /** Tracker boxes removed because they matched a distractor. */
    final int removedTracker;
    /** Ground-truth boxes dropped (zero marked or not a pedestrian). */
    final int removedGt;

    private MotSequence(int numFrames, int[][] gtIds, int[][] trIds, double[][][] sim, int numGtIds, int numTrIds,
                        int removedTracker, int removedGt) {
        this.numFrames = numFrames;
        this.gtIds = gtIds;
        this.trIds = trIds;
        this.sim = sim;
        this.numGtIds = numGtIds;
        this.numTrIds = numTrIds;
        this.numGtDets = Arrays.stream(gtIds).mapToInt(a -> a.length).sum();
        this.numTrDets = Arrays.stream(trIds).mapToInt(a -> a.length).sum();
        this.removedTracker = removedTracker;
        this.removedGt = removedGt;
    }

    public int numFrames() { return numFrames; }
    public int numGtDets() { return numGtDets; }
    public int numTrackerDets() { return numTrDets; }
    public int numGtIds() { return numGtIds; }
    public int numTrackerIds() { return numTrIds; }
    public int removedTrackerDets() { return removedTracker; }
    public int removedGtDets() { return removedGt; }

    /** Builds the sequence; {@code numFrames} ≤ 0 means "the last frame of either file". */
    public static MotSequence of(List<MotText.Box> gt, List<MotText.Box> tracker, int numFrames, String gtWhere,
                                 String trWhere) {
        int last = 0;
        for (MotText.Box b : gt) last = Math.max(last, b.frame());
        for (MotText.Box b : tracker) last = Math.max(last, b.frame());
        int n = numFrames > 0 ? numFrames : last;
        if (last > n)
            throw new ModelworkException("a box is in frame " + last + " but the sequence has " + n + " frames",
                    gtWhere + " / " + trWhere, "pass the right number of frames (or omit it)");
        List<List<MotText.Box>> g = byFrame(gt, n, gtWhere, "ground truth");
        List<List<MotText.Box>> p = byFrame(tracker, n, trWhere, "tracker");
        boolean gtHasClass = !gt.isEmpty() && gt.stream().allMatch(MotText.Box::hasClass);
        for (MotText.Box b : tracker)
            if (b.hasClass() && b.cls() > 1)
                throw new ModelworkException("tracker class " + b.cls() + " found; evaluation is only valid for the "
                        + "pedestrian class (TrackEval refuses it too)", trWhere + ":" + b.line(),
                        "keep pedestrians only, or write -1 in the class column");
        if (gtHasClass)
            for (MotText.Box b : gt)
                if (b.cls() < 1 || b.cls() > MAX_CLASS)
                    throw new ModelworkException("ground-truth class " + b.cls() + " is not a MOTChallenge class "
                            + "(1…13)", gtWhere + ":" + b.line(), "use MOTChallenge class numbers (1 = pedestrian)");

        int[][] gtIdsRaw = new int[n][];
        int[][] trIdsRaw = new int[n][];
        double[][][] sim = new double[n][][];
        int removedTr = 0;
        int removedGt = 0;
        TreeSet<Integer> uGt = new TreeSet<>();
        TreeSet<Integer> uTr = new TreeSet<>();
        for (int t = 0; t < n; t++) {
            List<MotText.Box> gf = g.get(t);
            List<MotText.Box> pf = p.get(t);
            double[][] s = Iou.matrix(gf, pf);
            boolean[] removeTr = new boolean[pf.size()];
            if (gtHasClass && !gf.isEmpty() && !pf.isEmpty()) {
                double[][] m = new double[gf.size()][pf.size()];
                for (int i = 0; i < m.length; i++)
                    for (int j = 0; j < m[i].length; j++) m[i][j] = s[i][j] < 0.5 - EPS ? 0 : -s[i][j];
                LinearSumAssignment.Result r = LinearSumAssignment.minimize(m);
                for (int k = 0; k < r.size(); k++) {
                    int i = r.rows()[k], j = r.cols()[k];
                    if (-m[i][j] > 0 + EPS && isDistractor(gf.get(i).cls())) removeTr[j] = true;
                }
            }
            int keepTr = 0;
            for (boolean x : removeTr) if (!x) keepTr++;
            removedTr += pf.size() - keepTr;
            boolean[] keepGt = new boolean[gf.size()];
            int nk = 0;
            for (int i = 0; i < gf.size(); i++) {
                MotText.Box b = gf.get(i);
                keepGt[i] = (int) b.conf() != 0 && (!gtHasClass || b.cls() == 1);
                if (keepGt[i]) nk++;
            }
            removedGt += gf.size() - nk;
            gtIdsRaw[t] = new int[nk];
            trIdsRaw[t] = new int[keepTr];
            sim[t] = new double[nk][keepTr];
            for (int i = 0, ii = 0; i < gf.size(); i++) {
                if (!keepGt[i]) continue;
                gtIdsRaw[t][ii] = gf.get(i).id();
                uGt.add(gf.get(i).id());
                for (int j = 0, jj = 0; j < pf.size(); j++) if (!removeTr[j]) sim[t][ii][jj++] = s[i][j];
                ii++;
            }
            for (int j = 0, jj = 0; j < pf.size(); j++) {
                if (removeTr[j]) continue;
                trIdsRaw[t][jj++] = pf.get(j).id();
                uTr.add(pf.get(j).id());
            }
        }
        Map<Integer, Integer> gMap = relabel(uGt);
        Map<Integer, Integer> tMap = relabel(uTr);
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < gtIdsRaw[t].length; i++) gtIdsRaw[t][i] = gMap.get(gtIdsRaw[t][i]);
            for (int j = 0; j < trIdsRaw[t].length; j++) trIdsRaw[t][j] = tMap.get(trIdsRaw[t][j]);
        }
        return new MotSequence(n, gtIdsRaw, trIdsRaw, sim, uGt.size(), uTr.size(), removedTr, removedGt);
    }

    private static boolean isDistractor(int cls) {
        for (int c : DISTRACTOR_CLASSES) if (c == cls) return true;
        return false;
    }

    private static Map<Integer, Integer> relabel(TreeSet<Integer> ids) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int id : ids) m.put(id, m.size());
        return m;
    }

    private static List<List<MotText.Box>> byFrame(List<MotText.Box> boxes, int n, String where, String what) {
        List<List<MotText.Box>> out = new ArrayList<>(n);
        for (int t = 0; t < n; t++) out.add(new ArrayList<>());
        for (MotText.Box b : boxes) out.get(b.frame() - 1).add(b);
        for (int t = 0; t < n; t++) {
            Map<Integer, Integer> seen = new HashMap<>();
            for (MotText.Box b : out.get(t)) {
                Integer prev = seen.put(b.id(), b.line());
                if (prev != null)
                    throw new ModelworkException("the " + what + " has id " + b.id() + " twice in frame " + (t + 1)
                            + " (lines " + prev + " and " + b.line() + ")", where + ":" + b.line(),
                            "give each object one box per frame");
            }
        }
        return out;
    }
}
