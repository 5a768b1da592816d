package io.modelwork.forecast;

/**
 * The state-space form of an ARIMA process and its Kalman filter, after Harvey (1989, sec. 3.3), Gardner, Harvey and
 * Phillips (1980, Applied Statistics AS 154) and Durbin and Koopman (2012, ch. 5): the same model layout that R's
 * {@code makeARIMA} builds.
 *
 * <p>The state holds the {@code r = max(p, q+1)} components of the stationary ARMA part (Harvey's companion form with
 * {@code T[i][0] = phi_i}, ones on the superdiagonal and disturbance loading {@code R = (1, theta_1, ...)}) followed by
 * the {@code d} most recent values of the undifferenced series, which the differencing polynomial
 * {@code 1 - sum delta_i B^i} combines into the observation. The ARMA block starts from its stationary covariance; the
 * differencing block is started "approximately diffuse" with variance {@code kappa = 1e6}; observations whose
 * one-step prediction variance is 1e4 or more (relative to sigma^2) do not enter the likelihood, as in R's
 * {@code arima}. The filter runs with unit innovation variance, so sigma^2 is profiled out of the likelihood.
 *
 * <p>Not thread-safe: it keeps the filtered state of the last run so that {@link #forecast} can continue from it.
 */
final class StateSpace {
    static final double KAPPA = 1e6;
    static final double DIFFUSE_GAIN = 1e4;

    final int r, d, rd;
    final double[] phi;   // length r, zero padded
    final double[] rload; // length r: 1, theta_1, ..., zero padded
    final double[] delta; // length d
    private final double[] p0; // initial predicted covariance, rd*rd
    double[] a;  // filtered state after the last observation
    double[] pm; // its covariance, rd*rd

    private StateSpace(double[] phiIn, double[] thetaIn, double[] delta, double[] p0) {
        this.r = Math.max(phiIn.length, thetaIn.length + 1);
        this.d = delta.length;
        this.rd = r + d;
        this.phi = new double[r];
        System.arraycopy(phiIn, 0, phi, 0, phiIn.length);
        this.rload = new double[r];
        rload[0] = 1;
        System.arraycopy(thetaIn, 0, rload, 1, thetaIn.length);
        this.delta = delta;
        this.p0 = p0;
    }

    /**
     * Builds the model for expanded AR coefficients {@code phi}, expanded MA coefficients {@code theta} and the
     * differencing vector {@code delta}; returns null when the AR part is not stationary (its stationary covariance
     * does not exist).
     */
    static StateSpace of(double[] phi, double[] theta, double[] delta) {
        int r = Math.max(phi.length, theta.length + 1), d = delta.length, rd = r + d;
        double[] ph = new double[r], rl = new double[r];
        System.arraycopy(phi, 0, ph, 0, phi.length);
        rl[0] = 1;
        System.arraycopy(theta, 0, rl, 1, theta.length);
        double[] q0 = stationaryCovariance(ph, rl);
        if (q0 == null) return null;
        double[] p0 = new double[rd * rd];
        for (int i = 0; i < r; i++) System.arraycopy(q0, i * r, p0, i * rd, r);
        for (int i = r; i < rd; i++) p0[i * rd + i] = KAPPA;
        return new StateSpace(phi, theta, delta, p0);
    }

    /**
     * The stationary covariance {@code Q0} of the ARMA state, the solution of the discrete Lyapunov equation
     * {@code Q0 = T Q0 T' + R R'}, by the doubling algorithm ({@code Q <- Q + A Q A'}, {@code A <- A^2}), which
     * sums {@code sum_k T^k R R' T'^k} in O(r^3 log k) operations. Returns null when the sum does not converge
     * (a non-stationary AR part).
     */
    static double[] stationaryCovariance(double[] phi, double[] rload) {
        int r = phi.length;
        double[] q = new double[r * r];
        for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) q[i * r + j] = rload[i] * rload[j];
        if (r == 1) {
            double f = 1 - phi[0] * phi[0];
            if (!(f > 0)) return null;
            q[0] /= f;
            return q;
        }
        double[] a = new double[r * r];
        for (int i = 0; i < r; i++) {
            a[i * r] = phi[i];
            if (i + 1 < r) a[i * r + i + 1] = 1;
        }
        double[] aq = new double[r * r], inc = new double[r * r], aa = new double[r * r];
        for (int iter = 0; iter < 64; iter++) {
            mul(a, q, aq, r);
            mulT(aq, a, inc, r);
            double incMax = 0, qMax = 0;
            for (int i = 0; i < q.length; i++) {
                q[i] += inc[i];
                incMax = Math.max(incMax, Math.abs(inc[i]));
                qMax = Math.max(qMax, Math.abs(q[i]));
            }
            if (!Double.isFinite(qMax) || qMax > 1e12) return null;
            if (incMax <= 1e-15 * qMax) {
                // symmetrise against rounding
                for (int i = 0; i < r; i++) for (int j = i + 1; j < r; j++) {
                    double s = 0.5 * (q[i * r + j] + q[j * r + i]);
                    q[i * r + j] = s;
                    q[j * r + i] = s;
                }
                return q;
            }
            mul(a, a, aa, r);
            System.arraycopy(aa, 0, a, 0, a.length);
        }
        return null;
    }

    private static void mul(double[] x, double[] y, double[] out, int n) {
        java.util.Arrays.fill(out, 0);
        for (int i = 0; i < n; i++) for (int k = 0; k < n; k++) {
            double v = x[i * n + k];
            if (v == 0) continue;
            for (int j = 0; j < n; j++) out[i * n + j] += v * y[k * n + j];
        }
    }

    /** out = x * y' */
    private static void mulT(double[] x, double[] y, double[] out, int n) {
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += x[i * n + k] * y[j * n + k];
            out[i * n + j] = s;
        }
    }

    /** Result of a filter run: sum of squared standardised innovations, sum of log gains, count used. */
    record Likelihood(double ssq, double sumLog, int nu) {
        /** R's concentrated objective {@code 0.5 (log(ssq/nu) + sumlog/nu)}. */
        double objective() {
            return 0.5 * (Math.log(ssq / nu) + sumLog / nu);
        }
    }

    /**
     * Runs the Kalman filter over {@code y} (NaN is treated as missing). When {@code resid} is not null it receives
     * the innovations scaled by {@code 1/sqrt(F_t)} relative to sigma^2, i.e. in the units of y (R's residuals).
     */
    Likelihood filter(double[] y, double[] resid) {
        int n = y.length;
        double[] at = new double[rd], anew = new double[rd], mv = new double[rd];
        double[] pt = new double[rd * rd], pnew = new double[rd * rd], tmp = new double[rd * rd];
        double ssq = 0, sumLog = 0;
        int nu = 0;
        for (int t = 0; t < n; t++) {
            predictState(at, anew);
            if (t == 0) System.arraycopy(p0, 0, pnew, 0, p0.length);
            else predictCov(pt, pnew, tmp);
            if (Double.isNaN(y[t])) {
                System.arraycopy(anew, 0, at, 0, rd);
                System.arraycopy(pnew, 0, pt, 0, pt.length);
                if (resid != null) resid[t] = Double.NaN;
                continue;
            }
            double pred = anew[0];
            for (int k = 0; k < d; k++) pred += delta[k] * anew[r + k];
            double v = y[t] - pred;
            for (int i = 0; i < rd; i++) {
                double s = pnew[i * rd];
                for (int k = 0; k < d; k++) s += delta[k] * pnew[i * rd + r + k];
                mv[i] = s;
            }
            double gain = mv[0];
            for (int k = 0; k < d; k++) gain += delta[k] * mv[r + k];
            if (gain < DIFFUSE_GAIN) {
                nu++;
                ssq += v * v / gain;
                sumLog += Math.log(gain);
            }
            if (resid != null) resid[t] = v / Math.sqrt(gain);
            for (int i = 0; i < rd; i++) at[i] = anew[i] + mv[i] * v / gain;
            for (int i = 0; i < rd; i++) {
                double mi = mv[i] / gain;
                for (int j = 0; j < rd; j++) pt[i * rd + j] = pnew[i * rd + j] - mi * mv[j];
            }
        }
        this.a = at;
        this.pm = n == 0 ? p0.clone() : pt;
        return new Likelihood(ssq, sumLog, nu);
    }

    /** anew = T a */
    private void predictState(double[] at, double[] anew) {
        double a0 = at[0];
        for (int i = 0; i < r; i++) anew[i] = (i < r - 1 ? at[i + 1] : 0) + phi[i] * a0;
        if (d > 0) {
            double s = a0;
            for (int k = 0; k < d; k++) s += delta[k] * at[r + k];
            for (int i = rd - 1; i > r; i--) anew[i] = at[i - 1];
            anew[r] = s;
        }
    }

    /** pnew = T p T' + R R', using the sparsity of T. */
    private void predictCov(double[] p, double[] pnew, double[] tp) {
        // tp = T p (row operations)
        for (int j = 0; j < rd; j++) {
            double p0j = p[j];
            for (int i = 0; i < r; i++) tp[i * rd + j] = (i < r - 1 ? p[(i + 1) * rd + j] : 0) + phi[i] * p0j;
            if (d > 0) {
                double s = p0j;
                for (int k = 0; k < d; k++) s += delta[k] * p[(r + k) * rd + j];
                tp[r * rd + j] = s;
                for (int i = r + 1; i < rd; i++) tp[i * rd + j] = p[(i - 1) * rd + j];
            }
        }
        // pnew = tp T' (column operations)
        for (int i = 0; i < rd; i++) {
            int o = i * rd;
            double c0 = tp[o];
            for (int j = 0; j < r; j++) pnew[o + j] = (j < r - 1 ? tp[o + j + 1] : 0) + phi[j] * c0;
            if (d > 0) {
                double s = c0;
                for (int k = 0; k < d; k++) s += delta[k] * tp[o + r + k];
                pnew[o + r] = s;
                for (int j = r + 1; j < rd; j++) pnew[o + j] = tp[o + j - 1];
            }
        }
        for (int i = 0; i < r; i++) {
            double ri = rload[i];
            if (ri == 0) continue;
            for (int j = 0; j < r; j++) pnew[i * rd + j] += ri * rload[j];
        }
    }

    /**
     * Forecasts {@code h} steps from the filtered state of the last {@link #filter} run: returns {means, variances}
     * with variances relative to sigma^2 (Durbin and Koopman 2012, sec. 4.11; R's {@code KalmanForecast}). Because the
     * differencing lives in the state, the variances grow as the psi-weights of the full ARIMA operator.
     */
    double[][] forecast(int h) {
        double[] at = a.clone(), anew = new double[rd];
        double[] pt = pm.clone(), pnew = new double[rd * rd], tmp = new double[rd * rd];
        double[] mean = new double[h], var = new double[h];
        for (int s = 0; s < h; s++) {
            predictState(at, anew);
            predictCov(pt, pnew, tmp);
            double f = anew[0];
            for (int k = 0; k < d; k++) f += delta[k] * anew[r + k];
            double v = pnew[0];
            for (int k = 0; k < d; k++) v += 2 * delta[k] * pnew[r + k];
            for (int k = 0; k < d; k++) for (int l = 0; l < d; l++) v += delta[k] * delta[l] * pnew[(r + k) * rd + r + l];
            mean[s] = f;
            var[s] = v;
            double[] sw = at; at = anew; anew = sw;
            double[] sp = pt; pt = pnew; pnew = sp;
        }
        return new double[][]{mean, var};
    }
}
