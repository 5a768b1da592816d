package io.modelwork.export.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.modelwork.core.Assets;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/** Real-data loading, splitting, NaN injection and ONNX Runtime scoring shared by the export tests. */
final class OnnxTestSupport {
    private OnnxTestSupport() {}

    /** A feature matrix with its labels. */
    record Data(float[][] x, float[] y) {
        int rows() { return x.length; }
        int cols() { return x[0].length; }
        float[] flat() { return OnnxTestSupport.flat(x); }
    }

    /** A train/test split. */
    record Split(Data train, Data test) {}

    /**
     * Reads a CSV under the assets' data folder whose last column is the label; {@code label} maps the label text
     * to a number.
     */
    static Data csv(String relative, Function<String, Float> label) throws Exception {
        List<String> lines = Files.readAllLines(Assets.data(relative));
        List<float[]> xs = new ArrayList<>();
        List<Float> ys = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] p = line.split(",");
            float[] row = new float[p.length - 1];
            for (int j = 0; j < row.length; j++) row[j] = Float.parseFloat(p[j].replace("\"", "").trim());
            xs.add(row);
            ys.add(label.apply(p[p.length - 1].replace("\"", "").trim()));
        }
        float[] y = new float[ys.size()];
        for (int i = 0; i < y.length; i++) y[i] = ys.get(i);
        return new Data(xs.toArray(new float[0][]), y);
    }

    /** Maps class names to 0, 1, 2, ... in order of first appearance. */
    static Function<String, Float> classIndex() {
        Map<String, Float> ids = new HashMap<>();
        return s -> ids.computeIfAbsent(s, k -> (float) ids.size());
    }

    /** A seeded 80/20 split. */
    static Split split(Data d, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < d.rows(); i++) idx.add(i);
        Collections.shuffle(idx, new Random(seed));
        int cut = (int) Math.round(d.rows() * 0.8);
        return new Split(subset(d, idx.subList(0, cut)), subset(d, idx.subList(cut, idx.size())));
    }

    private static Data subset(Data d, List<Integer> idx) {
        float[][] x = new float[idx.size()][];
        float[] y = new float[idx.size()];
        for (int i = 0; i < idx.size(); i++) {
            x[i] = d.x()[idx.get(i)].clone();
            y[i] = d.y()[idx.get(i)];
        }
        return new Data(x, y);
    }

    /** Sets each cell of the given columns to NaN with probability {@code rate}; returns a copy. */
    static Data withNaN(Data d, double rate, long seed, int... columns) {
        Random r = new Random(seed);
        float[][] x = new float[d.rows()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = d.x()[i].clone();
            for (int c : columns) if (r.nextDouble() < rate) x[i][c] = Float.NaN;
        }
        return new Data(x, d.y().clone());
    }

    static float[] flat(float[][] x) {
        int f = x[0].length;
        float[] out = new float[x.length * f];
        for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, out, i * f, f);
        return out;
    }

    static int countNaN(float[][] x) {
        int n = 0;
        for (float[] row : x) for (float v : row) if (Float.isNaN(v)) n++;
        return n;
    }

    /**
     * Writes the model to a file with the exporter, loads it in ONNX Runtime (default session options) and scores
     * {@code x}.
     */
    static Map<String, Object> runOnnx(ModelProto model, Path dir, String inputName, float[][] x) throws Exception {
        return runOnnx(model, dir, inputName, x, 0);
    }

    /** As above, with {@code intraOpThreads} threads (0: ONNX Runtime's default). */
    static Map<String, Object> runOnnx(ModelProto model, Path dir, String inputName, float[][] x, int intraOpThreads)
            throws Exception {
        Path file = dir.resolve("model.onnx");
        OnnxTreeExporter.write(model, file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            if (intraOpThreads > 0) opts.setIntraOpNumThreads(intraOpThreads);
            return score(env, opts, file, inputName, x);
        }
    }

    private static Map<String, Object> score(OrtEnvironment env, OrtSession.SessionOptions opts, Path file,
                                             String inputName, float[][] x) throws Exception {
        try (OrtSession session = env.createSession(file.toString(), opts);
             OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat(x)),
                     new long[] {x.length, x[0].length});
             OrtSession.Result result = session.run(Map.of(inputName, input))) {
            Map<String, Object> out = new HashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) out.put(e.getKey(), e.getValue().getValue());
            return out;
        }
    }

    /** Max of {@code |a - b|}. */
    static double maxAbsDiff(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) throw new AssertionError("row " + i + ": widths differ");
            for (int j = 0; j < a[i].length; j++) max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
        }
        return max;
    }

    /** Max of {@code |a - b| / max(1, |b|)}: relative error for large values, absolute for small ones. */
    static double maxRelDiff(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]) / Math.max(1.0, Math.abs(b[i][j])));
            }
        }
        return max;
    }

    static double[][] toDouble(float[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) out[i][j] = a[i][j];
        }
        return out;
    }

    /** Reshapes a row-major vector into {@code rows x (len/rows)}. */
    static double[][] reshape(double[] v, int rows) {
        int w = v.length / rows;
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) out[i] = Arrays.copyOfRange(v, i * w, (i + 1) * w);
        return out;
    }

    /** {@code [1-p, p]} rows from a vector of class-1 probabilities. */
    static double[][] binaryColumns(double[] p) {
        double[][] out = new double[p.length][];
        for (int i = 0; i < p.length; i++) out[i] = new double[] {1 - p[i], p[i]};
        return out;
    }

    /** The Java reference predictions of the parsed ensemble. */
    static double[][] reference(TreeEnsemble e, float[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) out[i] = e.predict(x[i]);
        return out;
    }

    static void report(String what, double maxAbs, double maxRel) {
        System.out.printf("[onnx-export] %-45s max|onnx-native| = %.3e  max rel = %.3e%n", what, maxAbs, maxRel);
    }
}
