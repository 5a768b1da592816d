package io.modelwork.bench;

import io.modelwork.session.Session;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.metarank.lightgbm4j.LGBMBooster;
import com.microsoft.ml.lightgbm.PredictionType;
import io.modelwork.core.Args;
import io.modelwork.tabular.Matrix;
import io.modelwork.tabular.TabularModel;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;

import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

import static io.modelwork.bench.BenchSupport.*;

/**
 * Benchmark 3: batch prediction throughput of the exported {@code model.onnx} (ONNX Runtime Java) versus the native
 * booster on the same rows, for XGBoost and LightGBM models fitted and exported through the Session.
 *
 * <p>The rows are the Session's test matrix tiled up to {@code --predict-rows}. The synthetic data is all numeric
 * without missing values and the pipeline does no scaling, so the raw column values the ONNX graph takes (its
 * Imputer + Scaler prefix) equal the preprocessed matrix the native booster takes. Both sides use {@value
 * BenchSupport#THREADS} threads. Timed: the whole call including input tensor / output array conversion.
 *
 * <pre>bench/run.sh OnnxPredictBench [--quick] [--rows=50000] [--rounds=200] [--predict-rows=200000] [--batch=1000]</pre>
 */
public final class OnnxPredictBench {
    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        int rows = fl.getInt("rows", 50_000, 10_000);
        int rounds = fl.getInt("rounds", 200, 30);
        int predictRows = fl.getInt("predict-rows", 200_000, 20_000);
        int batch = fl.getInt("batch", 1000, 1000);
        int reps = fl.getInt("reps", 5, 2);
        machine();
        Path tmp = tempDir("modelwork-bench-onnx");
        List<List<String>> table = new ArrayList<>();
        try {
            Path csv = writeSynthetic(tmp.resolve("synthetic.csv"), rows, 20, 11);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            for (String spec : List.of("regression.xgboost", "regression.lightgbm")) {
                boolean xgb = spec.endsWith("xgboost");
                try (Chain c = sessionChain(csv, "y", spec, Args.empty(), rounds, tmp.resolve("run-" + spec))) {
                    Path bundle = tmp.resolve("export-" + spec);
                    c.session().export(Args.of("target", bundle.toString()));
                    Matrix test = c.workflow().matrix("test");
                    int cols = test.cols();
                    float[] x = new float[predictRows * cols];
                    for (int i = 0; i < predictRows; i++) System.arraycopy(test.x(), (i % test.rows()) * cols, x, i * cols, cols);
                    Matrix big = new Matrix(x, predictRows, cols, new double[predictRows], null, new int[predictRows], test.featureNames());

                    // native boosters loaded from the bundle's native model file
                    Booster xb = null;
                    LGBMBooster lb = null;
                    if (xgb) { xb = XGBoost.loadModel(Files.readAllBytes(bundle.resolve("model.json"))); xb.setParam("nthread", THREADS); }
                    else lb = LGBMBooster.loadModelFromString(Files.readString(bundle.resolve("model.txt"), StandardCharsets.UTF_8));
                    TabularModel model = c.workflow().model();
                    final Booster fxb = xb;
                    final LGBMBooster flb = lb;
                    Predictor nativeRaw = (xs, n) -> {
                        if (fxb != null) { float[][] p = fxb.inplace_predict(xs, n, cols, Float.NaN); return p[n - 1][0]; }
                        double[] p = flb.predictForMat(xs, n, cols, true, PredictionType.C_API_PREDICT_NORMAL,
                                "num_threads=" + THREADS);
                        return (float) p[n - 1];
                    };
                    Predictor library = (xs, n) -> {
                        double[][] p = model.predict(new Matrix(xs, n, cols, new double[n], null, new int[n], test.featureNames()));
                        return (float) p[n - 1][0];
                    };
                    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
                        so.setIntraOpNumThreads(THREADS);
                        so.setInterOpNumThreads(1);
                        try (OrtSession ort = env.createSession(bundle.resolve("model.onnx").toString(), so)) {
                            String input = ort.getInputNames().iterator().next();
                            Predictor onnx = (xs, n) -> {
                                try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(xs, 0, n * cols), new long[]{n, cols});
                                     OrtSession.Result r = ort.run(Map.of(input, in))) {
                                    float[][] p = (float[][]) r.get(0).getValue();
                                    return p[n - 1][0];
                                }
                            };
                            // parity on the tiled rows
                            double[][] nat = model.predict(big);
                            float[][] on;
                            try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{predictRows, cols});
                                 OrtSession.Result r = ort.run(Map.of(input, in))) { on = (float[][]) r.get(0).getValue(); }
                            double maxDiff = 0;
                            for (int i = 0; i < predictRows; i++) maxDiff = Math.max(maxDiff, Math.abs(nat[i][0] - on[i][0]));
                            System.out.printf(Locale.ROOT, "%s: %d features, %d trees, ONNX vs native max |diff| %.2e over %d rows%n",
                                    spec, cols, rounds, maxDiff, predictRows);
                            for (int b : new int[]{predictRows, batch}) {
                                double tNative = throughput(nativeRaw, x, predictRows, cols, b, reps);
                                double tLib = throughput(library, x, predictRows, cols, b, reps);
                                double tOnnx = throughput(onnx, x, predictRows, cols, b, reps);
                                table.add(List.of(xgb ? "xgboost" : "lightgbm", Integer.toString(rounds),
                                        b == predictRows ? "all " + predictRows : Integer.toString(b),
                                        f(tNative, 0), f(tLib, 0), f(tOnnx, 0), f(tOnnx / tNative, 2)));
                            }
                        }
                    } finally {
                        if (xb != null) xb.dispose();
                        if (lb != null) lb.close();
                    }
                }
            }
            table("Batch prediction throughput, rows/s (best of " + reps + " passes over " + predictRows + " rows; "
                    + THREADS + " threads each)", List.of("model", "trees", "batch rows", "native booster",
                    "library model.predict", "ONNX Runtime (model.onnx)", "ONNX / native"), table);
            System.out.println("\nnative booster = XGBoost4J inplace_predict / LightGBM4J predictForMat on the bundle's native model;"
                    + " library model.predict adds the double[][] conversion of TabularModel.predict.");
        } finally {
            deleteTree(tmp);
        }
    }

    interface Predictor { float predict(float[] x, int rows) throws Exception; }

    /** Best-of-{@code reps} rows/s over all rows in batches of {@code batch} (one untimed warm-up pass first). */
    static double throughput(Predictor p, float[] x, int rows, int cols, int batch, int reps) throws Exception {
        float[] buf = new float[batch * cols];
        double best = Double.POSITIVE_INFINITY;
        float sink = 0;
        for (int r = -1; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int start = 0; start < rows; start += batch) {
                int n = Math.min(batch, rows - start);
                float[] xs;
                if (start == 0 && n == rows) xs = x;
                else { System.arraycopy(x, start * cols, buf, 0, n * cols); xs = buf; }
                sink += p.predict(xs, n);
            }
            double s = sec(System.nanoTime() - t0);
            if (r >= 0) best = Math.min(best, s);
        }
        if (sink == 42.4242f) System.out.print("");
        return rows / best;
    }
}
