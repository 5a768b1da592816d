package io.modelwork.speaker.diarization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring back end learnt from training windows: the embedding mean, a whitening transform (the inverse square root
 * of the shrunk covariance, {@code Σ + λI} with λ = {@code shrink} · mean eigenvalue, so a few dozen windows cannot make
 * it singular) and, with at least {@link #MIN_LDA_SPEAKERS} speakers, LDA onto the {@code speakers − 1} most
 * discriminant directions. Applied as {@code x ↦ normalise(W (x − μ))}. The identity back end ({@link #identity()})
 * only length-normalises (Vosk has already applied the model's own mean and LDA).
 */
public final class Backend {
    public static final int MIN_LDA_SPEAKERS = 5;
    final double[] mean;
    /** rows = output dimensions (null = identity) */
    final double[][] w;
    final String kind;

    Backend(double[] mean, double[][] w, String kind) { this.mean = mean; this.w = w; this.kind = kind; }

    public static Backend identity() { return new Backend(null, null, "none"); }

    /** Mean subtraction then length normalisation (no whitening). */
    public static Backend centring(List<double[]> xs) {
        double[] mu = new double[xs.get(0).length];
        for (double[] x : xs) for (int i = 0; i < mu.length; i++) mu[i] += x[i] / xs.size();
        return new Backend(mu, null, "mean");
    }

    public String kind() { return kind; }

    public int outputDim() { return w == null ? XVectors.DIM : w.length; }

    /** The transformed, L2-normalised embedding. */
    public double[] apply(double[] x) {
        double[] c = x.clone();
        if (mean != null) for (int i = 0; i < c.length; i++) c[i] -= mean[i];
        double[] y = c;
        if (w != null) {
            y = new double[w.length];
            for (int r = 0; r < w.length; r++) { double s = 0; for (int i = 0; i < c.length; i++) s += w[r][i] * c[i]; y[r] = s; }
        }
        double n = Math.sqrt(Clustering.cos(y, y));
        if (n > 0) for (int i = 0; i < y.length; i++) y[i] /= n;
        return y;
    }

    public List<double[]> apply(List<double[]> xs) { return xs.stream().map(this::apply).toList(); }

    /**
     * Fits on training embeddings with their speaker names ({@code lda} false = mean and whitening only).
     */
    public static Backend fit(List<double[]> xs, List<String> speakers, double shrink, boolean lda) {
        int n = xs.size(), d = xs.get(0).length;
        double[] mu = new double[d];
        for (double[] x : xs) for (int i = 0; i < d; i++) mu[i] += x[i] / n;
        double[][] cov = new double[d][d];
        for (double[] x : xs)
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) cov[i][j] += (x[i] - mu[i]) * (x[j] - mu[j]) / Math.max(1, n - 1);
        double[][] wh = invSqrt(cov, shrink);
        Map<String, List<double[]>> by = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) by.computeIfAbsent(speakers.get(i), k -> new ArrayList<>()).add(xs.get(i));
        if (!lda || by.size() < MIN_LDA_SPEAKERS) return new Backend(mu, wh, "whitening");
        // LDA in the whitened space: eigenvectors of the within-class scatter with the smallest eigenvalues
        // are those of largest between/within ratio once total covariance is white
        double[][] sw = new double[d][d];
        for (List<double[]> g : by.values()) {
            List<double[]> z = g.stream().map(x -> mul(wh, sub(x, mu))).toList();
            double[] m = new double[d];
            for (double[] v : z) for (int i = 0; i < d; i++) m[i] += v[i] / z.size();
            for (double[] v : z) for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) sw[i][j] += (v[i] - m[i]) * (v[j] - m[j]) / n;
        }
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(sw));
        double[] ev = e.getRealEigenvalues();
        Integer[] ord = new Integer[d];
        for (int i = 0; i < d; i++) ord[i] = i;
        Arrays.sort(ord, (p, q) -> Double.compare(ev[p], ev[q]));
        int k = Math.min(by.size() - 1, d);
        RealMatrix v = e.getV();
        double[][] out = new double[k][d];
        for (int r = 0; r < k; r++) {
            double[] dir = new double[d];
            for (int i = 0; i < d; i++) dir[i] = v.getEntry(i, ord[r]);
            for (int j = 0; j < d; j++) { double s = 0; for (int i = 0; i < d; i++) s += dir[i] * wh[i][j]; out[r][j] = s; }
        }
        return new Backend(mu, out, "whitening+lda(" + k + ")");
    }

    private static double[] sub(double[] a, double[] b) { double[] c = a.clone(); for (int i = 0; i < c.length; i++) c[i] -= b[i]; return c; }

    private static double[] mul(double[][] m, double[] x) {
        double[] y = new double[m.length];
        for (int r = 0; r < m.length; r++) { double s = 0; for (int i = 0; i < x.length; i++) s += m[r][i] * x[i]; y[r] = s; }
        return y;
    }

    private static double[][] invSqrt(double[][] cov, double shrink) {
        int d = cov.length;
        double tr = 0;
        for (int i = 0; i < d; i++) tr += cov[i][i];
        double lambda = shrink * tr / d + 1e-9;
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(cov));
        double[] ev = e.getRealEigenvalues();
        RealMatrix v = e.getV();
        double[][] out = new double[d][d];
        for (int k = 0; k < d; k++) {
            double s = 1 / Math.sqrt(Math.max(ev[k], 0) + lambda);
            for (int i = 0; i < d; i++) { double vi = v.getEntry(i, k) * s; for (int j = 0; j < d; j++) out[i][j] += vi * v.getEntry(j, k); }
        }
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("kind", kind);
        if (mean != null) { ArrayNode m = o.putArray("mean"); for (double x : mean) m.add(x); }
        if (w != null) { ArrayNode a = o.putArray("transform"); for (double[] r : w) { ArrayNode row = a.addArray(); for (double x : r) row.add(x); } }
        return o;
    }

    public static Backend fromJson(JsonNode o) {
        if (o == null || o.isNull() || !o.has("mean")) return identity();
        double[] mu = new double[o.get("mean").size()];
        for (int i = 0; i < mu.length; i++) mu[i] = o.get("mean").get(i).asDouble();
        double[][] w = null;
        if (o.has("transform")) {
            JsonNode t = o.get("transform");
            w = new double[t.size()][];
            for (int r = 0; r < w.length; r++) { w[r] = new double[t.get(r).size()]; for (int i = 0; i < w[r].length; i++) w[r][i] = t.get(r).get(i).asDouble(); }
        }
        return new Backend(mu, w, o.path("kind").asText(w == null ? "mean" : "whitening"));
    }
}
