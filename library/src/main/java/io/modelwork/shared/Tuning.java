package io.modelwork.shared;

import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.tune.*;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.*;

/**
 * The tune step of every category, over the engine-neutral {@link Tuner} (grid, random, TPE, ASHA): the category
 * supplies the search space, the metric and its direction, and an {@link Objective} that trains and scores one
 * configuration on validation; this class parses the shared keys, runs the search with progress, and builds the
 * standard report (best configuration, trials table, tuning-history chart with every trial as a marker).
 *
 * <p>Applying the best configuration is the category's, with one rule for all: {@link #decide} applies it only when
 * the refitted model beats the current one on validation, otherwise the model is kept and the report says so. To let
 * a refit reproduce its trial, refit with the trial's seed ({@link #trialSeed}) and the same engine threads as the
 * trials used.
 */
public final class Tuning {
    private Tuning() { }

    /** The keys every category's tune takes (categories add their own with {@link Options#plus}). */
    public static final Options OPTIONS = Options.of(
            Option.choice("strategy", "tpe", List.of("grid", "random", "tpe", "asha"), "search strategy"),
            Option.integer("trials", 20, 1, 100_000, "number of configurations to try"),
            Option.any("space", "search space, e.g. max_depth=3|6|9 eta=log:0.01..0.3 (or a YAML mapping)"),
            Option.text("metric", null, "validation metric to optimise (default: the category's)"),
            Option.integer("threads", null, 1, 4096, "trials run in parallel (default: the session's threads)"),
            Option.integer("max_budget", null, 1, 10_000_000, "resource per trial (e.g. boosting rounds); ASHA's top rung"),
            Option.integer("min_budget", null, 1, 10_000_000, "ASHA's lowest rung"),
            Option.integer("eta", null, 2, 100, "ASHA's reduction factor"),
            Option.bool("apply", true, "apply the best configuration when its refit beats the current model"));

    /** The search space from {@code space=} (text or a YAML mapping), else {@code dflt}. */
    @SuppressWarnings("unchecked")
    public static SearchSpace space(Args a, SearchSpace dflt) {
        if (!a.has("space")) return dflt;
        Object v = a.get("space");
        return v instanceof Map<?, ?> m ? SearchSpace.parse((Map<String, Object>) m) : SearchSpace.parse(String.valueOf(v));
    }

    /** A tuner configuration from the shared keys; {@code maxBudget} is the category's default resource per trial. */
    public static TunerConfig config(Args a, StepContext ctx, String metric, Direction dir, int maxBudget) {
        int threads = a.getInt("threads", ctx.run().threads());
        TunerConfig.Builder b = TunerConfig.builder(a.getString("strategy", "tpe")).maxTrials(a.getInt("trials", 20))
                .threads(threads).seed(ctx.run().seedFor("tune")).metric(metric, dir)
                .maxBudget(a.getInt("max_budget", maxBudget)).batchSize(Math.max(1, threads));
        if (a.has("min_budget")) b.minBudget(a.getInt("min_budget", 1));
        if (a.has("eta")) b.eta(a.getInt("eta", 3));
        return b.build();
    }

    /** Runs the search with a progress line per finished trial. */
    public static TuningReport run(StepContext ctx, SearchSpace space, Objective objective, TunerConfig cfg) {
        return Tuner.run(space, objective, cfg, (t, finished, planned) -> ctx.progress().update("tune", finished, planned,
                "trial " + t.id() + ": " + cfg.metric() + "=" + (t.value() == null ? "failed" : fmt(t.value()))));
    }

    /** The seed the best trial ran with (refit with it, and the trials' engine threads, to reproduce the trial). */
    public static long trialSeed(TunerConfig cfg, TuningReport tr) { return Tuner.trialSeed(cfg, tr.bestTrial().configId()); }

    /** True when {@code candidate} is strictly better than {@code current} in direction {@code dir}. */
    public static boolean better(Direction dir, double candidate, double current) {
        if (Double.isNaN(candidate)) return false;
        if (Double.isNaN(current)) return true;
        return dir == Direction.MAXIMIZE ? candidate > current : candidate < current;
    }

    /**
     * The rule for applying a tuning result: {@code refit} (the best configuration refitted as its trial was, returning
     * its validation score; may be null when no trial beat the current model, then nothing is refitted) is kept only
     * when it beats {@code current}. Writes {@code applied}, {@code refit_validation_score} and a note into {@code r};
     * returns whether the category should keep the refitted model.
     */
    public static boolean decide(StepReport r, TuningReport tr, double current, boolean apply,
                                 java.util.function.DoubleSupplier refit) {
        String metric = tr.metric();
        if (!better(tr.direction(), tr.bestValue(), current)) {
            r.body().put("applied", false);
            r.note("no trial beat the current model on validation " + metric + " (" + fmt(current) + "); the model is kept");
            return false;
        }
        if (!apply) {
            r.body().put("applied", false);
            r.note("apply=false: the best configuration is reported, the model is unchanged");
            return false;
        }
        double after = refit.getAsDouble();
        r.body().put("refit_validation_score", after);
        boolean keep = better(tr.direction(), after, current);
        r.body().put("applied", keep);
        if (keep) r.note("best configuration applied and the model refitted: validation " + metric + " " + fmt(current) + " → " + fmt(after));
        else r.note("the refit of the best configuration scored validation " + metric + " " + fmt(after) + ", not better than the current "
                + fmt(current) + "; the current model is kept");
        return keep;
    }

    /** The standard tune report: body keys, best configuration, trials table, history chart. */
    public static StepReport report(String strategy, TuningReport tr, double current) {
        String metric = tr.metric();
        Direction dir = tr.direction();
        StepReport r = new StepReport("tune", "Tuning (" + strategy + ", " + tr.trials().size() + " trials)");
        r.body().set("tuning_report", Json.MAPPER.valueToTree(tr));
        r.body().set("best_config", Json.MAPPER.valueToTree(tr.bestParams()));
        r.body().put("metric", metric);
        r.body().put("default_validation_score", current);
        r.body().put("best_validation_score", tr.bestValue());
        Table t = Table.create("Trials");
        IntColumn id = IntColumn.create("trial"), budget = IntColumn.create("budget");
        StringColumn ps = StringColumn.create("params"), st = StringColumn.create("status");
        DoubleColumn val = DoubleColumn.create(metric), secs = DoubleColumn.create("seconds");
        List<Double> xs = new ArrayList<>(), ys = new ArrayList<>(), best = new ArrayList<>();
        double run = Double.NaN;
        for (Trial tri : tr.trials()) {
            id.append(tri.id()); ps.append(String.valueOf(tri.params())); st.append(tri.status().id());
            if (tri.value() == null) val.appendMissing(); else val.append(tri.value());
            secs.append(tri.seconds()); budget.append(tri.budget());
            if (tri.value() != null) {
                xs.add((double) tri.id()); ys.add(tri.value());
                run = Double.isNaN(run) ? tri.value() : dir == Direction.MAXIMIZE ? Math.max(run, tri.value()) : Math.min(run, tri.value());
                best.add(run);
            }
        }
        t.addColumns(id, budget, val, secs, st, ps);
        r.table(Tables.keyValues("Best configuration (validation " + metric + " " + fmt(tr.bestValue()) + ", current " + fmt(current) + ")", tr.bestParams()));
        r.table(t);
        double[] xa = xs.stream().mapToDouble(Double::doubleValue).toArray();
        r.chart(Chart.line("tuning_history", "Tuning history", "trial", metric, List.of(
                Chart.Series.markers("trial", xa, ys.stream().mapToDouble(Double::doubleValue).toArray()),
                Chart.Series.line("best so far", xa, best.stream().mapToDouble(Double::doubleValue).toArray()))));
        return r;
    }

    /** A metric value that is missing from the category's metrics is an error listing the ones there are. */
    public static double metric(Map<String, Double> metrics, String metric) {
        Double v = metrics.get(metric);
        if (v == null) throw new ModelworkException("Unknown tuning metric '" + metric + "'", "tune metric",
                "use one of " + metrics.keySet());
        return v;
    }

    static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }
}
