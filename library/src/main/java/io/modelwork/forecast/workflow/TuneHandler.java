package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.forecast.workflow.ForecastState.Part;
import io.modelwork.report.StepReport;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import io.modelwork.tune.*;

import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.metrics;
import static io.modelwork.forecast.workflow.ForecastState.LEVELS;

/**
 * tune for forecasting, through the shared {@link Tuning} (grid, random or TPE over {@link Tuner}): by default a grid
 * over the information criterion, stepwise search and Box-Cox lambda ({@code ic=}, {@code stepwise=}, {@code lambda=}
 * lists; lambdas the data cannot take are left out with a note), or any {@code space=} over the spec's parameters.
 * Each configuration is scored on a validation hold-out of the last {@code h} points of each training part (the test
 * part stays untouched), as the mean of {@code metric} over the series. The best configuration is applied, and every
 * series refitted on its full training part, only when it beats the current spec on the same validation
 * ({@link Tuning#decide}).
 *
 * <p>Forecasting fits are deterministic (no seed), so a configuration scores on validation exactly as its trial did:
 * the refit's validation score is the trial's value, and trial seeds are not used.
 */
final class TuneHandler implements StepHandler<ForecastState> {

    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) {
        ForecastSpec spec = st.spec;
        SeriesPanel panel = st.panel;
        List<Part> parts = st.parts;
        int threads = a.has("threads") ? a.getInt("threads", 1) : FitHandler.threads(a, ctx);
        String metric = a.getString("metric", "mase").toLowerCase(Locale.ROOT);
        if (!List.of("mase", "smape", "mae", "rmse", "mape").contains(metric))
            throw new ModelworkException("Unknown tuning metric '" + metric + "'", "tune metric", "use mase, smape, mae, rmse or mape");
        boolean arima = spec.algorithm.equals("autoarima");
        List<String> tnotes = new ArrayList<>();
        SearchSpace space = Tuning.space(a, null);
        if (space == null) space = defaultSpace(st, a, arima, tnotes);
        for (String p : space.names()) {
            if (!(arima ? ForecastSpec.PARAMS : List.of("lambda")).contains(p))
                throw new ModelworkException("Parameter '" + p + "' cannot be tuned for " + spec.name(), "tune space",
                        "tune " + (arima ? ForecastSpec.PARAMS : List.of("lambda")));
        }
        // the validation hold-out: the last h points of each training part
        int hv = Math.max(1, st.h > 0 ? st.h : panel.m > 1 ? 2 * panel.m : 10);
        int maxSeries = a.getInt("max_series", parts.size());
        List<Integer> use = new ArrayList<>();
        for (int i = 0; i < parts.size() && use.size() < maxSeries; i++)
            if (parts.get(i).train().length - hv >= Math.max(3, parts.get(i).m() + 1)) use.add(i);
        if (use.isEmpty())
            throw new ModelworkException("No series is long enough for a validation hold-out of " + hv + " points", "tune",
                    "use a smaller split h, or longer series");
        if (use.size() < Math.min(maxSeries, parts.size())) tnotes.add((parts.size() - use.size()) + " series too short for the validation hold-out were left out");

        Args ta = a.has("strategy") ? a : a.with("strategy", "grid");
        if (!ta.has("trials") && ta.getString("strategy", "grid").equalsIgnoreCase("grid")) ta = ta.with("trials", Math.max(20, gridSize(space)));
        ta = ta.with("threads", threads);
        TunerConfig cfg = Tuning.config(ta, ctx, metric, Direction.MINIMIZE, 1);
        double current = score(st, spec, use, hv, metric);
        TuningReport tr = Tuning.run(ctx, space, (params, budget, seed) -> score(st, withParams(spec, params), use, hv, metric), cfg);
        ctx.progress().finished("tune", tr.trials().size() + " configurations");

        String strategy = cfg.strategy().name().toLowerCase(Locale.ROOT);
        StepReport r = Tuning.report(strategy, tr, current);
        ObjectNode b = r.body();
        b.put("strategy", strategy);
        b.put("validation_h", hv);
        b.put("series_used", use.size());
        ArrayNode trials = b.putArray("trials");
        for (Trial t : tr.trials()) {
            ObjectNode o = trials.addObject();
            o.set("params", Json.MAPPER.valueToTree(t.params()));
            if (t.value() != null && Double.isFinite(t.value())) o.put("score", t.value()); else o.putNull("score");
        }
        b.set("best_params", Json.MAPPER.valueToTree(tr.bestParams()));
        b.put("best_score", tr.bestValue());
        tnotes.forEach(r::note);
        ObjectNode tuned = st.tuned = Json.object();
        tuned.set("best_params", b.get("best_params"));
        tuned.put("best_score", tr.bestValue());
        ForecastSpec best = withParams(spec, tr.bestParams());
        if (Tuning.decide(r, tr, current, a.getBool("apply", true), tr::bestValue)) {
            st.spec = best;
            FitHandler.fitTrain(st, ctx, FitHandler.threads(a, ctx));
            ctx.invalidate(Step.EVALUATE);
            b.set("params", Json.MAPPER.valueToTree(best.params));
            if (parts.size() == 1) b.put("model", st.models[0].describe());
            r.note("every series was refitted on its full training part with " + tr.bestParams() + " (run evaluate again for its test accuracy)");
        }
        return r;
    }

    /** The grid of ic × stepwise × lambda (autoarima) or of lambda alone, from the step's lists. */
    private static SearchSpace defaultSpace(ForecastState st, Args a, boolean arima, List<String> notes) {
        SearchSpace.Builder sb = SearchSpace.builder();
        if (arima) {
            List<Object> ics = new ArrayList<>();
            for (String ic : a.has("ic") ? a.getList("ic") : List.of("aicc", "bic")) ics.add(ic(ic));
            List<Object> sw = new ArrayList<>();
            for (String s : a.has("stepwise") ? a.getList("stepwise") : List.of("true", "false")) sw.add(Args.of("v", s).getBool("v", true));
            sb.add("ic", new Param.Choice(ics)).add("stepwise", new Param.Choice(sw));
        }
        List<Object> lambdas = new ArrayList<>();
        for (String s : a.has("lambda") ? a.getList("lambda") : List.of("none", "0")) {
            Double l = ForecastSpec.parseLambda(s, "tune lambda");
            if (l != null) {
                // lambda values the data cannot take are dropped with a note
                try { st.checkLambda(l, "tune"); } catch (ModelworkException e) { notes.add("lambda=" + SeriesModel.fmt(l) + " left out: " + e.what()); continue; }
            }
            lambdas.add(l == null ? "none" : SeriesModel.fmt(l));
        }
        if (lambdas.isEmpty()) throw new ModelworkException("No lambda value can be tried", "tune lambda", "include lambda none, e.g. lambda=none,0.5");
        sb.add("lambda", new Param.Choice(lambdas));
        return sb.build();
    }

    private static int gridSize(SearchSpace space) {
        long n = 1;
        for (Param p : space.params().values()) {
            if (!p.enumerable()) return 0;
            n *= p.gridValues().size();
        }
        return (int) Math.min(n, 100_000);
    }

    private static String ic(Object v) {
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (!List.of("aic", "aicc", "bic").contains(s))
            throw new ModelworkException("Unknown information criterion '" + v + "'", "tune ic", "use aicc, aic, bic");
        return s;
    }

    /** {@code spec} with the tuned parameters, each converted to the type the spec keeps. */
    static ForecastSpec withParams(ForecastSpec spec, Map<String, Object> params) {
        ForecastSpec s = spec;
        for (Map.Entry<String, Object> e : params.entrySet()) {
            String k = e.getKey();
            Object v = e.getValue();
            Object typed = switch (k) {
                case "lambda" -> "auto".equalsIgnoreCase(String.valueOf(v).trim()) ? "auto" : ForecastSpec.parseLambda(v, "tune lambda");
                case "ic" -> ic(v);
                case "stepwise", "seasonal", "allow_drift", "allow_mean" -> Args.of("v", v).getBool("v", true);
                case "approximation" -> "auto".equalsIgnoreCase(String.valueOf(v).trim()) ? "auto" : String.valueOf(Args.of("v", v).getBool("v", false));
                default -> {
                    int n = Args.of("v", v).getInt("v", 0);
                    if (n < 0) throw new ModelworkException(k + " must be non-negative, got " + n, "tune " + k, "tune values >= 0");
                    yield n;
                }
            };
            s = s.with(k, typed);
        }
        return s;
    }

    /** The mean validation {@code metric} of {@code sp} over the series {@code use} (NaN when none could be scored). */
    private static double score(ForecastState st, ForecastSpec sp, List<Integer> use, int hv, String metric) {
        double sum = 0;
        int c = 0;
        for (int i : use) {
            if (Thread.currentThread().isInterrupted()) throw new ModelworkException("Step tune was interrupted", "tune", "run it again (or raise timeout_s)");
            Part p = st.parts.get(i);
            int nt = p.train().length - hv;
            double[] tr = Arrays.copyOf(p.train(), nt), va = Arrays.copyOfRange(p.train(), nt, nt + hv);
            double[][] xt = new double[p.xTrain().length][], xv = new double[p.xTrain().length][];
            for (int j = 0; j < xt.length; j++) { xt[j] = Arrays.copyOf(p.xTrain()[j], nt); xv[j] = Arrays.copyOfRange(p.xTrain()[j], nt, nt + hv); }
            int m = nt > st.panel.m ? st.panel.m : 1;
            SeriesModel sm = sp.fit(tr, xt, st.xregNames, st.panel.m);
            double v = metrics(va, sm.forecast(hv, xv, LEVELS), tr, m).get(metric);
            if (Double.isFinite(v)) { sum += v; c++; }
        }
        return c == 0 ? Double.NaN : sum / c;
    }
}
