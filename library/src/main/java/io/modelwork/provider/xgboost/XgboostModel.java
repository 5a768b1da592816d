package io.modelwork.provider.xgboost;

import io.modelwork.core.ModelworkException;
import io.modelwork.data.Dataset;
import io.modelwork.tabular.engine.ModelSpec;
import io.modelwork.tabular.Matrix;
import io.modelwork.tabular.TabularModel;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

import java.util.*;

/**
 * XGBoost4J behind {@link TabularModel}: {@code reg:squarederror} for regression, {@code binary:logistic} /
 * {@code multi:softprob} for classification. Boosting runs one round at a time so that every iteration is reported,
 * interrupts are honoured between rounds, and the best iteration on the validation set is kept (its native bytes
 * are handed to the best-iteration checkpoint and become the final model).
 */
public final class XgboostModel implements TabularModel {
    static final String VERSION = "3.4.0";
    private final ModelSpec spec;
    private final Dataset.Task task;
    private final int numClasses;
    private Map<String, Object> params;
    private Booster booster;
    /** The booster's JSON form, kept from fit/load so that export, checkpoints and feature importance do not re-serialise. */
    private byte[] json;

    XgboostModel(ModelSpec spec, Dataset.Task task, int numClasses, Map<String, Object> params) {
        this.spec = spec;
        this.task = task;
        this.numClasses = numClasses;
        this.params = new LinkedHashMap<>(params);
    }

    @Override public ModelSpec spec() { return spec; }
    @Override public String engine() { return "xgboost4j " + VERSION; }
    @Override public Dataset.Task task() { return task; }
    @Override public int numClasses() { return numClasses; }
    @Override public Map<String, Object> params() { return Collections.unmodifiableMap(params); }
    @Override public void setParams(Map<String, Object> p) { params = new LinkedHashMap<>(p); }
    @Override public String nativeExtension() { return "json"; }

    @Override public String fitMetric() {
        return String.valueOf(params.getOrDefault("eval_metric", task == Dataset.Task.REGRESSION ? "rmse"
                : numClasses == 2 ? "logloss" : "mlogloss"));
    }

    private Map<String, Object> engineParams(FitConfig cfg, boolean cuda) {
        Map<String, Object> p = new HashMap<>(params);
        p.remove("rounds");
        p.remove("early_stopping");
        if (task == Dataset.Task.REGRESSION) p.putIfAbsent("objective", "reg:squarederror");
        else if (numClasses == 2) p.putIfAbsent("objective", "binary:logistic");
        else { p.putIfAbsent("objective", "multi:softprob"); p.put("num_class", numClasses); }
        p.put("eval_metric", fitMetric());
        p.put("seed", (int) (cfg.seed() & 0x7fffffff));
        p.put("nthread", cfg.threads());
        p.put("device", cuda ? "cuda" : "cpu");
        p.put("verbosity", 0);
        return p;
    }

    static DMatrix dmatrix(Matrix m, boolean withLabels) throws XGBoostError {
        DMatrix d = new DMatrix(m.x(), m.rows(), m.cols(), Float.NaN);
        if (withLabels) {
            float[] y = new float[m.rows()];
            for (int i = 0; i < y.length; i++) y[i] = (float) m.y()[i];
            d.setLabel(y);
            if (m.weights() != null) {
                float[] w = new float[m.rows()];
                for (int i = 0; i < w.length; i++) w[i] = (float) m.weights()[i];
                d.setWeight(w);
            }
        }
        return d;
    }

    @Override
    public FitResult fit(Matrix train, Matrix valid, FitConfig cfg, FitListener listener) {
        List<String> notes = new ArrayList<>();
        boolean cuda = cfg.device().equals("cuda");
        long start = System.nanoTime();
        DMatrix dtrain = null, dvalid = null;
        Booster b = null;
        try {
            dtrain = dmatrix(train, true);
            dvalid = valid == null ? null : dmatrix(valid, true);
            try {
                b = XGBoost.train(dtrain, engineParams(cfg, cuda), 0, new HashMap<>(), null, null);
                if (cuda) b.update(dtrain, 0); // fails fast on a CPU-only build
            } catch (XGBoostError e) {
                if (!cuda) throw e;
                notes.add("device=cuda requested but this XGBoost4J build cannot use the GPU (" + firstLine(e)
                        + "); fell back to CPU");
                cuda = false;
                b = XGBoost.train(dtrain, engineParams(cfg, false), 0, new HashMap<>(), null, null);
            }
            boolean startedOnGpu = cuda;
            DMatrix[] both = dvalid == null ? new DMatrix[]{dtrain} : new DMatrix[]{dtrain, dvalid};
            String[] bothNames = dvalid == null ? new String[]{"train"} : new String[]{"train", "valid"};
            DMatrix[] validOnly = dvalid == null ? new DMatrix[0] : new DMatrix[]{dvalid};
            String[] validNames = {"valid"};
            List<Iteration> history = new ArrayList<>();
            int best = -1, savedBest = -1;
            long lastSave = System.nanoTime();
            double bestScore = Double.POSITIVE_INFINITY;
            int since = 0;
            for (int it = 0; it < cfg.rounds(); it++) {
                if (!(startedOnGpu && it == 0)) b.update(dtrain, it);
                boolean withTrain = cfg.trainMetricAt(it, dvalid != null);
                double tr = Double.NaN, va = Double.NaN;
                if (withTrain) {
                    String ev = b.evalSet(both, bothNames, it);
                    tr = parseMetric(ev, "train");
                    if (dvalid != null) va = parseMetric(ev, "valid");
                } else if (dvalid != null) {
                    va = parseMetric(b.evalSet(validOnly, validNames, it), "valid");
                }
                history.add(new Iteration(it, tr, va));
                // no validation set and no early stopping: rounds are fixed and the last one is kept
                double score = dvalid != null ? va : Double.isNaN(tr) ? Double.NEGATIVE_INFINITY : tr;
                boolean improved = score < bestScore - 1e-12 || (dvalid == null && cfg.earlyStopping() == 0);
                if (improved) {
                    bestScore = score;
                    best = it;
                    since = 0;
                } else since++;
                Map<String, Double> m = new LinkedHashMap<>();
                if (withTrain) m.put("train_" + fitMetric(), tr);
                if (dvalid != null) m.put("valid_" + fitMetric(), va);
                listener.onIteration(it, cfg.rounds(), m, improved);
                // the best-iteration checkpoint is refreshed at most every 5 s (serialising every improvement is quadratic)
                if (best != savedBest && System.nanoTime() - lastSave > 5_000_000_000L) {
                    listener.onBest(best, trim(b.toByteArray("json"), best + 1));
                    savedBest = best;
                    lastSave = System.nanoTime();
                }
                if (cfg.earlyStopping() > 0 && dvalid != null && since >= cfg.earlyStopping()) {
                    notes.add("early stopping at iteration " + it + " (no improvement for " + cfg.earlyStopping() + " rounds)");
                    break;
                }
            }
            boolean lastIsBest = best + 1 == history.size();
            byte[] bestBytes = lastIsBest ? b.toByteArray("json") : trim(b.toByteArray("json"), best + 1);
            listener.onBest(best, bestBytes);
            if (booster != null) booster.dispose();
            json = bestBytes;
            if (lastIsBest) booster = b; // the trained booster is the best model: no reload
            else {
                b.dispose();
                b = null;
                try {
                    booster = XGBoost.loadModel(bestBytes);
                } catch (java.io.IOException e) {
                    throw new ModelworkException("Cannot reload the best XGBoost iteration", "fit", "retry the fit", e);
                }
            }
            return new FitResult(fitMetric(), history, best, bestScore, (System.nanoTime() - start) / 1e9,
                    cuda ? "cuda" : "cpu", notes);
        } catch (XGBoostError e) {
            throw new ModelworkException("XGBoost failed: " + firstLine(e), "fit (" + spec + ")",
                    "check the hyper-parameters " + params, e);
        } finally {
            if (b != null && b != booster) b.dispose(); // an interrupted or failed fit releases its booster
            if (dtrain != null) dtrain.dispose();
            if (dvalid != null) dvalid.dispose();
        }
    }

    /**
     * Keeps the first {@code iterations} boosting rounds of an XGBoost JSON model (trees, tree_info, num_trees and
     * iteration_indptr), i.e. the model as it was at that iteration. XGBoost4J exposes no slicing call.
     */
    static byte[] trim(byte[] json, int iterations) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode root =
                    (com.fasterxml.jackson.databind.node.ObjectNode) io.modelwork.core.Json.MAPPER.readTree(json);
            var model = (com.fasterxml.jackson.databind.node.ObjectNode) root.get("learner").get("gradient_booster").get("model");
            var indptr = (com.fasterxml.jackson.databind.node.ArrayNode) model.get("iteration_indptr");
            if (indptr == null || iterations >= indptr.size() - 1) return json;
            int keep = indptr.get(iterations).asInt();
            var trees = (com.fasterxml.jackson.databind.node.ArrayNode) model.get("trees");
            var info = (com.fasterxml.jackson.databind.node.ArrayNode) model.get("tree_info");
            while (trees.size() > keep) trees.remove(trees.size() - 1);
            while (info.size() > keep) info.remove(info.size() - 1);
            while (indptr.size() > iterations + 1) indptr.remove(indptr.size() - 1);
            ((com.fasterxml.jackson.databind.node.ObjectNode) model.get("gbtree_model_param")).put("num_trees", Integer.toString(keep));
            return io.modelwork.core.Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(root);
        } catch (java.io.IOException e) {
            throw new ModelworkException("Cannot trim the XGBoost model: " + e.getMessage(), "fit", "report this");
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    static double parseMetric(String eval, String set) {
        for (String tok : eval.split("\\s+")) {
            if (tok.startsWith(set + "-")) return Double.parseDouble(tok.substring(tok.indexOf(':') + 1));
        }
        return Double.NaN;
    }

    private Booster booster() {
        if (booster == null)
            throw new ModelworkException("The model has not been fitted", spec.toString(), "run fit first");
        return booster;
    }

    @Override
    public double[][] predict(Matrix x) {
        try {
            float[][] p = booster().inplace_predict(x.x(), x.rows(), x.cols(), Float.NaN);
            double[][] out = new double[x.rows()][];
            for (int i = 0; i < out.length; i++) {
                if (task == Dataset.Task.REGRESSION) out[i] = new double[]{p[i][0]};
                else if (numClasses == 2) out[i] = new double[]{1 - p[i][0], p[i][0]};
                else {
                    out[i] = new double[numClasses];
                    for (int k = 0; k < numClasses; k++) out[i][k] = p[i][k];
                }
            }
            return out;
        } catch (XGBoostError e) {
            throw new ModelworkException("XGBoost prediction failed: " + firstLine(e), "predict", "check the input matrix", e);
        }
    }

    @Override
    public byte[] saveNative() {
        try {
            if (json == null) json = booster().toByteArray("json");
            return json.clone();
        } catch (XGBoostError e) {
            throw new ModelworkException("Cannot serialise the booster: " + firstLine(e), "save", "", e);
        }
    }

    @Override
    public void loadNative(byte[] bytes) {
        try {
            if (booster != null) booster.dispose();
            booster = null;
            json = null;
            booster = XGBoost.loadModel(bytes);
            if (bytes.length > 0 && bytes[0] == '{') json = bytes.clone();
        } catch (Exception e) {
            throw new ModelworkException("Cannot load the XGBoost model: " + e.getMessage(), "model." + nativeExtension(),
                    "the file is damaged or not an XGBoost JSON model; restore it from the checkpoint", e);
        }
    }

    /**
     * Total gain per feature, summed from the JSON model's {@code loss_changes} of split nodes (what XGBoost's
     * {@code total_gain} importance reports), without XGBoost4J's text dump, which costs more than a short fit.
     */
    @Override
    public Map<String, Double> featureImportance(String[] featureNames) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String f : featureNames) out.put(f, 0.0);
        double[] gain = new double[featureNames.length];
        // a streaming pass over the JSON model (a tree-model parse costs ~5x more, a fixed cost of every fit report):
        // each tree holds left_children, split_indices and loss_changes arrays; a node is a split when its left child
        // is not -1, and its loss change is that split's gain
        try (com.fasterxml.jackson.core.JsonParser p = io.modelwork.core.Json.MAPPER.getFactory().createParser(saveNative())) {
            int[] left = null, split = null;
            double[] loss = null;
            while (p.nextToken() != null) {
                if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.FIELD_NAME) continue;
                String name = p.currentName();
                if (!name.equals("left_children") && !name.equals("split_indices") && !name.equals("loss_changes")) continue;
                p.nextToken();
                if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.START_ARRAY) continue;
                List<Double> values = new ArrayList<>();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) values.add(p.getValueAsDouble());
                switch (name) {
                    case "left_children" -> left = values.stream().mapToInt(Double::intValue).toArray();
                    case "split_indices" -> split = values.stream().mapToInt(Double::intValue).toArray();
                    default -> loss = values.stream().mapToDouble(Double::doubleValue).toArray();
                }
                if (left != null && split != null && loss != null) {
                    for (int n = 0; n < left.length; n++)
                        if (left[n] != -1 && split[n] >= 0 && split[n] < gain.length) gain[split[n]] += loss[n];
                    left = null;
                    split = null;
                    loss = null;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
        for (int f = 0; f < featureNames.length; f++) out.put(featureNames[f], gain[f]);
        return out;
    }

    @Override
    public void close() {
        if (booster != null) {
            booster.dispose();
            booster = null;
        }
        json = null;
    }
}
