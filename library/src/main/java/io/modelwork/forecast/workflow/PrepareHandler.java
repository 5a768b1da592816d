package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.workflow.ForecastState.Prepared;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.kv;

/**
 * prepare_data for forecasting: each series onto a regular grid (observations sharing a bucket aggregated by
 * {@code agg}), leading missing values trimmed, gaps filled ({@code fill}), the Box-Cox {@code lambda} checked against
 * the data, and the regressors built: exogenous columns, calendar dummies ({@code calendar=month,dow,hour,weekend}) and
 * Fourier pairs ({@code fourier=K}).
 */
final class PrepareHandler implements StepHandler<ForecastState> {
    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) { return prepare(st, a); }

    /** Declares the preparation and regularises every series (also replayed by {@link ForecastState#restore}). */
    static StepReport prepare(ForecastState st, Args a) {
        st.prepArgs = a;
        st.fill = a.getString("fill", "interpolate").toLowerCase(Locale.ROOT);
        if (!List.of("interpolate", "ffill", "zero", "none").contains(st.fill))
            throw new ModelworkException("Unknown fill method '" + st.fill + "'", "prepare_data fill", "use interpolate, ffill, zero or none");
        st.agg = a.getString("agg", st.attachArgs.getString("duplicates", "mean")).toLowerCase(Locale.ROOT);
        if (st.agg.equals("error")) st.agg = "mean";
        if (!List.of("mean", "sum", "last", "first").contains(st.agg))
            throw new ModelworkException("Unknown aggregation '" + st.agg + "'", "prepare_data agg", "use mean, sum, last or first");
        st.prepLambda = ForecastSpec.parseLambda(a.get("lambda"), "prepare_data lambda");
        st.calendar = a.getList("calendar").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String c : st.calendar) {
            if (!List.of("month", "dow", "hour", "weekend").contains(c))
                throw new ModelworkException("Unknown calendar feature '" + c + "'", "prepare_data calendar", "use month, dow, hour, weekend (and fourier=K)");
            if (st.panel.grid.kind() == TimeGrid.Kind.NUMBER && !(c.equals("month") && st.panel.grid.numericMonth(0) > 0))
                throw new ModelworkException("Calendar feature '" + c + "' needs dates, but the time axis is " + st.panel.grid.freq(),
                        "prepare_data calendar", "use fourier=K for seasonal regressors on a numeric time axis");
        }
        st.fourier = a.getInt("fourier", 0);
        if (st.fourier < 0 || (st.fourier > 0 && 2 * st.fourier > st.panel.m))
            throw new ModelworkException("fourier=" + st.fourier + " needs 1 <= K <= m/2 (m=" + st.panel.m + ")", "prepare_data fourier", "e.g. fourier=2");
        List<String> names = new ArrayList<>(Arrays.asList(st.panel.exogNames));
        names.addAll(calendarNames(st));
        st.xregNames = names.toArray(new String[0]);
        st.prepared = new ArrayList<>();
        int filledTotal = 0, resampledTotal = 0, trimmed = 0;
        for (SeriesPanel.Raw s : st.panel.series) {
            Prepared p = regularize(st, s);
            filledTotal += p.missing();
            resampledTotal += p.resampled();
            if (p.start() != s.pos()[0]) trimmed++;
            st.prepared.add(p);
        }
        if (st.prepLambda != null) st.checkLambda(st.prepLambda, "prepare_data lambda=" + SeriesModel.fmt(st.prepLambda));
        StepReport r = new StepReport("prepare_data", "Series preparation");
        ObjectNode b = r.body();
        b.put("resample", "regular " + st.panel.grid.freq() + " grid" + (resampledTotal > 0 ? ", " + st.agg + " per bucket" : ""));
        b.put("fill", st.fill);
        b.put("filled_values", filledTotal);
        b.put("resampled_values", resampledTotal);
        if (st.prepLambda != null) b.put("lambda", st.prepLambda);
        else b.putNull("lambda");
        b.set("regressors", Json.MAPPER.valueToTree(st.xregNames));
        if (trimmed > 0) r.note(trimmed + " series start with missing values; they start at their first observation");
        if (filledTotal > 0) r.note(filledTotal + " missing values filled by " + st.fill);
        if (resampledTotal > 0) r.note(resampledTotal + " observations shared a grid bucket and were aggregated (" + st.agg + ")");
        if (st.prepLambda != null) r.note("Box-Cox lambda " + SeriesModel.fmt(st.prepLambda) + " is applied inside the models (forecasts are back-transformed)");
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("grid", st.panel.grid.freq() + " (m=" + st.panel.m + ")");
        kv.put("fill", st.fill);
        kv.put("aggregation", st.agg);
        kv.put("Box-Cox lambda", st.prepLambda == null ? "none" : SeriesModel.fmt(st.prepLambda));
        kv.put("regressors", st.xregNames.length == 0 ? "none" : String.join(", ", st.xregNames));
        r.table(kv("Preparation", kv));
        return r;
    }

    static List<String> calendarNames(ForecastState st) {
        List<String> n = new ArrayList<>();
        for (String c : st.calendar) {
            switch (c) {
                case "month" -> { for (int k = 2; k <= 12; k++) n.add("month_" + k); }
                case "dow" -> { for (int k = 2; k <= 7; k++) n.add("dow_" + k); }
                case "hour" -> { for (int k = 1; k <= 23; k++) n.add("hour_" + k); }
                default -> n.add("weekend");
            }
        }
        for (int k = 1; k <= st.fourier; k++) {
            n.add("sin" + k + "_" + st.panel.m);
            if (2 * k != st.panel.m) n.add("cos" + k + "_" + st.panel.m);
        }
        return n;
    }

    /** The calendar/Fourier regressors for grid positions {@code start .. start+n-1}: {@code out[j][i]}. */
    static double[][] calendarColumns(TimeGrid grid, int m, List<String> calendar, int fourier, long start, int n) {
        List<double[]> cols = new ArrayList<>();
        for (String c : calendar) {
            int levels = switch (c) { case "month" -> 11; case "dow" -> 6; case "hour" -> 23; default -> 1; };
            double[][] block = new double[levels][n];
            for (int i = 0; i < n; i++) {
                long pos = start + i;
                LocalDateTime t = grid.dateTime(pos);
                switch (c) {
                    case "month" -> {
                        int mo = t != null ? t.getMonthValue() : grid.numericMonth(pos);
                        if (mo >= 2) block[mo - 2][i] = 1;
                    }
                    case "dow" -> { int d = t.getDayOfWeek().getValue(); if (d >= 2) block[d - 2][i] = 1; }
                    case "hour" -> { int hr = t.getHour(); if (hr >= 1) block[hr - 1][i] = 1; }
                    default -> block[0][i] = t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : 0;
                }
            }
            cols.addAll(Arrays.asList(block));
        }
        for (int k = 1; k <= fourier; k++) {
            double[] s = new double[n], co = new double[n];
            for (int i = 0; i < n; i++) {
                double ang = 2 * Math.PI * k * ((start + i) % m) / m;
                s[i] = Math.sin(ang);
                co[i] = Math.cos(ang);
            }
            cols.add(s);
            if (2 * k != m) cols.add(co);
        }
        return cols.toArray(new double[0][]);
    }

    private static Prepared regularize(ForecastState st, SeriesPanel.Raw s) {
        long p0 = s.pos()[0], p1 = s.pos()[s.n() - 1];
        int n = (int) (p1 - p0 + 1);
        int nx = st.panel.exogNames.length;
        double[] y = new double[n];
        double[][] ex = new double[nx][n];
        int[] count = new int[n];
        Arrays.fill(y, Double.NaN);
        for (double[] e : ex) Arrays.fill(e, Double.NaN);
        int resampled = 0;
        for (int i = 0; i < s.n(); i++) {
            int k = (int) (s.pos()[i] - p0);
            if (count[k] > 0) resampled++;
            y[k] = combine(st.agg, y[k], s.y()[i], count[k]);
            for (int j = 0; j < nx; j++) ex[j][k] = combine(st.agg, ex[j][k], s.exog()[j][i], count[k]);
            count[k]++;
        }
        if (st.agg.equals("mean")) for (int k = 0; k < n; k++) if (count[k] > 1 && !Double.isNaN(y[k])) {
            // combine() accumulated a sum for the mean; divide by the count of non-missing values
            y[k] = y[k] / count[k];
            for (int j = 0; j < nx; j++) ex[j][k] = ex[j][k] / count[k];
        }
        int firstObs = 0;
        while (firstObs < n && Double.isNaN(y[firstObs])) firstObs++;
        if (firstObs == n)
            throw new ModelworkException("Series '" + s.id() + "' has no observed values", "prepare_data", "drop the series (ids=...) or fix the data");
        if (firstObs > 0) {
            y = Arrays.copyOfRange(y, firstObs, n);
            for (int j = 0; j < nx; j++) ex[j] = Arrays.copyOfRange(ex[j], firstObs, n);
            n -= firstObs;
        }
        int missing = 0;
        for (double v : y) if (Double.isNaN(v)) missing++;
        fillMissing(y, st.fill);
        for (int j = 0; j < nx; j++) fillMissing(ex[j], st.fill.equals("none") ? "none" : st.fill);
        long start = p0 + firstObs;
        double[][] cal = calendarColumns(st.panel.grid, st.panel.m, st.calendar, st.fourier, start, n);
        double[][] xr = new double[nx + cal.length][];
        System.arraycopy(ex, 0, xr, 0, nx);
        System.arraycopy(cal, 0, xr, nx, cal.length);
        return new Prepared(s.id(), start, y, xr, missing, resampled);
    }

    private static double combine(String agg, double cur, double v, int count) {
        if (Double.isNaN(v)) return cur;
        if (Double.isNaN(cur)) return v;
        return switch (agg) {
            case "sum", "mean" -> cur + v;
            case "first" -> cur;
            default -> v;
        };
    }

    static void fillMissing(double[] y, String method) {
        int n = y.length;
        switch (method) {
            case "none" -> { }
            case "zero" -> { for (int i = 0; i < n; i++) if (Double.isNaN(y[i])) y[i] = 0; }
            case "ffill" -> { for (int i = 1; i < n; i++) if (Double.isNaN(y[i])) y[i] = y[i - 1]; }
            default -> {
                int i = 0;
                while (i < n) {
                    if (!Double.isNaN(y[i])) { i++; continue; }
                    int j = i;
                    while (j < n && Double.isNaN(y[j])) j++;
                    double left = i > 0 ? y[i - 1] : Double.NaN, right = j < n ? y[j] : Double.NaN;
                    for (int k = i; k < j; k++) {
                        if (Double.isNaN(left)) y[k] = right;
                        else if (Double.isNaN(right)) y[k] = left;
                        else y[k] = left + (right - left) * (k - i + 1) / (j - i + 1);
                    }
                    i = j;
                }
            }
        }
    }
}
