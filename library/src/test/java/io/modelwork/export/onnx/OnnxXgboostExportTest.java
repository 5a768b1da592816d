package io.modelwork.export.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import io.modelwork.core.ModelworkException;
import io.modelwork.export.onnx.OnnxTestSupport.Data;
import io.modelwork.export.onnx.OnnxTestSupport.Split;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.modelwork.export.onnx.OnnxTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** XGBoost4J models on real data, exported to ONNX and scored by ONNX Runtime, against XGBoost's own predictions. */
class OnnxXgboostExportTest {
    @TempDir
    Path dir;

    static Booster train(Data d, Map<String, Object> params, int rounds) throws Exception {
        DMatrix m = new DMatrix(d.flat(), d.rows(), d.cols(), Float.NaN);
        m.setLabel(d.y());
        Map<String, Object> p = new HashMap<>(params);
        p.putIfAbsent("nthread", 1);
        p.putIfAbsent("seed", 7);
        return XGBoost.train(m, p, rounds, Map.of(), null, null);
    }

    static float[][] predict(Booster b, Data d) throws Exception {
        return b.predict(new DMatrix(d.flat(), d.rows(), d.cols(), Float.NaN));
    }

    static String json(Booster b) throws Exception {
        return new String(b.toByteArray("json"), StandardCharsets.UTF_8);
    }

    @Test
    void regressionOnConcreteMatchesNative() throws Exception {
        Split s = split(csv("regression/modeldata_concrete.csv", Float::parseFloat), 1);
        // NaN in training for columns 1 and 4 (learned default directions); at test time also in columns never NaN
        Data train = withNaN(s.train(), 0.1, 2, 1, 4);
        Data test = withNaN(s.test(), 0.15, 3, 0, 1, 4, 7);
        assertTrue(countNaN(test.x()) > 0);
        Booster b = train(train, Map.of("objective", "reg:squarederror", "max_depth", 6, "eta", 0.1), 100);
        double[][] nativePred = toDouble(predict(b, test));

        TreeEnsemble e = XgboostTrees.parse(json(b));
        assertEquals(TreeEnsemble.Task.REGRESSION, e.task());
        assertEquals(100, e.trees().size());
        assertEquals(8, e.numFeatures());
        assertEquals(0.0, maxAbsDiff(reference(e, test.x()), nativePred), "parsed trees, summed in float like XGBoost");

        ModelProto model = OnnxTreeExporter.toOnnx(e, null, "features");
        double[][] onnx = toDouble((float[][]) runOnnx(model, dir, "features", test.x()).get("variable"));
        double abs = maxAbsDiff(onnx, nativePred);
        double rel = maxRelDiff(onnx, nativePred);
        report("xgboost reg:squarederror concrete", abs, rel);
        // ONNX Runtime's default thread pool sums batches of trees in parallel, which reorders the float sum:
        // absolute differences of a few float ulps of values up to ~80 (ulp 7.6e-6) are expected, so the bound is
        // relative. One thread sums in XGBoost's order from XGBoost's start value, and then the match is exact.
        assertTrue(rel <= 1e-5, "max relative diff " + rel);
        double[][] sequential = toDouble((float[][]) runOnnx(model, dir, "features", test.x(), 1).get("variable"));
        assertEquals(0.0, maxAbsDiff(sequential, nativePred), "single-threaded ONNX Runtime sums like XGBoost");
    }

    @Test
    void binaryLogisticOnBreastCancerMatchesNative() throws Exception {
        Split s = split(csv("classification/breast_cancer.csv", v -> v.equals("malignant") ? 1f : 0f), 1);
        Data train = withNaN(s.train(), 0.1, 2, 0, 7, 20);
        Data test = withNaN(s.test(), 0.15, 3, 0, 2, 7, 20, 27);
        Booster b = train(train, Map.of("objective", "binary:logistic", "max_depth", 6, "eta", 0.1), 100);
        float[][] p = predict(b, test);
        double[] p1 = new double[p.length];
        for (int i = 0; i < p.length; i++) p1[i] = p[i][0];
        double[][] nativePred = binaryColumns(p1);

        TreeEnsemble e = XgboostTrees.parse(json(b));
        assertEquals(TreeEnsemble.Task.BINARY_CLASSIFICATION, e.task());
        assertTrue(maxAbsDiff(reference(e, test.x()), nativePred) <= 1e-6);

        Map<String, Object> out = runOnnx(OnnxTreeExporter.toOnnx(e, null, null), dir, "features", test.x());
        float[][] probs = (float[][]) out.get(OnnxTreeExporter.PROBABILITIES_OUTPUT);
        long[] labels = (long[]) out.get(OnnxTreeExporter.LABEL_OUTPUT);
        assertEquals(2, probs[0].length);
        double abs = maxAbsDiff(toDouble(probs), nativePred);
        report("xgboost binary:logistic breast_cancer", abs, abs);
        assertTrue(abs <= 1e-5, "max abs diff " + abs);
        for (int i = 0; i < labels.length; i++) {
            if (Math.abs(p1[i] - 0.5) > 1e-4) assertEquals(p1[i] > 0.5 ? 1L : 0L, labels[i], "label of row " + i);
        }
    }

    @Test
    void softprobOnDigitsMatchesNative() throws Exception {
        Split s = split(csv("classification/digits.csv", Float::parseFloat), 1);
        Data train = withNaN(s.train(), 0.1, 2, 20, 36, 43);
        Data test = withNaN(s.test(), 0.15, 3, 5, 20, 36, 43, 60);
        Booster b = train(train, Map.of("objective", "multi:softprob", "num_class", 10, "max_depth", 4,
                "eta", 0.3), 20);
        double[][] nativePred = toDouble(predict(b, test));

        TreeEnsemble e = XgboostTrees.parse(json(b));
        assertEquals(TreeEnsemble.Task.MULTICLASS_CLASSIFICATION, e.task());
        assertEquals(10, e.numClasses());
        assertEquals(200, e.trees().size());
        assertTrue(maxAbsDiff(reference(e, test.x()), nativePred) <= 1e-6);

        Map<String, Object> out = runOnnx(OnnxTreeExporter.toOnnx(e, null, "pixels"), dir, "pixels", test.x());
        double abs = maxAbsDiff(toDouble((float[][]) out.get("probabilities")), nativePred);
        report("xgboost multi:softprob digits", abs, abs);
        assertTrue(abs <= 1e-5, "max abs diff " + abs);
    }

    @Test
    void baseScoreIsReadAsScalarOrVector() {
        assertArrayEquals(new double[] {0.5}, XgboostTrees.parseVector("5E-1"));
        assertArrayEquals(new double[] {0.5}, XgboostTrees.parseVector("[5E-1]"));
        assertArrayEquals(new double[] {1.0, -2.5}, XgboostTrees.parseVector("[1E0,-2.5E0]"));
    }

    @Test
    void unsupportedObjectiveIsRejected() throws Exception {
        Split s = split(csv("regression/modeldata_concrete.csv", Float::parseFloat), 1);
        Booster b = train(s.train(), Map.of("objective", "count:poisson", "max_depth", 2), 2);
        ModelworkException ex = assertThrows(ModelworkException.class, () -> XgboostTrees.parse(json(b)));
        assertTrue(ex.what().contains("count:poisson"), ex.getMessage());
        assertThrows(ModelworkException.class, () -> XgboostTrees.parse("{\"not\": \"xgboost\"}"));
    }
}
