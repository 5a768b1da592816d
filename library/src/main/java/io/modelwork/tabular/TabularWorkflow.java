package io.modelwork.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.session.*;
import io.modelwork.data.Attach;
import io.modelwork.data.Dataset;
import io.modelwork.data.Role;
import io.modelwork.metrics.ClassificationMetrics;
import io.modelwork.metrics.Curve;
import io.modelwork.metrics.RegressionMetrics;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.spi.ModelSpec;
import io.modelwork.spi.Providers;
import io.modelwork.spi.TaskProvider;
import io.modelwork.tune.*;
import tech.tablesaw.api.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * The lifecycle steps for tabular data (regression and classification): Tablesaw data, the frozen
 * {@link Preprocessor}, {@link Splitter} plans, gradient-boosted {@link TabularModel}s from the providers.
 */
public final class TabularWorkflow implements Workflow {

    /** Accepts every file or JDBC reference (the tabular readers decide whether they can read it). */
    public static final class Factory implements Workflow.Factory {
        @Override public boolean accepts(Args a) { return true; }
        @Override public int priority() { return -100; }
        @Override public Workflow create(Session s) { return new TabularWorkflow(s); }
        @Override public Collection<String> recipeKeys(Step step) { return staticKeys(step); }
        @Override public void checkRecipeValue(Step step, String key, Object value, String where) {
            checkValue(step, key, value, where);
        }
    }

    private final Session session;
    private Args attachArgs;
    private Dataset dataset;
    private Preprocessor.Options prepOptions;
    private Splitter.Plan plan;
    private Preprocessor prep;
    private LabelEncoder labels;
    private Matrix train, valid, test;
    private ModelSpec spec;
    private Args buildArgs = Args.empty();
    private TabularModel model;
    private TabularModel.FitResult fitResult;
    private int fitRounds = 1000, fitEarly = 50, fitTrainEvery = TabularModel.FitConfig.DEFAULT_TRAIN_METRIC_EVERY;
    private ObjectNode calibration;
    private Calibrators.Binary probabilityCalibrator;
    private double temperature = 1;
    private double threshold = 0.5;
    private Path exportDir;
    private ObjectNode registered;

    TabularWorkflow(Session session) { this.session = session; }

    private RunContext ctx() { return session.context(); }

    public Dataset dataset() { return dataset; }
    public TabularModel model() { return model; }
    public Preprocessor preprocessor() { return prep; }
    public LabelEncoder labels() { return labels; }
    public Splitter.Plan plan() { return plan; }
    public Matrix matrix(String set) {
        return switch (set) { case "train" -> train; case "validation" -> valid; case "test" -> test;
            default -> throw new ModelworkException("Unknown set '" + set + "'", "set", "use train, validation or test"); };
    }

    @Override
    public Collection<String> keys(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> Attach.KEYS;
            case PREPARE_DATA -> Preprocessor.KEYS;
            case SPLIT -> Splitter.KEYS;
            case BUILD -> buildKeys();
            case FIT -> fitKeys();
            case EVALUATE -> List.of("sets", "worst", "cv");
            case TUNE -> List.of("strategy", "trials", "space", "metric", "max_budget", "min_budget", "eta", "apply", "threads");
            case BACKTEST -> List.of("windows", "mode", "order", "initial", "psi_alert");
            case CALIBRATE -> List.of("method", "objective", "target_fpr", "alpha", "k");
            case EXPORT -> List.of("target", "formats");
            case REGISTER -> io.modelwork.registry.RegisterStep.KEYS;
            default -> List.of();
        };
    }

    /** Valid keys per step without a session (for checking recipes before any work); {@code null} = any. */
    public static Collection<String> staticKeys(Step step) {
        return switch (step) {
            case BUILD -> buildKeys();
            case FIT -> {
                Set<String> k = new TreeSet<>(buildKeys());
                k.remove("spec");
                k.addAll(List.of("rounds", "early_stopping", "train_metric_every"));
                yield List.copyOf(k);
            }
            default -> new TabularWorkflow(null).keys(step);
        };
    }

    private static final Set<String> INT_KEYS = Set.of("rounds", "early_stopping", "train_metric_every", "trials", "windows", "folds", "seed",
            "threads", "worst", "max_categories", "retries", "timeout_s", "max_budget", "min_budget", "max_depth", "num_leaves",
            "min_data_in_leaf", "bagging_freq");
    private static final Set<String> NUMBER_KEYS = Set.of("alpha", "target_fpr", "initial", "psi_alert", "learning_rate",
            "subsample", "colsample_bytree", "min_child_weight", "lambda", "feature_fraction", "bagging_fraction", "lambda_l2",
            "imbalance_threshold");
    private static final Set<String> BOOL_KEYS = Set.of("apply", "cv", "stratify", "drop_missing_target", "progress");

    /** Checks a value's type for a key (recipes are checked before any work). */
    public static void checkValue(Step step, String key, Object value, String where) {
        if (value == null) return;
        Args a = Args.of(key, value);
        try {
            boolean intKey = INT_KEYS.contains(key) || (step == Step.TUNE && key.equals("eta"));
            if (intKey) a.getLong(key, 0);
            else if (NUMBER_KEYS.contains(key) || (step != Step.TUNE && key.equals("eta"))) a.getDouble(key, 0);
            else if (BOOL_KEYS.contains(key)) a.getBool(key, false);
        } catch (ModelworkException e) {
            throw new ModelworkException("Wrong type for " + step.key() + "." + key + ": " + e.what(), where, e.fix());
        }
    }

    private static List<String> buildKeys() {
        Set<String> k = new TreeSet<>(List.of("spec"));
        for (var e : Providers.all().entrySet()) k.addAll(e.getValue().defaultParams(ModelSpec.parse(e.getKey())).keySet());
        k.addAll(List.of("eval_metric", "gamma", "max_bin", "grow_policy", "max_leaves", "lambda_l1", "min_gain_to_split", "extra_trees"));
        return List.copyOf(k);
    }

    private List<String> fitKeys() {
        Set<String> k = new TreeSet<>(List.of("rounds", "early_stopping", "train_metric_every"));
        if (model != null) k.addAll(model.params().keySet());
        return List.copyOf(k);
    }

    // ------------------------------------------------------------------ 2 attach

    @Override
    public StepReport attach(Args a) {
        Attach.Result r = Attach.attach(a, null);
        dataset = r.dataset();
        attachArgs = a;
        return r.report();
    }

    // ------------------------------------------------------------------ 3 prepare

    @Override
    public StepReport prepare(Args a) {
        prepOptions = Preprocessor.Options.from(a);
        StepReport r = new StepReport("prepare_data", "Preprocessing pipeline");
        r.body().set("options", prepOptions.toJson());
        List<String> skipped = new ArrayList<>();
        for (var f : dataset.schema().fields())
            if (f.role() == Role.FEATURE && (f.type() == io.modelwork.data.FieldType.TEXT || f.type() == io.modelwork.data.FieldType.TIMESTAMP))
                skipped.add(f.name());
        if (!skipped.isEmpty()) r.note("text/timestamp feature columns are not encoded and are left out: " + skipped);
        // fit on all rows only to preview the output width; the real fit happens at split on the training rows
        Preprocessor preview = Preprocessor.fit(prepOptions, dataset, allRows(dataset.rows()));
        r.body().put("output_features_preview", preview.outputNames().size());
        r.body().put("fitted_on", "the training rows, when split runs (then frozen)");
        Table t = Table.create("Pipeline");
        StringColumn k = StringColumn.create("stage"), v = StringColumn.create("setting");
        prepOptions.toJson().fields().forEachRemaining(e -> { k.append(e.getKey()); v.append(e.getValue().asText()); });
        k.append("output features (preview)"); v.append(Integer.toString(preview.outputNames().size()));
        t.addColumns(k, v);
        r.table(t);
        r.note("The pipeline is fitted on the training rows only, when split runs, then frozen (no leakage)");
        return r;
    }

    static int[] allRows(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    // ------------------------------------------------------------------ 4 split

    @Override
    public StepReport split(Args a) {
        plan = Splitter.split(dataset, a, a.has("seed") ? a.getLong("seed", 0) : ctx().seedFor("split"));
        materialize();
        StepReport r = Splitter.report(dataset, plan);
        r.body().put("preprocessor_id", prep.id());
        r.body().put("features", prep.outputNames().size());
        r.note("preprocessor " + prep.id() + " fitted on the " + plan.train().length + " training rows and frozen ("
                + prep.outputNames().size() + " features)");
        return r;
    }

    private void materialize() {
        prep = Preprocessor.fit(prepOptions, dataset, plan.train());
        labels = LabelEncoder.fit(dataset);
        train = prep.transform(dataset, dataset.table(), plan.train(), labels);
        valid = plan.validation().length == 0 ? null : prep.transform(dataset, dataset.table(), plan.validation(), labels);
        if (plan.externalTest()) test = prep.transform(dataset, dataset.testTable(), allRows(dataset.testTable().rowCount()), labels);
        else test = plan.test().length == 0 ? null : prep.transform(dataset, dataset.table(), plan.test(), labels);
    }

    // ------------------------------------------------------------------ 5 build

    @Override
    public StepReport build(Args a) {
        String s = a.getString("spec", switch (dataset.task()) {
            case REGRESSION -> "regression.xgboost";
            case RANKING -> "ranking.lightgbm";
            default -> "classification.lightgbm";
        });
        ModelSpec ms = ModelSpec.parse(s);
        String expected = dataset.task().name().toLowerCase(Locale.ROOT);
        if (!ms.category().equals(expected))
            throw new ModelworkException("Model spec " + ms + " is for " + ms.category() + " but the dataset's target is a "
                    + expected + " target", "build spec=" + s,
                    "use a " + expected + ".* spec, or attach the dataset with task=" + ms.category());
        TaskProvider p = Providers.forSpec(ms);
        if (model != null) model.close();
        buildArgs = a.without(List.of("spec"));
        model = (TabularModel) p.build(ms, buildArgs, new TaskProvider.BuildContext(ctx().device(), ctx().seed(),
                ctx().threads(), labels.numClasses(), prep.outputNames().size()));
        if (model instanceof io.modelwork.provider.lightgbm.LightGbmModel lg) lg.setClassNames(labels.classes());
        spec = ms;
        fitResult = null;
        StepReport r = new StepReport("build", "Model " + ms);
        r.body().put("spec", ms.toString());
        r.body().put("engine", model.engine());
        r.body().put("task", expected);
        r.body().put("classes", labels.numClasses());
        r.body().put("features", prep.outputNames().size());
        r.body().set("params", Json.MAPPER.valueToTree(model.params()));
        r.table(kv("Hyper-parameters (" + ms + ")", model.params()));
        return r;
    }

    static Table kv(String title, Map<String, ?> m) { return io.modelwork.report.Tables.keyValues(title, m); }

    // ------------------------------------------------------------------ 6 fit

    @Override
    public StepReport fit(Args a) {
        fitRounds = a.getInt("rounds", 1000);
        fitEarly = a.getInt("early_stopping", 50);
        fitTrainEvery = a.getInt("train_metric_every", TabularModel.FitConfig.DEFAULT_TRAIN_METRIC_EVERY);
        if (fitRounds < 1) throw new ModelworkException("rounds must be at least 1", "fit rounds=" + fitRounds, "e.g. rounds=500");
        if (fitTrainEvery < 1)
            throw new ModelworkException("train_metric_every must be at least 1", "fit train_metric_every=" + fitTrainEvery,
                    "use 1 for the training metric on every round, 10 (the default) for every 10th");
        Map<String, Object> params = new LinkedHashMap<>(model.params());
        for (String k : a.keys())
            if (!k.equals("rounds") && !k.equals("early_stopping") && !k.equals("train_metric_every")) params.put(k, a.get(k));
        model.setParams(params);
        Path bestDir = ctx().runDir().resolve("checkpoints").resolve("fit-best");
        Progress progress = session.progress();
        TabularModel.FitResult res = model.fit(train, valid, new TabularModel.FitConfig(fitRounds, fitEarly,
                ctx().seedFor("fit"), ctx().threads(), ctx().device(), fitTrainEvery), new TabularModel.FitListener() {
            @Override public void onIteration(int it, int total, Map<String, Double> m, boolean best) {
                if (Thread.currentThread().isInterrupted())
                    throw new ModelworkException("fit was interrupted at iteration " + it, "fit",
                            "the best iteration so far is saved in " + bestDir + "; run fit again to restart "
                                    + "(same seed, same result), or resume from a saved checkpoint");
                progress.update("fit", it + 1, total, m.toString());
            }
            @Override public void onBest(int it, byte[] nativeModel) {
                AtomicFiles.writeFast(bestDir.resolve("model." + model.nativeExtension()), nativeModel);
                AtomicFiles.writeStringFast(bestDir.resolve("best_iteration.txt"), Integer.toString(it));
            }
        });
        fitResult = res;
        progress.finished("fit", "best iteration " + res.bestIteration() + ", " + res.metric() + " " + res.bestValid());
        calibration = null;
        probabilityCalibrator = null;
        temperature = 1;
        threshold = 0.5;
        StepReport r = new StepReport("fit", "Fit " + spec + ": best iteration " + res.bestIteration());
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
        if (fitTrainEvery > 1)
            r.note("training-set " + res.metric() + " computed every " + fitTrainEvery + " rounds (fit train_metric_every=1 for every round)");
        double[] xs = res.history().stream().mapToDouble(TabularModel.Iteration::iteration).toArray();
        List<TabularModel.Iteration> trained = res.history().stream().filter(i -> !Double.isNaN(i.train())).toList();
        List<Chart.Series> series = new ArrayList<>();
        series.add(Chart.Series.line("train", trained.stream().mapToDouble(TabularModel.Iteration::iteration).toArray(),
                trained.stream().mapToDouble(TabularModel.Iteration::train).toArray()));
        if (valid != null) series.add(Chart.Series.line("validation", xs, res.history().stream().mapToDouble(TabularModel.Iteration::valid).toArray()));
        r.chart(Chart.line("learning_curve", "Learning curve (" + res.metric() + ")", "iteration", res.metric(), series));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("best iteration", res.bestIteration());
        summary.put("best validation " + res.metric(), res.bestValid());
        summary.put("iterations run", res.history().size());
        summary.put("seconds", String.format(Locale.ROOT, "%.2f", res.seconds()));
        summary.put("device", res.deviceUsed());
        summary.put("best-iteration checkpoint", bestDir);
        r.table(kv("Training summary", summary));
        Map<String, Double> imp = model.featureImportance(train.featureNames());
        Table ti = Table.create("Feature importance (gain)");
        StringColumn fn = StringColumn.create("feature");
        DoubleColumn fv = DoubleColumn.create("gain");
        imp.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(15)
                .forEach(e -> { fn.append(e.getKey()); fv.append(e.getValue()); });
        ti.addColumns(fn, fv);
        r.table(ti);
        return r;
    }

    // ------------------------------------------------------------------ 7 evaluate

    /** Predictions after calibration (probabilities) for classification, raw for regression. */
    double[][] predict(Matrix m) {
        double[][] p = model.predict(m);
        if (dataset.task() == Dataset.Task.CLASSIFICATION) {
            if (probabilityCalibrator != null)
                for (double[] row : p) { double q = probabilityCalibrator.apply(row[1]); row[0] = 1 - q; row[1] = q; }
            else if (temperature != 1)
                for (int i = 0; i < p.length; i++) p[i] = Calibrators.applyTemperature(p[i], temperature);
        }
        return p;
    }

    Map<String, Double> metrics(Matrix m, double[][] p) {
        if (dataset.task() == Dataset.Task.RANKING) return io.modelwork.metrics.RankingMetrics.all(m.groups(), m.y(), col0(p));
        if (dataset.task() == Dataset.Task.REGRESSION) {
            double[] pr = new double[p.length];
            for (int i = 0; i < pr.length; i++) pr[i] = p[i][0];
            return RegressionMetrics.all(m.y(), pr);
        }
        int[] y = m.intLabels();
        Map<String, Double> out = new LinkedHashMap<>(ClassificationMetrics.all(y, p));
        if (labels.numClasses() == 2 && threshold != 0.5) {
            int[] pred = ClassificationMetrics.predictAtThreshold(p, threshold);
            out.put("accuracy", ClassificationMetrics.accuracy(y, pred));
            out.put("f1", ClassificationMetrics.f1(y, pred, 2));
        }
        return out;
    }

    int[] predictedClasses(double[][] p) {
        return labels.numClasses() == 2 ? ClassificationMetrics.predictAtThreshold(p, threshold) : ClassificationMetrics.argmax(p);
    }

    @Override
    public StepReport evaluate(Args a) {
        List<String> sets = a.getList("sets");
        if (sets.isEmpty()) sets = List.of("validation", "test");
        int worst = a.getInt("worst", 10);
        StepReport r = new StepReport("evaluate", "Evaluation of " + spec);
        ObjectNode metricsNode = r.body().putObject("metrics");
        Table mt = Table.create("Metrics");
        StringColumn setCol = StringColumn.create("set");
        Map<String, DoubleColumn> cols = new LinkedHashMap<>();
        Matrix last = null;
        double[][] lastP = null;
        String lastName = null;
        for (String s : sets) {
            Matrix m = matrix(s);
            if (m == null) { r.note("set '" + s + "' is empty; skipped"); continue; }
            double[][] p = predict(m);
            Map<String, Double> met = metrics(m, p);
            ObjectNode o = metricsNode.putObject(s);
            met.forEach(o::put);
            setCol.append(s);
            for (var e : met.entrySet()) cols.computeIfAbsent(e.getKey(), DoubleColumn::create).append(e.getValue());
            last = m; lastP = p; lastName = s;
        }
        mt.addColumns(setCol);
        cols.values().forEach(mt::addColumns);
        r.table(mt);
        if (a.getBool("cv", false)) crossValidate(r);
        if (last == null) return r;
        if (dataset.task() == Dataset.Task.REGRESSION) regressionPlots(r, last, lastP, lastName, worst);
        else if (dataset.task() == Dataset.Task.RANKING) rankingPlots(r, last, lastP, lastName, worst);
        else classificationPlots(r, last, lastP, lastName, worst);
        return r;
    }

    private String rowId(Matrix m, int i) {
        Optional<String> id = dataset.schema().single(Role.ID);
        boolean external = m == test && plan.externalTest();
        Table t = external ? dataset.testTable() : dataset.table();
        int row = m.rowIds()[i];
        return id.map(c -> t.column(c).getString(row)).orElse((external ? "test row " : "row ") + (row + 1));
    }

    private void regressionPlots(StepReport r, Matrix m, double[][] p, String set, int worst) {
        double[] pr = new double[p.length];
        for (int i = 0; i < pr.length; i++) pr[i] = p[i][0];
        double[] res = RegressionMetrics.residuals(m.y(), pr);
        double lo = Math.min(Arrays.stream(m.y()).min().orElse(0), Arrays.stream(pr).min().orElse(0));
        double hi = Math.max(Arrays.stream(m.y()).max().orElse(1), Arrays.stream(pr).max().orElse(1));
        r.chart(Chart.scatter("predicted_vs_actual", "Predicted vs actual (" + set + ")", "actual", "predicted",
                List.of(Chart.Series.markers("rows", m.y(), pr), Chart.Series.dashed("ideal", new double[]{lo, hi}, new double[]{lo, hi}))));
        r.chart(Chart.scatter("residuals", "Residuals (" + set + ")", "predicted", "actual - predicted",
                List.of(Chart.Series.markers("residual", pr, res), Chart.Series.dashed("zero", new double[]{lo, hi}, new double[]{0, 0}))));
        Integer[] order = new Integer[pr.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(Math.abs(res[y]), Math.abs(res[x])));
        List<GalleryItem> g = new ArrayList<>();
        for (int k = 0; k < Math.min(worst, order.length); k++) {
            int i = order[k];
            g.add(GalleryItem.row(rowId(m, i), fmt(m.y()[i]), fmt(pr[i]), Math.abs(res[i]), Map.of("residual", fmt(res[i]))));
        }
        r.gallery(g);
        r.table(galleryTable("Worst errors (" + set + ")", g));
    }

    private void classificationPlots(StepReport r, Matrix m, double[][] p, String set, int worst) {
        int[] y = m.intLabels();
        int k = labels.numClasses();
        int[] pred = predictedClasses(p);
        long[][] cm = ClassificationMetrics.confusionMatrix(y, pred, k);
        double[][] cmd = new double[k][k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) cmd[i][j] = cm[i][j];
        r.chart(Chart.heatmap("confusion_matrix", "Confusion matrix (" + set + ")", "predicted", "actual", cmd, labels.classes()));
        ArrayNode cmj = r.body().putArray("confusion_matrix");
        for (long[] row : cm) { ArrayNode a = cmj.addArray(); for (long v : row) a.add(v); }
        r.body().set("classes", Json.MAPPER.valueToTree(labels.classes()));
        List<Chart.Series> roc = new ArrayList<>(), pr = new ArrayList<>();
        int from = k == 2 ? 1 : 0;
        for (int c = from; c < k; c++) {
            double[] score = new double[y.length];
            int[] yb = new int[y.length];
            boolean any = false, none = false;
            for (int i = 0; i < y.length; i++) { score[i] = p[i][c]; yb[i] = y[i] == c ? 1 : 0; any |= yb[i] == 1; none |= yb[i] == 0; }
            if (!any || !none) continue;
            Curve rc = ClassificationMetrics.rocCurve(yb, score);
            Curve pc = ClassificationMetrics.prCurve(yb, score);
            String name = k == 2 ? "positive: " + labels.classes().get(1) : labels.classes().get(c);
            roc.add(Chart.Series.line(name, rc.x(), rc.y()));
            pr.add(Chart.Series.line(name, pc.x(), pc.y()));
            if (c == from) {
                Curve cal = ClassificationMetrics.calibrationCurve(yb, score, 10);
                r.chart(Chart.line("calibration", "Reliability (" + set + ", " + name + ")", "mean predicted probability",
                        "fraction of positives", List.of(Chart.Series.line("model", cal.x(), cal.y()),
                                Chart.Series.dashed("perfect", new double[]{0, 1}, new double[]{0, 1}))));
            }
        }
        roc.add(Chart.Series.dashed("chance", new double[]{0, 1}, new double[]{0, 1}));
        r.chart(Chart.line("roc", "ROC curve (" + set + ")", "false positive rate", "true positive rate", roc));
        r.chart(Chart.line("pr", "Precision-recall curve (" + set + ")", "recall", "precision", pr));
        // worst cases: lowest probability on the true class
        Integer[] order = new Integer[y.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i][y[i]]));
        List<GalleryItem> g = new ArrayList<>();
        for (int j = 0; j < Math.min(worst, order.length); j++) {
            int i = order[j];
            g.add(GalleryItem.row(rowId(m, i), labels.decode(y[i]), labels.decode(pred[i]), -Math.log(Math.max(p[i][y[i]], 1e-15)),
                    Map.of("p(true class)", fmt(p[i][y[i]]))));
        }
        r.gallery(g);
        r.table(galleryTable("Worst errors (" + set + ")", g));
    }

    private void rankingPlots(StepReport r, Matrix m, double[][] p, String set, int worst) {
        double[] score = col0(p);
        int k = model instanceof io.modelwork.provider.lightgbm.LightGbmModel ? Integer.parseInt(String.valueOf(model.params().getOrDefault("eval_at", 3))) : 3;
        List<int[]> groups = io.modelwork.metrics.RankingMetrics.groups(m.groups());
        double[] ks = {1, 3, 5, 10}, nd = new double[4], mp = new double[4];
        Map<String, Double> all = io.modelwork.metrics.RankingMetrics.all(m.groups(), m.y(), score);
        for (int i = 0; i < 4; i++) { nd[i] = all.get("ndcg@" + (int) ks[i]); mp[i] = all.get("map@" + (int) ks[i]); }
        r.chart(Chart.line("ndcg_at_k", "NDCG@K and MAP@K (" + set + ")", "K", "score",
                List.of(Chart.Series.line("NDCG@K", ks, nd), Chart.Series.line("MAP@K", ks, mp))));
        Integer[] order = new Integer[groups.size()];
        double[] per = new double[groups.size()];
        for (int q = 0; q < per.length; q++) { order[q] = q; per[q] = io.modelwork.metrics.RankingMetrics.ndcg(groups.get(q), m.y(), score, k); }
        Arrays.sort(order, Comparator.comparingDouble(q -> per[q]));
        List<GalleryItem> g = new ArrayList<>();
        for (int j = 0; j < Math.min(worst, order.length); j++) {
            int[] rows = groups.get(order[j]);
            int best = rows[0];
            for (int row : rows) if (score[row] > score[best]) best = row;
            double maxRel = Arrays.stream(rows).mapToDouble(x -> m.y()[x]).max().orElse(0);
            g.add(GalleryItem.row("query " + m.groups()[rows[0]], "max relevance " + fmt(maxRel),
                    "top doc relevance " + fmt(m.y()[best]), 1 - per[order[j]],
                    Map.of("docs", Integer.toString(rows.length), "ndcg@" + k, fmt(per[order[j]]))));
        }
        r.gallery(g);
        r.table(galleryTable("Worst queries by NDCG@" + k + " (" + set + ")", g));
        r.note("queries without a relevant document count as NDCG = 1 and MAP = 1 (LightGBM's convention); MRR skips them");
    }

    static Table galleryTable(String title, List<GalleryItem> g) {
        Table t = Table.create(title);
        StringColumn id = StringColumn.create("id"), tr = StringColumn.create("truth"), pr = StringColumn.create("prediction"),
                extra = StringColumn.create("detail");
        DoubleColumn sc = DoubleColumn.create("error");
        for (GalleryItem it : g) {
            id.append(it.id()); tr.append(it.truth()); pr.append(it.prediction()); sc.append(it.score());
            extra.append(it.fields().toString());
        }
        t.addColumns(id, tr, pr, sc, extra);
        return t;
    }

    static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }

    private void crossValidate(StepReport r) {
        if (plan.folds().isEmpty()) {
            r.note("cv=true needs split strategy=kfold; skipped");
            return;
        }
        Map<String, List<Double>> per = new LinkedHashMap<>();
        int rounds = fitResult.bestIteration() + 1;
        for (int f = 0; f < plan.folds().size(); f++) {
            int[] vrows = plan.folds().get(f);
            int[] pool = concat(plan.train(), plan.validation());
            int[] trows = Splitter.minus(pool, vrows);
            Preprocessor fp = Preprocessor.fit(prepOptions, dataset, trows);
            Matrix tr = fp.transform(dataset, dataset.table(), trows, labels), va = fp.transform(dataset, dataset.table(), vrows, labels);
            try (TabularModel m = freshModel(model.params())) {
                m.fit(tr, null, new TabularModel.FitConfig(rounds, 0, ctx().seedFor("cv" + f), ctx().threads(), ctx().device()),
                        (it, tot, mm, b) -> { });
                Map<String, Double> met = metrics(va, m.predict(va));
                met.forEach((k, v) -> per.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            }
            session.progress().update("evaluate", f + 1, plan.folds().size(), "cross-validation fold " + (f + 1));
        }
        Table t = Table.create("Cross-validation (" + plan.folds().size() + " folds, " + rounds + " rounds)");
        StringColumn name = StringColumn.create("metric");
        DoubleColumn mean = DoubleColumn.create("mean"), std = DoubleColumn.create("std");
        ObjectNode cv = r.body().putObject("cross_validation");
        per.forEach((k, v) -> {
            double mu = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double sd = Math.sqrt(v.stream().mapToDouble(x -> (x - mu) * (x - mu)).sum() / Math.max(1, v.size() - 1));
            name.append(k); mean.append(mu); std.append(sd);
            cv.putObject(k).put("mean", mu).put("std", sd);
        });
        t.addColumns(name, mean, std);
        r.table(t);
    }

    static double[] col0(double[][] p) {
        double[] o = new double[p.length];
        for (int i = 0; i < o.length; i++) o[i] = p[i][0];
        return o;
    }

    static int[] concat(int[] a, int[] b) {
        int[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        Arrays.sort(o);
        return o;
    }

    TabularModel freshModel(Map<String, Object> params) {
        TabularModel m = (TabularModel) Providers.forSpec(spec).build(spec, Args.from(params), new TaskProvider.BuildContext(
                ctx().device(), ctx().seed(), ctx().threads(), labels.numClasses(), prep.outputNames().size()));
        if (m instanceof io.modelwork.provider.lightgbm.LightGbmModel lg) lg.setClassNames(labels.classes());
        return m;
    }

    // ------------------------------------------------------------------ 8 tune

    static final Set<String> MAXIMIZE = Set.of("r2", "accuracy", "roc_auc", "pr_auc", "f1", "mrr");

    static boolean maximize(String metric) {
        return MAXIMIZE.contains(metric) || metric.startsWith("ndcg@") || metric.startsWith("map@");
    }

    private SearchSpace defaultSpace() {
        if (spec.algorithm().equals("xgboost"))
            return SearchSpace.parse("max_depth=3|4|6|8 eta=log:0.02..0.3 min_child_weight=log:0.5..10 subsample=0.6..1.0 colsample_bytree=0.6..1.0");
        return SearchSpace.parse("num_leaves=int:8..64 learning_rate=log:0.02..0.2 min_data_in_leaf=int:5..50 feature_fraction=0.6..1.0 lambda_l2=log:0.001..10");
    }

    @Override
    public StepReport tune(Args a) {
        if (valid == null)
            throw new ModelworkException("tune needs a validation set", "tune", "split with a validation ratio > 0");
        SearchSpace space = a.has("space") ? (a.get("space") instanceof Map<?, ?> mp ? SearchSpace.parse(castMap(mp))
                : SearchSpace.parse(a.getString("space", ""))) : defaultSpace();
        String metric = a.getString("metric", switch (dataset.task()) {
            case REGRESSION -> "rmse";
            case RANKING -> "ndcg@3";
            default -> "log_loss";
        });
        Direction dir = maximize(metric) ? Direction.MAXIMIZE : Direction.MINIMIZE;
        int threads = a.getInt("threads", ctx().threads());
        int maxBudget = a.getInt("max_budget", fitRounds);
        String strategy = a.getString("strategy", "tpe");
        TunerConfig.Builder b = TunerConfig.builder(strategy).maxTrials(a.getInt("trials", 20)).threads(threads)
                .seed(ctx().seedFor("tune")).metric(metric, dir).maxBudget(maxBudget).batchSize(Math.max(1, threads));
        if (a.has("min_budget")) b.minBudget(a.getInt("min_budget", 1));
        if (a.has("eta")) b.eta(a.getInt("eta", 3));
        TunerConfig cfg = b.build();
        Map<String, Object> base = new LinkedHashMap<>(model.params());
        int engineThreads = Math.max(1, ctx().threads() / Math.max(1, threads));
        boolean asha = strategy.equalsIgnoreCase("asha");
        Objective objective = (params, budget, seed) -> {
            Map<String, Object> p = new LinkedHashMap<>(base);
            p.putAll(params);
            try (TabularModel m = freshModel(p)) {
                m.fit(train, valid, new TabularModel.FitConfig(asha ? budget : fitRounds, asha ? 0 : fitEarly, seed,
                        engineThreads, ctx().device()), (it, tot, mm, bst) -> {
                    if (Thread.currentThread().isInterrupted()) throw new ModelworkException("tune interrupted", "tune", "");
                });
                Double v = metrics(valid, m.predict(valid)).get(metric);
                if (v == null) throw new ModelworkException("Unknown tuning metric '" + metric + "'", "tune metric",
                        "use one of " + metrics(valid, m.predict(valid)).keySet());
                return v;
            }
        };
        Progress progress = session.progress();
        int[] count = {0};
        TuningReport tr = Tuner.run(space, objective, cfg, (t, finished, planned) -> progress.update("tune", finished,
                planned, "trial " + t.id() + ": " + metric + "=" + t.value()));
        double defaultScore = metrics(valid, predict(valid)).get(metric);
        double bestScore = tr.bestValue();
        boolean better = dir == Direction.MAXIMIZE ? bestScore > defaultScore : bestScore < defaultScore;
        StepReport r = new StepReport("tune", "Tuning (" + strategy + ", " + tr.trials().size() + " trials)");
        r.body().set("tuning_report", Json.MAPPER.valueToTree(tr));
        r.body().set("best_config", Json.MAPPER.valueToTree(tr.bestParams()));
        r.body().put("metric", metric);
        r.body().put("default_validation_score", defaultScore);
        r.body().put("best_validation_score", bestScore);
        boolean apply = a.getBool("apply", true);
        r.body().put("applied", apply && better);
        if (apply && better) {
            Map<String, Object> p = new LinkedHashMap<>(base);
            p.putAll(tr.bestParams());
            model.setParams(p);
            TabularModel.FitResult res = model.fit(train, valid, new TabularModel.FitConfig(fitRounds, fitEarly,
                    ctx().seedFor("fit"), ctx().threads(), ctx().device(), fitTrainEvery), (it, tot, mm, bst) -> progress.update("tune", it + 1, tot, "refit " + mm));
            fitResult = res;
            double after = metrics(valid, predict(valid)).get(metric);
            r.body().put("refit_validation_score", after);
            r.note("best config applied and the model refitted: validation " + metric + " " + fmt(defaultScore) + " → " + fmt(after));
        } else if (!better) r.note("no trial beat the current model on validation " + metric + " (" + fmt(defaultScore) + "); the model is kept");
        Table t = Table.create("Trials");
        IntColumn id = IntColumn.create("trial");
        StringColumn ps = StringColumn.create("params"), st = StringColumn.create("status");
        DoubleColumn val = DoubleColumn.create(metric), secs = DoubleColumn.create("seconds");
        IntColumn budget = IntColumn.create("budget");
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
        r.table(kv("Best configuration (validation " + metric + " " + fmt(bestScore) + ", default " + fmt(defaultScore) + ")", tr.bestParams()));
        r.table(t);
        double[] xa = xs.stream().mapToDouble(Double::doubleValue).toArray();
        r.chart(Chart.line("tuning_history", "Tuning history", "trial", metric, List.of(
                Chart.Series.markers("trial", xa, ys.stream().mapToDouble(Double::doubleValue).toArray()),
                Chart.Series.line("best so far", xa, best.stream().mapToDouble(Double::doubleValue).toArray()))));
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Map<?, ?> m) { return (Map<String, Object>) m; }

    // ------------------------------------------------------------------ 9 backtest

    @Override
    public StepReport backtest(Args a) {
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
        int rounds = fitResult.bestIteration() + 1;
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
            Preprocessor fp = Preprocessor.fit(prepOptions, dataset, trows);
            Matrix tr = fp.transform(dataset, dataset.table(), trows, labels), te = fp.transform(dataset, dataset.table(), erows, labels);
            double metric;
            try (TabularModel m = freshModel(model.params())) {
                m.fit(tr, null, new TabularModel.FitConfig(rounds, 0, ctx().seedFor("backtest" + k), ctx().threads(), ctx().device()),
                        (it, tot, mm, b) -> { });
                Map<String, Double> met;
                try {
                    met = metrics(te, m.predict(te));
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
            session.progress().update("backtest", k + 1, windows, metricName + "=" + fmt(metric));
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

    // ------------------------------------------------------------------ 10 calibrate

    @Override
    public StepReport calibrate(Args a) {
        if (valid == null) throw new ModelworkException("calibrate needs a validation set", "calibrate", "split with a validation ratio > 0");
        StepReport r = new StepReport("calibrate", "Calibration");
        calibration = Json.object();
        if (dataset.task() == Dataset.Task.RANKING) {
            calibrateRankingCutoff(r, a);
        } else if (dataset.task() == Dataset.Task.REGRESSION) {
            double alpha = a.getDouble("alpha", 0.1);
            double[] pv = col0(model.predict(valid));
            double q = Calibrators.conformalHalfWidth(valid.y(), pv, alpha);
            calibration.put("method", "split_conformal");
            calibration.put("alpha", alpha);
            calibration.put("half_width", q);
            r.body().put("interval_half_width", q);
            if (test != null) {
                double[] pt = col0(model.predict(test));
                int in = 0;
                for (int i = 0; i < pt.length; i++) if (Math.abs(test.y()[i] - pt[i]) <= q) in++;
                double cov = (double) in / pt.length;
                calibration.put("test_coverage", cov);
                r.body().put("test_coverage", cov);
                Integer[] ord = new Integer[pt.length];
                for (int i = 0; i < ord.length; i++) ord[i] = i;
                Arrays.sort(ord, Comparator.comparingDouble(i -> pt[i]));
                double[] xs = new double[pt.length], yl = new double[pt.length], yh = new double[pt.length], yt = new double[pt.length], yp = new double[pt.length];
                for (int j = 0; j < ord.length; j++) { xs[j] = j; yp[j] = pt[ord[j]]; yl[j] = yp[j] - q; yh[j] = yp[j] + q; yt[j] = test.y()[ord[j]]; }
                r.chart(Chart.line("intervals", String.format(Locale.ROOT, "Conformal %.0f%% intervals (test coverage %.3f)", 100 * (1 - alpha), cov),
                        "test rows sorted by prediction", "target", List.of(Chart.Series.markers("actual", xs, yt),
                                Chart.Series.line("prediction", xs, yp), Chart.Series.dashed("lower", xs, yl), Chart.Series.dashed("upper", xs, yh))));
            }
            r.table(kv("Prediction intervals (split conformal)", jsonMap(calibration)));
        } else if (labels.numClasses() == 2) {
            String method = a.getString("method", "platt");
            int[] yv = valid.intLabels();
            double[][] rawV = model.predict(valid);
            double[] sv = new double[rawV.length];
            for (int i = 0; i < sv.length; i++) sv[i] = rawV[i][1];
            probabilityCalibrator = switch (method) {
                case "platt" -> Calibrators.platt(sv, yv);
                case "isotonic" -> Calibrators.isotonic(sv, yv);
                case "none" -> null;
                default -> throw new ModelworkException("Unknown calibration method '" + method + "'", "calibrate method",
                        "use platt, isotonic or none");
            };
            calibration.set("probability", probabilityCalibrator == null ? Json.object().put("method", "none") : probabilityCalibrator.toJson());
            double[][] pv = predict(valid);
            double[] cs = new double[pv.length];
            for (int i = 0; i < cs.length; i++) cs[i] = pv[i][1];
            Curve roc = ClassificationMetrics.rocCurve(yv, cs);
            double thr;
            String objective;
            if (a.has("target_fpr")) {
                double target = a.getDouble("target_fpr", 0.01);
                objective = "max TPR with FPR <= " + target;
                thr = Double.NaN;
                double bestTpr = -1;
                for (int i = 0; i < roc.x().length; i++)
                    if (roc.x()[i] <= target + 1e-12 && roc.y()[i] > bestTpr && i < roc.thresholds().length) {
                        bestTpr = roc.y()[i]; thr = roc.thresholds()[i];
                    }
                if (Double.isNaN(thr) || thr > 1) thr = Math.nextUp(Arrays.stream(cs).max().orElse(1));
                calibration.put("target_fpr", target);
            } else {
                objective = "max F1";
                Curve prc = ClassificationMetrics.prCurve(yv, cs);
                double bestF = -1;
                thr = 0.5;
                for (int i = 0; i < prc.thresholds().length; i++) {
                    double p = prc.y()[i], rc = prc.x()[i];
                    double f = p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
                    if (f > bestF) { bestF = f; thr = prc.thresholds()[i]; }
                }
            }
            // predictAtThreshold uses p > t: step just below the chosen score so that it is included
            threshold = Math.nextDown(thr);
            calibration.put("threshold", threshold);
            calibration.put("objective", objective);
            calibration.put("positive_class", labels.classes().get(1));
            Map<String, Object> op = new LinkedHashMap<>();
            for (String set : List.of("validation", "test")) {
                Matrix m = matrix(set);
                if (m == null) continue;
                double[][] p = predict(m);
                int[] y = m.intLabels();
                int[] pred = ClassificationMetrics.predictAtThreshold(p, threshold);
                long tp = 0, fp = 0, tn = 0, fn = 0;
                for (int i = 0; i < y.length; i++) {
                    if (pred[i] == 1 && y[i] == 1) tp++; else if (pred[i] == 1) fp++; else if (y[i] == 1) fn++; else tn++;
                }
                ObjectNode o = calibration.putObject("operating_point_" + set);
                o.put("tpr", tp / (double) Math.max(1, tp + fn)).put("fpr", fp / (double) Math.max(1, fp + tn))
                        .put("precision", tp / (double) Math.max(1, tp + fp));
                op.put(set + " TPR / FPR / precision", fmt(o.get("tpr").asDouble()) + " / " + fmt(o.get("fpr").asDouble()) + " / " + fmt(o.get("precision").asDouble()));
            }
            if (test != null) {
                int[] yt = test.intLabels();
                double[][] before = model.predict(test), after = predict(test);
                double[] sb = new double[yt.length], sa = new double[yt.length];
                for (int i = 0; i < yt.length; i++) { sb[i] = before[i][1]; sa[i] = after[i][1]; }
                Curve cb = ClassificationMetrics.calibrationCurve(yt, sb, 10), ca = ClassificationMetrics.calibrationCurve(yt, sa, 10);
                r.chart(Chart.line("reliability", "Reliability before/after " + method + " (test)", "mean predicted probability",
                        "fraction of positives", List.of(Chart.Series.line("before", cb.x(), cb.y()), Chart.Series.line("after", ca.x(), ca.y()),
                                Chart.Series.dashed("perfect", new double[]{0, 1}, new double[]{0, 1}))));
                ObjectNode ba = calibration.putObject("test_before_after");
                ba.put("brier_before", ClassificationMetrics.brier(yt, before)).put("brier_after", ClassificationMetrics.brier(yt, after))
                        .put("log_loss_before", ClassificationMetrics.logLoss(yt, before)).put("log_loss_after", ClassificationMetrics.logLoss(yt, after));
                op.put("test Brier before → after", fmt(ba.get("brier_before").asDouble()) + " → " + fmt(ba.get("brier_after").asDouble()));
                op.put("test log-loss before → after", fmt(ba.get("log_loss_before").asDouble()) + " → " + fmt(ba.get("log_loss_after").asDouble()));
            }
            double[] vx = roc.x(), vy = roc.y();
            int ti = 0;
            for (int i = 0; i < roc.thresholds().length; i++) if (roc.thresholds()[i] >= thr) ti = i;
            r.chart(Chart.line("roc_threshold", "Validation ROC with the chosen threshold " + fmt(threshold), "false positive rate",
                    "true positive rate", List.of(Chart.Series.line("ROC", vx, vy),
                            Chart.Series.markers("threshold", new double[]{vx[ti]}, new double[]{vy[ti]}))));
            Map<String, Object> head = new LinkedHashMap<>();
            head.put("objective", objective);
            head.put("threshold", fmt(threshold));
            head.put("probability calibration", method);
            head.putAll(op);
            r.table(kv("Operating point", head));
        } else {
            int[] yv = valid.intLabels();
            temperature = Calibrators.temperature(model.predict(valid), yv);
            calibration.put("method", "temperature");
            calibration.put("temperature", temperature);
            calibration.put("decision", "argmax");
            if (test != null) {
                int[] yt = test.intLabels();
                calibration.put("test_log_loss_before", ClassificationMetrics.logLoss(yt, model.predict(test)));
                calibration.put("test_log_loss_after", ClassificationMetrics.logLoss(yt, predict(test)));
            }
            r.table(kv("Temperature scaling (multiclass)", jsonMap(calibration)));
        }
        Path file = ctx().runDir().resolve("artifacts").resolve("thresholds.json");
        AtomicFiles.writeString(file, Json.write(calibration));
        r.body().set("calibration", calibration.deepCopy());
        r.body().put("thresholds_file", file.toString());
        return r;
    }

    /** cutoff@K: the score above which a document is selected, so that on validation each query selects about K. */
    private void calibrateRankingCutoff(StepReport r, Args a) {
        int k = a.getInt("k", 3);
        double[] sv = col0(model.predict(valid));
        List<int[]> groups = io.modelwork.metrics.RankingMetrics.groups(valid.groups());
        double[] kth = new double[groups.size()];
        for (int q = 0; q < kth.length; q++) {
            double[] s = Arrays.stream(groups.get(q)).mapToDouble(i -> sv[i]).sorted().toArray();
            kth[q] = s[Math.max(0, s.length - k)];
        }
        Arrays.sort(kth);
        double cutoff = io.modelwork.data.Attach.quantile(kth, 0.5);
        calibration.put("method", "cutoff_at_k");
        calibration.put("k", k);
        calibration.put("cutoff", cutoff);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("K", k);
        row.put("score cutoff", fmt(cutoff));
        for (String set : List.of("validation", "test")) {
            Matrix m = matrix(set);
            if (m == null) continue;
            double[] sc = col0(model.predict(m));
            int selected = 0, relevant = 0;
            for (int i = 0; i < sc.length; i++) if (sc[i] > cutoff) { selected++; if (m.y()[i] > 0) relevant++; }
            int nq = io.modelwork.metrics.RankingMetrics.groups(m.groups()).size();
            ObjectNode o = calibration.putObject("selection_" + set);
            o.put("documents_per_query", (double) selected / nq).put("precision", selected == 0 ? 0 : (double) relevant / selected);
            row.put(set + ": selected per query / precision", fmt(o.get("documents_per_query").asDouble()) + " / " + fmt(o.get("precision").asDouble()));
        }
        r.table(kv("Score cutoff for top-" + k + " selection", row));
    }

    static Map<String, Object> jsonMap(ObjectNode o) {
        Map<String, Object> m = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNumber() ? fmt(e.getValue().asDouble()) : e.getValue().toString()));
        return m;
    }

    // ------------------------------------------------------------------ 12 export, 13 register, 14 artifacts

    @Override
    public StepReport export(Args a) {
        Path target = a.has("target") ? Path.of(a.getString("target", null)) : ctx().runDir().resolve("export");
        return TabularExport.export(this, target.toAbsolutePath().normalize(), a.getList("formats"));
    }

    void exported(Path dir) { this.exportDir = dir; }

    Path exportDir() { return exportDir; }

    Session session() { return session; }

    ModelSpec spec() { return spec; }

    TabularModel.FitResult fitResult() { return fitResult; }

    ObjectNode calibrationJson() { return calibration; }

    double threshold() { return threshold; }

    @Override
    public StepReport register(Args a) {
        StepReport r = TabularExport.register(this, a);
        registered = (ObjectNode) r.body().get("model_version");
        return r;
    }

    @Override
    public StepReport artifacts(Args a) { return TabularExport.artifacts(this, registered); }

    // ------------------------------------------------------------------ checkpoints

    @Override
    public void saveState(Path dir) {
        try {
            ObjectNode s = Json.object();
            s.set("attach_args", Json.MAPPER.valueToTree(attachArgs == null ? Map.of() : attachArgs.asMap()));
            s.put("fingerprint", dataset == null ? "" : dataset.fingerprint());
            if (prepOptions != null) s.set("prep_options", prepOptions.toJson());
            if (plan != null) {
                ObjectNode p = s.putObject("plan");
                p.put("strategy", plan.strategy().name());
                p.set("train", Json.MAPPER.valueToTree(plan.train()));
                p.set("validation", Json.MAPPER.valueToTree(plan.validation()));
                p.set("test", Json.MAPPER.valueToTree(plan.test()));
                p.put("external_test", plan.externalTest());
                p.set("folds", Json.MAPPER.valueToTree(plan.folds()));
                if (plan.orderColumn() != null) p.put("order_column", plan.orderColumn());
                s.set("preprocessor", prep.toJson());
            }
            if (spec != null) {
                s.put("spec", spec.toString());
                s.set("build_args", Json.MAPPER.valueToTree(buildArgs.asMap()));
                s.set("params", Json.MAPPER.valueToTree(model.params()));
            }
            s.put("fit_rounds", fitRounds);
            s.put("fit_early", fitEarly);
            s.put("fit_train_metric_every", fitTrainEvery);
            if (fitResult != null) {
                s.set("fit_result", Json.MAPPER.valueToTree(fitResult));
                Files.write(dir.resolve("model." + model.nativeExtension()), model.saveNative());
            }
            if (calibration != null) s.set("calibration", calibration);
            s.put("threshold", threshold);
            s.put("temperature", temperature);
            if (probabilityCalibrator != null) s.set("probability_calibrator_data", calibration.get("probability"));
            if (exportDir != null) s.put("export_dir", exportDir.toString());
            Files.writeString(dir.resolve("tabular.json"), Json.write(s));
        } catch (IOException e) {
            throw new ModelworkException("Cannot write the workflow state: " + e.getMessage(), dir.toString(), "check disk space");
        }
    }

    @Override
    public void restoreState(Path dir) {
        JsonNode s;
        try {
            s = Json.MAPPER.readTree(dir.resolve("tabular.json").toFile());
        } catch (IOException e) {
            throw new ModelworkException("The checkpoint's tabular.json is unreadable", dir.toString(), "resume from another checkpoint");
        }
        @SuppressWarnings("unchecked") Map<String, Object> aa = Json.MAPPER.convertValue(s.get("attach_args"), Map.class);
        attach(Args.from(aa));
        if (!dataset.fingerprint().equals(s.get("fingerprint").asText()))
            throw new ModelworkException("The data changed since the checkpoint (fingerprint " + dataset.fingerprint().substring(0, 12)
                    + "… ≠ " + s.get("fingerprint").asText().substring(0, 12) + "…)", dataset.ref(),
                    "restore the original data file, or start a new session on the new data");
        if (s.has("prep_options")) {
            @SuppressWarnings("unchecked") Map<String, Object> po = Json.MAPPER.convertValue(s.get("prep_options"), Map.class);
            prepOptions = Preprocessor.Options.from(Args.from(po));
        }
        if (s.has("plan")) {
            JsonNode p = s.get("plan");
            List<int[]> folds = new ArrayList<>();
            p.get("folds").forEach(f -> folds.add(Json.MAPPER.convertValue(f, int[].class)));
            plan = new Splitter.Plan(Splitter.Strategy.valueOf(p.get("strategy").asText()),
                    Json.MAPPER.convertValue(p.get("train"), int[].class), Json.MAPPER.convertValue(p.get("validation"), int[].class),
                    Json.MAPPER.convertValue(p.get("test"), int[].class), p.get("external_test").asBoolean(), folds,
                    p.has("order_column") ? p.get("order_column").asText() : null);
            prep = Preprocessor.fromJson(s.get("preprocessor"));
            labels = LabelEncoder.fit(dataset);
            train = prep.transform(dataset, dataset.table(), plan.train(), labels);
            valid = plan.validation().length == 0 ? null : prep.transform(dataset, dataset.table(), plan.validation(), labels);
            if (plan.externalTest()) test = prep.transform(dataset, dataset.testTable(), allRows(dataset.testTable().rowCount()), labels);
            else test = plan.test().length == 0 ? null : prep.transform(dataset, dataset.table(), plan.test(), labels);
        }
        fitRounds = s.path("fit_rounds").asInt(1000);
        fitEarly = s.path("fit_early").asInt(50);
        fitTrainEvery = s.path("fit_train_metric_every").asInt(TabularModel.FitConfig.DEFAULT_TRAIN_METRIC_EVERY);
        if (s.has("spec")) {
            spec = ModelSpec.parse(s.get("spec").asText());
            @SuppressWarnings("unchecked") Map<String, Object> ba = Json.MAPPER.convertValue(s.get("build_args"), Map.class);
            buildArgs = Args.from(ba);
            @SuppressWarnings("unchecked") Map<String, Object> params = Json.MAPPER.convertValue(s.get("params"), Map.class);
            model = freshModel(params);
            if (s.has("fit_result")) {
                fitResult = Json.MAPPER.convertValue(s.get("fit_result"), TabularModel.FitResult.class);
                try {
                    model.loadNative(Files.readAllBytes(dir.resolve("model." + model.nativeExtension())));
                } catch (IOException e) {
                    throw new ModelworkException("The checkpoint's model file is missing", dir.toString(), "resume from another checkpoint");
                }
            }
        }
        if (s.has("calibration")) calibration = (ObjectNode) s.get("calibration");
        threshold = s.path("threshold").asDouble(0.5);
        temperature = s.path("temperature").asDouble(1);
        if (calibration != null && calibration.has("probability")) {
            JsonNode pc = calibration.get("probability");
            probabilityCalibrator = restoreCalibrator(pc);
        }
        if (s.has("export_dir")) exportDir = Path.of(s.get("export_dir").asText());
    }

    static Calibrators.Binary restoreCalibrator(JsonNode pc) {
        String m = pc.path("method").asText("none");
        if (m.equals("platt")) {
            double a = pc.get("a").asDouble(), b = pc.get("b").asDouble();
            return new Calibrators.Binary() {
                @Override public double apply(double p) { return 1 / (1 + Math.exp(a * Calibrators.logit(p) + b)); }
                @Override public ObjectNode toJson() { return (ObjectNode) pc; }
            };
        }
        if (m.equals("isotonic")) {
            double[] x = Json.MAPPER.convertValue(pc.get("x"), double[].class), y = Json.MAPPER.convertValue(pc.get("y"), double[].class);
            int[] yy = new int[0];
            return new Calibrators.Binary() {
                @Override public double apply(double q) {
                    if (q <= x[0]) return y[0];
                    if (q >= x[x.length - 1]) return y[y.length - 1];
                    int pos = Arrays.binarySearch(x, q);
                    if (pos >= 0) return y[pos];
                    int hi = -pos - 1, lo = hi - 1;
                    return y[lo] + (q - x[lo]) / (x[hi] - x[lo]) * (y[hi] - y[lo]);
                }
                @Override public ObjectNode toJson() { return (ObjectNode) pc; }
            };
        }
        return null;
    }

    @Override
    public void close() {
        if (model != null) model.close();
        model = null;
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
