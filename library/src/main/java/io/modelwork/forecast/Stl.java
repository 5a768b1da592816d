package io.modelwork.forecast;

/**
 * STL, Seasonal-Trend decomposition by Loess (Cleveland, Cleveland, McRae and Terpenning 1990, Journal of Official
 * Statistics 6(1)), non-robust version (inner loop only), with the defaults of R's {@code stl} as called by
 * {@code forecast::mstl}: seasonal window 11 (s.window = 7 + 4), seasonal degree 0, trend window
 * {@code nextodd(ceil(1.5 m / (1 - 1.5 / s.window)))} of degree 1, low-pass window {@code nextodd(m)} of degree 1,
 * loess evaluated every {@code ceil(window/10)} points and linearly interpolated in between, two inner passes.
 */
final class Stl {
    private Stl() {}

    /** The seasonal, trend and remainder components. */
    record Decomposition(double[] seasonal, double[] trend, double[] remainder) {}

    /** Decomposes {@code y} with period {@code m}; needs {@code n > 2m}. */
    static Decomposition decompose(double[] y, int m) {
        int sWindow = 11;
        int tWindow = nextOdd(Math.ceil(1.5 * m / (1 - 1.5 / sWindow)));
        int lWindow = nextOdd(m);
        return decompose(y, m, sWindow, 0, tWindow, 1, lWindow, 1, 2);
    }

    static int nextOdd(double x) {
        long r = Math.round(x);
        if (r % 2 == 0) r++;
        return (int) r;
    }

    static Decomposition decompose(double[] y, int np, int ns, int sDeg, int nt, int tDeg, int nl, int lDeg, int inner) {
        int n = y.length;
        int sJump = (int) Math.ceil(ns / 10.0), tJump = (int) Math.ceil(nt / 10.0), lJump = (int) Math.ceil(nl / 10.0);
        double[] trend = new double[n], season = new double[n];
        double[] detr = new double[n];
        for (int it = 0; it < inner; it++) {
            for (int i = 0; i < n; i++) detr[i] = y[i] - trend[i];
            double[] cycle = smoothSubseries(detr, np, ns, sDeg, sJump); // length n + 2np
            double[] low = lowPass(cycle, np);                           // length n
            double[] lowSmooth = loess(low, nl, lDeg, lJump);
            for (int i = 0; i < n; i++) season[i] = cycle[np + i] - lowSmooth[i];
            double[] deseas = new double[n];
            for (int i = 0; i < n; i++) deseas[i] = y[i] - season[i];
            trend = loess(deseas, nt, tDeg, tJump);
        }
        double[] rem = new double[n];
        for (int i = 0; i < n; i++) rem[i] = y[i] - season[i] - trend[i];
        return new Decomposition(season, trend, rem);
    }

    /** Smooths each cycle-subseries and extends it by one period at both ends: output length n + 2 np. */
    private static double[] smoothSubseries(double[] y, int np, int ns, int deg, int jump) {
        int n = y.length;
        double[] out = new double[n + 2 * np];
        for (int j = 0; j < np; j++) {
            int k = (n - j - 1) / np + 1;
            double[] sub = new double[k];
            for (int i = 0; i < k; i++) sub[i] = y[i * np + j];
            double[] sm = loess(sub, ns, deg, jump);
            // positions 1..k are 0-based indices 0..k-1; extrapolate at 1-based 0 and k+1
            double first = estimate(sub, ns, deg, 0, 1, Math.min(ns, k));
            double last = estimate(sub, ns, deg, k + 1, Math.max(1, k - ns + 1), k);
            if (Double.isNaN(first)) first = sm[0];
            if (Double.isNaN(last)) last = sm[k - 1];
            out[j] = first;
            for (int i = 0; i < k; i++) out[(i + 1) * np + j] = sm[i];
            out[(k + 1) * np + j] = last;
        }
        return out;
    }

    /** Moving averages of lengths np, np and 3; input length N + 2np, output N. */
    private static double[] lowPass(double[] x, int np) {
        return movingAverage(movingAverage(movingAverage(x, np), np), 3);
    }

    private static double[] movingAverage(double[] x, int len) {
        int n = x.length - len + 1;
        double[] out = new double[n];
        double s = 0;
        for (int i = 0; i < len; i++) s += x[i];
        out[0] = s / len;
        for (int i = 1; i < n; i++) {
            s += x[i + len - 1] - x[i - 1];
            out[i] = s / len;
        }
        return out;
    }

    /**
     * Loess smoothing of {@code y} at positions 1..n with {@code len} nearest neighbours and tricube weights,
     * evaluated every {@code jump} points (and at the last point) with linear interpolation in between.
     */
    static double[] loess(double[] y, int len, int deg, int jump) {
        int n = y.length;
        double[] ys = new double[n];
        if (n < 2) {
            System.arraycopy(y, 0, ys, 0, n);
            return ys;
        }
        int nj = Math.min(jump, n - 1);
        int half = (len + 1) / 2;
        for (int i = 1; i <= n; i += nj) {
            int left, right;
            if (len >= n) {
                left = 1;
                right = n;
            } else if (i < half) {
                left = 1;
                right = len;
            } else if (i >= n - half + 1) {
                left = n - len + 1;
                right = n;
            } else {
                left = i - half + 1;
                right = len + i - half;
            }
            double v = estimate(y, len, deg, i, left, right);
            ys[i - 1] = Double.isNaN(v) ? y[i - 1] : v;
        }
        if (nj > 1) {
            for (int i = 1; i <= n - nj; i += nj) {
                double slope = (ys[i + nj - 1] - ys[i - 1]) / nj;
                for (int j = i + 1; j < i + nj; j++) ys[j - 1] = ys[i - 1] + slope * (j - i);
            }
            int k = ((n - 1) / nj) * nj + 1;
            if (k != n) {
                int left = len >= n ? 1 : n - len + 1;
                double v = estimate(y, len, deg, n, left, n);
                ys[n - 1] = Double.isNaN(v) ? y[n - 1] : v;
                if (k != n - 1) {
                    double slope = (ys[n - 1] - ys[k - 1]) / (n - k);
                    for (int j = k + 1; j < n; j++) ys[j - 1] = ys[k - 1] + slope * (j - k);
                }
            }
        }
        return ys;
    }

    /**
     * Local fit at position {@code xs} (1-based) from the points {@code left..right}; NaN when all weights vanish.
     * The bandwidth is the larger distance to the window ends, widened by (len - n)/2 when the window exceeds n.
     */
    private static double estimate(double[] y, int len, int deg, double xs, int left, int right) {
        int n = y.length;
        double range = n - 1;
        double h = Math.max(xs - left, right - xs);
        if (len > n) h += (len - n) / 2; // integer half-excess
        double h9 = 0.999 * h, h1 = 0.001 * h;
        double[] w = new double[right - left + 1];
        double a = 0;
        for (int j = left; j <= right; j++) {
            double r = Math.abs(j - xs);
            double wj = 0;
            if (r <= h9) {
                if (r <= h1) wj = 1;
                else {
                    double u = r / h;
                    u = 1 - u * u * u;
                    wj = u * u * u;
                }
            }
            w[j - left] = wj;
            a += wj;
        }
        if (a <= 0) return Double.NaN;
        for (int j = 0; j < w.length; j++) w[j] /= a;
        if (h > 0 && deg > 0) {
            double c = 0;
            a = 0;
            for (int j = left; j <= right; j++) a += w[j - left] * j;
            double b = xs - a;
            for (int j = left; j <= right; j++) c += w[j - left] * (j - a) * (j - a);
            if (Math.sqrt(c) > 0.001 * range) {
                b /= c;
                for (int j = left; j <= right; j++) w[j - left] *= b * (j - a) + 1;
            }
        }
        double s = 0;
        for (int j = left; j <= right; j++) s += w[j - left] * y[j - 1];
        return s;
    }

    /**
     * Seasonal strength {@code max(0, min(1, 1 - var(R) / var(R + S)))} from the STL decomposition (Wang, Smith and
     * Hyndman 2006; {@code forecast:::seas.heuristic}). Returns 0 for a constant series and NaN when the series is
     * too short to decompose (n <= 2m).
     */
    static double seasonalStrength(double[] y, int m) {
        if (Series.isConstant(y)) return 0;
        if (m < 2 || y.length <= 2 * m) return Double.NaN;
        Decomposition dec = decompose(y, m);
        double[] rs = new double[y.length];
        for (int i = 0; i < rs.length; i++) rs[i] = dec.remainder()[i] + dec.seasonal()[i];
        double s = 1 - Series.var(dec.remainder()) / Series.var(rs);
        return Math.max(0, Math.min(1, s));
    }
}
