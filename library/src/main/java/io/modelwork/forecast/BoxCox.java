package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * The Box-Cox transformation (Box and Cox 1964) in the signed form of Bickel and Doksum (1981), as
 * {@code forecast::BoxCox}: {@code log(y)} for lambda 0, else {@code (sign(y)|y|^lambda - 1)/lambda}; and its inverse.
 */
public final class BoxCox {
    private BoxCox() {}

    /** Transforms {@code y}; a non-positive value with lambda 0, or a negative one with lambda below 0, is an error. */
    public static double[] transform(double[] y, double lambda, String where) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double v = y[i];
            if (lambda == 0) {
                if (!(v > 0)) throw nonPositive(v, i, lambda, where);
                out[i] = Math.log(v);
            } else {
                if (lambda < 0 && v < 0) throw nonPositive(v, i, lambda, where);
                out[i] = (Math.signum(v) * Math.pow(Math.abs(v), lambda) - 1) / lambda;
            }
        }
        return out;
    }

    private static ModelworkException nonPositive(double v, int i, double lambda, String where) {
        return new ModelworkException("The series has the value " + v + " at index " + i + ", which the Box-Cox transform with lambda="
                + lambda + (lambda == 0 ? " (log)" : "") + " cannot take", where + ", index " + i,
                "use lambda=null (no transform) or a positive lambda, or shift the series to be strictly positive");
    }

    /** The inverse transform of one value. */
    public static double inverse(double x, double lambda) {
        if (lambda == 0) return Math.exp(x);
        double xx = x * lambda + 1;
        if (lambda < 0 && x > -1 / lambda) return Double.NaN;
        return Math.signum(xx) * Math.pow(Math.abs(xx), 1 / lambda);
    }

    /** The inverse transform, element-wise. */
    public static double[] inverse(double[] x, double lambda) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = inverse(x[i], lambda);
        return out;
    }

    /** The lower bound {@code forecast::BoxCox(x, lambda = "auto")} passes to {@code BoxCox.lambda}. */
    public static final double AUTO_LOWER = -0.9;

    /**
     * The automatic lambda of {@code forecast::BoxCox(x, lambda = "auto")} (and so of {@code auto.arima(lambda =
     * "auto")}): Guerrero's method on {@code [-0.9, 2]}, see {@link #lambdaGuerrero}.
     */
    public static double autoLambda(double[] y, int m) {
        return lambdaGuerrero(y, m, AUTO_LOWER, 2);
    }

    /**
     * Guerrero's (1993) choice of lambda, as {@code forecast::BoxCox.lambda(x, method = "guerrero", lower, upper)}:
     * the series (its last whole periods of length {@code max(2, m)}) is cut into periods, and lambda minimises the
     * coefficient of variation of {@code sd_i / mean_i^(1 - lambda)} over the periods, by Brent's method (Commons
     * Math; R's {@code optimize} with tolerance {@code eps^0.25}). With a non-positive value the lower bound is
     * raised to 0; a series of at most {@code 2m} values gets 1 (no transform), as in R.
     *
     * @throws ModelworkException for a series with non-finite values, or bounds not in order
     */
    public static double lambdaGuerrero(double[] y, int m, double lower, double upper) {
        String where = "BoxCox.lambdaGuerrero";
        Series.check(y, where, 2);
        if (!(lower < upper))
            throw new ModelworkException("The lambda bounds [" + lower + ", " + upper + "] are not in order", where, "pass lower < upper, e.g. -1 and 2");
        for (double v : y) if (v <= 0) { lower = Math.max(lower, 0); break; }
        if (y.length <= 2 * m) return 1;
        int period = Math.max(2, m), n = y.length, nyr = n / period, start = n - nyr * period;
        double[] mean = new double[nyr], sd = new double[nyr];
        for (int j = 0; j < nyr; j++) {
            double s = 0;
            for (int i = 0; i < period; i++) s += y[start + j * period + i];
            double mu = s / period, ss = 0;
            for (int i = 0; i < period; i++) {
                double e = y[start + j * period + i] - mu;
                ss += e * e;
            }
            mean[j] = mu;
            sd[j] = Math.sqrt(ss / (period - 1));
        }
        double tol = Math.pow(Math.ulp(1.0), 0.25);
        BrentOptimizer opt = new BrentOptimizer(2 * Math.ulp(1.0), tol / 3);
        return opt.optimize(new MaxEval(1000), GoalType.MINIMIZE, new SearchInterval(lower, upper),
                new UnivariateObjectiveFunction(lam -> guerreroCv(mean, sd, lam))).getPoint();
    }

    /** Coefficient of variation of {@code sd / mean^(1 - lambda)} over the periods (NaN ratios skipped, as R's na.rm). */
    static double guerreroCv(double[] mean, double[] sd, double lambda) {
        int k = 0;
        double s = 0;
        double[] rat = new double[mean.length];
        for (int j = 0; j < mean.length; j++) {
            double r = sd[j] / Math.pow(mean[j], 1 - lambda);
            if (Double.isNaN(r)) continue;
            rat[k++] = r;
            s += r;
        }
        if (k < 2) return Double.POSITIVE_INFINITY;
        double mu = s / k, ss = 0;
        for (int j = 0; j < k; j++) ss += (rat[j] - mu) * (rat[j] - mu);
        return Math.sqrt(ss / (k - 1)) / mu;
    }
}
