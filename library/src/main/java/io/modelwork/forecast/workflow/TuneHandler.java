package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.workflow.ForecastState.Part;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.*;
import static io.modelwork.forecast.workflow.ForecastState.LEVELS;

/**
 * tune for forecasting: a grid over the information criterion, stepwise search and Box-Cox lambda, scored on a
 * validation hold-out of the last {@code h} points of each training part (the test part stays untouched); with
 * {@code apply=true} the best configuration is refitted on every series.
 */
final class TuneHandler implements StepHandler<ForecastState> {
    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) {
        ForecastSpec spec = st.spec;
        SeriesPanel panel = st.panel;
        List<Part> parts = st.parts;
        int h = st.h;
        String[] xregNames = st.xregNames;
        int threads = FitHandler.threads(a, ctx);
        String metric = a.getString("metric", "mase").toLowerCase(Locale.ROOT);
        if (!List.of("mase", "smape", "mae", "rmse", "mape").contains(metric))
            throw new ModelworkException("Unknown tuning metric '" + metric + "'", "tune metric", "use mase, smape, mae, rmse or mape");
        List<Object> ics = new ArrayList<>(a.has("ic") ? a.getList("ic") : List.of("aicc", "bic"));
        List<Object> steps = new ArrayList<>();
        for (String s : a.has("stepwise") ? a.getList("stepwise") : List.of("true", "false")) steps.add(Args.of("v", s).getBool("v", true));
        List<Double> lambdas = new ArrayList<>();
        for (String s : a.has("lambda") ? a.getList("lambda") : List.of("none", "0")) lambdas.add(ForecastSpec.parseLambda(s, "tune lambda"));
        // lambda values the data cannot take are dropped with a note
        List<String> tnotes = new ArrayList<>();
        for (Iterator<Double> it = lambdas.iterator(); it.hasNext(); ) {
            Double l = it.next();
            if (l == null) continue;
            try { st.checkLambda(l, "tune"); } catch (ModelworkException e) { it.remove(); tnotes.add("lambda=" + SeriesModel.fmt(l) + " left out: " + e.what()); }
        }
        boolean arima = spec.algorithm.equals("autoarima");
        List<ForecastSpec> grid = new ArrayList<>();
        List<Map<String, Object>> gridParams = new ArrayList<>();
        for (Object ic : arima ? ics : List.of((Object) null))
            for (Object sw : arima ? steps : List.of((Object) null))
                for (Double l : lambdas) {
                    ForecastSpec s = spec.with("lambda", l);
                    Map<String, Object> gp = new LinkedHashMap<>();
                    if (arima) {
                        String icS = String.valueOf(ic).toLowerCase(Locale.ROOT);
                        if (!List.of("aic", "aicc", "bic").contains(icS))
                            throw new ModelworkException("Unknown information criterion '" + ic + "'", "tune ic", "use aicc, aic, bic");
                        s = s.with("ic", icS).with("stepwise", sw);
                        gp.put("ic", icS);
                        gp.put("stepwise", sw);
                    }
                    gp.put("lambda", l == null ? "none" : SeriesModel.fmt(l));
                    grid.add(s);
                    gridParams.add(gp);
                }
        // the validation hold-out: the last h points of each training part
        int hv = Math.max(1, h > 0 ? h : panel.m > 1 ? 2 * panel.m : 10);
        int maxSeries = a.getInt("max_series", parts.size());
        List<Integer> use = new ArrayList<>();
        for (int i = 0; i < parts.size() && use.size() < maxSeries; i++)
            if (parts.get(i).train().length - hv >= Math.max(3, parts.get(i).m() + 1)) use.add(i);
        if (use.isEmpty())
            throw new ModelworkException("No series is long enough for a validation hold-out of " + hv + " points", "tune",
                    "use a smaller split h, or longer series");
        if (use.size() < Math.min(maxSeries, parts.size())) tnotes.add((parts.size() - use.size()) + " series too short for the validation hold-out were left out");
        double[] scores = new double[grid.size()];
        List<Integer> idx = new ArrayList<>();
        for (int g = 0; g < grid.size(); g++) for (int u : use) idx.add(g * parts.size() + u);
        List<Double> vals = FitHandler.parallel(ctx, "tune", idx.size(), threads, k -> {
            int g = idx.get(k) / parts.size(), i = idx.get(k) % parts.size();
            Part p = parts.get(i);
            int nt = p.train().length - hv;
            double[] tr = Arrays.copyOf(p.train(), nt), va = Arrays.copyOfRange(p.train(), nt, nt + hv);
            double[][] xt = new double[p.xTrain().length][], xv = new double[p.xTrain().length][];
            for (int j = 0; j < xt.length; j++) { xt[j] = Arrays.copyOf(p.xTrain()[j], nt); xv[j] = Arrays.copyOfRange(p.xTrain()[j], nt, nt + hv); }
            int m = nt > panel.m ? panel.m : 1;
            SeriesModel sm = grid.get(g).fit(tr, xt, xregNames, panel.m);
            return metrics(va, sm.forecast(hv, xv, LEVELS), tr, m).get(metric);
        }, k -> "config " + (idx.get(k) / parts.size() + 1) + "/" + grid.size());
        for (int g = 0; g < grid.size(); g++) {
            double s = 0;
            int c = 0;
            for (int k = 0; k < idx.size(); k++)
                if (idx.get(k) / parts.size() == g && Double.isFinite(vals.get(k))) { s += vals.get(k); c++; }
            scores[g] = c == 0 ? Double.NaN : s / c;
        }
        int best = -1;
        for (int g = 0; g < grid.size(); g++) if (Double.isFinite(scores[g]) && (best < 0 || scores[g] < scores[best])) best = g;
        if (best < 0) throw new ModelworkException("No configuration could be scored", "tune", "check the data (see fit notes)");
        StepReport r = new StepReport("tune", "Grid search (" + grid.size() + " configurations, validation " + metric + ")");
        ObjectNode b = r.body();
        b.put("strategy", "grid");
        b.put("metric", metric);
        b.put("validation_h", hv);
        b.put("series_used", use.size());
        ArrayNode trials = b.putArray("trials");
        StringColumn cfg = StringColumn.create("configuration");
        DoubleColumn sc = DoubleColumn.create("validation " + metric);
        Integer[] ord = new Integer[grid.size()];
        for (int g = 0; g < ord.length; g++) ord[g] = g;
        Arrays.sort(ord, Comparator.comparingDouble(g -> Double.isNaN(scores[g]) ? Double.MAX_VALUE : scores[g]));
        for (int g : ord) {
            ObjectNode tr = trials.addObject();
            tr.set("params", Json.MAPPER.valueToTree(gridParams.get(g)));
            if (Double.isFinite(scores[g])) tr.put("score", scores[g]); else tr.putNull("score");
            cfg.append(gridParams.get(g).toString());
            sc.append(scores[g]);
        }
        Table t = Table.create("Trials (best first)");
        t.addColumns(cfg, sc);
        r.table(t);
        b.set("best_params", Json.MAPPER.valueToTree(gridParams.get(best)));
        b.put("best_score", scores[best]);
        tnotes.forEach(r::note);
        ObjectNode tuned = st.tuned = Json.object();
        tuned.set("best_params", b.get("best_params"));
        tuned.put("best_score", scores[best]);
        boolean apply = a.getBool("apply", true);
        b.put("applied", apply);
        if (apply) {
            spec = st.spec = grid.get(best);
            FitHandler.fitTrain(st, ctx, threads);
            b.set("params", Json.MAPPER.valueToTree(spec.params));
            if (parts.size() == 1) b.put("model", st.models[0].describe());
            r.note("the best configuration " + gridParams.get(best) + " was applied and every series refitted on its full training part"
                    + " (run evaluate again for its test accuracy)");
        }
        r.table(kv("Best configuration", gridParams.get(best)));
        return r;
    }
}
