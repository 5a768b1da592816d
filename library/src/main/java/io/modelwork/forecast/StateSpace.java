package io.modelwork.forecast;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;

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
     * {@code Q0 = T Q0 T' + R R'} for Harvey's companion form. Returns null when the AR part is not stationary.
     *
     * <p>Hand-written rather than a general Lyapunov solver because the companion structure makes it O(r^2) after one
     * (p+1)-dimensional linear solve, where R's Gardner et al. (1980) method is O(r^4) and a general (doubling or
     * Kronecker) solver O(r^3 log k) or O(r^6); with m = 24 and seasonal AR terms r reaches 50-75 and this runs once
     * per likelihood evaluation. Written out element-wise the Lyapunov equation reads
     * {@code Q[i][j] = Q[i+1][j+1] + phi_i c_{j+1} + phi_j c_{i+1} + phi_i phi_j c_0 + R_i R_j} (indices past r are
     * zero) with {@code c = Q[0][.]}, so Q follows along its diagonals from the first row. Since state 0 is the
     * process {@code y_t} and state j is {@code sum_{k>=j} (phi_k y_{t-1-k+j} + R_k e_{t-k+j})}, the first row is
     * {@code c_j = sum_{k>=j} phi_k gamma(k-j+1) + R_k psi_{k-j}} with the autocovariances {@code gamma} (unit
     * innovation variance; Brockwell and Davis 1991, sec. 3.3, the linear system for gamma(0..p) solved by
     * Commons Math's LU decomposition) and the psi-weights of the MA(infinity) representation.
     */
    static double[] stationaryCovariance(double[] phi, double[] rload) {
        int r = phi.length;
        if (!Polynomials.arRootsOutside(phi, 1.0)) return null;
        int p = r;
        while (p > 0 && phi[p - 1] == 0) p--;
        int q = r - 1;
        while (q > 0 && rload[q] == 0) q--;
        // psi-weights psi_0..psi_r
        double[] psi = new double[r + 1];
        for (int j = 0; j <= r; j++) {
            double v = j <= q ? rload[j] : 0;
            for (int i = 1; i <= Math.min(j, p); i++) v += phi[i - 1] * psi[j - i];
            psi[j] = v;
        }
        // rhs_k = sum_{j=k}^{q} theta_j psi_{j-k} (theta_0 = 1)
        double[] gamma = new double[r + 1];
        double[] rhs = new double[Math.max(r, p) + 1];
        for (int k = 0; k < rhs.length; k++) {
            double v = 0;
            for (int j = k; j <= q; j++) v += rload[j] * psi[j - k];
            rhs[k] = v;
        }
        if (p == 0) {
            for (int k = 0; k <= r; k++) gamma[k] = rhs[k];
        } else {
            double[][] a = new double[p + 1][p + 1];
            for (int k = 0; k <= p; k++) {
                a[k][k] += 1;
                for (int i = 1; i <= p; i++) a[k][Math.abs(k - i)] -= phi[i - 1];
            }
            double[] g;
            try {
                g = new LUDecomposition(new Array2DRowRealMatrix(a, false)).getSolver()
                        .solve(new ArrayRealVector(java.util.Arrays.copyOf(rhs, p + 1), false)).toArray();
            } catch (RuntimeException e) {
                return null; // singular: a unit root the step-down test let through by rounding
            }
            System.arraycopy(g, 0, gamma, 0, p + 1);
            for (int k = p + 1; k <= r; k++) {
                double v = rhs[k];
                for (int i = 1; i <= p; i++) v += phi[i - 1] * gamma[k - i];
                gamma[k] = v;
            }
        }
        if (!(gamma[0] > 0) || !Double.isFinite(gamma[0]) || gamma[0] > 1e12) return null;
        double[] c = new double[r + 1];
        for (int j = 0; j < r; j++) {
            double v = 0;
            for (int k = j; k < r; k++) v += phi[k] * gamma[k - j + 1] + rload[k] * psi[k - j];
            c[j] = v;
        }
        c[0] = gamma[0];
        double[] out = new double[r * r];
        for (int i = r - 1; i >= 0; i--) {
            for (int j = r - 1; j >= i; j--) {
                double v = phi[i] * c[j + 1] + phi[j] * c[i + 1] + phi[i] * phi[j] * c[0] + rload[i] * rload[j];
                if (j + 1 < r) v += out[(i + 1) * r + j + 1];
                out[i * r + j] = v;
                out[j * r + i] = v;
            }
        }
        return out;
    }

    /**
     * The ARMA likelihood of an already differenced series {@code w} without missing values: the Kalman filter on the
     * r-dimensional ARMA state started from its stationary covariance. As the differencing block of {@link #filter}
     * with {@code kappa -> infinity} (the first {@code d} observations then carry no information), this is the same
     * likelihood up to O(1/kappa) (Ansley and Kohn 1985; Durbin and Koopman 2012, sec. 5.7), at a state of dimension
     * r instead of r + d.
     *
     * <p>Hand-written as the Chandrasekhar recursions (Morf, Sidhu and Kailath 1974; Herbst 2015, J. Econ. Dyn.
     * Control 55) instead of the covariance recursion: for a time-invariant model started from the stationary
     * covariance {@code Q0 = T Q0 T' + R R'} the change {@code P_2 - P_1 = -K_1 F_1 K_1'} has rank one, and so have
     * all later changes {@code P_{t+1} - P_t = W_t M_t W_t'}. Propagating the gain {@code K}, the innovation variance
     * {@code F}, the vector {@code W} and the scalar {@code M}
     * <pre>
     *   F_{t+1} = F_t + (W_t[0])^2 M_t
     *   K_{t+1} = (K_t F_t + T W_t M_t W_t[0]) / F_{t+1}
     *   M_{t+1} = M_t + M_t^2 (W_t[0])^2 / F_t
     *   W_{t+1} = T W_t - K_{t+1} W_t[0]
     * </pre>
     * costs O(r) per observation instead of O(r^2) for the covariance, which for m = 24 (r up to 75) is what makes
     * the exact ML fits of a seasonal search affordable. The state mean follows {@code a_{t+1} = T a_t + K_t v_t}.
     *
     * @return null when the AR part is not stationary
     */
    static Likelihood armaLikelihood(double[] phiIn, double[] thetaIn, double[] w) {
        int r = Math.max(phiIn.length, thetaIn.length + 1);
        double[] phi = new double[r], rl = new double[r];
        System.arraycopy(phiIn, 0, phi, 0, phiIn.length);
        rl[0] = 1;
        System.arraycopy(thetaIn, 0, rl, 1, thetaIn.length);
        double[] q0 = stationaryCovariance(phi, rl);
        if (q0 == null) return null;
        double f = q0[0];
        double[] k = new double[r], wv = new double[r], tw = new double[r], a = new double[r];
        for (int i = 0; i < r; i++) k[i] = ((i + 1 < r ? q0[(i + 1) * r] : 0) + phi[i] * q0[0]) / f; // T Q0 e1 / F
        System.arraycopy(k, 0, wv, 0, r);
        double mm = -f;
        double ssq = 0, sumLog = 0;
        int nu = 0;
        for (int t = 0; t < w.length; t++) {
            double a0 = a[0];
            double v = w[t] - a0;
            if (f < DIFFUSE_GAIN) {
                nu++;
                ssq += v * v / f;
                sumLog += Math.log(f);
            }
            for (int i = 0; i < r - 1; i++) a[i] = a[i + 1] + phi[i] * a0 + k[i] * v;
            a[r - 1] = phi[r - 1] * a0 + k[r - 1] * v;
            double zw = wv[0];
            if (zw == 0) continue; // converged: P no longer changes
            double w0 = wv[0];
            for (int i = 0; i < r - 1; i++) tw[i] = wv[i + 1] + phi[i] * w0;
            tw[r - 1] = phi[r - 1] * w0;
            double fn = f + zw * zw * mm;
            double c = mm * zw;
            for (int i = 0; i < r; i++) k[i] = (k[i] * f + tw[i] * c) / fn;
            mm += mm * mm * zw * zw / f;
            for (int i = 0; i < r; i++) wv[i] = tw[i] - k[i] * zw;
            f = fn;
        }
        return new Likelihood(ssq, sumLog, nu);
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
