package io.modelwork.export.onnx;

import io.modelwork.core.ModelworkException;
import io.modelwork.export.onnx.OnnxTestSupport.Data;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.modelwork.export.onnx.OnnxTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A small hand-written LightGBM model whose splits use each missing type (None, NaN, Zero) and which has a
 * single-leaf tree, scored on rows with NaN, zero and tiny values by native LightGBM, the parsed ensemble and ONNX
 * Runtime. Leaf values are powers of ten, so every routing difference shows.
 */
class OnnxMissingRoutingTest {
    @TempDir
    Path dir;

    static String model(String zeroTreeDecisionType, String zeroTreeThreshold) {
        return String.join("\n",
                "tree", "version=v4", "num_class=1", "num_tree_per_iteration=1", "label_index=0", "max_feature_idx=1",
                "objective=regression", "feature_names=a b", "feature_infos=[-10:10] [-10:10]", "",
                // node 0: a <= -1, missing type None (NaN acts as 0 -> right); node 1: b <= 1, type NaN, default right
                "Tree=0", "num_leaves=3", "num_cat=0", "split_feature=0 1", "split_gain=1 1", "threshold=-1 1",
                "decision_type=0 8", "left_child=-1 -2", "right_child=1 -3", "leaf_value=1 10 100",
                "leaf_weight=1 1 1", "leaf_count=1 1 1", "internal_value=0 0", "internal_weight=0 0",
                "internal_count=3 2", "is_linear=0", "shrinkage=1", "", "",
                // a <= threshold, missing type Zero, default left
                "Tree=1", "num_leaves=2", "num_cat=0", "split_feature=0", "split_gain=1",
                "threshold=" + zeroTreeThreshold, "decision_type=" + zeroTreeDecisionType, "left_child=-1",
                "right_child=-2", "leaf_value=1000 10000", "leaf_weight=1 1", "leaf_count=1 1", "internal_value=0",
                "internal_weight=0", "internal_count=2", "is_linear=0", "shrinkage=1", "", "",
                "Tree=2", "num_leaves=1", "num_cat=0", "split_feature=", "split_gain=", "threshold=",
                "decision_type=", "left_child=", "right_child=", "leaf_value=0.25", "leaf_weight=", "leaf_count=",
                "internal_value=", "internal_weight=", "internal_count=", "is_linear=0", "shrinkage=1", "", "",
                "end of trees", "");
    }

    @Test
    void noneNanAndZeroMissingTypesRouteLikeLightGbm() throws Exception {
        String text = model("6", "0.5");
        float nan = Float.NaN;
        float[][] rows = {
                {nan, nan}, {nan, 0f}, {0f, nan}, {-2f, 5f}, {0.5f, 1f}, {1e-40f, 2f}, {-5f, nan},
                {0.7f, 1.0000001f}, {-1f, 1f}, {Math.nextUp(-1f), -3f}, {-1e-36f, 0f}, {0.6f, nan}};
        Data d = new Data(rows, new float[rows.length]);
        double[][] nativePred = reshape(OnnxLightGbmExportTest.predict(text, d), rows.length);
        // (NaN, NaN): None-type NaN acts as 0 -> right; NaN-type goes default (right) -> 100; Zero-type -> default left
        assertEquals(100 + 1000 + 0.25, nativePred[0][0]);
        assertEquals(1 + 1000 + 0.25, nativePred[3][0]);
        assertEquals(100 + 10000 + 0.25, nativePred[7][0]); // 1.0000001 > 1: right

        TreeEnsemble e = LightGbmTrees.parse(text);
        assertEquals(3, e.trees().size());
        assertEquals(1, e.trees().get(2).nodes().size());
        assertEquals(0.0, maxAbsDiff(reference(e, rows), nativePred), "parsed ensemble routes like LightGBM");

        float[][] onnx = (float[][]) runOnnx(OnnxTreeExporter.toOnnx(e, null, null), dir, "features", rows)
                .get("variable");
        assertEquals(0.0, maxAbsDiff(toDouble(onnx), nativePred), "ONNX routes like LightGBM");
    }

    @Test
    void zeroMissingTypeAgainstItsThresholdIsRejected() {
        // default left, but 0 > -0.5 would go right by comparison: not expressible as one ONNX node
        ModelworkException ex = assertThrows(ModelworkException.class, () -> LightGbmTrees.parse(model("6", "-0.5")));
        assertTrue(ex.fix().contains("zero_as_missing"), ex.getMessage());
    }

    @Test
    void floatThresholdsKeepFloatComparisons() {
        double t = 0.1; // not a float: (float) 0.1 > 0.1
        var leq = new TreeEnsemble.Split(0, t, TreeEnsemble.Comparison.LESS_OR_EQUAL, 1, 2, false);
        var lt = new TreeEnsemble.Split(0, t, TreeEnsemble.Comparison.LESS_THAN, 1, 2, false);
        float fl = OnnxTreeExporter.floatThreshold(leq);
        float fs = OnnxTreeExporter.floatThreshold(lt);
        for (float x : new float[] {Math.nextDown(0.1f), 0.1f, Math.nextUp(0.1f), fl, fs}) {
            assertEquals(x <= t, x <= fl, "x <= t for x=" + x);
            assertEquals(x < t, x < fs, "x < t for x=" + x);
        }
    }
}
