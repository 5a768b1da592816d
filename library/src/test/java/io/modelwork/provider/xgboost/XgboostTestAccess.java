package io.modelwork.provider.xgboost;

import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Test access to package-private XGBoost helpers. */
public final class XgboostTestAccess {
    private XgboostTestAccess() {}

    public static void checkTrimOnDiabetes(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int rows = lines.size() - 1, cols = lines.get(0).split(",").length - 1;
        float[] x = new float[rows * cols];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            String[] p = lines.get(i + 1).split(",");
            for (int c = 0; c < cols; c++) x[i * cols + c] = Float.parseFloat(p[c]);
            y[i] = Float.parseFloat(p[cols]);
        }
        DMatrix d = new DMatrix(x, rows, cols, Float.NaN);
        d.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("max_depth", 3, "eta", 0.1, "nthread", 1));
        Booster full = XGBoost.train(d, params, 60, new HashMap<>(), null, null);
        Booster trimmed = XGBoost.loadModel(XgboostModel.trim(full.toByteArray("json"), 25));
        float[][] a = full.inplace_predict(x, rows, cols, Float.NaN, new int[]{0, 25});
        float[][] b = trimmed.inplace_predict(x, rows, cols, Float.NaN);
        assertEquals(25, trimmed.getNumBoostedRound());
        for (int i = 0; i < rows; i++) assertEquals(a[i][0], b[i][0], 0f, "row " + i);
        full.dispose();
        trimmed.dispose();
        d.dispose();
    }
}
