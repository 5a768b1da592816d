package io.modelwork.face;

import java.util.*;

/**
 * Identification and verification figures over L2-normalised embeddings.
 *
 * <ul>
 *   <li>Identification (closed set): each probe is ranked against one template per gallery identity (the mean of its
 *       embeddings, re-normalised); rank-k = share of probes whose identity is among the k most similar templates.</li>
 *   <li>Verification: every pair of evaluation faces, genuine when both show the same person. The ROC is sklearn's
 *       {@code roc_curve} (one point per distinct score, descending); TAR@FAR and the threshold for a target FAR are
 *       interpolated linearly between the two ROC points around the target, as insightface's {@code calculate_val}
 *       interpolates FAR → threshold with {@code interp1d(kind='slinear')}; EER where FAR = 1 − TAR, interpolated.</li>
 * </ul>
 */
public final class FaceMetrics {
    private FaceMetrics() { }

    /** ROC points from the highest threshold down: fpr, tpr, threshold (sklearn roc_curve, drop_intermediate=false). */
    public record Roc(double[] fpr, double[] tpr, double[] thr, int genuine, int impostor) {
        /** TAR at a target FAR (linear between the enclosing ROC points). */
        public double tarAt(double far) { return interp(far, fpr, tpr); }

        /** The score threshold whose FAR is {@code far} (linear between the enclosing ROC points). */
        public double thresholdAt(double far) {
            double[] t = thr.clone();
            if (Double.isInfinite(t[0])) t[0] = t.length > 1 ? t[1] + 1e-6 : 1;
            return interp(far, fpr, t);
        }

        public double eer() {
            for (int i = 1; i < fpr.length; i++) {
                double d0 = fpr[i - 1] - (1 - tpr[i - 1]), d1 = fpr[i] - (1 - tpr[i]);
                if (d0 <= 0 && d1 >= 0) {
                    double f = d1 == d0 ? 0 : -d0 / (d1 - d0);
                    return fpr[i - 1] + f * (fpr[i] - fpr[i - 1]);
                }
            }
            return 1;
        }

        public double auc() {
            double a = 0;
            for (int i = 1; i < fpr.length; i++) a += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
            return a;
        }
    }

    private static double interp(double x, double[] xs, double[] ys) {
        if (x <= xs[0]) return ys[0];
        for (int i = 1; i < xs.length; i++)
            if (xs[i] >= x) {
                double f = xs[i] == xs[i - 1] ? 1 : (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
                return ys[i - 1] + f * (ys[i] - ys[i - 1]);
            }
        return ys[ys.length - 1];
    }

    /** ROC of scores with labels (true = genuine). */
    public static Roc roc(double[] scores, boolean[] genuine) {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(scores[b], scores[a]));
        int P = 0, N = 0;
        for (boolean g : genuine) if (g) P++; else N++;
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[]{0, 0, Double.POSITIVE_INFINITY});
        int tp = 0, fp = 0;
        for (int k = 0; k < idx.length; k++) {
            if (genuine[idx[k]]) tp++; else fp++;
            if (k == idx.length - 1 || scores[idx[k + 1]] != scores[idx[k]])
                pts.add(new double[]{N == 0 ? 0 : (double) fp / N, P == 0 ? 0 : (double) tp / P, scores[idx[k]]});
        }
        double[] f = new double[pts.size()], t = new double[pts.size()], th = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) { f[i] = pts.get(i)[0]; t[i] = pts.get(i)[1]; th[i] = pts.get(i)[2]; }
        return new Roc(f, t, th, P, N);
    }

    /** One scored pair of faces (indices into the evaluation list). */
    public record Pair(int a, int b, double score, boolean genuine) { }

    /** Every pair i &lt; j of {@code emb}, genuine when {@code ids} agree. */
    public static List<Pair> allPairs(float[][] emb, List<String> ids) {
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < emb.length; i++)
            for (int j = i + 1; j < emb.length; j++)
                out.add(new Pair(i, j, FaceEmbedder.cosine(emb[i], emb[j]), ids.get(i).equals(ids.get(j))));
        return out;
    }

    public static Roc roc(List<Pair> pairs) {
        double[] s = new double[pairs.size()];
        boolean[] g = new boolean[pairs.size()];
        for (int i = 0; i < s.length; i++) { s[i] = pairs.get(i).score(); g[i] = pairs.get(i).genuine(); }
        return roc(s, g);
    }

    /** Per identity, the re-normalised mean of its embeddings. */
    public static Map<String, float[]> templates(float[][] emb, List<String> ids) {
        Map<String, float[]> t = new TreeMap<>();
        for (int i = 0; i < emb.length; i++) {
            float[] acc = t.computeIfAbsent(ids.get(i), k -> new float[emb[0].length]);
            for (int j = 0; j < acc.length; j++) acc[j] += emb[i][j];
        }
        t.values().forEach(FaceEmbedder::normalise);
        return t;
    }

    /** For each probe, the 0-based rank of its identity among the templates (templates.size() when absent). */
    public static int[] ranks(Map<String, float[]> templates, float[][] probes, List<String> probeIds) {
        int[] r = new int[probes.length];
        for (int i = 0; i < probes.length; i++) {
            float[] own = templates.get(probeIds.get(i));
            if (own == null) { r[i] = templates.size(); continue; }
            float s = FaceEmbedder.cosine(probes[i], own);
            int better = 0;
            for (Map.Entry<String, float[]> e : templates.entrySet())
                if (!e.getKey().equals(probeIds.get(i)) && FaceEmbedder.cosine(probes[i], e.getValue()) > s) better++;
            r[i] = better;
        }
        return r;
    }

    /** Share of ranks below k. */
    public static double rankK(int[] ranks, int k) {
        if (ranks.length == 0) return 0;
        int n = 0;
        for (int r : ranks) if (r < k) n++;
        return (double) n / ranks.length;
    }

    /** The best-matching template of a probe: identity and score. */
    public static Map.Entry<String, Float> best(Map<String, float[]> templates, float[] probe) {
        String id = null;
        float best = -2;
        for (Map.Entry<String, float[]> e : templates.entrySet()) {
            float s = FaceEmbedder.cosine(probe, e.getValue());
            if (s > best) { best = s; id = e.getKey(); }
        }
        return Map.entry(id == null ? "" : id, best);
    }
}
