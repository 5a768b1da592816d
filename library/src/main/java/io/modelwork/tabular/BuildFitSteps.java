package io.modelwork.tabular;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.shared.BestCheckpoint;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.tabular.engine.ModelSpec;
import io.modelwork.tabular.engine.Providers;
import io.modelwork.tabular.engine.TaskProvider;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.*;

/**
 * Steps 5–6 for tabular data: build (the model from its spec and the engine's hyper-parameters) and fit (boosting
 * with early stopping on validation, per-iteration metrics, the best iteration checkpointed as it improves).
 */
final class BuildFitSteps {
    private BuildFitSteps() { }

    static final Options BUILD = Options.of(
            Option.text("spec", null, "model spec, e.g. regression.xgboost (default: regression.xgboost, classification.lightgbm, ranking.lightgbm)"));

    static final Options FIT = Options.of(
            Option.integer("rounds", 1000, 1, 10_000_000, "boosting rounds at most"),
            Option.integer("early_stopping", 50, 0, 10_000_000, "stop after this many rounds without validation improvement (0 = off)"),
            Option.integer("train_metric_every", TabularModel.FitConfig.DEFAULT_TRAIN_METRIC_EVERY, 1, 10_000_000,
                    "compute the training-set metric every N rounds (1 = every round)"));

    /**
     * The engine's hyper-parameters for {@code spec} as options (types from the defaults, the engine's extra keys
     * untyped); for an unknown or absent spec those of every engine (the build step names a bad spec itself).
     */
    static Options engine(String spec) {
        ModelSpec ms = null;
        try { if (spec != null) ms = ModelSpec.parse(spec); } catch (ModelworkException e) { ms = null; }
        if (ms != null && Providers.all().containsKey(ms.base())) return engine(Providers.forSpec(ms), ms);
        Options all = Options.none();
        for (var e : Providers.all().entrySet()) all = all.plus(engine(e.getValue(), ModelSpec.parse(e.getKey())));
        return all;
    }

    private static Options engine(TaskProvider p, ModelSpec ms) {
        String help = ms.algorithm() + " hyper-parameter";
        Options typed = Options.fromDefaults(p.defaultParams(ms), help);
        List<Option> out = new ArrayList<>();
        // class weights may be a mapping (class → weight) as well as 'balanced'
        for (Option o : typed) out.add(o.name().equals("class_weight") ? Option.any(o.name(), "none, balanced or class:weight,...") : o);
        for (String k : p.extraParams(ms)) if (!typed.has(k)) out.add(Option.any(k, help + " (engine default)"));
        return Options.of(out);
    }

    static StepReport build(TabularState s, Args a, StepContext ctx) {
        String str = a.getString("spec", switch (s.task()) {
            case REGRESSION -> "regression.xgboost";
            case RANKING -> "ranking.lightgbm";
            default -> "classification.lightgbm";
        });
        ModelSpec ms = ModelSpec.parse(str);
        String expected = s.task().name().toLowerCase(Locale.ROOT);
        if (!ms.category().equals(expected))
            throw new ModelworkException("Model spec " + ms + " is for " + ms.category() + " but the dataset's target is a "
                    + expected + " target", "build spec=" + str,
                    "use a " + expected + ".* spec, or attach the dataset with task=" + ms.category());
        Providers.forSpec(ms);
        if (s.model() != null) s.model().close();
        s.fitted = null;
        Args buildArgs = a.without(List.of("spec"));
        TabularModel model = s.buildModel(ms, buildArgs);
        s.fitted = new TabularState.Fitted(ms, buildArgs, model, null);
        StepReport r = new StepReport("build", "Model " + ms);
        r.body().put("spec", ms.toString());
        r.body().put("engine", model.engine());
        r.body().put("task", expected);
        r.body().put("classes", s.labels().numClasses());
        r.body().put("features", s.preprocessor().outputNames().size());
        r.body().set("params", Json.MAPPER.valueToTree(model.params()));
        r.table(Tables.keyValues("Hyper-parameters (" + ms + ")", model.params()));
        return r;
    }

    static StepReport fit(TabularState s, Args a, StepContext ctx) {
        TabularState.FitSettings fs = new TabularState.FitSettings(a.getInt("rounds", 1000), a.getInt("early_stopping", 50),
                a.getInt("train_metric_every", TabularModel.FitConfig.DEFAULT_TRAIN_METRIC_EVERY));
        s.fitSettings = fs;
        TabularModel model = s.model();
        if (model == null)
            throw new ModelworkException("No model is built (the last build failed)", "fit", "run build again, e.g. build spec=" + s.specHint());
        Map<String, Object> params = new LinkedHashMap<>(model.params());
        for (String k : a.keys()) if (!FIT.has(k)) params.put(k, a.get(k));
        model.setParams(params);
        checkTrainingData(s.train(), s.valid());
        RunContext run = ctx.run();
        BestCheckpoint bestCk = new BestCheckpoint(ctx, a);
        Path bestDir = bestCk.dir();
        Progress progress = ctx.progress();
        String[] bestMetric = {""};
        double[] bestValue = {Double.NaN};
        TabularModel.FitResult res;
        try {
          res = model.fit(s.train(), s.valid(), new TabularModel.FitConfig(fs.rounds(), fs.earlyStopping(),
                run.seedFor("fit"), run.threads(), run.device(), fs.trainMetricEvery()), new TabularModel.FitListener() {
            @Override public void onIteration(int it, int total, Map<String, Double> m, boolean best) {
                if (Thread.currentThread().isInterrupted())
                    throw new ModelworkException("fit was interrupted at iteration " + it, "fit",
                            "the best iteration so far is saved in " + bestDir + "; run fit again to restart "
                                    + "(same seed, same result), or resume from a saved checkpoint");
                if (best) m.forEach((k, v) -> { if (k.startsWith("valid_") && v != null) { bestMetric[0] = k.substring(6); bestValue[0] = v; } });
                progress.update("fit", it + 1, total, m.toString());
            }
            @Override public void onBest(int it, byte[] nativeModel) {
                bestCk.improved(it, out -> s.saveBest(out, nativeModel, it, bestMetric[0], bestValue[0]));
            }
          });
        } finally {
            bestCk.finish();
        }
        s.replaceModel(model, res);
        ctx.invalidate(Step.EVALUATE);
        progress.finished("fit", "best iteration " + res.bestIteration() + ", " + res.metric() + " " + res.bestValid());
        return report(s, res, bestDir, fs.trainMetricEvery());
    }

    /**
     * What is wrong with the data, said before the engine sees it (XGBoost and LightGBM report such data only as a
     * generic parameter error): too few training rows, no feature left after preparation, infinite feature values.
     */
    static void checkTrainingData(Matrix train, Matrix valid) {
        if (train.rows() < 2)
            throw new ModelworkException("The training set has " + train.rows() + " row" + (train.rows() == 1 ? "" : "s")
                    + "; a model needs at least 2", "fit (training rows)",
                    "attach more data, or give the training set a larger share (split ratios=0.7,0.15,0.15)");
        if (train.cols() == 0)
            throw new ModelworkException("No feature is left after prepare_data", "fit (features)",
                    "check attach_dataset ignore= and prepare_data select= (constant columns are dropped by select=variance)");
        for (Matrix m : new Matrix[]{train, valid}) {
            if (m == null) continue;
            float[] x = m.x();
            for (int i = 0; i < x.length; i++)
                if (Float.isInfinite(x[i])) {
                    int r = i / m.cols(), c = i % m.cols();
                    throw new ModelworkException("Feature '" + m.featureNames()[c] + "' has an infinite value (row id "
                            + (m.rowIds() == null ? r : m.rowIds()[r]) + ")", "fit (" + (m == train ? "training" : "validation") + " data)",
                            "replace inf/-inf in the data (they are kept as numbers, not missing), or impute them before attach");
                }
        }
    }

    private static StepReport report(TabularState s, TabularModel.FitResult res, Path bestDir, int trainEvery) {
        TabularModel model = s.model();
        StepReport r = new StepReport("fit", "Fit " + s.spec() + ": best iteration " + res.bestIteration());
        r.body().put("metric", res.metric());
        r.body().put("best_iteration", res.bestIteration());
        r.body().put("best_validation_score", res.bestValid());
        r.body().put("iterations_run", res.history().size());
        r.body().put("seconds", res.seconds());
        r.body().put("device", res.deviceUsed());
        r.body().put("best_checkpoint", bestDir.toString());
        r.body().set("params", Json.MAPPER.valueToTree(model.params()));
        ArrayNode h = r.body().putArray("history");
        for (var it : res.history()) {
            ObjectNode row = h.addObject().put("iteration", it.iteration());
            if (Double.isNaN(it.train())) row.putNull("train"); else row.put("train", it.train());
            if (Double.isNaN(it.valid())) row.putNull("valid"); else row.put("valid", it.valid());
        }
        res.notes().forEach(r::note);
        if (trainEvery > 1)
            r.note("training-set " + res.metric() + " computed every " + trainEvery + " rounds (fit train_metric_every=1 for every round)");
        double[] xs = res.history().stream().mapToDouble(TabularModel.Iteration::iteration).toArray();
        List<TabularModel.Iteration> trained = res.history().stream().filter(i -> !Double.isNaN(i.train())).toList();
        List<Chart.Series> series = new ArrayList<>();
        series.add(Chart.Series.line("train", trained.stream().mapToDouble(TabularModel.Iteration::iteration).toArray(),
                trained.stream().mapToDouble(TabularModel.Iteration::train).toArray()));
        if (s.valid() != null) series.add(Chart.Series.line("validation", xs, res.history().stream().mapToDouble(TabularModel.Iteration::valid).toArray()));
        r.chart(Chart.line("learning_curve", "Learning curve (" + res.metric() + ")", "iteration", res.metric(), series));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("best iteration", res.bestIteration());
        summary.put("best validation " + res.metric(), res.bestValid());
        summary.put("iterations run", res.history().size());
        summary.put("seconds", String.format(Locale.ROOT, "%.2f", res.seconds()));
        summary.put("device", res.deviceUsed());
        summary.put("best-iteration checkpoint", bestDir);
        r.table(Tables.keyValues("Training summary", summary));
        Map<String, Double> imp = model.featureImportance(s.train().featureNames());
        Table ti = Table.create("Feature importance (gain)");
        StringColumn fn = StringColumn.create("feature");
        DoubleColumn fv = DoubleColumn.create("gain");
        imp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(15)
                .forEach(e -> { fn.append(e.getKey()); fv.append(e.getValue()); });
        ti.addColumns(fn, fv);
        r.table(ti);
        return r;
    }
}
