package io.modelwork.export.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import io.modelwork.core.ModelworkException;
import io.modelwork.export.onnx.OnnxTestSupport.Data;
import io.modelwork.export.onnx.OnnxTestSupport.Split;
import ml.dmlc.xgboost4j.java.Booster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.modelwork.export.onnx.OnnxTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The frozen preprocessing prefix (impute, then scale) inside the ONNX graph, fed raw rows with NaN, against the
 * native model fed rows transformed in Java.
 */
class OnnxPreprocessingExportTest {
    @TempDir
    Path dir;

    /** Column means (ignoring NaN) as impute values, with means and standard deviations for standardisation. */
    static Preprocessing fit(Data train) {
        int f = train.cols();
        double[] mean = new double[f];
        double[] std = new double[f];
        for (int j = 0; j < f; j++) {
            double sum = 0;
            double sq = 0;
            int n = 0;
            for (float[] row : train.x()) {
                if (Float.isNaN(row[j])) continue;
                sum += row[j];
                sq += (double) row[j] * row[j];
                n++;
            }
            mean[j] = sum / n;
            std[j] = Math.sqrt(Math.max(0, sq / n - mean[j] * mean[j]));
        }
        return Preprocessing.imputeAndStandardise(mean, mean, std);
    }

    static Data transform(Preprocessing p, Data d) {
        float[][] x = new float[d.rows()][];
        for (int i = 0; i < x.length; i++) x[i] = p.apply(d.x()[i]);
        return new Data(x, d.y());
    }

    @Test
    void xgboostWithImputeAndScaleMatchesJavaTransformThenNative() throws Exception {
        Split s = split(csv("regression/modeldata_concrete.csv", Float::parseFloat), 5);
        Data rawTrain = withNaN(s.train(), 0.1, 6, 0, 3, 6);
        Data rawTest = withNaN(s.test(), 0.2, 7, 0, 3, 5, 6);
        Preprocessing prep = fit(rawTrain);
        Booster b = OnnxXgboostExportTest.train(transform(prep, rawTrain),
                Map.of("objective", "reg:squarederror", "max_depth", 6, "eta", 0.1), 100);
        Data javaTest = transform(prep, rawTest);
        assertEquals(0, countNaN(javaTest.x()), "imputation removed every NaN");
        double[][] nativePred = toDouble(OnnxXgboostExportTest.predict(b, javaTest));

        TreeEnsemble e = XgboostTrees.parse(OnnxXgboostExportTest.json(b));
        ModelProto model = OnnxTreeExporter.toOnnx(e, prep, "features", Map.of("source", "test"));
        float[][] fromRaw = (float[][]) runOnnx(model, dir, "features", rawTest.x()).get("variable");
        double rel = maxRelDiff(toDouble(fromRaw), nativePred);
        report("xgboost + impute/scale prefix concrete", maxAbsDiff(toDouble(fromRaw), nativePred), rel);
        assertTrue(rel <= 1e-5, "max relative diff " + rel);
        // single-threaded, the Imputer and Scaler compute in float exactly as Preprocessing.apply does
        float[][] sequential = (float[][]) runOnnx(model, dir, "features", rawTest.x(), 1).get("variable");
        assertEquals(0.0, maxAbsDiff(toDouble(sequential), nativePred));

        Map<String, String> meta = new java.util.HashMap<>();
        for (StringStringEntryProto p : model.getMetadataPropsList()) meta.put(p.getKey(), p.getValue());
        assertEquals("test", meta.get("source"));
        assertEquals(prep, Preprocessing.fromJson(meta.get(OnnxTreeExporter.PREPROCESSING_METADATA_KEY)));
        assertEquals(java.util.List.of("Imputer", "Scaler", "TreeEnsembleRegressor"),
                model.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList());
    }

    @Test
    void lightGbmWithImputeAndScaleMatchesJavaTransformThenNative() throws Exception {
        Split s = split(csv("classification/breast_cancer.csv", v -> v.equals("malignant") ? 1f : 0f), 5);
        Data rawTrain = withNaN(s.train(), 0.1, 6, 0, 7, 20);
        Data rawTest = withNaN(s.test(), 0.2, 7, 0, 3, 7, 20, 27);
        Preprocessing prep = fit(rawTrain);
        String lgbm = OnnxLightGbmExportTest.train(transform(prep, rawTrain),
                "objective=binary num_leaves=15 learning_rate=0.1", 100);
        double[][] nativePred = binaryColumns(OnnxLightGbmExportTest.predict(lgbm, transform(prep, rawTest)));

        TreeEnsemble e = LightGbmTrees.parse(lgbm);
        ModelProto model = OnnxTreeExporter.toOnnx(e, prep, "x");
        assertEquals(java.util.List.of("Imputer", "Scaler", "Cast", "TreeEnsembleClassifier"),
                model.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList());
        float[][] probs = (float[][]) runOnnx(model, dir, "x", rawTest.x()).get("probabilities");
        double abs = maxAbsDiff(toDouble(probs), nativePred);
        report("lightgbm + impute/scale prefix breast_cancer", abs, abs);
        assertTrue(abs <= 1e-5, "max abs diff " + abs);
    }

    @Test
    void imputeOnlyPrefixAndWrittenFile() throws Exception {
        Split s = split(csv("classification/iris.csv", classIndex()), 2);
        String lgbm = OnnxLightGbmExportTest.train(s.train(), "objective=multiclass num_class=3 num_leaves=7", 20);
        Preprocessing prep = Preprocessing.impute(new double[] {5.8, 3.0, Double.NaN, 1.2});
        Data rawTest = withNaN(s.test(), 0.3, 8, 0, 1, 2);
        double[][] nativePred = reshape(OnnxLightGbmExportTest.predict(lgbm, transform(prep, rawTest)), rawTest.rows());
        ModelProto model = OnnxTreeExporter.toOnnx(LightGbmTrees.parse(lgbm), prep, null);
        float[][] probs = (float[][]) runOnnx(model, dir, "features", rawTest.x()).get("probabilities");
        assertTrue(maxAbsDiff(toDouble(probs), nativePred) <= 1e-5);
        assertArrayEquals(model.toByteArray(), Files.readAllBytes(dir.resolve("model.onnx")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void preprocessingJsonRoundTripsAndWidthIsChecked() throws Exception {
        Preprocessing p = new Preprocessing(new double[] {1, Double.NaN}, new double[] {0.5, 2}, null);
        assertEquals(p, Preprocessing.fromJson(p.toJson()));
        assertArrayEquals(new float[] {0.5f, Float.NaN}, p.apply(new float[] {Float.NaN, Float.NaN}));
        assertThrows(ModelworkException.class, () -> new Preprocessing(new double[2], new double[3], null));

        Split s = split(csv("classification/iris.csv", classIndex()), 2);
        TreeEnsemble e = LightGbmTrees.parse(OnnxLightGbmExportTest.train(s.train(), "objective=regression", 2));
        ModelworkException ex = assertThrows(ModelworkException.class, () -> OnnxTreeExporter.toOnnx(e, p, null));
        assertTrue(ex.what().contains("2 columns"), ex.getMessage());
    }
}
