package io.modelwork.speaker.diarization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Speaker verification over trial pairs: cosine scores of (back-end transformed) utterance x-vectors, the equal error
 * rate (NIST/Kaldi {@code compute-eer}: the point of the ROC where false-rejection and false-acceptance rates cross,
 * reported as their mean there), the minimum normalised detection cost (Kaldi {@code compute_min_dcf.py}: p_target,
 * c_miss, c_fa; normalised by {@code min(c_miss·p, c_fa·(1−p))}) and the threshold giving a target false-acceptance rate.
 */
public final class Verification {
    private Verification() {}

    /** One trial: two utterances, whether they share a speaker, and the score. */
    public record Trial(String a, String b, boolean target, double score) {}

    public record Result(int trials, int targets, double eer, double eerThreshold, double minDcf, double minDcfThreshold,
                         double targetFar, double farThreshold, double frrAtFar) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("trials", trials).put("targets", targets).put("eer", eer).put("eer_threshold", eerThreshold).put("min_dcf", minDcf)
                    .put("min_dcf_threshold", minDcfThreshold).put("target_far", targetFar).put("far_threshold", farThreshold)
                    .put("frr_at_far", frrAtFar);
            return o;
        }
    }

    /** Every pair of utterances (i &lt; j) as a trial, scored by cosine of the transformed embeddings. */
    public static List<Trial> allPairs(List<String> ids, List<String> speakers, List<double[]> emb, Backend b) {
        List<double[]> x = b.apply(emb);
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++)
            for (int j = i + 1; j < ids.size(); j++)
                out.add(new Trial(ids.get(i), ids.get(j), speakers.get(i).equals(speakers.get(j)), Clustering.cos(x.get(i), x.get(j))));
        return out;
    }

    public static Result score(List<Trial> trials, double pTarget, double cMiss, double cFa, double targetFar) {
        int nt = (int) trials.stream().filter(Trial::target).count(), nn = trials.size() - nt;
        if (nt == 0 || nn == 0)
            throw new ModelworkException("Verification needs target and non-target trials (" + nt + " target, " + nn + " non-target)",
                    "speaker.verification", "give at least two utterances of one speaker and utterances of two speakers");
        Trial[] t = trials.toArray(new Trial[0]);
        Arrays.sort(t, (p, q) -> Double.compare(p.score(), q.score()));
        // threshold just above t[k-1] rejects the k lowest: FRR = targets among them / nt, FAR = non-targets above / nn
        double eer = 1, eerTh = 0, minDcf = Double.POSITIVE_INFINITY, dcfTh = 0, farTh = Double.NaN, frrAtFar = Double.NaN;
        double bestGap = Double.POSITIVE_INFINITY;
        double norm = Math.min(cMiss * pTarget, cFa * (1 - pTarget));
        int missed = 0, rejectedNon = 0;
        for (int k = 0; k <= t.length; k++) {
            if (k > 0) { if (t[k - 1].target()) missed++; else rejectedNon++; }
            double frr = missed / (double) nt, far = (nn - rejectedNon) / (double) nn;
            double th = k == 0 ? t[0].score() - 1e-9 : k == t.length ? t[k - 1].score() + 1e-9 : (t[k - 1].score() + t[k].score()) / 2;
            if (Math.abs(frr - far) < bestGap) { bestGap = Math.abs(frr - far); eer = (frr + far) / 2; eerTh = th; }
            double dcf = (cMiss * frr * pTarget + cFa * far * (1 - pTarget)) / norm;
            if (dcf < minDcf) { minDcf = dcf; dcfTh = th; }
            if (Double.isNaN(farTh) && far <= targetFar) { farTh = th; frrAtFar = frr; }
        }
        return new Result(t.length, nt, eer, eerTh, minDcf, dcfTh, targetFar, farTh, frrAtFar);
    }

    /** {FAR, FRR} when a trial is accepted at score ≥ {@code threshold}. */
    public static double[] ratesAt(List<Trial> trials, double threshold) {
        int nt = 0, nn = 0, miss = 0, fa = 0;
        for (Trial t : trials)
            if (t.target()) { nt++; if (t.score() < threshold) miss++; }
            else { nn++; if (t.score() >= threshold) fa++; }
        return new double[]{nn == 0 ? Double.NaN : fa / (double) nn, nt == 0 ? Double.NaN : miss / (double) nt};
    }

    /**
     * The DET curve: {FAR[], FRR[]} at every threshold between sorted scores (from accept-all to reject-all), as
     * sklearn's {@code roc_curve} gives it ({@code FRR = 1 − TPR}).
     */
    public static double[][] det(List<Trial> trials) {
        int nt = (int) trials.stream().filter(Trial::target).count(), nn = trials.size() - nt;
        Trial[] t = trials.toArray(new Trial[0]);
        Arrays.sort(t, (p, q) -> Double.compare(p.score(), q.score()));
        double[] far = new double[t.length + 1], frr = new double[t.length + 1];
        int missed = 0, rejectedNon = 0;
        for (int k = 0; k <= t.length; k++) {
            if (k > 0) { if (t[k - 1].target()) missed++; else rejectedNon++; }
            far[k] = nn == 0 ? 0 : (nn - rejectedNon) / (double) nn;
            frr[k] = nt == 0 ? 0 : missed / (double) nt;
        }
        return new double[][]{far, frr};
    }
}
