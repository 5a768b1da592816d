package io.modelwork.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression metrics with scikit-learn 1.2.1's definitions ({@code sklearn.metrics}, single output, no sample
 * weights).
 *
 * <p>Every method takes the true values {@code y} and the predictions {@code p}: equal length, non-empty and finite,
 * otherwise it throws {@link io.modelwork.core.ModelworkException}. Sums are compensated (Neumaier), so results agree
 * with numpy's pairwise sums far below 1e-9.
 */
public final class RegressionMetrics {
    /** {@code np.finfo(np.float64).eps}, the floor of {@code |y|} in MAPE's denominator. */
    public static final double MAPE_EPSILON = 2.220446049250313e-16;

    private RegressionMetrics() {}

    /**
     * Root mean squared error; mirrors {@code sklearn.metrics.mean_squared_error(y, p, squared=False)}.
     *
     * @param y true values
     * @param p predicted values
     * @return {@code sqrt(mean((y - p)^2))}
     */
    public static double rmse(double[] y, double[] p) {
        Checks.regression(y, p, "RegressionMetrics.rmse");
        return Math.sqrt(meanSquared(y, p));
    }

    /**
     * Mean squared error; mirrors {@code sklearn.metrics.mean_squared_error(y, p)}.
     *
     * @param y true values
     * @param p predicted values
     * @return {@code mean((y - p)^2)}
     */
    public static double mse(double[] y, double[] p) {
        Checks.regression(y, p, "RegressionMetrics.mse");
        return meanSquared(y, p);
    }

    /**
     * Mean absolute error; mirrors {@code sklearn.metrics.mean_absolute_error(y, p)}.
     *
     * @param y true values
     * @param p predicted values
     * @return {@code mean(|y - p|)}
     */
    public static double mae(double[] y, double[] p) {
        Checks.regression(y, p, "RegressionMetrics.mae");
        Sum s = new Sum();
        for (int i = 0; i < y.length; i++) {
            s.add(Math.abs(y[i] - p[i]));
        }
        return s.value() / y.length;
    }

    /**
     * Coefficient of determination; mirrors {@code sklearn.metrics.r2_score(y, p)} with its default
     * {@code force_finite=True}: {@code 1 - SS_res / SS_tot}; when {@code y} is constant ({@code SS_tot == 0}) the
     * score is {@code 1.0} for a perfect prediction and {@code 0.0} otherwise. With fewer than two samples R² is not
     * defined and, as in sklearn, {@code NaN} is returned.
     *
     * @param y true values
     * @param p predicted values
     * @return R², at most 1, possibly negative
     */
    public static double r2(double[] y, double[] p) {
        Checks.regression(y, p, "RegressionMetrics.r2");
        if (y.length < 2) {
            return Double.NaN;
        }
        Sum mean = new Sum();
        for (double v : y) {
            mean.add(v);
        }
        double yMean = mean.value() / y.length;
        Sum num = new Sum();
        Sum den = new Sum();
        for (int i = 0; i < y.length; i++) {
            double r = y[i] - p[i];
            double d = y[i] - yMean;
            num.add(r * r);
            den.add(d * d);
        }
        double numerator = num.value();
        double denominator = den.value();
        if (denominator != 0.0) {
            return numerator != 0.0 ? 1.0 - numerator / denominator : 1.0;
        }
        return numerator != 0.0 ? 0.0 : 1.0;
    }

    /**
     * Mean absolute percentage error as a fraction (not percent); mirrors
     * {@code sklearn.metrics.mean_absolute_percentage_error(y, p)}: {@code mean(|y - p| / max(|y|, eps))} with
     * {@code eps =} {@link #MAPE_EPSILON}. A zero in {@code y} with a non-zero error therefore yields a huge value
     * (about 4.5e15 per unit of error), exactly as sklearn.
     *
     * @param y true values
     * @param p predicted values
     * @return the MAPE, 0.1 meaning 10%
     */
    public static double mape(double[] y, double[] p) {
        Checks.regression(y, p, "RegressionMetrics.mape");
        Sum s = new Sum();
        for (int i = 0; i < y.length; i++) {
            s.add(Math.abs(p[i] - y[i]) / Math.max(Math.abs(y[i]), MAPE_EPSILON));
        }
        return s.value() / y.length;
    }

    /**
     * Median absolute error; mirrors {@code sklearn.metrics.median_absolute_error(y, p)} (numpy's median: the mean
     * of the two middle values for an even count).
     *
     * @param y true values
     * @param p predicted values
     * @return {@code median(|y - p|)}
     */
    public static double medianAbsoluteError(double[] y, double[] p) {
        Checks.regression(y, p, "RegressionMetrics.medianAbsoluteError");
        double[] a = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            a[i] = Math.abs(y[i] - p[i]);
        }
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2.0;
    }

    /**
     * Residuals {@code y - p}, element-wise (sklearn has no function for this; the sign follows the usual
     * "observed minus predicted" convention, so a positive residual means under-prediction).
     *
     * @param y true values
     * @param p predicted values
     * @return a new array of {@code y[i] - p[i]}
     */
    public static double[] residuals(double[] y, double[] p) {
        Checks.regression(y, p, "RegressionMetrics.residuals");
        double[] r = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            r[i] = y[i] - p[i];
        }
        return r;
    }

    /**
     * The headline regression metrics in one map, in this order: {@code rmse}, {@code mae}, {@code r2},
     * {@code mape}, {@code mse}; each as computed by the method of the same name.
     *
     * @param y true values
     * @param p predicted values
     * @return an insertion-ordered map from snake_case metric name to value
     */
    public static Map<String, Double> all(double[] y, double[] p) {
        Checks.regression(y, p, "RegressionMetrics.all");
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("rmse", rmse(y, p));
        m.put("mae", mae(y, p));
        m.put("r2", r2(y, p));
        m.put("mape", mape(y, p));
        m.put("mse", mse(y, p));
        return m;
    }

    private static double meanSquared(double[] y, double[] p) {
        Sum s = new Sum();
        for (int i = 0; i < y.length; i++) {
            double r = y[i] - p[i];
            s.add(r * r);
        }
        return s.value() / y.length;
    }
}
