package io.modelwork.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.RunContext;
import io.modelwork.data.Attach;
import io.modelwork.data.Dataset;
import io.modelwork.metrics.ClassificationMetrics;
import io.modelwork.metrics.RankingMetrics;
import io.modelwork.metrics.RegressionMetrics;
import io.modelwork.registry.RegisterStep;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;
import io.modelwork.spi.StepContext;
import io.modelwork.tabular.engine.ModelSpec;
import io.modelwork.tabular.engine.Providers;
import io.modelwork.tabular.engine.TaskProvider;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * What the tabular steps read and write in one session, grouped by the step that sets it: the attached
 * {@link Dataset}, the preprocessing options, the {@link Prepared} split (plan, frozen preprocessor, label encoder,
 * matrices), the {@link Fitted} model, the {@link Decision} of calibrate (probability calibrator, temperature,
 * threshold) and the export bundle. Also the predictions and metrics every step shares, and the checkpoint form
 * ({@code state/tabular.json} and {@code state/model.<ext>}).
 */
public final class TabularState implements CategoryState, Exportable {

    /** What split produced: the plan, the preprocessor fitted on the training rows (frozen), labels and matrices. */
    public record Prepared(Splitter.Plan plan, Preprocessor prep, LabelEncoder labels, Matrix train, Matrix valid, Matrix test) {}

    /** How fit was asked to train (reused by tune's trials and refit). */
    public record FitSettings(int rounds, int earlyStopping, int trainMetricEvery) {
        static final FitSettings DEFAULT = new FitSettings(1000, 50, TabularModel.FitConfig.DEFAULT_TRAIN_METRIC_EVERY);
    }

    /** The built (and, once {@code result} is set, fitted) model. */
    public record Fitted(ModelSpec spec, Args buildArgs, TabularModel model, TabularModel.FitResult result) {}

    /** What calibrate decided: its JSON (thresholds.json), the probability calibrator, temperature and threshold. */
    public record Decision(ObjectNode json, Calibrators.Binary calibrator, double temperature, double threshold) {
        static final Decision NONE = new Decision(null, null, 1, 0.5);
    }

    final StepContext ctx;
    Args attachArgs;
    Dataset dataset;
    Preprocessor.Options prepOptions;
    Prepared prepared;
    FitSettings fitSettings = FitSettings.DEFAULT;
    Fitted fitted;
    Decision decision = Decision.NONE;
    Path exportDir;
    /** The metrics written into the export bundle (those of the model it contains), for register's tags. */
    ObjectNode exportedMetrics;

    TabularState(StepContext ctx) { this.ctx = ctx; }

    RunContext run() { return ctx.run(); }

    // ---------------------------------------------------------------- what tests, notebooks and benches read

    public Dataset dataset() { return dataset; }
    public TabularModel model() { return fitted == null ? null : fitted.model(); }
    public Preprocessor preprocessor() { return prepared == null ? null : prepared.prep(); }
    public LabelEncoder labels() { return prepared == null ? null : prepared.labels(); }
    public Splitter.Plan plan() { return prepared == null ? null : prepared.plan(); }
    public ModelSpec spec() { return fitted == null ? null : fitted.spec(); }
    public TabularModel.FitResult fitResult() { return fitted == null ? null : fitted.result(); }
    public double threshold() { return decision.threshold(); }

    public Matrix matrix(String set) {
        return switch (set) {
            case "train" -> prepared.train();
            case "validation" -> prepared.valid();
            case "test" -> prepared.test();
            default -> throw new ModelworkException("Unknown set '" + set + "'", "set", "use train, validation or test");
        };
    }

    Matrix valid() { return prepared.valid(); }
    Matrix test() { return prepared.test(); }
    Matrix train() { return prepared.train(); }
    Dataset.Task task() { return dataset.task(); }

    /** A spec of this dataset's task for messages. */
    String specHint() { return task() == Dataset.Task.REGRESSION ? "regression.xgboost" : task().name().toLowerCase(Locale.ROOT) + ".lightgbm"; }

    // ---------------------------------------------------------------- shared by the steps

    /** The split: fits the preprocessor on the training rows, freezes it, and materialises the matrices. */
    void prepare(Splitter.Plan plan, Preprocessor prep) {
        LabelEncoder labels = LabelEncoder.fit(dataset);
        Matrix train = prep.transform(dataset, dataset.table(), plan.train(), labels);
        Matrix valid = plan.validation().length == 0 ? null : prep.transform(dataset, dataset.table(), plan.validation(), labels);
        Matrix test;
        if (plan.externalTest()) test = prep.transform(dataset, dataset.testTable(), allRows(dataset.testTable().rowCount()), labels);
        else test = plan.test().length == 0 ? null : prep.transform(dataset, dataset.table(), plan.test(), labels);
        prepared = new Prepared(plan, prep, labels, train, valid, test);
    }

    /** Predictions after calibration (probabilities) for classification, raw for regression and ranking. */
    double[][] predict(Matrix m) { return predict(fitted.model(), decision, m); }

    double[][] predict(TabularModel model, Decision d, Matrix m) {
        double[][] p = model.predict(m);
        if (dataset.task() == Dataset.Task.CLASSIFICATION) {
            if (d.calibrator() != null)
                for (double[] row : p) { double q = d.calibrator().apply(row[1]); row[0] = 1 - q; row[1] = q; }
            else if (d.temperature() != 1)
                for (int i = 0; i < p.length; i++) p[i] = Calibrators.applyTemperature(p[i], d.temperature());
        }
        return p;
    }

    /** The field's metrics of predictions {@code p} on {@code m} (accuracy and F1 at the calibrated threshold). */
    Map<String, Double> metrics(Matrix m, double[][] p) {
        if (dataset.task() == Dataset.Task.RANKING) return RankingMetrics.all(m.groups(), m.y(), col0(p));
        if (dataset.task() == Dataset.Task.REGRESSION) return RegressionMetrics.all(m.y(), col0(p));
        int[] y = m.intLabels();
        Map<String, Double> out = new LinkedHashMap<>(ClassificationMetrics.all(y, p));
        double threshold = decision.threshold();
        if (labels().numClasses() == 2 && threshold != 0.5) {
            int[] pred = ClassificationMetrics.predictAtThreshold(p, threshold);
            out.put("accuracy", ClassificationMetrics.accuracy(y, pred));
            out.put("f1", ClassificationMetrics.f1(y, pred, 2));
        }
        return out;
    }

    int[] predictedClasses(double[][] p) {
        return labels().numClasses() == 2 ? ClassificationMetrics.predictAtThreshold(p, decision.threshold()) : ClassificationMetrics.argmax(p);
    }

    /** A new model of the current spec with {@code params} (for cross-validation, backtest windows, tune trials). */
    TabularModel freshModel(Map<String, Object> params) { return buildModel(fitted.spec(), Args.from(params)); }

    TabularModel buildModel(ModelSpec spec, Args params) {
        TaskProvider p = Providers.forSpec(spec);
        TabularModel m = (TabularModel) p.build(spec, params, new TaskProvider.BuildContext(run().device(), run().seed(),
                run().threads(), labels().numClasses(), preprocessor().outputNames().size()));
        m.setClassNames(labels().classes());
        return m;
    }

    /** Replaces the model (closing the old one); the previous calibration no longer applies. */
    void replaceModel(TabularModel model, TabularModel.FitResult result) {
        if (fitted != null && fitted.model() != model && fitted.model() != null) fitted.model().close();
        fitted = new Fitted(fitted.spec(), fitted.buildArgs(), model, result);
        decision = Decision.NONE;
    }

    // ---------------------------------------------------------------- Exportable

    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() { return RegisterStep.stem(dataset.ref()) + "-" + spec().algorithm(); }

    /** Spec, data fingerprint, and the test metrics written into the bundle (those of the model it contains). */
    @Override public Map<String, String> registerTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("spec", spec().toString());
        tags.put("data_fingerprint", dataset.fingerprint());
        if (exportedMetrics != null)
            exportedMetrics.path("metrics").path("test").fields().forEachRemaining(e -> {
                if (e.getValue().isNumber()) tags.put("test_" + e.getKey(), String.valueOf(e.getValue().asDouble()));
            });
        return tags;
    }

    @Override public Map<String, Object> artifacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        Path e = exportDir;
        if (e != null) {
            m.put("model", e.resolve("model." + model().nativeExtension()));
            m.put("model_onnx", e.resolve("model.onnx"));
            m.put("preprocessor", e.resolve("preprocessor.json"));
            m.put("label_map", e.resolve("label_map.json"));
            m.put("metrics.json", e.resolve("metrics.json"));
            m.put("thresholds.json", e.resolve("thresholds.json"));
            m.put("signature.json", e.resolve("signature.json"));
            m.put("training_log", e.resolve("training_log.jsonl"));
            m.put("requirements", e.resolve("requirements.txt"));
            m.put("data_fingerprint", e.resolve("data_fingerprint.txt"));
            m.put("artifact_manifest", e.resolve("artifact_manifest.json"));
        } else {
            Path t = run().runDir().resolve("artifacts/thresholds.json");
            if (Files.exists(t)) m.put("thresholds.json", t);
        }
        m.put("best_checkpoint", run().runDir().resolve("checkpoints/fit-best"));
        m.put("reports", run().runDir().resolve("reports"));
        return m;
    }

    // ---------------------------------------------------------------- checkpoints

    @Override public void save(StateWriter out) throws IOException {
        save(out, fitResult(), fitResult() == null ? null : model().saveNative());
    }

    /**
     * The state with the best iteration of a fit still running ({@code nativeModel}, reached at {@code iteration}):
     * what {@link io.modelwork.shared.BestCheckpoint} writes as {@code fit-best}, resumable like any checkpoint.
     */
    void saveBest(StateWriter out, byte[] nativeModel, int iteration, String metric, double value) throws IOException {
        TabularModel.FitResult partial = new TabularModel.FitResult(metric, List.of(), iteration,
                Double.isFinite(value) ? value : 0, 0, run().device(),
                List.of("best iteration " + iteration + " of a fit that had not finished when this checkpoint was written"));
        save(out, partial, nativeModel);
    }

    private void save(StateWriter out, TabularModel.FitResult result, byte[] modelBytes) throws IOException {
        ObjectNode s = Json.object();
        s.set("attach_args", Json.MAPPER.valueToTree(attachArgs == null ? Map.of() : attachArgs.asMap()));
        s.put("fingerprint", dataset == null ? "" : dataset.fingerprint());
        if (prepOptions != null) s.set("prep_options", prepOptions.toJson());
        if (prepared != null) {
            Splitter.Plan plan = prepared.plan();
            ObjectNode p = s.putObject("plan");
            p.put("strategy", plan.strategy().name());
            p.set("train", Json.MAPPER.valueToTree(plan.train()));
            p.set("validation", Json.MAPPER.valueToTree(plan.validation()));
            p.set("test", Json.MAPPER.valueToTree(plan.test()));
            p.put("external_test", plan.externalTest());
            p.set("folds", Json.MAPPER.valueToTree(plan.folds()));
            if (plan.orderColumn() != null) p.put("order_column", plan.orderColumn());
            s.set("preprocessor", prepared.prep().toJson());
        }
        if (fitted != null) {
            s.put("spec", fitted.spec().toString());
            s.set("build_args", Json.MAPPER.valueToTree(fitted.buildArgs().asMap()));
            s.set("params", Json.MAPPER.valueToTree(fitted.model().params()));
        }
        s.put("fit_rounds", fitSettings.rounds());
        s.put("fit_early", fitSettings.earlyStopping());
        s.put("fit_train_metric_every", fitSettings.trainMetricEvery());
        if (result != null) {
            s.set("fit_result", Json.MAPPER.valueToTree(result));
            out.bytes("model." + model().nativeExtension(), modelBytes);
        }
        if (decision.json() != null) s.set("calibration", decision.json());
        s.put("threshold", decision.threshold());
        s.put("temperature", decision.temperature());
        if (exportDir != null) s.put("export_dir", exportDir.toString());
        if (exportedMetrics != null) s.set("exported_metrics", exportedMetrics);
        out.json("tabular.json", s);
    }

    @Override public void restore(StateReader in) throws IOException {
        JsonNode s = in.json("tabular.json");
        @SuppressWarnings("unchecked") Map<String, Object> aa = Json.MAPPER.convertValue(in.require(s, "attach_args", "tabular.json"), Map.class);
        attachArgs = Args.from(aa);
        dataset = Attach.attach(attachArgs, null).dataset();
        String fp = in.require(s, "fingerprint", "tabular.json").asText();
        if (!dataset.fingerprint().equals(fp))
            throw new ModelworkException("The data changed since the checkpoint (fingerprint " + dataset.fingerprint().substring(0, 12)
                    + "… ≠ " + fp.substring(0, Math.min(12, fp.length())) + "…)", dataset.ref(),
                    "restore the original data file, or start a new session on the new data");
        if (s.has("prep_options")) {
            @SuppressWarnings("unchecked") Map<String, Object> po = Json.MAPPER.convertValue(s.get("prep_options"), Map.class);
            prepOptions = Preprocessor.Options.from(Args.from(po));
        }
        if (s.has("plan")) {
            JsonNode p = s.get("plan");
            List<int[]> folds = new ArrayList<>();
            p.get("folds").forEach(f -> folds.add(Json.MAPPER.convertValue(f, int[].class)));
            Splitter.Plan plan = new Splitter.Plan(Splitter.Strategy.valueOf(p.get("strategy").asText()),
                    Json.MAPPER.convertValue(p.get("train"), int[].class), Json.MAPPER.convertValue(p.get("validation"), int[].class),
                    Json.MAPPER.convertValue(p.get("test"), int[].class), p.get("external_test").asBoolean(), folds,
                    p.has("order_column") ? p.get("order_column").asText() : null);
            prepare(plan, Preprocessor.fromJson(in.require(s, "preprocessor", "tabular.json")));
        }
        fitSettings = new FitSettings(s.path("fit_rounds").asInt(1000), s.path("fit_early").asInt(50),
                s.path("fit_train_metric_every").asInt(TabularModel.FitConfig.DEFAULT_TRAIN_METRIC_EVERY));
        if (s.has("spec")) {
            ModelSpec spec = ModelSpec.parse(s.get("spec").asText());
            @SuppressWarnings("unchecked") Map<String, Object> ba = Json.MAPPER.convertValue(s.get("build_args"), Map.class);
            @SuppressWarnings("unchecked") Map<String, Object> params = Json.MAPPER.convertValue(in.require(s, "params", "tabular.json"), Map.class);
            TabularModel model = buildModel(spec, Args.from(params));
            TabularModel.FitResult result = null;
            if (s.has("fit_result")) {
                result = Json.MAPPER.convertValue(s.get("fit_result"), TabularModel.FitResult.class);
                model.loadNative(in.bytes("model." + model.nativeExtension()));
            }
            fitted = new Fitted(spec, Args.from(ba), model, result);
        }
        ObjectNode cal = s.has("calibration") ? (ObjectNode) s.get("calibration") : null;
        Calibrators.Binary calibrator = cal != null && cal.has("probability") ? restoreCalibrator(cal.get("probability")) : null;
        decision = new Decision(cal, calibrator, s.path("temperature").asDouble(1), s.path("threshold").asDouble(0.5));
        if (s.has("export_dir")) exportDir = Path.of(s.get("export_dir").asText());
        if (s.has("exported_metrics")) exportedMetrics = (ObjectNode) s.get("exported_metrics");
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

    @Override public void close() {
        if (fitted != null && fitted.model() != null) fitted.model().close();
        fitted = null;
    }

    // ---------------------------------------------------------------- small helpers

    static int[] allRows(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    static double[] col0(double[][] p) {
        double[] o = new double[p.length];
        for (int i = 0; i < o.length; i++) o[i] = p[i][0];
        return o;
    }

    static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }
}
