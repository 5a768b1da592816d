package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Exponential smoothing with additive errors and no trend, as a baseline: ETS(A,N,N) (simple exponential smoothing)
 * and, for a seasonal period m &gt; 1, ETS(A,N,A) (additive Holt-Winters without trend), in the innovations state-space
 * form of Hyndman, Koehler, Ord and Snyder (2008), "Forecasting with Exponential Smoothing", ch. 2-6:
 * <pre>
 *   y_t = l_{t-1} + s_{t-m} + e_t,   l_t = l_{t-1} + alpha e_t,   s_t = s_{t-m} + gamma e_t
 * </pre>
 * Smoothing parameters (alpha in [1e-4, 0.9999], gamma in [1e-4, 0.9999 (1 - alpha)]) and the initial states (level
 * and m seasonal states summing to zero) maximise the Gaussian likelihood, i.e. minimise {@code n log(SSE)}, by BOBYQA.
 * Forecast variances are the class-1 formulas of Hyndman et al. (2008, sec. 6.3):
 * {@code sigma^2 (1 + sum_{j<h} c_j^2)}, {@code c_j = alpha + gamma [j mod m = 0]}, with
 * {@code sigma^2 = SSE / (n - k)}, k the number of estimated parameters. This is a baseline; it is not R's
 * {@code ets} model selection (no trend, damping or multiplicative forms).
 */
public final class Ets {
    private final double alpha, gamma, sigma2, loglik, aic;
    private final int m;
    private final double level;
    private final double[] season; // the last m seasonal states, season[i] applies to step n+1+i (mod m)
    private final double[] fitted;

    private Ets(double alpha, double gamma, int m, double level, double[] season, double sigma2, double loglik, double aic, double[] fitted) {
        this.alpha = alpha;
        this.gamma = gamma;
        this.m = m;
        this.level = level;
        this.season = season;
        this.sigma2 = sigma2;
        this.loglik = loglik;
        this.aic = aic;
        this.fitted = fitted;
    }

    /** Fits ETS(A,N,N) for m = 1, ETS(A,N,A) for m &gt; 1 (needs at least two full seasons). */
    public static Ets fit(double[] y, int m) {
        String where = "Ets.fit";
        if (m < 1) throw new ModelworkException("The seasonal period must be at least 1, got " + m, where, "pass m >= 1");
        Series.check(y, where, m > 1 ? 2 * m + 2 : 4);
        if (Series.isConstant(y))
            throw new ModelworkException("The series is constant (all values " + y[0] + ")", where, "forecast a constant series with Naive");
        boolean seasonal = m > 1;
        int ns = seasonal ? m - 1 : 0;
        int dim = 2 + ns + (seasonal ? 1 : 0); // alpha, [g], level, m-1 seasonal states
        // starting states: level = mean of the first season, seasonal = deviations from it
        int first = seasonal ? m : Math.min(10, y.length);
        double l0 = 0;
        for (int i = 0; i < first; i++) l0 += y[i];
        l0 /= first;
        double scale = Math.sqrt(Series.var(y));
        if (!(scale > 0)) scale = 1;
        double[] x0 = new double[dim], lo = new double[dim], hi = new double[dim];
        x0[0] = 0.3;
        lo[0] = 1e-4;
        hi[0] = 0.9999;
        int k = 1;
        if (seasonal) {
            x0[1] = 0.1;
            lo[1] = 1e-4;
            hi[1] = 0.9999;
            k = 2;
        }
        final int iLevel = k;
        x0[iLevel] = 0;
        lo[iLevel] = Double.NEGATIVE_INFINITY;
        hi[iLevel] = Double.POSITIVE_INFINITY;
        for (int j = 0; j < ns; j++) {
            x0[iLevel + 1 + j] = (y[j] - l0) / scale;
            lo[iLevel + 1 + j] = Double.NEGATIVE_INFINITY;
            hi[iLevel + 1 + j] = Double.POSITIVE_INFINITY;
        }
        final double fl0 = l0, fscale = scale;
        java.util.function.ToDoubleFunction<double[]> sse = v -> {
            double[] st = decode(v, seasonal, m, iLevel, fl0, fscale);
            double s = run(y, st, m, null, null);
            return Double.isFinite(s) ? s : Double.MAX_VALUE;
        };
        double[] best = x0;
        try {
            BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * dim + 1, 0.05, 1e-7);
            best = opt.optimize(new MaxEval(4000 + 400 * dim), new ObjectiveFunction(sse::applyAsDouble), GoalType.MINIMIZE,
                    new InitialGuess(x0), new SimpleBounds(lo, hi)).getPoint();
        } catch (MathIllegalStateException e) {
            // keep the start if the optimiser fails; the fit is still a valid ETS model
        }
        double[] st = decode(best, seasonal, m, iLevel, fl0, fscale);
        double[] fit = new double[y.length];
        double[] end = new double[1 + m];
        double ssq = run(y, st, m, fit, end);
        int n = y.length;
        int npar = dim; // alpha, gamma, level, m-1 seasonal
        double loglik = -0.5 * n * (Math.log(2 * Math.PI * ssq / n) + 1);
        double aic = -2 * loglik + 2 * (npar + 1);
        double[] seasonEnd = new double[m];
        System.arraycopy(end, 1, seasonEnd, 0, m);
        return new Ets(st[0], st[1], m, end[0], seasonEnd, ssq / Math.max(1, n - npar), loglik, aic, fit);
    }

    /** {alpha, gamma, level0, s_{1-m}, ..., s_0} from the optimiser's vector. */
    private static double[] decode(double[] v, boolean seasonal, int m, int iLevel, double l0, double scale) {
        double[] st = new double[3 + (seasonal ? m : 0)];
        st[0] = v[0];
        st[1] = seasonal ? v[1] * (1 - v[0]) : 0;
        st[2] = l0 + v[iLevel] * scale;
        if (seasonal) {
            double sum = 0;
            for (int j = 0; j < m - 1; j++) {
                st[3 + j] = v[iLevel + 1 + j] * scale;
                sum += st[3 + j];
            }
            st[3 + m - 1] = -sum;
        }
        return st;
    }

    /** Runs the recursions; returns SSE; optionally fills the fitted values and the final {level, season...}. */
    private static double run(double[] y, double[] st, int m, double[] fitted, double[] end) {
        double a = st[0], g = st[1], l = st[2];
        boolean seasonal = st.length > 3;
        double[] s = new double[m];
        if (seasonal) System.arraycopy(st, 3, s, 0, m); // s[t mod m] is the state used at time t
        double sse = 0;
        for (int t = 0; t < y.length; t++) {
            double sv = seasonal ? s[t % m] : 0;
            double f = l + sv;
            double e = y[t] - f;
            if (fitted != null) fitted[t] = f;
            sse += e * e;
            l += a * e;
            if (seasonal) s[t % m] = sv + g * e;
        }
        if (end != null) {
            end[0] = l;
            int n = y.length;
            for (int i = 0; i < m; i++) end[1 + i] = seasonal ? s[(n + i) % m] : 0;
        }
        return sse;
    }

    /** Forecasts {@code h} steps with central intervals at the given levels (percent), default 80 and 95. */
    public Forecast forecast(int h, double... levels) {
        if (h < 1) throw new ModelworkException("The horizon must be at least 1, got " + h, "Ets.forecast", "pass h >= 1");
        if (levels.length == 0) levels = new double[]{80, 95};
        double[] mean = new double[h], se = new double[h];
        double acc = 1;
        for (int t = 0; t < h; t++) {
            mean[t] = level + season[t % m];
            if (t > 0) {
                int j = t;
                double c = alpha + (m > 1 && j % m == 0 ? gamma : 0);
                acc += c * c;
            }
            se[t] = Math.sqrt(sigma2 * acc);
        }
        return SeasonalNaive.intervals(mean, se, levels);
    }

    /** The forecasting state: smoothing parameters, final level and seasonal states, sigma^2 and criteria. */
    public record State(double alpha, double gamma, int m, double level, double[] season, double sigma2, double loglik, double aic) {}

    public State state() { return new State(alpha, gamma, m, level, season.clone(), sigma2, loglik, aic); }

    /** Rebuilds a model from {@link #state()}; its forecasts equal the original's exactly ({@link #fitted()} is empty). */
    public static Ets restore(State s) {
        if (s.m() < 1 || s.season() == null || s.season().length != s.m())
            throw new ModelworkException("The saved ETS state is inconsistent", "Ets.restore", "re-export the model; the file is damaged");
        return new Ets(s.alpha(), s.gamma(), s.m(), s.level(), s.season().clone(), s.sigma2(), s.loglik(), s.aic(), new double[0]);
    }

    public double alpha() { return alpha; }
    public double gamma() { return gamma; }
    public double sigma2() { return sigma2; }
    public double logLik() { return loglik; }
    public double aic() { return aic; }
    public int period() { return m; }
    public double[] fitted() { return fitted.clone(); }

    @Override
    public String toString() {
        return m > 1 ? "ETS(A,N,A)[" + m + "]" : "ETS(A,N,N)";
    }
}
