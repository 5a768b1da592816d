package io.modelwork.export.onnx;

import io.modelwork.core.ModelworkException;
import io.modelwork.export.onnx.TreeEnsemble.Accumulation;
import io.modelwork.export.onnx.TreeEnsemble.Comparison;
import io.modelwork.export.onnx.TreeEnsemble.Leaf;
import io.modelwork.export.onnx.TreeEnsemble.Node;
import io.modelwork.export.onnx.TreeEnsemble.Split;
import io.modelwork.export.onnx.TreeEnsemble.Task;
import io.modelwork.export.onnx.TreeEnsemble.Tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads LightGBM's text model format ({@code LGBMBooster.saveModelToString(0, 0, FeatureImportanceType.SPLIT)}, or a
 * {@code model.txt} file) into a {@link TreeEnsemble}.
 *
 * <p>Semantics carried over: a split sends {@code x <= threshold} left ({@link Comparison#LESS_OR_EQUAL}); child
 * references {@code < 0} are {@code ~leafIndex}; leaf values already include shrinkage (and, for the first trees,
 * the boost-from-average initial score); trees of a multiclass model are interleaved by class (tree {@code i} adds to
 * class {@code i % num_tree_per_iteration}); leaf values are summed in 64-bit doubles. The binary objective's
 * {@code sigmoid:s} factor is folded into the leaf values, so the ensemble's margin is {@code s * raw score}.
 *
 * <p>Missing values: the {@code decision_type} bits hold {@code default_left} (bit 1) and the missing type (bits
 * 2-3). For missing type <b>NaN</b>, a NaN goes the default direction: exact. For <b>None</b>, LightGBM replaces NaN
 * by 0, so a NaN goes where 0 would go ({@code 0 <= threshold}): exact. For <b>Zero</b> ({@code zero_as_missing}),
 * NaN and values in LightGBM's zero band {@code [-1e-35, 1e-35]} go the default direction; this is exported (exactly)
 * only where the whole zero band lies on the default side of the threshold, so that the comparison already sends it
 * there; a node where they disagree is rejected, as ONNX-ML has no "zero is missing" mode. Categorical splits, linear trees and
 * random-forest averaging ({@code average_output}) are rejected.
 *
 * <p>Supported objectives: identity-link regression ({@code regression}, {@code regression_l1}, {@code huber},
 * {@code fair}, {@code quantile}, {@code mape}), {@code binary} and {@code multiclass} (softmax).
 */
public final class LightGbmTrees {
    private LightGbmTrees() {}

    private static final Set<String> IDENTITY_OBJECTIVES = Set.of("regression", "regression_l2", "l2", "mse",
            "regression_l1", "l1", "mae", "huber", "fair", "quantile", "mape", "lambdarank", "rank_xendcg");

    private static final int CATEGORICAL_MASK = 1;
    private static final int DEFAULT_LEFT_MASK = 2;
    private static final int MISSING_NONE = 0;
    private static final int MISSING_ZERO = 1;
    private static final int MISSING_NAN = 2;
    /** LightGBM's kZeroThreshold: values with a smaller magnitude count as zero. */
    private static final double ZERO_THRESHOLD = 1e-35f;

    /**
     * Parses a LightGBM text model.
     *
     * @param modelString the model text as written by {@code saveModelToString}
     * @return the ensemble
     * @throws ModelworkException if the text is not a LightGBM model, or uses a feature ONNX-ML cannot express
     */
    public static TreeEnsemble parse(String modelString) {
        String[] lines = modelString.split("\r?\n");
        Map<String, String> header = new HashMap<>();
        int i = 0;
        while (i < lines.length && !lines[i].startsWith("Tree=")) {
            putKeyValue(header, lines[i]);
            i++;
        }
        if (!header.containsKey("objective") || !header.containsKey("max_feature_idx")) {
            throw new ModelworkException("The text is not a LightGBM model (no objective / max_feature_idx header)",
                    "LightGBM model text", "pass the output of LGBMBooster.saveModelToString(0, 0, SPLIT)");
        }
        if (header.containsKey("average_output")) {
            throw new ModelworkException("LightGBM random-forest models (average_output) are not supported",
                    "LightGBM model header", "train with boosting=gbdt");
        }
        int numFeatures = Integer.parseInt(header.get("max_feature_idx").trim()) + 1;
        int numClass = Integer.parseInt(header.getOrDefault("num_class", "1").trim());
        int perIteration = Integer.parseInt(header.getOrDefault("num_tree_per_iteration", "1").trim());
        String objectiveLine = header.get("objective").trim();
        String[] objectiveTokens = objectiveLine.split("\\s+");
        String objective = objectiveTokens[0];

        Task task;
        int numClasses;
        double leafScale = 1.0;
        if (IDENTITY_OBJECTIVES.contains(objective)) {
            if (Arrays.asList(objectiveTokens).contains("sqrt")) {
                throw new ModelworkException("LightGBM regression with reg_sqrt cannot be exported to ONNX yet",
                        "objective=" + objectiveLine, "retrain without reg_sqrt");
            }
            task = Task.REGRESSION;
            numClasses = 1;
        } else if (objective.equals("binary")) {
            task = Task.BINARY_CLASSIFICATION;
            numClasses = 2;
            for (String tok : objectiveTokens) {
                if (tok.startsWith("sigmoid:")) leafScale = Double.parseDouble(tok.substring("sigmoid:".length()));
            }
        } else if (objective.equals("multiclass") || objective.equals("softmax")) {
            task = Task.MULTICLASS_CLASSIFICATION;
            numClasses = numClass;
            if (perIteration != numClass) {
                throw new ModelworkException("num_tree_per_iteration (" + perIteration + ") differs from num_class ("
                        + numClass + ")", "LightGBM model header", "pass an unmodified LightGBM model");
            }
        } else {
            throw new ModelworkException("LightGBM objective '" + objective + "' cannot be exported to ONNX yet",
                    "objective=" + objectiveLine, "use regression (or another identity-link regression), binary or "
                    + "multiclass");
        }
        if (task != Task.MULTICLASS_CLASSIFICATION && perIteration != 1) {
            throw new ModelworkException("num_tree_per_iteration is " + perIteration + " for a single-output objective",
                    "LightGBM model header", "pass an unmodified LightGBM model");
        }

        List<Tree> trees = new ArrayList<>();
        while (i < lines.length) {
            String line = lines[i];
            if (line.startsWith("end of trees")) break;
            if (!line.startsWith("Tree=")) {
                i++;
                continue;
            }
            int treeIndex = Integer.parseInt(line.substring("Tree=".length()).trim());
            Map<String, String> block = new HashMap<>();
            i++;
            while (i < lines.length && !lines[i].isBlank() && !lines[i].startsWith("Tree=")
                    && !lines[i].startsWith("end of trees")) {
                putKeyValue(block, lines[i]);
                i++;
            }
            int target = task == Task.MULTICLASS_CLASSIFICATION ? treeIndex % perIteration : 0;
            trees.add(parseTree(block, treeIndex, target, leafScale));
        }
        if (trees.isEmpty()) {
            throw new ModelworkException("The LightGBM model has no trees", "LightGBM model text",
                    "train at least one iteration before exporting");
        }
        String names = header.getOrDefault("feature_names", "").trim();
        List<String> featureNames = names.isEmpty() ? List.of() : List.of(names.split("\\s+"));
        return new TreeEnsemble(task, objectiveLine, numFeatures, numClasses, new double[numClasses == 2 ? 1 : numClasses],
                Accumulation.FLOAT64, trees, featureNames.size() == numFeatures ? featureNames : List.of());
    }

    private static Tree parseTree(Map<String, String> block, int index, int target, double leafScale) {
        String where = "LightGBM Tree=" + index;
        if (!"0".equals(block.getOrDefault("is_linear", "0").trim())) {
            throw new ModelworkException("Tree " + index + " is a linear tree", where, "retrain with linear_tree=false");
        }
        if (!"0".equals(block.getOrDefault("num_cat", "0").trim())) {
            throw new ModelworkException("Tree " + index + " has categorical splits, which ONNX-ML TreeEnsemble "
                    + "(opset 3) cannot express", where, "one-hot encode the categorical feature and retrain");
        }
        int numLeaves = Integer.parseInt(block.getOrDefault("num_leaves", "0").trim());
        double[] leafValue = doubles(block, "leaf_value", where);
        if (numLeaves < 1 || leafValue.length != numLeaves) {
            throw new ModelworkException("Tree " + index + " has " + leafValue.length + " leaf values for " + numLeaves
                    + " leaves", where, "pass an unmodified LightGBM model");
        }
        int internal = numLeaves - 1;
        List<Node> nodes = new ArrayList<>(internal + numLeaves);
        if (internal > 0) {
            int[] feature = ints(block, "split_feature", where);
            double[] threshold = doubles(block, "threshold", where);
            int[] decision = ints(block, "decision_type", where);
            int[] left = ints(block, "left_child", where);
            int[] right = ints(block, "right_child", where);
            for (int[] a : new int[][] {feature, decision, left, right}) {
                if (a.length != internal) {
                    throw new ModelworkException("Tree " + index + " has inconsistent node arrays", where,
                            "pass an unmodified LightGBM model");
                }
            }
            for (int n = 0; n < internal; n++) {
                int dt = decision[n];
                if ((dt & CATEGORICAL_MASK) != 0) {
                    throw new ModelworkException("Tree " + index + " node " + n + " is a categorical split", where,
                            "one-hot encode the categorical feature and retrain");
                }
                boolean defaultLeft = (dt & DEFAULT_LEFT_MASK) != 0;
                int missingType = (dt >> 2) & 3;
                double t = threshold[n];
                boolean zeroGoesLeft = 0.0 <= t;
                boolean missingLeft = switch (missingType) {
                    case MISSING_NONE -> zeroGoesLeft; // LightGBM turns NaN into 0
                    case MISSING_NAN -> defaultLeft;
                    case MISSING_ZERO -> {
                        boolean bandConsistent = defaultLeft ? ZERO_THRESHOLD <= t : -ZERO_THRESHOLD > t;
                        if (!bandConsistent) {
                            throw new ModelworkException("Tree " + index + " node " + n + " routes zero (missing type "
                                    + "Zero) against its threshold, which ONNX-ML cannot express", where,
                                    "retrain with zero_as_missing=false (NaN then marks missing values)");
                        }
                        yield defaultLeft;
                    }
                    default -> throw new ModelworkException("Tree " + index + " node " + n + " has unknown missing "
                            + "type " + missingType, where, "pass a model from LightGBM 3 or 4");
                };
                nodes.add(new Split(feature[n], t, Comparison.LESS_OR_EQUAL, child(left[n], internal),
                        child(right[n], internal), missingLeft));
            }
        }
        for (double v : leafValue) nodes.add(new Leaf(v * leafScale));
        return new Tree(target, nodes);
    }

    /** Maps LightGBM's child reference (internal index, or {@code ~leaf}) to an index in the node list. */
    private static int child(int ref, int internal) {
        return ref >= 0 ? ref : internal + ~ref;
    }

    private static void putKeyValue(Map<String, String> map, String line) {
        int eq = line.indexOf('=');
        if (eq > 0) map.put(line.substring(0, eq).trim(), line.substring(eq + 1));
        else if (!line.isBlank()) map.put(line.trim(), "");
    }

    private static double[] doubles(Map<String, String> block, String key, String where) {
        String s = block.getOrDefault(key, "").trim();
        if (s.isEmpty()) return new double[0];
        String[] parts = s.split("\\s+");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) v[i] = parseDouble(parts[i], key, where);
        return v;
    }

    private static int[] ints(Map<String, String> block, String key, String where) {
        String s = block.getOrDefault(key, "").trim();
        if (s.isEmpty()) return new int[0];
        String[] parts = s.split("\\s+");
        int[] v = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) v[i] = Integer.parseInt(parts[i]);
        } catch (NumberFormatException e) {
            throw new ModelworkException("'" + key + "' holds a non-integer", where, "pass an unmodified LightGBM model");
        }
        return v;
    }

    /** Parses a number as LightGBM writes it, including {@code inf}, {@code -inf} and {@code nan}. */
    private static double parseDouble(String s, String key, String where) {
        switch (s.toLowerCase()) {
            case "inf", "+inf", "infinity" -> { return Double.POSITIVE_INFINITY; }
            case "-inf", "-infinity" -> { return Double.NEGATIVE_INFINITY; }
            case "nan", "-nan" -> { return Double.NaN; }
            default -> {
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new ModelworkException("'" + key + "' holds '" + s + "', not a number", where,
                            "pass an unmodified LightGBM model");
                }
            }
        }
    }
}
