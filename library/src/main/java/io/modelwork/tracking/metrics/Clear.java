package io.modelwork.tracking.metrics;

import io.modelwork.metrics.LinearSumAssignment;

import java.util.Arrays;

/**
 * CLEAR MOT exactly as TrackEval's {@code trackeval/metrics/clear.py} computes it for one sequence (threshold 0.5).
 *
 * <ul>
 *   <li>Per frame, one Hungarian assignment maximising {@code 1000·[tracker id == the id matched to this gt id in the
 *       previous frame] + IoU}, with every pair of IoU below 0.5 − eps set to 0; pairs with a score ≤ eps are not
 *       matches. So a match that continues from the previous frame is kept whenever its IoU ≥ 0.5.</li>
 *   <li>An ID switch is a match whose tracker id differs from the last tracker id this gt id was matched to, however
 *       long ago. "Previous frame" for the continuation bonus is the last frame that had both ground truth and tracker
 *       boxes: TrackEval does not reset it on a frame where either side is empty, and neither does this class.</li>
 *   <li>Frag = Σ over gt ids of (times a track (re)starts being matched − 1), counted the same way.</li>
 *   <li>MT: matched in more than 80 % of its frames; PT: at least 20 % and not MT; ML: the rest.</li>
 *   <li>MOTA = (TP − FP − IDSW)/max(1, TP + FN); MOTP = ΣIoU/max(1, TP); MODA, sMOTA, CLR_F1, MOTAL as TrackEval.</li>
 * </ul>
 */
public final class Clear {
    private Clear() {}

    public static final double THRESHOLD = 0.5;

    public record Result(int tp, int fn, int fp, int idsw, int mt, int pt, int ml, int frag, double motpSum,
                         int frames) {
        public double mota() { return (tp - fp - idsw) / Math.max(1.0, tp + fn); }
        public double moda() { return (tp - fp) / Math.max(1.0, tp + fn); }
        public double motp() { return motpSum / Math.max(1.0, tp); }
        public double smota() { return (motpSum - fp - idsw) / Math.max(1.0, tp + fn); }
        public double recall() { return tp / Math.max(1.0, tp + fn); }
        public double precision() { return tp / Math.max(1.0, tp + fp); }
        public double f1() { return tp / Math.max(1.0, tp + 0.5 * fn + 0.5 * fp); }
        public double fpPerFrame() { return fp / Math.max(1.0, frames); }
        public double motal() {
            double safeLog = idsw > 0 ? Math.log10(idsw) : idsw;
            return (tp - fp - safeLog) / Math.max(1.0, tp + fn);
        }
        public double mtr() { return mt / Math.max(1.0, mt + pt + ml); }
        public double ptr() { return pt / Math.max(1.0, mt + pt + ml); }
        public double mlr() { return ml / Math.max(1.0, mt + pt + ml); }
    }

    /** TrackEval's {@code combine_sequences}: every count and the IoU sum summed, then the final fields. */
    public static Result combine(java.util.List<Result> all) {
        int tp = 0, fn = 0, fp = 0, idsw = 0, mt = 0, pt = 0, ml = 0, frag = 0, frames = 0;
        double motp = 0;
        for (Result r : all) {
            tp += r.tp; fn += r.fn; fp += r.fp; idsw += r.idsw; mt += r.mt; pt += r.pt; ml += r.ml; frag += r.frag;
            frames += r.frames;
            motp += r.motpSum;
        }
        return new Result(tp, fn, fp, idsw, mt, pt, ml, frag, motp, frames);
    }

    public static Result evaluate(MotSequence d) {
        if (d.numTrDets == 0) return new Result(0, d.numGtDets, 0, 0, 0, 0, d.numGtIds, 0, 0, d.numFrames);
        if (d.numGtDets == 0) return new Result(0, 0, d.numTrDets, 0, 0, 0, 0, 0, 0, d.numFrames);
        int G = d.numGtIds;
        int[] gtIdCount = new int[G];
        int[] gtMatched = new int[G];
        int[] gtFrag = new int[G];
        int[] prevTracker = new int[G];          // -1 = NaN
        int[] prevTimestepTracker = new int[G];  // -1 = NaN
        Arrays.fill(prevTracker, -1);
        Arrays.fill(prevTimestepTracker, -1);
        int tp = 0, fn = 0, fp = 0, idsw = 0;
        double motpSum = 0;
        for (int t = 0; t < d.numFrames; t++) {
            int[] gi = d.gtIds[t], ti = d.trIds[t];
            if (gi.length == 0) {
                fp += ti.length;
                continue;
            }
            if (ti.length == 0) {
                fn += gi.length;
                for (int g : gi) gtIdCount[g]++;
                continue;
            }
            double[][] s = d.sim[t];
            double[][] score = new double[gi.length][ti.length];
            double[][] cost = new double[gi.length][ti.length];
            for (int i = 0; i < gi.length; i++)
                for (int j = 0; j < ti.length; j++) {
                    double v = (ti[j] == prevTimestepTracker[gi[i]] ? 1000 : 0) + s[i][j];
                    if (s[i][j] < THRESHOLD - MotSequence.EPS) v = 0;
                    score[i][j] = v;
                    cost[i][j] = -v;
                }
            LinearSumAssignment.Result r = LinearSumAssignment.minimize(cost);
            int num = 0;
            int[] mg = new int[r.size()], mt = new int[r.size()];
            double frameSum = 0;
            for (int k = 0; k < r.size(); k++) {
                int i = r.rows()[k], j = r.cols()[k];
                if (score[i][j] > 0 + MotSequence.EPS) {
                    mg[num] = gi[i];
                    mt[num] = ti[j];
                    frameSum += s[i][j];
                    num++;
                }
            }
            for (int k = 0; k < num; k++)
                if (prevTracker[mg[k]] != -1 && prevTracker[mg[k]] != mt[k]) idsw++;
            for (int g : gi) gtIdCount[g]++;
            boolean[] notPrev = new boolean[G];
            for (int g = 0; g < G; g++) notPrev[g] = prevTimestepTracker[g] == -1;
            for (int k = 0; k < num; k++) prevTracker[mg[k]] = mt[k];
            Arrays.fill(prevTimestepTracker, -1);
            for (int k = 0; k < num; k++) {
                prevTimestepTracker[mg[k]] = mt[k];
                gtMatched[mg[k]]++;
            }
            for (int g = 0; g < G; g++) if (notPrev[g] && prevTimestepTracker[g] != -1) gtFrag[g]++;
            tp += num;
            fn += gi.length - num;
            fp += ti.length - num;
            if (num > 0) motpSum += frameSum;
        }
        int mtc = 0, ptc = 0;
        for (int g = 0; g < G; g++) {
            if (gtIdCount[g] == 0) continue;
            double ratio = (double) gtMatched[g] / gtIdCount[g];
            if (ratio > 0.8) mtc++;
            if (ratio >= 0.2) ptc++;
        }
        ptc -= mtc;
        int ml = G - mtc - ptc;
        int frag = 0;
        for (int f : gtFrag) if (f > 0) frag += f - 1;
        return new Result(tp, fn, fp, idsw, mtc, ptc, ml, frag, motpSum, d.numFrames);
    }
}
