package io.modelwork.tracking.track;

/**
 * The constant-velocity Kalman filter of ByteTrack (inherited from DeepSORT, {@code kalman_filter.py}) on the state
 * (x, y, a, h, vx, vy, va, vh) — box centre, aspect ratio w/h, height and their velocities — with its noise model:
 * position std 1/20 and velocity std 1/160 of the height. Hand-written (8 × 8, 4 × 4 Cholesky) because it is a port of
 * that exact noise model, not a general filter; a matrix library would add a dependency for 100 lines.
 */
public final class KalmanBoxFilter {
    static final double WP = 1.0 / 20, WV = 1.0 / 160;

    private KalmanBoxFilter() { }

    /** mean (8) and covariance (8×8, row-major) of a new track at measurement (x, y, a, h). */
    public static void initiate(double[] z, double[] mean, double[] cov) {
        System.arraycopy(z, 0, mean, 0, 4);
        for (int i = 4; i < 8; i++) mean[i] = 0;
        double h = z[3];
        double[] std = {2 * WP * h, 2 * WP * h, 1e-2, 2 * WP * h, 10 * WV * h, 10 * WV * h, 1e-5, 10 * WV * h};
        java.util.Arrays.fill(cov, 0);
        for (int i = 0; i < 8; i++) cov[i * 8 + i] = std[i] * std[i];
    }

    /** One step ahead: x += v; P = F P Fᵀ + Q (Q from the height before the step). */
    public static void predict(double[] mean, double[] cov) {
        double h = mean[3];
        double[] q = {WP * h, WP * h, 1e-2, WP * h, WV * h, WV * h, 1e-5, WV * h};
        for (int i = 0; i < 4; i++) mean[i] += mean[i + 4];
        // F P Fᵀ with F = [[I, I], [0, I]]
        double[] p = cov.clone();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 8; j++) p[i * 8 + j] = cov[i * 8 + j] + cov[(i + 4) * 8 + j];
        double[] r = p.clone();
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 4; j++) r[i * 8 + j] = p[i * 8 + j] + p[i * 8 + j + 4];
        for (int i = 0; i < 8; i++) r[i * 8 + i] += q[i] * q[i];
        System.arraycopy(r, 0, cov, 0, 64);
    }

    /** Measurement update with z = (x, y, a, h); R from the predicted height. */
    public static void update(double[] mean, double[] cov, double[] z) {
        double h = mean[3];
        double[] rs = {WP * h, WP * h, 1e-1, WP * h};
        double[] s = new double[16];
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) s[i * 4 + j] = cov[i * 8 + j];
        for (int i = 0; i < 4; i++) s[i * 4 + i] += rs[i] * rs[i];
        double[] l = cholesky(s);
        // K = P Hᵀ S⁻¹  (8×4): solve S Kᵀ = H P
        double[] k = new double[32];
        double[] col = new double[4];
        for (int r = 0; r < 8; r++) {
            for (int i = 0; i < 4; i++) col[i] = cov[r * 8 + i]; // (P Hᵀ)[r, i]
            double[] sol = solve(l, col);
            for (int i = 0; i < 4; i++) k[r * 4 + i] = sol[i];
        }
        double[] innov = new double[4];
        for (int i = 0; i < 4; i++) innov[i] = z[i] - mean[i];
        for (int r = 0; r < 8; r++) {
            double d = 0;
            for (int i = 0; i < 4; i++) d += k[r * 4 + i] * innov[i];
            mean[r] += d;
        }
        // P -= K S Kᵀ  (= K H P)
        double[] ks = new double[32];
        for (int r = 0; r < 8; r++)
            for (int j = 0; j < 4; j++) { double d = 0; for (int i = 0; i < 4; i++) d += k[r * 4 + i] * s[i * 4 + j]; ks[r * 4 + j] = d; }
        for (int r = 0; r < 8; r++)
            for (int c = 0; c < 8; c++) { double d = 0; for (int j = 0; j < 4; j++) d += ks[r * 4 + j] * k[c * 4 + j]; cov[r * 8 + c] -= d; }
    }

    private static double[] cholesky(double[] a) {
        double[] l = new double[16];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j <= i; j++) {
                double sum = a[i * 4 + j];
                for (int k = 0; k < j; k++) sum -= l[i * 4 + k] * l[j * 4 + k];
                l[i * 4 + j] = i == j ? Math.sqrt(Math.max(sum, 1e-300)) : sum / l[j * 4 + j];
            }
        return l;
    }

    private static double[] solve(double[] l, double[] b) {
        double[] y = new double[4], x = new double[4];
        for (int i = 0; i < 4; i++) { double s = b[i]; for (int k = 0; k < i; k++) s -= l[i * 4 + k] * y[k]; y[i] = s / l[i * 4 + i]; }
        for (int i = 3; i >= 0; i--) { double s = y[i]; for (int k = i + 1; k < 4; k++) s -= l[k * 4 + i] * x[k]; x[i] = s / l[i * 4 + i]; }
        return x;
    }
}
