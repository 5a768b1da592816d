package io.modelwork.tabular;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.data.Dataset;
import io.modelwork.data.Role;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.*;

import java.util.*;

import static io.modelwork.tabular.TabularState.fmt;

/**
 * Step 9 for tabular data: an order-preserving replay. Each window refits the preprocessing and the model (the fitted
 * number of rounds) on the rows before it (expanding or sliding), scores the window, and computes the PSI of every
 * numeric feature against the training rows; drift or a degraded metric flags a retraining signal.
 */
final class BacktestStep {
    private BacktestStep() { }

    static final Options OPTIONS = Options.of(
            Option.integer("windows", 4, 1, 10_000, "number of test windows"),
            Option.choice("mode", "expanding", List.of("expanding", "sliding"), "training window before each test window"),
            Option.text("order", null, "time order: a column, or 'row' for file order (default: the timestamp column)"),
            Option.number("initial", 0.5, 0.01, 0.99, "share of rows before the first window"),
            Option.number("psi_alert", 0.25, 0.0, null, "PSI above which a window flags drift"));

    static StepReport run(TabularState s, Args a, StepContext ctx) {
        Dataset dataset = s.dataset();
        LabelEncoder labels = s.labels();
        if (dataset.task() == Dataset.Task.RANKING)
            throw new ModelworkException("backtest is not defined for ranking here (SPEC lists it as optional)", "backtest",
                    "skip the backtest step for ranking; evaluate per query instead");
        String order = a.getString("order", dataset.schema().single(Role.TIMESTAMP).orElse(null));
        if (order == null)
            throw new ModelworkException("backtest needs a time order: the dataset has no timestamp column", "backtest",
                    "attach with timestamp=<column>, or pass order=row to replay in file order");
        int windows = a.getInt("windows", 4);
        String mode = a.getString("mode", "expanding");
        double initial = a.getDouble("initial", 0.5);
        double alert = a.getDouble("psi_alert", 0.25);
        int n = dataset.rows();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        if (!order.equals("row")) {
            if (!dataset.table().containsColumn(order))
                throw new ModelworkException("No column '" + order + "'", "backtest order", "use a column or order=row");
            Arrays.sort(idx, Splitter.comparator(dataset.table().column(order)).thenComparing(Comparator.naturalOrder()));
        }
        int[] sorted = Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
        int start = (int) (n * initial);
        int w = (n - start) / windows;
        if (w < 5) throw new ModelworkException("Too few rows for " + windows + " windows", "backtest",
                "use fewer windows or a smaller initial fraction");
        String metricName = dataset.task() == Dataset.Task.REGRESSION ? "rmse" : (labels.numClasses() == 2 ? "roc_auc" : "accuracy");
        int rounds = s.fitResult().bestIteration() + 1;
        StepReport r = new StepReport("backtest", "Backtest (" + windows + " windows, " + mode + ")");
        ArrayNode wins = r.body().putArray("windows");
        IntColumn wc = IntColumn.create("window"), ntr = IntColumn.create("train_rows"), nte = IntColumn.create("test_rows");
        DoubleColumn mc = DoubleColumn.create(metricName), psiMax = DoubleColumn.create("max_psi");
        StringColumn psiFeat = StringColumn.create("most_drifted"), flag = StringColumn.create("signal");
        double firstMetric = Double.NaN;
        double[] xsw = new double[windows], ysw = new double[windows];
        for (int k = 0; k < windows; k++) {
            int lo = start + k * w, hi = k == windows - 1 ? n : lo + w;
            int[] trows = Arrays.copyOfRange(sorted, mode.equals("sliding") ? Math.max(0, lo - start) : 0, lo);
            int[] erows = Arrays.copyOfRange(sorted, lo, hi);
            Preprocessor fp = Preprocessor.fit(s.prepOptions, dataset, trows);
            Matrix tr = fp.transform(dataset, dataset.table(), trows, labels), te = fp.transform(dataset, dataset.table(), erows, labels);
            double metric;
            try (TabularModel m = s.freshModel(s.model().params())) {
                m.fit(tr, null, new TabularModel.FitConfig(rounds, 0, ctx.run().seedFor("backtest" + k), ctx.run().threads(), ctx.run().device()),
                        (it, tot, mm, b) -> { });
                Map<String, Double> met;
                try {
                    met = s.metrics(te, m.predict(te));
                } catch (ModelworkException e) {
                    met = Map.of(metricName, Double.NaN);
                    r.note("window " + (k + 1) + ": " + e.what());
                }
                metric = met.getOrDefault(metricName, Double.NaN);
            }
            String worstF = "";
            double maxPsi = 0;
            ObjectNode psis = Json.object();
            for (String f : dataset.schema().features()) {
                if (!(dataset.table().column(f) instanceof NumericColumn<?>)) continue;
                double[] all = Dataset.numeric(dataset.table(), f, dataset.ref());
                double[] ref = Arrays.stream(trows).mapToDouble(i -> all[i]).toArray();
                double[] cur = Arrays.stream(erows).mapToDouble(i -> all[i]).toArray();
                double psi = Calibrators.psi(ref, cur);
                psis.put(f, psi);
                if (psi > maxPsi) { maxPsi = psi; worstF = f; }
            }
            if (k == 0) firstMetric = metric;
            boolean worse = dataset.task() == Dataset.Task.REGRESSION ? metric > 1.2 * firstMetric : metric < firstMetric - 0.05;
            String sig = maxPsi > alert ? "drift: retrain" : worse ? "degraded: retrain" : maxPsi > 0.1 ? "moderate drift" : "stable";
            wc.append(k + 1); ntr.append(trows.length); nte.append(erows.length); mc.append(metric);
            psiMax.append(maxPsi); psiFeat.append(worstF); flag.append(sig);
            ObjectNode wo = wins.addObject();
            wo.put("window", k + 1).put("train_rows", trows.length).put("test_rows", erows.length).put(metricName, metric)
                    .put("max_psi", maxPsi).put("signal", sig);
            wo.set("psi", psis);
            xsw[k] = k + 1; ysw[k] = metric;
            ctx.progress().update("backtest", k + 1, windows, metricName + "=" + fmt(metric));
        }
        Table t = Table.create("Backtest per window (order: " + order + ")");
        t.addColumns(wc, ntr, nte, mc, psiMax, psiFeat, flag);
        r.table(t);
        r.body().put("metric", metricName);
        r.body().put("order", order);
        r.chart(Chart.line("backtest", "Backtest: " + metricName + " per window", "window", metricName,
                List.of(Chart.Series.line(metricName, xsw, ysw))));
        r.note("each window refits the model (" + rounds + " rounds) and the preprocessing on the rows before it ("
                + mode + " window); PSI > " + alert + " or a metric degradation flags a retraining signal");
        return r;
    }
}
