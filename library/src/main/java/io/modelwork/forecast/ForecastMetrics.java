package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Point and interval accuracy of forecasts, with the M4 competition definitions (Makridakis, Spiliotis and
 * Assimakopoulos 2020, International Journal of Forecasting 36(1)):
 * <ul>
 *   <li>{@code MAE = mean |y - f|}, {@code RMSE = sqrt(mean (y - f)^2)};</li>
 *   <li>{@code MAPE = 100 mean |y - f| / |y|} (percent; undefined for a zero actual);</li>
 *   <li>{@code sMAPE = 200 mean |y - f| / (|y| + |f|)} (percent, 0..200; a term with {@code y = f = 0} counts 0);</li>
 *   <li>{@code MASE = mean |y - f| / (mean_{t>m} |x_t - x_{t-m}|)}, scaled by the in-sample MAE of the seasonal
 *       naive method with period m on the training series x (m = 1: the naive method);</li>
 *   <li>coverage: the share of actuals inside [lower, upper].</li>
 * </ul>
 */
public final class ForecastMetrics {
    private ForecastMetrics() {}

    private static void check(double[] y, double[] f, String where) {
        if (y == null || f == null || y.length == 0)
            throw new ModelworkException("Actuals and forecasts must be non-empty", where, "pass the hold-out values and the forecasts");
        if (y.length != f.length)
            throw new ModelworkException("Actuals have " + y.length + " values but forecasts " + f.length, where,
                    "forecast exactly as many steps as there are hold-out values");
        for (int i = 0; i < y.length; i++)
            if (!Double.isFinite(y[i]) || !Double.isFinite(f[i]))
                throw new ModelworkException("A non-finite value at index " + i + " (actual " + y[i] + ", forecast " + f[i] + ")",
                        where + ", index " + i, "remove missing hold-out values or check the forecast");
    }

    public static double mae(double[] y, double[] f) {
        check(y, f, "ForecastMetrics.mae");
        double s = 0;
        for (int i = 0; i < y.length; i++) s += Math.abs(y[i] - f[i]);
        return s / y.length;
    }

    public static double rmse(double[] y, double[] f) {
        check(y, f, "ForecastMetrics.rmse");
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (y[i] - f[i]) * (y[i] - f[i]);
        return Math.sqrt(s / y.length);
    }

    /** Mean absolute percentage error in percent; a zero actual is an error. */
    public static double mape(double[] y, double[] f) {
        check(y, f, "ForecastMetrics.mape");
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 0)
                throw new ModelworkException("MAPE is undefined: the actual at index " + i + " is 0", "ForecastMetrics.mape, index " + i,
                        "use sMAPE or MASE for series with zeros");
            s += Math.abs((y[i] - f[i]) / y[i]);
        }
        return 100 * s / y.length;
    }

    /** Symmetric MAPE in percent, M4 definition {@code 200 |y-f| / (|y| + |f|)}. */
    public static double smape(double[] y, double[] f) {
        check(y, f, "ForecastMetrics.smape");
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            double den = Math.abs(y[i]) + Math.abs(f[i]);
            if (den > 0) s += 2 * Math.abs(y[i] - f[i]) / den;
        }
        return 100 * s / y.length;
    }

    /** Mean absolute scaled error, scaled by the in-sample seasonal naive MAE (period m) of {@code insample}. */
    public static double mase(double[] y, double[] f, double[] insample, int m) {
        check(y, f, "ForecastMetrics.mase");
        String where = "ForecastMetrics.mase";
        if (m < 1) throw new ModelworkException("The seasonal period must be at least 1, got " + m, where, "pass m >= 1");
        if (insample == null || insample.length <= m)
            throw new ModelworkException("MASE needs more than m=" + m + " in-sample values, got " + (insample == null ? 0 : insample.length),
                    where, "pass the training series, or m=1 for a short one");
        double s = 0;
        for (int t = m; t < insample.length; t++) s += Math.abs(insample[t] - insample[t - m]);
        double scale = s / (insample.length - m);
        if (!(scale > 0))
            throw new ModelworkException("MASE is undefined: the training series repeats exactly every " + m + " steps (scale 0)", where,
                    "use MAE or sMAPE for this series");
        return mae(y, f) / scale;
    }

    /** Share (0..1) of actuals inside the closed interval [lower, upper]. */
    public static double coverage(double[] y, double[] lower, double[] upper) {
        check(y, lower, "ForecastMetrics.coverage");
        check(y, upper, "ForecastMetrics.coverage");
        int in = 0;
        for (int i = 0; i < y.length; i++) if (y[i] >= lower[i] && y[i] <= upper[i]) in++;
        return (double) in / y.length;
    }

    /**
     * All point measures plus the coverage of each interval level of {@code fc}, keyed {@code mae, rmse, mape, smape,
     * mase, coverage_80, ...}; MAPE is left out when an actual is zero.
     */
    public static Map<String, Double> all(double[] y, Forecast fc, double[] insample, int m) {
        Map<String, Double> out = new LinkedHashMap<>();
        double[] f = fc.mean();
        out.put("mae", mae(y, f));
        out.put("rmse", rmse(y, f));
        boolean zero = false;
        for (double v : y) zero |= v == 0;
        if (!zero) out.put("mape", mape(y, f));
        out.put("smape", smape(y, f));
        out.put("mase", mase(y, f, insample, m));
        for (int i = 0; i < fc.levels().length; i++) {
            double l = fc.levels()[i];
            String key = "coverage_" + (l == Math.rint(l) ? String.valueOf((long) l) : String.valueOf(l));
            out.put(key, coverage(y, fc.lower()[i], fc.upper()[i]));
        }
        return out;
    }
}
