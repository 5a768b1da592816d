package io.modelwork.provider.lightgbm;

import com.microsoft.ml.lightgbm.PredictionType;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.github.metarank.lightgbm4j.LGBMException;
import io.modelwork.core.ModelworkException;
import io.modelwork.data.Dataset;
import io.modelwork.tabular.engine.ModelSpec;
import io.modelwork.tabular.Matrix;
import io.modelwork.tabular.TabularModel;

import java.nio.charset.StandardCharsets;
import java.util.*;

/**
 * LightGBM (lightgbm4j) behind {@link TabularModel}: {@code binary} / {@code multiclass} objectives for
 * classification (class weights become sample weights), {@code regression} (L2) for regression. One iteration at a
 * time with per-iteration metrics; the final model is trimmed to the best validation iteration.
 */
public final class LightGbmModel implements TabularModel {
    static final String VERSION = "4.1.0";
    private final ModelSpec spec;
    private final Dataset.Task task;
    private final int numClasses;
    private Map<String, Object> params;
    private LGBMBooster booster;

    LightGbmModel(ModelSpec spec, Dataset.Task task, int numClasses, Map<String, Object> params) {
        this.spec = spec;
        this.task = task;
        this.numClasses = numClasses;
        this.params = new LinkedHashMap<>(params);
    }

    @Override public ModelSpec spec() { return spec; }
    @Override public String engine() { return "lightgbm " + VERSION + " (lightgbm4j 4.1.0-1)"; }
    @Override public Dataset.Task task() { return task; }
    @Override public int numClasses() { return numClasses; }
    @Override public Map<String, Object> params() { return Collections.unmodifiableMap(params); }
    @Override public void setParams(Map<String, Object> p) { params = new LinkedHashMap<>(p); }
    @Override public String nativeExtension() { return "txt"; }

    @Override public String fitMetric() {
        if (task == Dataset.Task.RANKING) return "ndcg@" + evalAt();
        // rmse (not LightGBM's default l2), as XGBoost reports it: the learning curves of both compare on one axis
        return task == Dataset.Task.REGRESSION ? "rmse" : numClasses == 2 ? "binary_logloss" : "multi_logloss";
    }

    int evalAt() { return Integer.parseInt(String.valueOf(params.getOrDefault("eval_at", 3))); }

    @Override public int rankingCutoff() { return evalAt(); }

    /** NDCG is maximised; losses are minimised. */
    boolean maximize() { return task == Dataset.Task.RANKING; }

    private String objective() {
        if (task == Dataset.Task.RANKING) return "lambdarank";
        return task == Dataset.Task.REGRESSION ? "regression" : numClasses == 2 ? "binary" : "multiclass";
    }

    String engineParams(FitConfig cfg) {
        StringBuilder sb = new StringBuilder();
        sb.append("objective=").append(objective());
        if (task == Dataset.Task.CLASSIFICATION && numClasses > 2) sb.append(" num_class=").append(numClasses);
        sb.append(" metric=").append(task == Dataset.Task.RANKING ? "ndcg" : fitMetric());
        for (var e : params.entrySet()) {
            if (e.getKey().equals("class_weight")) continue;
            sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        sb.append(" seed=").append(cfg.seed() & 0x7fffffff);
        sb.append(" num_threads=").append(cfg.threads());
        sb.append(" deterministic=true force_col_wise=true verbosity=-1");
        return sb.toString();
    }

    /** Sample weights for {@code class_weight=balanced} or {@code class_weight=a:2,b:1} (by class index or name). */
    double[] classWeights(Matrix m, List<String> classNames) {
        Object cw = params.get("class_weight");
        if (cw == null || String.valueOf(cw).equals("none") || task != Dataset.Task.CLASSIFICATION) return m.weights();
        double[] perClass = new double[numClasses];
        String s = String.valueOf(cw);
        if (s.equals("balanced")) {
            int[] counts = new int[numClasses];
            for (double y : m.y()) counts[(int) y]++;
            for (int k = 0; k < numClasses; k++) perClass[k] = counts[k] == 0 ? 0 : (double) m.rows() / (numClasses * counts[k]);
        } else {
            Arrays.fill(perClass, 1);
            for (String part : s.replace("{", "").replace("}", "").split(",")) {
                String[] kv = part.split("[:=]");
                if (kv.length != 2) throw new ModelworkException("Bad class_weight '" + s + "'", "class_weight",
                        "use class_weight=balanced or class_weight=<class>:<weight>,...");
                int k = classNames.indexOf(kv[0].trim());
                if (k < 0) {
                    try { k = Integer.parseInt(kv[0].trim()); } catch (NumberFormatException e) { k = -1; }
                }
                if (k < 0 || k >= numClasses) throw new ModelworkException("Unknown class '" + kv[0] + "' in class_weight",
                        "class_weight", "classes are " + classNames);
                perClass[k] = Double.parseDouble(kv[1].trim());
            }
        }
        double[] w = new double[m.rows()];
        for (int i = 0; i < w.length; i++) w[i] = perClass[(int) m.y()[i]] * (m.weights() == null ? 1 : m.weights()[i]);
        return w;
    }

    private List<String> classNames = List.of();

    /** The class names, for {@code class_weight} given by name. */
    @Override public void setClassNames(List<String> names) { this.classNames = List.copyOf(names); }

    static LGBMDataset dataset(Matrix m, double[] weights, String params, LGBMDataset reference) throws LGBMException {
        LGBMDataset d = LGBMDataset.createFromMat(m.x(), m.rows(), m.cols(), true, params, reference);
        float[] y = new float[m.rows()];
        for (int i = 0; i < y.length; i++) y[i] = (float) m.y()[i];
        d.setField("label", y);
        if (m.groups() != null) d.setField("group", m.groupSizes());
        if (weights != null) {
            float[] w = new float[weights.length];
            for (int i = 0; i < w.length; i++) w[i] = (float) weights[i];
            d.setField("weight", w);
        }
        return d;
    }

    @Override
    public FitResult fit(Matrix train, Matrix valid, FitConfig cfg, FitListener listener) {
        List<String> notes = new ArrayList<>();
        if (cfg.device().equals("cuda"))
            notes.add("device=cuda requested but the LightGBM build on Maven Central is CPU-only; fell back to CPU");
        long start = System.nanoTime();
        String p = engineParams(cfg);
        LGBMDataset dtrain = null, dvalid = null;
        LGBMBooster b = null;
        try {
            dtrain = dataset(train, classWeights(train, classNames), "max_bin=255 verbosity=-1", null);
            if (valid != null) dvalid = dataset(valid, null, "max_bin=255 verbosity=-1", dtrain);
            b = LGBMBooster.create(dtrain, p);
            if (dvalid != null) b.addValidData(dvalid);
            List<Iteration> history = new ArrayList<>();
            int best = -1, since = 0, savedBest = -1;
            long lastSave = System.nanoTime();
            double bestScore = Double.POSITIVE_INFINITY;
            for (int it = 0; it < cfg.rounds(); it++) {
                boolean finished = b.updateOneIter();
                boolean withTrain = cfg.trainMetricAt(it, dvalid != null);
                double tr = withTrain ? b.getEval(0)[0] : Double.NaN;
                double va = dvalid == null ? Double.NaN : b.getEval(1)[0];
                history.add(new Iteration(it, tr, va));
                double score = dvalid == null ? tr : va;
                if (maximize()) score = -score;
                // no validation set and no early stopping: rounds are fixed and the last one is kept
                boolean improved = score < bestScore - 1e-12 || (dvalid == null && cfg.earlyStopping() == 0);
                if (improved) { bestScore = score; best = it; since = 0; } else since++;
                Map<String, Double> m = new LinkedHashMap<>();
                if (withTrain) m.put("train_" + fitMetric(), tr);
                if (dvalid != null) m.put("valid_" + fitMetric(), va);
                listener.onIteration(it, cfg.rounds(), m, improved);
                // refresh the best-iteration checkpoint at most every 5 s (saving at every improvement is quadratic)
                if (best != savedBest && System.nanoTime() - lastSave > 5_000_000_000L) {
                    lastSave = System.nanoTime();
                    listener.onBest(best, b.saveModelToString(0, best + 1, LGBMBooster.FeatureImportanceType.GAIN)
                            .getBytes(StandardCharsets.UTF_8));
                    savedBest = best;
                }
                if (finished) { notes.add("LightGBM stopped at iteration " + it + ": no further splits"); break; }
                if (cfg.earlyStopping() > 0 && dvalid != null && since >= cfg.earlyStopping()) {
                    notes.add("early stopping at iteration " + it + " (no improvement for " + cfg.earlyStopping() + " rounds)");
                    break;
                }
            }
            String model = b.saveModelToString(0, best + 1, LGBMBooster.FeatureImportanceType.GAIN);
            listener.onBest(best, model.getBytes(StandardCharsets.UTF_8));
            if (booster != null) booster.close();
            booster = LGBMBooster.loadModelFromString(model);
            modelText = model;
            return new FitResult(fitMetric(), history, best, maximize() ? -bestScore : bestScore,
                    (System.nanoTime() - start) / 1e9, "cpu", notes);
        } catch (LGBMException e) {
            throw new ModelworkException("LightGBM failed: " + e.getMessage(), "fit (" + spec + ")",
                    "check the hyper-parameters " + params, e);
        } finally {
            try {
                if (b != null) b.close();
                if (dvalid != null) dvalid.close();
                if (dtrain != null) dtrain.close();
            } catch (LGBMException ignored) { }
        }
    }

    private String modelText;

    private String modelText() {
        if (modelText == null) modelText = new String(saveNative(), StandardCharsets.UTF_8);
        return modelText;
    }

    private LGBMBooster booster() {
        if (booster == null) throw new ModelworkException("The model has not been fitted", spec.toString(), "run fit first");
        return booster;
    }

    @Override
    public double[][] predict(Matrix x) {
        try {
            double[] p = task == Dataset.Task.CLASSIFICATION && numClasses > 2
                    ? NativePredict.predict(modelText(), x.x(), x.rows(), x.cols(), numClasses)
                    : booster().predictForMat(x.x(), x.rows(), x.cols(), true, PredictionType.C_API_PREDICT_NORMAL, "");
            double[][] out = new double[x.rows()][];
            for (int i = 0; i < out.length; i++) {
                if (task != Dataset.Task.CLASSIFICATION) out[i] = new double[]{p[i]};
                else if (numClasses == 2) out[i] = new double[]{1 - p[i], p[i]};
                else out[i] = Arrays.copyOfRange(p, i * numClasses, (i + 1) * numClasses);
            }
            return out;
        } catch (LGBMException e) {
            throw new ModelworkException("LightGBM prediction failed: " + e.getMessage(), "predict", "check the input", e);
        }
    }

    @Override
    public byte[] saveNative() {
        return booster().saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.GAIN).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void loadNative(byte[] bytes) {
        try {
            if (booster != null) booster.close();
            modelText = new String(bytes, StandardCharsets.UTF_8);
            booster = LGBMBooster.loadModelFromString(modelText);
        } catch (Exception e) {
            throw new ModelworkException("Cannot load the LightGBM model: " + e.getMessage(), "model.txt",
                    "the file is damaged or not a LightGBM text model; restore it from the checkpoint", e);
        }
    }

    @Override
    public Map<String, Double> featureImportance(String[] featureNames) {
        try {
            double[] g = booster().featureImportance(0, LGBMBooster.FeatureImportanceType.GAIN);
            Map<String, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < featureNames.length && i < g.length; i++) out.put(featureNames[i], g[i]);
            return out;
        } catch (LGBMException e) {
            return Map.of();
        }
    }

    @Override
    public void close() {
        if (booster != null) {
            try { booster.close(); } catch (LGBMException ignored) { }
            booster = null;
        }
    }
}
