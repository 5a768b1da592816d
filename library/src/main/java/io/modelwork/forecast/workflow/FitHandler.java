package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.workflow.ForecastState.Part;
import io.modelwork.report.StepReport;
import io.modelwork.shared.ParallelMap;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.kv;

/**
 * fit for forecasting: one model per series, fitted in parallel ({@code n_jobs}) with progress per series, plus the
 * seasonal naive baseline that evaluate compares against; fallbacks (constant, short or failed series) are reported.
 */
final class FitHandler implements StepHandler<ForecastState> {
    /** {@code n_jobs}, default configure's threads; -1 = all cores. */
    static int threads(Args a, StepContext ctx) {
        int n = a.getInt("n_jobs", ctx.run().threads());
        if (n == -1) n = Runtime.getRuntime().availableProcessors();
        if (n < 1) throw new ModelworkException("n_jobs must be >= 1 (or -1 for all cores), got " + n, "n_jobs", "e.g. n_jobs=2");
        return n;
    }

    /** The panel's seasonal period for every series (ForecastSpec.fit reports the short-series fallback itself). */
    static int[] periods(ForecastState st) {
        int[] m = new int[st.parts.size()];
        Arrays.fill(m, st.panel.m);
        return m;
    }

    /** Fits {@code sp} to every series in parallel (progress per series). */
    static SeriesModel[] fitAll(ForecastState st, StepContext ctx, ForecastSpec sp, List<double[]> ys, List<double[][]> xs, int[] ms,
                                int threads, String step) {
        List<SeriesModel> res = ParallelMap.map(step, ys.size(), threads, i -> sp.fit(ys.get(i), xs.get(i), st.xregNames, ms[i]),
                i -> st.parts.get(i).id(), ctx.progress());
        return res.toArray(new SeriesModel[0]);
    }

    /** Every series' training part with the current spec. */
    static void fitTrain(ForecastState st, StepContext ctx, int threads) {
        long t0 = System.nanoTime();
        SeriesModel[] ms = fitAll(st, ctx, st.spec, st.parts.stream().map(Part::train).toList(), st.parts.stream().map(Part::xTrain).toList(),
                periods(st), threads, "fit");
        st.fitted(ms, (System.nanoTime() - t0) / 1e9);
    }

    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) {
        int threads = threads(a, ctx);
        fitTrain(st, ctx, threads);
        List<Part> parts = st.parts;
        st.baseline = new SeriesModel[parts.size()];
        for (int i = 0; i < parts.size(); i++) st.baseline[i] = ForecastSpec.parse(Args.of("spec", "forecasting.snaive"), null)
                .fit(parts.get(i).train(), null, st.xregNames, parts.get(i).m());
        return fitReport(st, threads);
    }

    private static StepReport fitReport(ForecastState st, int threads) {
        List<Part> parts = st.parts;
        SeriesModel[] models = st.models;
        ForecastSpec spec = st.spec;
        double fitSeconds = st.fitSeconds;
        StepReport r = new StepReport("fit", "Fitted " + parts.size() + " series (" + spec.name() + ")");
        ObjectNode b = r.body();
        b.put("series", parts.size());
        b.put("threads", threads);
        b.put("seconds", fitSeconds);
        b.put("series_per_second", parts.size() / Math.max(1e-9, fitSeconds));
        int fallbacks = 0;
        Map<String, Integer> chosen = new TreeMap<>();
        ArrayNode per = b.putArray("per_series");
        StringColumn id = StringColumn.create("series"), mod = StringColumn.create("model"), note = StringColumn.create("note");
        IntColumn n = IntColumn.create("n_train");
        DoubleColumn crit = DoubleColumn.create("AICc / AIC");
        for (int i = 0; i < parts.size(); i++) {
            SeriesModel sm = models[i];
            if (sm.isFallback()) {
                fallbacks++;
                r.note("series '" + parts.get(i).id() + "': " + sm.note());
            }
            chosen.merge(sm.describe(), 1, Integer::sum);
            ObjectNode o = per.addObject();
            o.put("id", parts.get(i).id());
            o.put("model", sm.describe());
            o.put("n_train", parts.get(i).train().length);
            if (Double.isFinite(sm.criterion())) o.put("criterion", sm.criterion());
            if (sm.arima() != null) {
                o.put("aic", sm.arima().aic());
                o.put("aicc", sm.arima().aicc());
                o.put("bic", sm.arima().bic());
                ObjectNode c = o.putObject("coefficients");
                String[] nm = sm.arima().coefficientNames();
                double[] cf = sm.arima().coefficients();
                for (int k = 0; k < nm.length; k++) c.put(nm[k], cf[k]);
                o.put("sigma2", sm.arima().sigma2());
            }
            if (sm.isFallback()) o.put("note", sm.note());
            if (i < 50) {
                id.append(parts.get(i).id()); mod.append(sm.describe()); n.append(parts.get(i).train().length);
                crit.append(sm.criterion()); note.append(sm.note() == null ? "" : sm.note());
            }
        }
        b.put("fallbacks", fallbacks);
        b.set("models_chosen", Json.MAPPER.valueToTree(chosen));
        if (parts.size() == 1) b.put("model", models[0].describe());
        Table t = Table.create("Models per series" + (parts.size() > 50 ? " (first 50 of " + parts.size() + ")" : ""));
        t.addColumns(id, n, mod, crit, note);
        r.table(t);
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("series", parts.size());
        kv.put("threads (n_jobs)", threads);
        kv.put("seconds", String.format(Locale.ROOT, "%.2f", fitSeconds));
        kv.put("series / second", String.format(Locale.ROOT, "%.2f", parts.size() / Math.max(1e-9, fitSeconds)));
        kv.put("fallbacks", fallbacks);
        List<Map.Entry<String, Integer>> top = new ArrayList<>(chosen.entrySet());
        top.sort((x, y) -> y.getValue() - x.getValue());
        for (int i = 0; i < Math.min(5, top.size()); i++) kv.put("model #" + (i + 1), top.get(i).getKey() + " × " + top.get(i).getValue());
        r.table(kv("Fit summary", kv));
        return r;
    }
}
