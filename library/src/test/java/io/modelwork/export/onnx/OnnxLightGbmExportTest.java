package io.modelwork.export.onnx;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.modelwork.core.ModelworkException;
import io.modelwork.export.onnx.OnnxTestSupport.Data;
import io.modelwork.export.onnx.OnnxTestSupport.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.modelwork.export.onnx.OnnxTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** LightGBM4J models on real data, exported to ONNX and scored by ONNX Runtime, against LightGBM's own predictions. */
class OnnxLightGbmExportTest {
    @TempDir
    Path dir;

    /** Trains a booster and returns its model text. */
    static String train(Data d, String params, int iterations) throws Exception {
        try (LGBMDataset ds = LGBMDataset.createFromMat(d.flat(), d.rows(), d.cols(), true, "", null)) {
            ds.setField("label", d.y());
            try (LGBMBooster b = LGBMBooster.create(ds, params + " verbose=-1 num_threads=1 seed=7 deterministic=true")) {
                for (int i = 0; i < iterations; i++) b.updateOneIter();
                return b.saveModelToString(0, 0, LGBMBooster.FeatureImportanceType.SPLIT);
            }
        }
    }

    /**
     * LightGBM's own predictions from the saved model text (what the export claims to reproduce), {@code rows x
     * outputs}. This calls LightGBM's C API directly: lightgbm4j 4.1.0-1's {@code predictForMat} allocates an output
     * buffer of {@code 2 * rows} doubles, which a multiclass model (K > 2 values per row) overruns, crashing the JVM.
     */
    static double[] predict(String model, Data d) {
        Matcher m = Pattern.compile("(?m)^num_class=(\\d+)$").matcher(model);
        int perRow = m.find() ? Integer.parseInt(m.group(1)) : 1;
        return io.modelwork.provider.lightgbm.NativePredict.predict(model, d.flat(), d.rows(), d.cols(), perRow);
    }

    /** Asserts that the model has splits with missing type NaN and with missing type None, so both routes are tested. */
    static void assertBothMissingTypes(String model) {
        boolean nan = false;
        boolean none = false;
        Matcher m = Pattern.compile("(?m)^decision_type=(.*)$").matcher(model);
        while (m.find()) {
            for (String t : m.group(1).trim().split("\\s+")) {
                int missing = (Integer.parseInt(t) >> 2) & 3;
                nan |= missing == 2;
                none |= missing == 0;
            }
        }
        assertTrue(nan && none, "expected splits with missing type NaN and None");
    }

    @Test
    void regressionOnConcreteMatchesNative() throws Exception {
        Split s = split(csv("regression/modeldata_concrete.csv", Float::parseFloat), 1);
        Data train = withNaN(s.train(), 0.1, 2, 1, 4);
        Data test = withNaN(s.test(), 0.15, 3, 0, 1, 4, 7);
        String model = train(train, "objective=regression num_leaves=31 learning_rate=0.1", 100);
        assertBothMissingTypes(model);
        double[][] nativePred = reshape(predict(model, test), test.rows());

        TreeEnsemble e = LightGbmTrees.parse(model);
        assertEquals(TreeEnsemble.Task.REGRESSION, e.task());
        assertEquals(100, e.trees().size());
        assertEquals(TreeEnsemble.Accumulation.FLOAT64, e.accumulation());
        assertTrue(maxAbsDiff(reference(e, test.x()), nativePred) <= 1e-9, "parsed trees, summed in double");

        double[][] onnx = toDouble((float[][]) runOnnx(OnnxTreeExporter.toOnnx(e, null, "features"), dir,
                "features", test.x()).get("variable"));
        double abs = maxAbsDiff(onnx, nativePred);
        double rel = maxRelDiff(onnx, nativePred);
        report("lightgbm regression concrete", abs, rel);
        // ONNX Runtime sums in double like LightGBM; the only loss is the float output (half an ulp: 3.8e-6 at 80)
        assertTrue(abs <= 1e-5, "max abs diff " + abs);
    }

    @Test
    void binaryOnBreastCancerMatchesNative() throws Exception {
        Split s = split(csv("classification/breast_cancer.csv", v -> v.equals("malignant") ? 1f : 0f), 1);
        Data train = withNaN(s.train(), 0.1, 2, 0, 7, 20);
        Data test = withNaN(s.test(), 0.15, 3, 0, 2, 7, 20, 27);
        String model = train(train, "objective=binary num_leaves=15 learning_rate=0.1", 100);
        assertBothMissingTypes(model);
        double[][] nativePred = binaryColumns(predict(model, test));

        TreeEnsemble e = LightGbmTrees.parse(model);
        assertEquals(TreeEnsemble.Task.BINARY_CLASSIFICATION, e.task());
        assertTrue(maxAbsDiff(reference(e, test.x()), nativePred) <= 1e-12);

        Map<String, Object> out = runOnnx(OnnxTreeExporter.toOnnx(e, null, "features"), dir, "features", test.x());
        double abs = maxAbsDiff(toDouble((float[][]) out.get("probabilities")), nativePred);
        report("lightgbm binary breast_cancer", abs, abs);
        assertTrue(abs <= 1e-5, "max abs diff " + abs);
        long[] labels = (long[]) out.get("label");
        for (int i = 0; i < labels.length; i++) {
            double p = nativePred[i][1];
            if (Math.abs(p - 0.5) > 1e-4) assertEquals(p > 0.5 ? 1L : 0L, labels[i], "label of row " + i);
        }
    }

    @Test
    void binaryWithSigmoidScaleMatchesNative() throws Exception {
        Split s = split(csv("classification/breast_cancer.csv", v -> v.equals("malignant") ? 1f : 0f), 4);
        String model = train(s.train(), "objective=binary sigmoid=0.7 num_leaves=7", 30);
        assertTrue(model.contains("sigmoid:0.7"));
        double[][] nativePred = binaryColumns(predict(model, s.test()));
        TreeEnsemble e = LightGbmTrees.parse(model);
        Map<String, Object> out = runOnnx(OnnxTreeExporter.toOnnx(e, null, null), dir, "features", s.test().x());
        double abs = maxAbsDiff(toDouble((float[][]) out.get("probabilities")), nativePred);
        report("lightgbm binary sigmoid:0.7 breast_cancer", abs, abs);
        assertTrue(abs <= 1e-5, "max abs diff " + abs);
    }

    @Test
    void multiclassOnIrisMatchesNative() throws Exception {
        Split s = split(csv("classification/iris.csv", classIndex()), 1);
        Data train = withNaN(s.train(), 0.1, 2, 2);
        Data test = withNaN(s.test(), 0.2, 3, 0, 2, 3);
        String model = train(train, "objective=multiclass num_class=3 num_leaves=7 min_data_in_leaf=5", 50);
        double[][] nativePred = reshape(predict(model, test), test.rows());
        assertEquals(3, nativePred[0].length);

        TreeEnsemble e = LightGbmTrees.parse(model);
        assertEquals(TreeEnsemble.Task.MULTICLASS_CLASSIFICATION, e.task());
        assertEquals(150, e.trees().size());
        assertEquals(2, e.trees().get(5).target(), "trees are interleaved by class");
        assertTrue(maxAbsDiff(reference(e, test.x()), nativePred) <= 1e-12);

        Map<String, Object> out = runOnnx(OnnxTreeExporter.toOnnx(e, null, "features"), dir, "features", test.x());
        float[][] probs = (float[][]) out.get("probabilities");
        assertEquals(3, probs[0].length);
        double abs = maxAbsDiff(toDouble(probs), nativePred);
        report("lightgbm multiclass iris", abs, abs);
        assertTrue(abs <= 1e-5, "max abs diff " + abs);
    }

    @Test
    void categoricalAndUnsupportedModelsAreRejected() throws Exception {
        Split s = split(csv("classification/iris.csv", classIndex()), 1);
        String model = train(s.train(), "objective=regression num_leaves=4", 2);
        String categorical = model.replaceFirst("(?m)^decision_type=\\d+", "decision_type=1");
        ModelworkException ex = assertThrows(ModelworkException.class, () -> LightGbmTrees.parse(categorical));
        assertTrue(ex.what().contains("categorical"), ex.getMessage());

        String poisson = model.replaceFirst("(?m)^objective=.*$", "objective=poisson");
        ex = assertThrows(ModelworkException.class, () -> LightGbmTrees.parse(poisson));
        assertTrue(ex.what().contains("poisson"), ex.getMessage());

        assertThrows(ModelworkException.class, () -> LightGbmTrees.parse("not a model"));
    }
}
