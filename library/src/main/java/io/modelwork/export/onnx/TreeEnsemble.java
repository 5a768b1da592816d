package io.modelwork.export.onnx;

import io.modelwork.core.ModelworkException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An engine-neutral, immutable tree ensemble: what XGBoost and LightGBM models have in common, and what ONNX-ML's
 * tree-ensemble operators can express.
 *
 * <p>Each {@link Tree} adds the value of the leaf a row reaches to one output ({@link Tree#target()}); the sum of
 * those values plus {@link #baseScore()} is the <em>margin</em> of that output. The {@link Task} fixes the link from
 * margin to prediction: identity for regression, logistic for binary classification (one margin, the log-odds of
 * class 1), softmax for multiclass classification (one margin per class).
 *
 * @param task         regression, binary or multiclass classification
 * @param objective    the source engine's objective name, kept for provenance (e.g. {@code binary:logistic})
 * @param numFeatures  the width of the input row; every split feature is below it
 * @param numClasses   1 for regression, 2 for binary, K for multiclass classification
 * @param baseScore    the margin every output starts from, one per output ({@link #numOutputs()})
 * @param accumulation the precision the source engine sums leaf values in; the exporter mirrors it
 * @param trees        the trees, in the engine's summation order
 * @param featureNames the feature names if the model recorded them, else empty
 */
public record TreeEnsemble(Task task, String objective, int numFeatures, int numClasses, double[] baseScore,
                           Accumulation accumulation, List<Tree> trees, List<String> featureNames) {

    /** What the ensemble predicts, which fixes the post-transform from margins to outputs. */
    public enum Task {
        /** One output, identity link. */
        REGRESSION,
        /** One margin (log-odds of class 1), logistic link; predictions are {@code [1-p, p]}. */
        BINARY_CLASSIFICATION,
        /** One margin per class, softmax link. */
        MULTICLASS_CLASSIFICATION
    }

    /** The floating-point precision in which the engine sums the leaf values of one row. */
    public enum Accumulation {
        /** 32-bit, as XGBoost does. */
        FLOAT32,
        /** 64-bit, as LightGBM does. */
        FLOAT64
    }

    /** How a split compares the feature value {@code x} with its threshold {@code t}. */
    public enum Comparison {
        /** {@code x < t} goes left (XGBoost). */
        LESS_THAN,
        /** {@code x <= t} goes left (LightGBM). */
        LESS_OR_EQUAL
    }

    /** A tree node: either a {@link Split} or a {@link Leaf}. */
    public sealed interface Node permits Split, Leaf {}

    /**
     * An internal node. A row whose feature value is NaN goes left iff {@code missingGoesLeft}; any other row goes
     * left iff the comparison holds.
     *
     * @param feature         the feature index, from 0
     * @param threshold       the threshold, exactly as the engine stores it
     * @param comparison      how the feature value is compared with the threshold
     * @param left            index of the left child in the tree's node list
     * @param right           index of the right child in the tree's node list
     * @param missingGoesLeft where a NaN feature value goes
     */
    public record Split(int feature, double threshold, Comparison comparison, int left, int right,
                        boolean missingGoesLeft) implements Node {
        public Split {
            Objects.requireNonNull(comparison, "comparison");
        }

        /** Whether a (non-NaN) value goes left. */
        public boolean goesLeft(double x) {
            return comparison == Comparison.LESS_THAN ? x < threshold : x <= threshold;
        }
    }

    /**
     * A leaf.
     *
     * @param value what the leaf adds to its tree's output margin
     */
    public record Leaf(double value) implements Node {}

    /**
     * One tree: a node list whose root is node 0.
     *
     * @param target the output (class, for multiclass) whose margin this tree adds to
     * @param nodes  the nodes; children are referred to by index in this list
     */
    public record Tree(int target, List<Node> nodes) {
        public Tree {
            nodes = List.copyOf(nodes);
            if (nodes.isEmpty()) throw new IllegalArgumentException("a tree needs at least one node");
        }

        /** The leaf a row reaches. */
        public Leaf leafFor(float[] row) {
            Node n = nodes.get(0);
            int guard = 0;
            while (n instanceof Split s) {
                float x = row[s.feature()];
                boolean left = Float.isNaN(x) ? s.missingGoesLeft() : s.goesLeft(x);
                n = nodes.get(left ? s.left() : s.right());
                if (++guard > nodes.size()) throw new IllegalStateException("cycle in tree");
            }
            return (Leaf) n;
        }

        /** A copy of this tree with {@code delta} added to every leaf (used to fold a base score into a tree). */
        public Tree withLeavesShifted(double delta, Accumulation accumulation) {
            List<Node> shifted = new ArrayList<>(nodes.size());
            for (Node n : nodes) {
                if (n instanceof Leaf l) {
                    double v = accumulation == Accumulation.FLOAT32
                            ? (double) ((float) delta + (float) l.value()) : delta + l.value();
                    shifted.add(new Leaf(v));
                } else {
                    shifted.add(n);
                }
            }
            return new Tree(target, shifted);
        }
    }

    /** Validates the structure (indices in range, one base score per output) and copies the collections. */
    public TreeEnsemble {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(accumulation, "accumulation");
        objective = objective == null ? "" : objective;
        trees = List.copyOf(trees);
        featureNames = featureNames == null ? List.of() : List.copyOf(featureNames);
        baseScore = baseScore.clone();
        int expectedClasses = switch (task) {
            case REGRESSION -> 1;
            case BINARY_CLASSIFICATION -> 2;
            case MULTICLASS_CLASSIFICATION -> numClasses;
        };
        if (numClasses != expectedClasses || numClasses < 1 || (task == Task.MULTICLASS_CLASSIFICATION && numClasses < 3)) {
            throw new IllegalArgumentException("numClasses " + numClasses + " does not fit task " + task
                    + " (regression 1, binary 2, multiclass >= 3)");
        }
        int outputs = task == Task.MULTICLASS_CLASSIFICATION ? numClasses : 1;
        if (baseScore.length != outputs) {
            throw new IllegalArgumentException("baseScore has " + baseScore.length + " values, expected " + outputs);
        }
        if (numFeatures < 1) throw new IllegalArgumentException("numFeatures must be positive");
        if (!featureNames.isEmpty() && featureNames.size() != numFeatures) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + numFeatures + " features");
        }
        for (int t = 0; t < trees.size(); t++) {
            Tree tree = trees.get(t);
            if (tree.target() < 0 || tree.target() >= outputs) {
                throw new IllegalArgumentException("tree " + t + " targets output " + tree.target() + " of " + outputs);
            }
            int size = tree.nodes().size();
            for (int i = 0; i < size; i++) {
                if (tree.nodes().get(i) instanceof Split s) {
                    if (s.feature() < 0 || s.feature() >= numFeatures) {
                        throw new ModelworkException("A split uses feature " + s.feature() + " but the model has "
                                + numFeatures + " features", "tree " + t + ", node " + i,
                                "export the model with its full feature count");
                    }
                    if (s.left() <= 0 || s.left() >= size || s.right() <= 0 || s.right() >= size) {
                        throw new IllegalArgumentException("tree " + t + ", node " + i + ": child index out of range");
                    }
                }
            }
        }
    }

    /** The base margins, one per output (a copy). */
    @Override
    public double[] baseScore() {
        return baseScore.clone();
    }

    /** The number of margins: 1 for regression and binary classification, K for multiclass. */
    public int numOutputs() {
        return task == Task.MULTICLASS_CLASSIFICATION ? numClasses : 1;
    }

    /** The number of nodes over all trees. */
    public int numNodes() {
        return trees.stream().mapToInt(t -> t.nodes().size()).sum();
    }

    /**
     * The raw margins of one row, summed in the engine's {@link #accumulation()} precision starting from the base
     * score. A reference implementation for checks, not a fast predictor.
     */
    public double[] margins(float[] row) {
        if (row.length != numFeatures) {
            throw new IllegalArgumentException("row has " + row.length + " values, the model expects " + numFeatures);
        }
        int k = numOutputs();
        if (accumulation == Accumulation.FLOAT32) {
            float[] m = new float[k];
            for (int o = 0; o < k; o++) m[o] = (float) baseScore[o];
            for (Tree t : trees) m[t.target()] += (float) t.leafFor(row).value();
            double[] out = new double[k];
            for (int o = 0; o < k; o++) out[o] = m[o];
            return out;
        }
        double[] m = baseScore.clone();
        for (Tree t : trees) m[t.target()] += t.leafFor(row).value();
        return m;
    }

    /**
     * The prediction for one row: {@code [value]} for regression, {@code [1-p, p]} for binary classification and
     * the softmax probabilities for multiclass classification.
     */
    public double[] predict(float[] row) {
        double[] m = margins(row);
        return switch (task) {
            case REGRESSION -> m;
            case BINARY_CLASSIFICATION -> {
                double p = 1.0 / (1.0 + Math.exp(-m[0]));
                yield new double[] {1.0 - p, p};
            }
            case MULTICLASS_CLASSIFICATION -> {
                double max = Arrays.stream(m).max().orElse(0);
                double sum = 0;
                double[] p = new double[m.length];
                for (int i = 0; i < m.length; i++) sum += (p[i] = Math.exp(m[i] - max));
                for (int i = 0; i < m.length; i++) p[i] /= sum;
                yield p;
            }
        };
    }

    @Override
    public String toString() {
        return "TreeEnsemble[" + task + ", objective=" + objective + ", features=" + numFeatures + ", classes="
                + numClasses + ", trees=" + trees.size() + ", nodes=" + numNodes() + ", accumulation=" + accumulation
                + ", baseScore=" + Arrays.toString(baseScore) + "]";
    }
}
