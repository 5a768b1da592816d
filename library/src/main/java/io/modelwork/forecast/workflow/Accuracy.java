package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.forecast.Forecast;
import tech.tablesaw.api.Table;

import java.util.*;

/**
 * The accuracy measures the forecasting steps share (evaluate, tune, backtest, calibrate): point errors (MAE, RMSE,
 * MAPE, M4's sMAPE and MASE) and interval coverage of one forecast, their mean over series, interval scaling
 * (calibration), and the number formatting of reports.
 */
final class Accuracy {
    private Accuracy() { }

    /** Point and interval accuracy of one forecast; MASE NaN when its scale is 0, MAPE NaN with a zero actual. */
    static Map<String, Double> metrics(double[] y, Forecast fc, double[] train, int m) {
        Map<String, Double> out = new LinkedHashMap<>();
        double[] f = fc.mean();
        int n = y.length;
        double ae = 0, se = 0, ape = 0, sape = 0;
        boolean zero = false;
        for (int i = 0; i < n; i++) {
            double e = y[i] - f[i];
            ae += Math.abs(e);
            se += e * e;
            if (y[i] == 0) zero = true; else ape += Math.abs(e / y[i]);
            double den = Math.abs(y[i]) + Math.abs(f[i]);
            if (den > 0) sape += 2 * Math.abs(e) / den;
        }
        out.put("mae", ae / n);
        out.put("rmse", Math.sqrt(se / n));
        out.put("mape", zero ? Double.NaN : 100 * ape / n);
        out.put("smape", 100 * sape / n);
        int mm = train.length > m ? m : 1;
        double s = 0;
        for (int t = mm; t < train.length; t++) s += Math.abs(train[t] - train[t - mm]);
        double scale = train.length > mm ? s / (train.length - mm) : Double.NaN;
        out.put("mase", scale > 0 ? (ae / n) / scale : Double.NaN);
        for (int l = 0; l < fc.levels().length; l++) {
            int in = 0;
            for (int i = 0; i < n; i++) if (y[i] >= fc.lower()[l][i] && y[i] <= fc.upper()[l][i]) in++;
            out.put("coverage_" + (int) fc.levels()[l], (double) in / n);
        }
        return out;
    }

    /** Scales the intervals of a forecast around its mean (calibration); factors {@code {80, 95}}. */
    static Forecast scaled(Forecast f, double s80, double s95) {
        if (s80 == 1 && s95 == 1) return f;
        double[][] lo = new double[f.levels().length][], hi = new double[f.levels().length][];
        for (int l = 0; l < f.levels().length; l++) {
            double c = f.levels()[l] == 95 ? s95 : f.levels()[l] == 80 ? s80 : 1;
            lo[l] = new double[f.horizon()];
            hi[l] = new double[f.horizon()];
            for (int t = 0; t < f.horizon(); t++) {
                lo[l][t] = f.mean()[t] - c * (f.mean()[t] - f.lower()[l][t]);
                hi[l][t] = f.mean()[t] + c * (f.upper()[l][t] - f.mean()[t]);
            }
        }
        return new Forecast(f.mean(), f.levels(), lo, hi);
    }

    static Map<String, Double> aggregate(List<Map<String, Double>> per) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (Map<String, Double> m : per)
            m.forEach((k, v) -> {
                double[] a = acc.computeIfAbsent(k, x -> new double[2]);
                if (Double.isFinite(v)) { a[0] += v; a[1]++; }
            });
        Map<String, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, a[1] == 0 ? Double.NaN : a[0] / a[1]));
        return out;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static String fmt(double v) { return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4g", v); }

    static ObjectNode json(Map<String, Double> m) {
        ObjectNode o = Json.object();
        m.forEach((k, v) -> { if (Double.isFinite(v)) o.put(k, v); else o.putNull(k); });
        return o;
    }

    static Table kv(String title, Map<String, ?> m) { return io.modelwork.report.Tables.keyValues(title, m); }
}
