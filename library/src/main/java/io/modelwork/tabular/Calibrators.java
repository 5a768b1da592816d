package io.modelwork.tabular;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;

import java.util.Arrays;

/**
 * Probability calibration and prediction intervals, fitted on the validation set.
 *
 * <p>Hand-written because no chosen dependency offers them: Platt scaling is a two-parameter logistic fit (Newton's
 * method with Platt's smoothed targets, as in Platt 1999 and sklearn's {@code _sigmoid_calibration}); isotonic
 * regression is the pool-adjacent-violators algorithm (sklearn's {@code IsotonicRegression} with
 * {@code out_of_bounds='clip'}); temperature scaling (Guo et al. 2017) is a one-dimensional search; split-conformal
 * intervals (Lei et al. 2018) take a finite-sample-corrected quantile of absolute validation residuals.
 */
public final class Calibrators {
    private Calibrators() {}

    /** A fitted mapping from a raw positive-class probability to a calibrated one. */
    public interface Binary {
        double apply(double p);
        ObjectNode toJson();
    }

    static double logit(double p) {
        double q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
        return Math.log(q / (1 - q));
    }

    /** Platt scaling: {@code p' = 1 / (1 + exp(a·logit(p) + b))}. */
    public static Binary platt(double[] p, int[] y) {
        int n = p.length;
        double prior1 = Arrays.stream(y).filter(v -> v == 1).count(), prior0 = n - prior1;
        double hi = (prior1 + 1) / (prior1 + 2), lo = 1 / (prior0 + 2);
        double[] f = new double[n], t = new double[n];
        for (int i = 0; i < n; i++) { f[i] = logit(p[i]); t[i] = y[i] == 1 ? hi : lo; }
        double a = 0, b = Math.log((prior0 + 1) / (prior1 + 1));
        for (int iter = 0; iter < 100; iter++) {
            double g1 = 0, g2 = 0, h11 = 1e-12, h22 = 1e-12, h21 = 0;
            for (int i = 0; i < n; i++) {
                double fApB = f[i] * a + b;
                double q = fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
                // q = P(y=1) = 1/(1+exp(fApB))
                double d1 = t[i] - q, d2 = q * (1 - q);
                g1 += f[i] * d1; g2 += d1;
                h11 += f[i] * f[i] * d2; h22 += d2; h21 += f[i] * d2;
            }
            double det = h11 * h22 - h21 * h21;
            double da = -(h22 * g1 - h21 * g2) / det, db = -(-h21 * g1 + h11 * g2) / det;
            a += da; b += db;
            if (Math.abs(da) < 1e-10 && Math.abs(db) < 1e-10) break;
        }
        final double fa = a, fb = b;
        return new Binary() {
            @Override public double apply(double q) { return 1 / (1 + Math.exp(fa * logit(q) + fb)); }
            @Override public ObjectNode toJson() {
                ObjectNode o = Json.object();
                o.put("method", "platt");
                o.put("a", fa);
                o.put("b", fb);
                o.put("formula", "p' = 1 / (1 + exp(a * logit(p) + b))");
                return o;
            }
        };
    }

    /** Isotonic regression by pool-adjacent-violators; predictions clip to the fitted range. */
    public static Binary isotonic(double[] p, int[] y) {
        int n = p.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (i, j) -> Double.compare(p[i], p[j]));
        double[] xs = new double[n], vals = new double[n], w = new double[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            // merge equal x first (sklearn averages ties)
            if (m > 0 && xs[m - 1] == p[i]) {
                vals[m - 1] = (vals[m - 1] * w[m - 1] + y[i]) / (w[m - 1] + 1);
                w[m - 1] += 1;
            } else { xs[m] = p[i]; vals[m] = y[i]; w[m] = 1; m++; }
        }
        // PAV over blocks
        double[] bv = new double[m], bw = new double[m];
        int[] start = new int[m];
        int nb = 0;
        for (int k = 0; k < m; k++) {
            bv[nb] = vals[k]; bw[nb] = w[k]; start[nb] = k; nb++;
            while (nb > 1 && bv[nb - 2] > bv[nb - 1]) {
                double tw = bw[nb - 2] + bw[nb - 1];
                bv[nb - 2] = (bv[nb - 2] * bw[nb - 2] + bv[nb - 1] * bw[nb - 1]) / tw;
                bw[nb - 2] = tw;
                nb--;
            }
        }
        double[] fitted = new double[m];
        for (int b = 0; b < nb; b++) {
            int end = b + 1 < nb ? start[b + 1] : m;
            for (int k = start[b]; k < end; k++) fitted[k] = bv[b];
        }
        final double[] fx = Arrays.copyOf(xs, m), fy = fitted;
        return new Binary() {
            @Override public double apply(double q) {
                if (q <= fx[0]) return fy[0];
                if (q >= fx[fx.length - 1]) return fy[fy.length - 1];
                int pos = Arrays.binarySearch(fx, q);
                if (pos >= 0) return fy[pos];
                int hi = -pos - 1, lo = hi - 1;
                double t = (q - fx[lo]) / (fx[hi] - fx[lo]);
                return fy[lo] + t * (fy[hi] - fy[lo]);
            }
            @Override public ObjectNode toJson() {
                ObjectNode o = Json.object();
                o.put("method", "isotonic");
                ArrayNode ax = o.putArray("x"), ay = o.putArray("y");
                for (int i = 0; i < fx.length; i++) { ax.add(fx[i]); ay.add(fy[i]); }
                o.put("interpolation", "linear, clipped to [x_min, x_max]");
                return o;
            }
        };
    }

    /** Temperature scaling for multiclass probabilities: the T minimising validation log-loss. */
    public static double temperature(double[][] proba, int[] y) {
        double lo = Math.log(0.05), hi = Math.log(20);
        double gr = (Math.sqrt(5) - 1) / 2;
        double c = hi - gr * (hi - lo), d = lo + gr * (hi - lo);
        for (int it = 0; it < 80; it++) {
            if (nll(proba, y, Math.exp(c)) < nll(proba, y, Math.exp(d))) hi = d; else lo = c;
            c = hi - gr * (hi - lo);
            d = lo + gr * (hi - lo);
        }
        return Math.exp((lo + hi) / 2);
    }

    public static double[] applyTemperature(double[] p, double t) {
        double[] out = new double[p.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < p.length; k++) { out[k] = Math.log(Math.max(p[k], 1e-15)) / t; max = Math.max(max, out[k]); }
        double s = 0;
        for (int k = 0; k < p.length; k++) { out[k] = Math.exp(out[k] - max); s += out[k]; }
        for (int k = 0; k < p.length; k++) out[k] /= s;
        return out;
    }

    static double nll(double[][] proba, int[] y, double t) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s -= Math.log(Math.max(applyTemperature(proba[i], t)[y[i]], 1e-15));
        return s / y.length;
    }

    /** Split-conformal half-width: the ⌈(n+1)(1−α)⌉-th smallest absolute residual. */
    public static double conformalHalfWidth(double[] y, double[] pred, double alpha) {
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) r[i] = Math.abs(y[i] - pred[i]);
        Arrays.sort(r);
        int k = (int) Math.ceil((r.length + 1) * (1 - alpha));
        return k > r.length ? Double.POSITIVE_INFINITY : r[Math.max(k, 1) - 1];
    }

    /**
     * Population stability index between a reference sample and a current one over 10 quantile bins of the
     * reference: {@code Σ (c−r)·ln(c/r)} with a 1e-4 floor on shares.
     */
    public static double psi(double[] reference, double[] current) {
        double[] ref = Arrays.stream(reference).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double[] cur = Arrays.stream(current).filter(v -> !Double.isNaN(v)).toArray();
        if (ref.length == 0 || cur.length == 0) return Double.NaN;
        double[] edges = new double[9];
        for (int i = 1; i <= 9; i++) edges[i - 1] = io.modelwork.data.Attach.quantile(ref, i / 10.0);
        edges = Arrays.stream(edges).distinct().toArray();
        double[] rc = new double[edges.length + 1], cc = new double[edges.length + 1];
        for (double v : ref) rc[bin(edges, v)]++;
        for (double v : cur) cc[bin(edges, v)]++;
        double psi = 0;
        for (int b = 0; b < rc.length; b++) {
            double r = Math.max(rc[b] / ref.length, 1e-4), c = Math.max(cc[b] / cur.length, 1e-4);
            psi += (c - r) * Math.log(c / r);
        }
        return psi;
    }

    private static int bin(double[] edges, double v) {
        int b = 0;
        while (b < edges.length && v > edges[b]) b++;
        return b;
    }
}
