package io.modelwork.tracking.metrics;

import io.modelwork.metrics.LinearSumAssignment;

/**
 * HOTA exactly as TrackEval's {@code trackeval/metrics/hota.py} computes it for one sequence.
 *
 * <ul>
 *   <li>α = {@code np.arange(0.05, 0.99, 0.05)}: 19 thresholds 0.05…0.95.</li>
 *   <li>Global alignment: per frame, {@code sim_iou = S / (rowsum + colsum − S)} (zero where the denominator is
 *       ≤ eps) is summed per (gt id, tracker id); the alignment score is that sum over
 *       {@code gt_count + tracker_count − sum}.</li>
 *   <li>Per frame, one Hungarian assignment maximising alignment × IoU ({@code linear_sum_assignment(-score)});
 *       a pair counts at α when IoU ≥ α − eps. TP/FN/FP and the summed IoU of the TPs (LocA) are accumulated per α,
 *       and so are the matches per id pair.</li>
 *   <li>AssA = Σ matches·matches/max(1, gt_count + tracker_count − matches) / max(1, TP); AssRe, AssPr likewise;
 *       DetA = TP/max(1, TP+FN+FP); DetRe, DetPr; HOTA = √(DetA·AssA); OWTA = √(DetRe·AssA);
 *       LocA = max(1e-10, ΣIoU)/max(1e-10, TP).</li>
 *   <li>An empty tracker (or ground truth) gives FN (or FP) = the detections, LocA = 1, everything else 0.</li>
 * </ul>
 * The reported single numbers are the means over the 19 α (TrackEval's {@code _summary_row}); {@code HOTA(0)} and
 * {@code LocA(0)} are the values at α = 0.05.
 *
 * <p>Floating point: sums are taken in the reference's order, with numpy's pairwise summation ({@link Sums}, checked
 * bit for bit against numpy 2.4) where TrackEval calls {@code np.sum} / {@code .sum(1)}; against the numpy
 * transcription in the tests the largest difference is 2.2e-16.
 */
public final class Hota {
    private Hota() {}

    /** The 19 α thresholds, computed as numpy's arange computes them. */
    public static final double[] ALPHAS = new double[19];

    static {
        for (int i = 0; i < ALPHAS.length; i++) ALPHAS[i] = 0.05 + i * 0.05;
    }

    /** Per-α arrays (index = α index). */
    public record Result(double[] hota, double[] detA, double[] assA, double[] detRe, double[] detPr, double[] assRe,
                         double[] assPr, double[] locA, double[] owta, double[] tp, double[] fn, double[] fp) {
        public double hotaMean() { return mean(hota); }
        public double detAMean() { return mean(detA); }
        public double assAMean() { return mean(assA); }
        public double locAMean() { return mean(locA); }
    }

    static double mean(double[] a) {
        double s = 0;
        for (double x : a) s += x;
        return s / a.length;
    }

    public static Result evaluate(MotSequence d) {
        int na = ALPHAS.length;
        double[] tp = new double[na], fn = new double[na], fp = new double[na], locA = new double[na];
        double[] assA = new double[na], assRe = new double[na], assPr = new double[na];
        if (d.numTrDets == 0 || d.numGtDets == 0) {
            for (int a = 0; a < na; a++) {
                if (d.numTrDets == 0) fn[a] = d.numGtDets;
                else fp[a] = d.numTrDets;
                locA[a] = 1;
            }
            return finish(tp, fn, fp, locA, assA, assRe, assPr);
        }
        int G = d.numGtIds, T = d.numTrIds;
        double[][] potential = new double[G][T];
        double[] gtCount = new double[G];
        double[] trCount = new double[T];
        for (int t = 0; t < d.numFrames; t++) {
            int[] gi = d.gtIds[t], ti = d.trIds[t];
            double[][] s = d.sim[t];
            double[] colSum = new double[ti.length];
            double[] rowSum = new double[gi.length];
            for (int i = 0; i < gi.length; i++) {
                for (int j = 0; j < ti.length; j++) colSum[j] += s[i][j];
                rowSum[i] = Sums.pairwise(s[i]);
            }
            for (int i = 0; i < gi.length; i++)
                for (int j = 0; j < ti.length; j++) {
                    double denom = colSum[j] + rowSum[i] - s[i][j];
                    double v = denom > 0 + MotSequence.EPS ? s[i][j] / denom : 0;
                    potential[gi[i]][ti[j]] += v;
                }
            for (int g : gi) gtCount[g] += 1;
            for (int k : ti) trCount[k] += 1;
        }
        double[][] align = new double[G][T];
        for (int g = 0; g < G; g++)
            for (int k = 0; k < T; k++) align[g][k] = potential[g][k] / (gtCount[g] + trCount[k] - potential[g][k]);

        double[][][] matches = new double[na][G][T];
        for (int t = 0; t < d.numFrames; t++) {
            int[] gi = d.gtIds[t], ti = d.trIds[t];
            if (gi.length == 0) {
                for (int a = 0; a < na; a++) fp[a] += ti.length;
                continue;
            }
            if (ti.length == 0) {
                for (int a = 0; a < na; a++) fn[a] += gi.length;
                continue;
            }
            double[][] s = d.sim[t];
            double[][] cost = new double[gi.length][ti.length];
            for (int i = 0; i < gi.length; i++)
                for (int j = 0; j < ti.length; j++) cost[i][j] = -(align[gi[i]][ti[j]] * s[i][j]);
            LinearSumAssignment.Result r = LinearSumAssignment.minimize(cost);
            for (int a = 0; a < na; a++) {
                int num = 0;
                double locSum = 0; // Python's sum() over the matched similarities, from 0, in match order
                for (int k = 0; k < r.size(); k++) {
                    int i = r.rows()[k], j = r.cols()[k];
                    if (s[i][j] >= ALPHAS[a] - MotSequence.EPS) {
                        num++;
                        locSum += s[i][j];
                        matches[a][gi[i]][ti[j]] += 1;
                    }
                }
                tp[a] += num;
                fn[a] += gi.length - num;
                fp[a] += ti.length - num;
                if (num > 0) locA[a] += locSum;
            }
        }
        for (int a = 0; a < na; a++) {
            double[] fa = new double[G * T], fr = new double[G * T], fpr = new double[G * T];
            for (int g = 0; g < G; g++)
                for (int k = 0; k < T; k++) {
                    double m = matches[a][g][k];
                    fa[g * T + k] = m * (m / Math.max(1, gtCount[g] + trCount[k] - m));
                    fr[g * T + k] = m * (m / Math.max(1, gtCount[g]));
                    fpr[g * T + k] = m * (m / Math.max(1, trCount[k]));
                }
            double denom = Math.max(1, tp[a]);
            assA[a] = Sums.pairwise(fa) / denom;
            assRe[a] = Sums.pairwise(fr) / denom;
            assPr[a] = Sums.pairwise(fpr) / denom;
        }
        for (int a = 0; a < na; a++) locA[a] = Math.max(1e-10, locA[a]) / Math.max(1e-10, tp[a]);
        return finish(tp, fn, fp, locA, assA, assRe, assPr);
    }

    /**
     * TrackEval's {@code combine_sequences}: TP/FN/FP summed; AssA, AssRe, AssPr averaged weighted by TP (over
     * max(1, ΣTP)); LocA = max(1e-10, Σ LocA·TP)/max(1e-10, ΣTP); then the final fields.
     */
    public static Result combine(java.util.List<Result> all) {
        int na = ALPHAS.length;
        double[] tp = new double[na], fn = new double[na], fp = new double[na], locA = new double[na];
        double[] assA = new double[na], assRe = new double[na], assPr = new double[na];
        for (int a = 0; a < na; a++) {
            double wA = 0, wRe = 0, wPr = 0, wLoc = 0;
            for (Result r : all) {
                tp[a] += r.tp[a];
                fn[a] += r.fn[a];
                fp[a] += r.fp[a];
                wA += r.assA[a] * r.tp[a];
                wRe += r.assRe[a] * r.tp[a];
                wPr += r.assPr[a] * r.tp[a];
                wLoc += r.locA[a] * r.tp[a];
            }
            assA[a] = wA / Math.max(1.0, tp[a]);
            assRe[a] = wRe / Math.max(1.0, tp[a]);
            assPr[a] = wPr / Math.max(1.0, tp[a]);
            locA[a] = Math.max(1e-10, wLoc) / Math.max(1e-10, tp[a]);
        }
        return finish(tp, fn, fp, locA, assA, assRe, assPr);
    }

    private static Result finish(double[] tp, double[] fn, double[] fp, double[] locA, double[] assA, double[] assRe,
                                 double[] assPr) {
        int na = tp.length;
        double[] detRe = new double[na], detPr = new double[na], detA = new double[na], hota = new double[na],
                owta = new double[na];
        for (int a = 0; a < na; a++) {
            detRe[a] = tp[a] / Math.max(1, tp[a] + fn[a]);
            detPr[a] = tp[a] / Math.max(1, tp[a] + fp[a]);
            detA[a] = tp[a] / Math.max(1, tp[a] + fn[a] + fp[a]);
            hota[a] = Math.sqrt(detA[a] * assA[a]);
            owta[a] = Math.sqrt(detRe[a] * assA[a]);
        }
        return new Result(hota, detA, assA, detRe, detPr, assRe, assPr, locA, owta, tp, fn, fp);
    }
}
