package io.modelwork.export.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;
import io.modelwork.export.onnx.TreeEnsemble.Accumulation;
import io.modelwork.export.onnx.TreeEnsemble.Comparison;
import io.modelwork.export.onnx.TreeEnsemble.Leaf;
import io.modelwork.export.onnx.TreeEnsemble.Node;
import io.modelwork.export.onnx.TreeEnsemble.Split;
import io.modelwork.export.onnx.TreeEnsemble.Task;
import io.modelwork.export.onnx.TreeEnsemble.Tree;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a {@link TreeEnsemble} (with an optional {@link Preprocessing} prefix) as an ONNX model, built with the
 * {@code ai.onnx.proto.OnnxMl} protobuf classes of {@code org.tribuo:tribuo-util-onnx}.
 *
 * <p>The graph:
 * <pre>
 *   features float[N,F] → [Imputer] → [Scaler] → [Cast to double] → TreeEnsembleRegressor  → variable float[N,1]
 *                                                                  → TreeEnsembleClassifier → label int64[N],
 *                                                                                             probabilities float[N,K]
 * </pre>
 * Regression uses {@code TreeEnsembleRegressor} (post-transform NONE). Classification uses
 * {@code TreeEnsembleClassifier} with class labels {@code 0..K-1}. A binary model has one margin (the log-odds of
 * class 1): all its leaf weights go to class id 0 with post-transform LOGISTIC, the single-score convention of the
 * ONNX-ML converters, which ONNX Runtime evaluates as {@code p = sigmoid(score)} and emits as
 * {@code probabilities = [1-p, p]}; its {@code label} is 1 iff the margin is {@code > 0} (ONNX Runtime compares the
 * margin with 0.5 instead if no leaf weight is negative, which boosted models practically never are). A multiclass model uses SOFTMAX with each
 * tree's leaf weights on its class. Opsets: {@value #ML_OPSET} for {@code ai.onnx.ml} and
 * {@value #DEFAULT_OPSET} for the default domain (ONNX Runtime 1.23 accepts both), IR version {@value #IR_VERSION}.
 *
 * <p>Precision: the ensemble's base score is folded into the leaves of the first tree of each output, so the sum
 * starts where the engine's does. For {@link Accumulation#FLOAT32} ensembles (XGBoost) thresholds and leaf values
 * are float attributes and ONNX Runtime sums in float, in tree order, as XGBoost does; a threshold that is not a
 * float is rounded in the direction that keeps every float comparison unchanged. For {@link Accumulation#FLOAT64}
 * ensembles (LightGBM) the features are cast to double and thresholds and leaf values go into the {@code *_as_tensor}
 * double attributes, so ONNX Runtime compares and sums in double as LightGBM does; only the final output is float.
 */
public final class OnnxTreeExporter {
    private OnnxTreeExporter() {}

    /** The {@code ai.onnx.ml} opset version used. */
    public static final int ML_OPSET = 3;
    /** The default-domain opset version used. */
    public static final int DEFAULT_OPSET = 17;
    /** The ONNX IR version written. */
    public static final int IR_VERSION = 8;
    /** The default name of the graph input. */
    public static final String DEFAULT_INPUT = "features";
    /** The regression output, float {@code [N,1]}. */
    public static final String REGRESSION_OUTPUT = "variable";
    /** The classifier's predicted-label output, int64 {@code [N]}. */
    public static final String LABEL_OUTPUT = "label";
    /** The classifier's probability output, float {@code [N,K]}. */
    public static final String PROBABILITIES_OUTPUT = "probabilities";
    /** The metadata key under which the preprocessing prefix is also recorded as JSON. */
    public static final String PREPROCESSING_METADATA_KEY = "modelwork.preprocessing";

    private static final String ML_DOMAIN = "ai.onnx.ml";
    /** Value names the graph uses internally, which the input must not take. */
    private static final Set<String> RESERVED = Set.of("imputed", "scaled", "features_double", REGRESSION_OUTPUT,
            LABEL_OUTPUT, PROBABILITIES_OUTPUT);

    /**
     * Builds the ONNX model with no extra metadata.
     *
     * @see #toOnnx(TreeEnsemble, Preprocessing, String, Map)
     */
    public static ModelProto toOnnx(TreeEnsemble ensemble, Preprocessing prefix, String inputName) {
        return toOnnx(ensemble, prefix, inputName, Map.of());
    }

    /**
     * Builds the ONNX model.
     *
     * @param ensemble  the trees
     * @param prefix    preprocessing run inside the graph before the trees, or {@code null} for none; its width must
     *                  equal the ensemble's feature count
     * @param inputName the graph input's name ({@code null} or blank: {@value #DEFAULT_INPUT}); a float tensor
     *                  {@code [N, numFeatures]} with dynamic {@code N}
     * @param metadata  extra {@code metadata_props} entries (e.g. the source model's hash); may be empty
     * @return the model, ready for {@link #write(ModelProto, Path)} or {@code toByteArray()}
     */
    public static ModelProto toOnnx(TreeEnsemble ensemble, Preprocessing prefix, String inputName,
                                    Map<String, String> metadata) {
        String input = inputName == null || inputName.isBlank() ? DEFAULT_INPUT : inputName;
        int f = ensemble.numFeatures();
        if (prefix != null && prefix.width() != f) {
            throw new ModelworkException("The preprocessing has " + prefix.width() + " columns but the model has " + f
                    + " features", "OnnxTreeExporter.toOnnx(prefix)", "build the preprocessing over the model's "
                    + "feature columns, in the model's order");
        }
        if (RESERVED.contains(input)) {
            throw new ModelworkException("The input name '" + input + "' clashes with a graph value name",
                    "OnnxTreeExporter.toOnnx(inputName)", "choose another input name, e.g. " + DEFAULT_INPUT);
        }
        GraphProto.Builder graph = GraphProto.newBuilder().setName("modelwork_tree_ensemble");
        graph.addInput(valueInfo(input, TensorProto.DataType.FLOAT, "N", f));
        String current = input;
        if (prefix != null && prefix.imputeValues() != null) {
            graph.addNode(NodeProto.newBuilder().setName("impute").setOpType("Imputer").setDomain(ML_DOMAIN)
                    .addInput(current).addOutput("imputed")
                    .addAttribute(floats("imputed_value_floats", prefix.imputeValues()))
                    .addAttribute(AttributeProto.newBuilder().setName("replaced_value_float")
                            .setType(AttributeProto.AttributeType.FLOAT).setF(Float.NaN)));
            current = "imputed";
        }
        if (prefix != null && prefix.hasScaling()) {
            double[] offsets = prefix.offsets() != null ? prefix.offsets() : new double[f];
            double[] scales = prefix.scales();
            if (scales == null) {
                scales = new double[f];
                Arrays.fill(scales, 1.0);
            }
            graph.addNode(NodeProto.newBuilder().setName("scale").setOpType("Scaler").setDomain(ML_DOMAIN)
                    .addInput(current).addOutput("scaled")
                    .addAttribute(floats("offset", offsets))
                    .addAttribute(floats("scale", scales)));
            current = "scaled";
        }
        boolean doubles = ensemble.accumulation() == Accumulation.FLOAT64;
        if (doubles) {
            graph.addNode(NodeProto.newBuilder().setName("to_double").setOpType("Cast")
                    .addInput(current).addOutput("features_double")
                    .addAttribute(AttributeProto.newBuilder().setName("to").setType(AttributeProto.AttributeType.INT)
                            .setI(TensorProto.DataType.DOUBLE_VALUE)));
            current = "features_double";
        }
        addTreeNode(graph, ensemble, current, doubles);

        ModelProto.Builder model = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("modelwork")
                .setProducerVersion(producerVersion())
                .setDomain("io.modelwork")
                .setModelVersion(1)
                .setDocString("Tree ensemble exported by Modelwork: " + ensemble.task() + ", objective '"
                        + ensemble.objective() + "', " + ensemble.trees().size() + " trees, " + f + " features")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(DEFAULT_OPSET))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(ML_DOMAIN).setVersion(ML_OPSET))
                .setGraph(graph);
        Map<String, String> props = new TreeMap<>(metadata);
        props.put("modelwork.task", ensemble.task().name());
        props.put("modelwork.objective", ensemble.objective());
        if (!ensemble.featureNames().isEmpty()) props.put("modelwork.feature_names", String.join(",", ensemble.featureNames()));
        if (prefix != null) props.put(PREPROCESSING_METADATA_KEY, prefix.toJson());
        props.forEach((k, v) -> model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    /** Writes the model's bytes to {@code path} atomically (temporary sibling, then rename). */
    public static void write(ModelProto model, Path path) {
        AtomicFiles.write(path, model.toByteArray());
    }

    private static void addTreeNode(GraphProto.Builder graph, TreeEnsemble ensemble, String input, boolean doubles) {
        List<Tree> trees = foldBaseScore(ensemble);
        List<Long> treeIds = new ArrayList<>();
        List<Long> nodeIds = new ArrayList<>();
        List<Long> featureIds = new ArrayList<>();
        List<ByteString> modes = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Long> trueIds = new ArrayList<>();
        List<Long> falseIds = new ArrayList<>();
        List<Long> missingTrue = new ArrayList<>();
        List<Long> leafTree = new ArrayList<>();
        List<Long> leafNode = new ArrayList<>();
        List<Long> leafTarget = new ArrayList<>();
        List<Double> leafWeight = new ArrayList<>();
        boolean binary = ensemble.task() == Task.BINARY_CLASSIFICATION;
        for (int t = 0; t < trees.size(); t++) {
            Tree tree = trees.get(t);
            for (int i = 0; i < tree.nodes().size(); i++) {
                Node n = tree.nodes().get(i);
                treeIds.add((long) t);
                nodeIds.add((long) i);
                if (n instanceof Split s) {
                    featureIds.add((long) s.feature());
                    modes.add(ByteString.copyFromUtf8(s.comparison() == Comparison.LESS_THAN ? "BRANCH_LT" : "BRANCH_LEQ"));
                    values.add(doubles ? s.threshold() : (double) floatThreshold(s));
                    trueIds.add((long) s.left());
                    falseIds.add((long) s.right());
                    missingTrue.add(s.missingGoesLeft() ? 1L : 0L);
                } else {
                    Leaf l = (Leaf) n;
                    featureIds.add(0L);
                    modes.add(ByteString.copyFromUtf8("LEAF"));
                    values.add(0.0);
                    trueIds.add(0L);
                    falseIds.add(0L);
                    missingTrue.add(0L);
                    leafTree.add((long) t);
                    leafNode.add((long) i);
                    leafTarget.add(binary ? 0L : tree.target());
                    leafWeight.add(doubles ? l.value() : (double) (float) l.value());
                }
            }
        }
        NodeProto.Builder node = NodeProto.newBuilder().setName("trees").setDomain(ML_DOMAIN).addInput(input)
                .addAttribute(ints("nodes_treeids", treeIds))
                .addAttribute(ints("nodes_nodeids", nodeIds))
                .addAttribute(ints("nodes_featureids", featureIds))
                .addAttribute(AttributeProto.newBuilder().setName("nodes_modes")
                        .setType(AttributeProto.AttributeType.STRINGS).addAllStrings(modes))
                .addAttribute(doubles ? doubleTensor("nodes_values_as_tensor", values) : floats("nodes_values", values))
                .addAttribute(ints("nodes_truenodeids", trueIds))
                .addAttribute(ints("nodes_falsenodeids", falseIds))
                .addAttribute(ints("nodes_missing_value_tracks_true", missingTrue));
        if (ensemble.task() == Task.REGRESSION) {
            node.setOpType("TreeEnsembleRegressor").addOutput(REGRESSION_OUTPUT)
                    .addAttribute(ints("target_treeids", leafTree))
                    .addAttribute(ints("target_nodeids", leafNode))
                    .addAttribute(ints("target_ids", leafTarget))
                    .addAttribute(doubles ? doubleTensor("target_weights_as_tensor", leafWeight)
                            : floats("target_weights", leafWeight))
                    .addAttribute(AttributeProto.newBuilder().setName("n_targets")
                            .setType(AttributeProto.AttributeType.INT).setI(1))
                    .addAttribute(string("post_transform", "NONE"))
                    .addAttribute(string("aggregate_function", "SUM"));
            graph.addOutput(valueInfo(REGRESSION_OUTPUT, TensorProto.DataType.FLOAT, "N", 1));
        } else {
            int k = ensemble.numClasses();
            List<Long> labels = new ArrayList<>();
            for (long c = 0; c < k; c++) labels.add(c);
            node.setOpType("TreeEnsembleClassifier").addOutput(LABEL_OUTPUT).addOutput(PROBABILITIES_OUTPUT)
                    .addAttribute(ints("classlabels_int64s", labels))
                    .addAttribute(ints("class_treeids", leafTree))
                    .addAttribute(ints("class_nodeids", leafNode))
                    .addAttribute(ints("class_ids", leafTarget))
                    .addAttribute(doubles ? doubleTensor("class_weights_as_tensor", leafWeight)
                            : floats("class_weights", leafWeight))
                    .addAttribute(string("post_transform", binary ? "LOGISTIC" : "SOFTMAX"));
            graph.addOutput(valueInfo(LABEL_OUTPUT, TensorProto.DataType.INT64, "N", -1));
            graph.addOutput(valueInfo(PROBABILITIES_OUTPUT, TensorProto.DataType.FLOAT, "N", k));
        }
        graph.addNode(node);
    }

    /**
     * The trees with each output's base score added to the leaves of the first tree of that output (a one-leaf tree
     * is appended for an output without trees), so that no {@code base_values} attribute is needed and the sum
     * starts from the base score, as in the engines.
     */
    static List<Tree> foldBaseScore(TreeEnsemble ensemble) {
        List<Tree> trees = new ArrayList<>(ensemble.trees());
        double[] base = ensemble.baseScore();
        for (int o = 0; o < base.length; o++) {
            if (base[o] == 0.0) continue;
            int first = -1;
            for (int t = 0; t < trees.size() && first < 0; t++) if (trees.get(t).target() == o) first = t;
            if (first >= 0) {
                trees.set(first, trees.get(first).withLeavesShifted(base[o], ensemble.accumulation()));
            } else {
                trees.add(new Tree(o, List.of(new Leaf(base[o]))));
            }
        }
        return trees;
    }

    /**
     * The float threshold that makes the float comparison agree with the exact one for every float input: for
     * {@code x <= t} the largest float not above {@code t}, for {@code x < t} the smallest float not below it.
     */
    static float floatThreshold(Split s) {
        double t = s.threshold();
        float f = (float) t;
        if (Double.isNaN(t) || (double) f == t) return f;
        if (s.comparison() == Comparison.LESS_OR_EQUAL) return (double) f > t ? Math.nextDown(f) : f;
        return (double) f < t ? Math.nextUp(f) : f;
    }

    private static String producerVersion() {
        String v = OnnxTreeExporter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, String batchDim, int width) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batchDim));
        if (width >= 0) shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }

    private static AttributeProto ints(String name, List<Long> values) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(values).build();
    }

    private static AttributeProto floats(String name, List<Double> values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (double v : values) b.addFloats((float) v);
        return b.build();
    }

    private static AttributeProto floats(String name, double[] values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOATS);
        for (double v : values) b.addFloats((float) v);
        return b.build();
    }

    private static AttributeProto doubleTensor(String name, List<Double> values) {
        TensorProto tensor = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE_VALUE)
                .addDims(values.size()).addAllDoubleData(values).build();
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR).setT(tensor)
                .build();
    }

    private static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }
}
