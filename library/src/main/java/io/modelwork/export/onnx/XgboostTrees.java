package io.modelwork.export.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.export.onnx.TreeEnsemble.Accumulation;
import io.modelwork.export.onnx.TreeEnsemble.Comparison;
import io.modelwork.export.onnx.TreeEnsemble.Leaf;
import io.modelwork.export.onnx.TreeEnsemble.Node;
import io.modelwork.export.onnx.TreeEnsemble.Split;
import io.modelwork.export.onnx.TreeEnsemble.Task;
import io.modelwork.export.onnx.TreeEnsemble.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads XGBoost's own JSON model format ({@code Booster.toByteArray("json")}, or {@code saveModel} to a
 * {@code .json} file) into a {@link TreeEnsemble}.
 *
 * <p>Semantics carried over: a split sends {@code x < threshold} left ({@link Comparison#LESS_THAN}); a missing
 * (NaN) value follows {@code default_left}; a leaf's value is its {@code split_conditions} entry; leaf values are
 * summed in 32-bit floats starting from the base margin. The base score is stored by XGBoost in the response space
 * (a probability for {@code binary:logistic}) and is converted to a margin here; XGBoost 3.x writes it as a vector
 * string such as {@code "[5E-1]"}, older versions as a scalar; both are read.
 *
 * <p>Supported: booster {@code gbtree} with scalar leaves, numerical splits, objectives with an identity link
 * ({@code reg:squarederror}, {@code reg:absoluteerror}, {@code reg:pseudohubererror}, {@code reg:quantileerror}
 * with one quantile, ...), {@code binary:logistic} and {@code multi:softprob} / {@code multi:softmax}. Anything else
 * is rejected with a {@link ModelworkException}.
 */
public final class XgboostTrees {
    private XgboostTrees() {}

    /** Objectives whose prediction is the margin itself. */
    private static final Set<String> IDENTITY_OBJECTIVES = Set.of("reg:squarederror", "reg:linear",
            "reg:absoluteerror", "reg:pseudohubererror", "reg:quantileerror", "reg:squaredlogerror");

    /**
     * Parses an XGBoost JSON model.
     *
     * @param modelJson the JSON text, e.g. {@code new String(booster.toByteArray("json"), UTF_8)}
     * @return the ensemble
     * @throws ModelworkException if the text is not an XGBoost JSON model, or uses a feature ONNX-ML cannot express
     */
    public static TreeEnsemble parse(String modelJson) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(modelJson);
        } catch (Exception e) {
            throw new ModelworkException("The XGBoost model is not valid JSON", "XGBoost JSON model",
                    "pass the output of Booster.toByteArray(\"json\") (not the binary/UBJSON format)", e);
        }
        JsonNode learner = root.path("learner");
        if (learner.isMissingNode()) {
            throw new ModelworkException("The JSON has no 'learner' object, so it is not an XGBoost model",
                    "XGBoost JSON model", "pass the output of Booster.toByteArray(\"json\")");
        }
        String objective = learner.path("objective").path("name").asText("");
        JsonNode booster = learner.path("gradient_booster");
        String boosterName = booster.path("name").asText("");
        if (!boosterName.equals("gbtree")) {
            throw new ModelworkException("XGBoost booster '" + boosterName + "' cannot be exported to ONNX",
                    "learner.gradient_booster.name", "train with booster=gbtree (dart and gblinear are not supported)");
        }
        JsonNode param = learner.path("learner_model_param");
        int numFeatures = intParam(param, "num_feature");
        int numClass = intParam(param, "num_class");
        int numTarget = param.has("num_target") ? intParam(param, "num_target") : 1;
        if (numTarget > 1) {
            throw new ModelworkException("Multi-target XGBoost models (num_target=" + numTarget + ") are not supported",
                    "learner.learner_model_param.num_target", "train one model per target");
        }
        double[] baseScore = parseVector(param.path("base_score").asText("0.5"));

        Task task;
        int numClasses;
        double[] baseMargin;
        if (IDENTITY_OBJECTIVES.contains(objective)) {
            task = Task.REGRESSION;
            numClasses = 1;
            baseMargin = new double[] {single(baseScore, objective)};
        } else if (objective.equals("binary:logistic")) {
            task = Task.BINARY_CLASSIFICATION;
            numClasses = 2;
            double p = single(baseScore, objective);
            if (!(p > 0 && p < 1)) {
                throw new ModelworkException("binary:logistic base_score " + p + " is not a probability",
                        "learner.learner_model_param.base_score", "retrain with 0 < base_score < 1");
            }
            // XGBoost's ProbToMargin for the logistic objective, in float like XGBoost
            baseMargin = new double[] {(float) -Math.log(1.0 / p - 1.0)};
        } else if (objective.equals("multi:softprob") || objective.equals("multi:softmax")) {
            task = Task.MULTICLASS_CLASSIFICATION;
            numClasses = numClass;
            if (numClasses < 3) {
                throw new ModelworkException(objective + " with num_class=" + numClasses + " is not a multiclass model",
                        "learner.learner_model_param.num_class", "use binary:logistic for two classes");
            }
            // the softmax objective's ProbToMargin is the identity: base_score is already a margin
            baseMargin = new double[numClasses];
            for (int k = 0; k < numClasses; k++) baseMargin[k] = baseScore.length == 1 ? baseScore[0] : baseScore[k];
            if (baseScore.length != 1 && baseScore.length != numClasses) {
                throw new ModelworkException("base_score has " + baseScore.length + " values for " + numClasses
                        + " classes", "learner.learner_model_param.base_score", "check the model file");
            }
        } else {
            throw new ModelworkException("XGBoost objective '" + objective + "' cannot be exported to ONNX yet",
                    "learner.objective.name", "use reg:squarederror (or another identity-link regression), "
                    + "binary:logistic or multi:softprob");
        }

        JsonNode model = booster.path("model");
        JsonNode treesJson = model.path("trees");
        JsonNode treeInfo = model.path("tree_info");
        List<Tree> trees = new ArrayList<>(treesJson.size());
        for (int t = 0; t < treesJson.size(); t++) {
            int target = task == Task.MULTICLASS_CLASSIFICATION ? treeInfo.path(t).asInt(-1) : 0;
            trees.add(parseTree(treesJson.get(t), t, target));
        }
        List<String> names = new ArrayList<>();
        learner.path("feature_names").forEach(n -> names.add(n.asText()));
        return new TreeEnsemble(task, objective, numFeatures, numClasses, baseMargin, Accumulation.FLOAT32, trees,
                names.size() == numFeatures ? names : List.of());
    }

    private static Tree parseTree(JsonNode tree, int index, int target) {
        String where = "learner.gradient_booster.model.trees[" + index + "]";
        int leafVector = tree.path("tree_param").path("size_leaf_vector").asInt(1);
        if (leafVector > 1) {
            throw new ModelworkException("Tree " + index + " has vector leaves (multi_strategy=multi_output_tree)",
                    where, "train with multi_strategy=one_output_per_tree");
        }
        JsonNode left = tree.path("left_children");
        JsonNode right = tree.path("right_children");
        JsonNode feature = tree.path("split_indices");
        JsonNode cond = tree.path("split_conditions");
        JsonNode defaultLeft = tree.path("default_left");
        JsonNode splitType = tree.path("split_type");
        int n = left.size();
        if (n == 0 || right.size() != n || feature.size() != n || cond.size() != n || defaultLeft.size() != n) {
            throw new ModelworkException("Tree " + index + " has inconsistent node arrays", where,
                    "re-save the model with Booster.toByteArray(\"json\")");
        }
        List<Node> nodes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int l = left.get(i).asInt();
            if (l == -1) {
                nodes.add(new Leaf(cond.get(i).floatValue()));
                continue;
            }
            if (splitType.size() == n && splitType.get(i).asInt() != 0) {
                throw new ModelworkException("Tree " + index + " node " + i + " is a categorical split, which "
                        + "ONNX-ML TreeEnsemble (opset 3) cannot express", where,
                        "one-hot encode the categorical feature (or disable enable_categorical) and retrain");
            }
            nodes.add(new Split(feature.get(i).asInt(), cond.get(i).floatValue(), Comparison.LESS_THAN, l,
                    right.get(i).asInt(), defaultLeft.get(i).asInt() != 0));
        }
        return new Tree(target, nodes);
    }

    private static int intParam(JsonNode param, String name) {
        String s = param.path(name).asText("");
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new ModelworkException("learner_model_param." + name + " is '" + s + "', not an integer",
                    "learner.learner_model_param." + name, "pass an unmodified XGBoost JSON model");
        }
    }

    /** Parses {@code "5E-1"} or {@code "[5E-1]"} or {@code "[1E0,2E0]"}; values are rounded to float as in XGBoost. */
    static double[] parseVector(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        String[] parts = s.split(",");
        double[] v = new double[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) v[i] = Float.parseFloat(parts[i].trim());
        } catch (NumberFormatException e) {
            throw new ModelworkException("base_score '" + text + "' is not a number or a vector of numbers",
                    "learner.learner_model_param.base_score", "pass an unmodified XGBoost JSON model");
        }
        return v;
    }

    private static double single(double[] v, String objective) {
        if (v.length != 1) {
            throw new ModelworkException(objective + " has " + v.length + " base scores, expected one",
                    "learner.learner_model_param.base_score", "pass a single-target model");
        }
        return v[0];
    }
}
