package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.Forecast;
import io.modelwork.forecast.workflow.ForecastState.Part;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.shared.ParallelMap;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.*;
import static io.modelwork.forecast.workflow.ForecastState.LEVELS;

/**
 * backtest for forecasting: rolling-origin evaluation (expanding or sliding windows) on the training part or on all
 * data, every (series, window) refitted in parallel; accuracy per window, and drift signals (last-window accuracy
 * against the earlier windows, a level shift in the residual mean). The per-point interval ratios are kept for
 * calibrate.
 */
final class BacktestHandler implements StepHandler<ForecastState> {
    /** One backtest forecast: series, window, metrics and the per-point interval ratios. */
    record BtCell(int series, int window, Map<String, Double> metrics, double[][] ratios, double bias) {}

    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) {
        ObjectNode cfg = st.rolling.deepCopy();
        if (a.has("mode")) cfg.put("mode", a.getString("mode", "expanding"));
        if (a.has("windows")) cfg.put("windows", a.getInt("windows", 3));
        if (a.has("step")) cfg.put("step", a.getInt("step", 1));
        if (a.has("h") || a.has("horizon")) cfg.put("horizon", a.getInt("h", a.getInt("horizon", 1)));
        if (a.has("window_size")) cfg.put("window_size", a.getInt("window_size", 0));
        SplitHandler.checkRolling(cfg);
        String on = a.getString("on", "train");
        if (!on.equals("train") && !on.equals("all"))
            throw new ModelworkException("Unknown backtest data '" + on + "'", "backtest on", "use on=train (default: the test part stays untouched) or on=all");
        if (on.equals("all") && st.external)
            throw new ModelworkException("on=all is not available with an external test set", "backtest on", "use on=train");
        double driftAlert = a.getDouble("drift_alert", 3);
        return runBacktest(st, ctx, cfg, on, FitHandler.threads(a, ctx), driftAlert);
    }

    /** The rolling-origin backtest with {@code cfg} (also run by calibrate when no backtest ran); keeps the interval ratios. */
    static StepReport runBacktest(ForecastState st, StepContext ctx, ObjectNode cfg, String on, int threads, double driftAlert) {
        List<Part> parts = st.parts;
        SeriesPanel panel = st.panel;
        ForecastSpec spec = st.spec;
        String[] xregNames = st.xregNames;
        int W = cfg.get("windows").asInt(), step = cfg.get("step").asInt(), hb = cfg.get("horizon").asInt();
        boolean sliding = cfg.get("mode").asText().equals("sliding");
        List<int[]> jobs = new ArrayList<>(); // {series, window, origin, start}
        int skipped = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            int L = on.equals("all") ? p.train().length + p.test().length : p.train().length;
            for (int w = 0; w < W; w++) {
                int o = L - hb - (W - 1 - w) * step;
                int ws = cfg.has("window_size") ? cfg.get("window_size").asInt() : L - hb - (W - 1) * step;
                int s0 = sliding ? Math.max(0, o - ws) : 0;
                if (o - s0 < Math.max(3, Math.min(p.m(), 2) + 2)) { skipped++; continue; }
                jobs.add(new int[]{i, w, o, s0});
            }
        }
        if (jobs.isEmpty())
            throw new ModelworkException("The series are too short for " + W + " windows of horizon " + hb + " and step " + step,
                    "backtest", "use fewer windows, a smaller step or horizon");
        List<BtCell> cells = ParallelMap.map("backtest", jobs.size(), threads, k -> {
            int[] j = jobs.get(k);
            Part p = parts.get(j[0]);
            double[] all = on.equals("all") ? concat(p.train(), p.test()) : p.train();
            double[][] xall = new double[p.xTrain().length][];
            for (int c = 0; c < xall.length; c++) xall[c] = on.equals("all") ? concat(p.xTrain()[c], p.xTest()[c]) : p.xTrain()[c];
            double[] tr = Arrays.copyOfRange(all, j[3], j[2]), te = Arrays.copyOfRange(all, j[2], j[2] + hb);
            double[][] xt = new double[xall.length][], xf = new double[xall.length][];
            for (int c = 0; c < xall.length; c++) { xt[c] = Arrays.copyOfRange(xall[c], j[3], j[2]); xf[c] = Arrays.copyOfRange(xall[c], j[2], j[2] + hb); }
            int m = tr.length > panel.m ? panel.m : 1;
            SeriesModel sm = spec.fit(tr, xt, xregNames, panel.m);
            Forecast fc = sm.forecast(hb, xf, LEVELS);
            Map<String, Double> met = metrics(te, fc, tr, m);
            double[][] ratios = new double[hb][2];
            double bias = 0;
            for (int t = 0; t < hb; t++) {
                ratios[t][0] = ratio(te[t], fc, 0, t);
                ratios[t][1] = ratio(te[t], fc, 1, t);
                bias += te[t] - fc.mean()[t];
            }
            double scale = met.get("mase") > 0 ? met.get("mae") / met.get("mase") : Double.NaN;
            return new BtCell(j[0], j[1], met, ratios, bias / hb / scale);
        }, k -> parts.get(jobs.get(k)[0]).id() + " window " + (jobs.get(k)[1] + 1), ctx.progress());
        List<double[]> btRatios = st.btRatios = new ArrayList<>();
        for (BtCell c : cells) btRatios.addAll(Arrays.asList(c.ratios()));
        StepReport r = new StepReport("backtest", "Rolling-origin backtest (" + cfg.get("mode").asText() + ", " + W + " windows)");
        ObjectNode b = r.body();
        b.set("config", cfg);
        b.put("on", on);
        ArrayNode wins = b.putArray("windows");
        StringColumn wc = StringColumn.create("window");
        IntColumn nc = IntColumn.create("series");
        DoubleColumn smc = DoubleColumn.create("sMAPE"), mac = DoubleColumn.create("MASE"), c80 = DoubleColumn.create("coverage 80"),
                c95 = DoubleColumn.create("coverage 95"), bc = DoubleColumn.create("bias (scaled)");
        double[] wMase = new double[W], wBias = new double[W];
        for (int w = 0; w < W; w++) {
            final int ww = w;
            List<BtCell> in = cells.stream().filter(c -> c.window() == ww).toList();
            Map<String, Double> agg = aggregate(in.stream().map(BtCell::metrics).toList());
            double bias = in.stream().mapToDouble(BtCell::bias).filter(Double::isFinite).average().orElse(Double.NaN);
            ObjectNode o = json(agg);
            o.put("window", w + 1);
            o.put("series", in.size());
            o.put("bias", bias);
            Part p0 = parts.get(0);
            int L0 = on.equals("all") ? p0.train().length + p0.test().length : p0.train().length;
            o.put("first_series_origin", panel.grid.label(p0.start() + L0 - hb - (W - 1 - w) * step - 1));
            wins.add(o);
            wc.append((w + 1) + " (origin " + o.get("first_series_origin").asText() + ")");
            nc.append(in.size());
            smc.append(agg.getOrDefault("smape", Double.NaN));
            mac.append(agg.getOrDefault("mase", Double.NaN));
            c80.append(agg.getOrDefault("coverage_80", Double.NaN));
            c95.append(agg.getOrDefault("coverage_95", Double.NaN));
            bc.append(bias);
            wMase[w] = agg.getOrDefault("mase", Double.NaN);
            wBias[w] = bias;
        }
        Table t = Table.create("Per window (mean over series)");
        t.addColumns(wc, nc, smc, mac, c80, c95, bc);
        r.table(t);
        Map<String, Double> all = aggregate(cells.stream().map(BtCell::metrics).toList());
        b.set("metrics", json(all));
        // drift signals: (1) accuracy of the last window vs the earlier ones, (2) a level shift in the residual mean
        ObjectNode drift = b.putObject("drift");
        if (W > 1) {
            double prev = 0;
            int c = 0;
            for (int w = 0; w < W - 1; w++) if (Double.isFinite(wMase[w])) { prev += wMase[w]; c++; }
            double ratio = c == 0 ? Double.NaN : wMase[W - 1] / (prev / c);
            drift.put("mase_last_vs_earlier", ratio);
            drift.put("bias_last_window", wBias[W - 1]);
        }
        List<String[]> shifted = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            double z = levelShift(st.models[i].residuals(parts.get(i).train()), Math.max(hb, 4));
            if (Double.isFinite(z) && Math.abs(z) > driftAlert) shifted.add(new String[]{parts.get(i).id(), fmt(z)});
        }
        drift.put("residual_level_shift_threshold", driftAlert);
        drift.put("series_with_residual_level_shift", shifted.size());
        ArrayNode sl = drift.putArray("shifted_series");
        shifted.stream().limit(20).forEach(s -> sl.addObject().put("id", s[0]).put("z", Double.parseDouble(s[1])));
        boolean alert = !shifted.isEmpty() || drift.path("mase_last_vs_earlier").asDouble(0) > 1.5;
        drift.put("alert", alert);
        if (skipped > 0) r.note(skipped + " (series, window) pairs were too short and skipped");
        r.note(String.format(Locale.ROOT, "backtest over %d forecasts: MASE %.4f, sMAPE %.4f, coverage 80/95 %.3f / %.3f",
                cells.size(), all.get("mase"), all.get("smape"), all.get("coverage_80"), all.get("coverage_95")));
        r.note(alert ? "drift signal: " + shifted.size() + " series show a residual level shift (|z| > " + driftAlert + ")"
                + (drift.has("mase_last_vs_earlier") ? String.format(Locale.ROOT, "; last-window MASE is %.2f× the earlier windows'", drift.get("mase_last_vs_earlier").asDouble()) : "")
                : "no drift signal (residual means stable, last-window accuracy in line with the earlier windows)");
        double[] xs = new double[W];
        for (int w = 0; w < W; w++) xs[w] = w + 1;
        r.chart(Chart.line("backtest_windows", "Backtest accuracy per window", "window", "value",
                List.of(Chart.Series.line("MASE", xs, wMase), Chart.Series.line("coverage 95", xs, c95.asDoubleArray()))));
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("mode", cfg.get("mode").asText());
        kv.put("windows / step / horizon", W + " / " + step + " / " + hb);
        kv.put("forecasts", cells.size());
        kv.put("drift alert", alert);
        r.table(kv("Backtest", kv));
        return r;
    }

    /** z statistic of the mean of the last {@code k} residuals against the earlier ones (NaN when too short). */
    static double levelShift(double[] res, int k) {
        List<Double> v = new ArrayList<>();
        for (double x : res) if (Double.isFinite(x)) v.add(x);
        int n = v.size();
        if (n < 2 * k + 2) return Double.NaN;
        double m1 = 0, m2 = 0;
        for (int i = 0; i < n - k; i++) m1 += v.get(i);
        m1 /= n - k;
        for (int i = n - k; i < n; i++) m2 += v.get(i);
        m2 /= k;
        double s = 0;
        for (int i = 0; i < n - k; i++) s += (v.get(i) - m1) * (v.get(i) - m1);
        double sd = Math.sqrt(s / (n - k - 1));
        if (!(sd > 0)) return Double.NaN;
        return (m2 - m1) / (sd * Math.sqrt(1.0 / k + 1.0 / (n - k)));
    }

    static double ratio(double y, Forecast fc, int level, int t) {
        double mu = fc.mean()[t];
        double w = y >= mu ? fc.upper()[level][t] - mu : mu - fc.lower()[level][t];
        double d = Math.abs(y - mu);
        if (d == 0) return 0;
        return w > 0 ? d / w : Double.POSITIVE_INFINITY;
    }

    static double[] concat(double[] a, double[] b) {
        double[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }
}
