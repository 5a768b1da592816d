package io.modelwork.tracking.metrics;

import io.modelwork.metrics.LinearSumAssignment;

/**
 * The Identity metrics (IDF1, IDP, IDR) exactly as TrackEval's {@code trackeval/metrics/identity.py} computes them:
 * a box pair is a potential match when IoU ≥ 0.5 (no epsilon here, as in the reference); one global Hungarian
 * assignment of ids on the (G+T)×(G+T) matrix of FN + FP costs (real–real pairs cost gt_count + tracker_count −
 * 2·potential matches, a gt id left alone costs its count, a tracker id left alone its count, the impossible blocks
 * 1e10); IDFN and IDFP are read off the assigned cells; IDTP = gt detections − IDFN;
 * IDF1 = IDTP/max(1, IDTP + 0.5·IDFP + 0.5·IDFN).
 */
public final class Identity {
    private Identity() {}

    public static final double THRESHOLD = 0.5;

    public record Result(int idtp, int idfn, int idfp) {
        public double idr() { return idtp / Math.max(1.0, idtp + idfn); }
        public double idp() { return idtp / Math.max(1.0, idtp + idfp); }
        public double idf1() { return idtp / Math.max(1.0, idtp + 0.5 * idfp + 0.5 * idfn); }
    }

    /** TrackEval's {@code combine_sequences}: IDTP, IDFN, IDFP summed. */
    public static Result combine(java.util.List<Result> all) {
        int tp = 0, fn = 0, fp = 0;
        for (Result r : all) { tp += r.idtp; fn += r.idfn; fp += r.idfp; }
        return new Result(tp, fn, fp);
    }

    public static Result evaluate(MotSequence d) {
        if (d.numTrDets == 0) return new Result(0, d.numGtDets, 0);
        if (d.numGtDets == 0) return new Result(0, 0, d.numTrDets);
        int G = d.numGtIds, T = d.numTrIds;
        double[][] potential = new double[G][T];
        double[] gtCount = new double[G];
        double[] trCount = new double[T];
        for (int t = 0; t < d.numFrames; t++) {
            int[] gi = d.gtIds[t], ti = d.trIds[t];
            for (int i = 0; i < gi.length; i++)
                for (int j = 0; j < ti.length; j++)
                    if (d.sim[t][i][j] >= THRESHOLD) potential[gi[i]][ti[j]] += 1;
            for (int g : gi) gtCount[g] += 1;
            for (int k : ti) trCount[k] += 1;
        }
        int n = G + T;
        double[][] fnMat = new double[n][n];
        double[][] fpMat = new double[n][n];
        for (int r = G; r < n; r++) for (int c = 0; c < T; c++) fpMat[r][c] = 1e10;
        for (int r = 0; r < G; r++) for (int c = T; c < n; c++) fnMat[r][c] = 1e10;
        for (int g = 0; g < G; g++) {
            for (int c = 0; c < T; c++) fnMat[g][c] = gtCount[g];
            fnMat[g][T + g] = gtCount[g];
        }
        for (int k = 0; k < T; k++) {
            for (int r = 0; r < G; r++) fpMat[r][k] = trCount[k];
            fpMat[k + G][k] = trCount[k];
        }
        double[][] cost = new double[n][n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++) {
                if (r < G && c < T) {
                    fnMat[r][c] -= potential[r][c];
                    fpMat[r][c] -= potential[r][c];
                }
                cost[r][c] = fnMat[r][c] + fpMat[r][c];
            }
        LinearSumAssignment.Result m = LinearSumAssignment.minimize(cost);
        double idfn = 0, idfp = 0;
        for (int k = 0; k < m.size(); k++) {
            idfn += fnMat[m.rows()[k]][m.cols()[k]];
            idfp += fpMat[m.rows()[k]][m.cols()[k]];
        }
        double gtTotal = 0;
        for (double c : gtCount) gtTotal += c;
        return new Result((int) (gtTotal - (long) idfn), (int) idfn, (int) idfp);
    }
}
