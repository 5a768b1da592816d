package io.modelwork.tabular;

/**
 * A dense feature matrix in row-major {@code float} (what XGBoost, LightGBM and ONNX Runtime take without a copy),
 * with labels, optional sample weights, the source row numbers, and (for ranking) the query id of every row, rows
 * of one query being contiguous.
 */
public record Matrix(float[] x, int rows, int cols, double[] y, double[] weights, int[] rowIds, String[] featureNames,
                     int[] groups) {
    public Matrix(float[] x, int rows, int cols, double[] y, double[] weights, int[] rowIds, String[] featureNames) {
        this(x, rows, cols, y, weights, rowIds, featureNames, null);
    }

    /** Sizes of consecutive query groups (LightGBM's {@code group} field). */
    public int[] groupSizes() {
        java.util.List<Integer> sizes = new java.util.ArrayList<>();
        for (int i = 0; i < rows; i++) {
            if (i == 0 || groups[i] != groups[i - 1]) sizes.add(1);
            else sizes.set(sizes.size() - 1, sizes.get(sizes.size() - 1) + 1);
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    public float get(int r, int c) { return x[r * cols + c]; }

    public double[] column(int c) {
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) out[r] = x[r * cols + c];
        return out;
    }

    public int[] intLabels() {
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) out[i] = (int) y[i];
        return out;
    }

    /** The rows at the given positions (0-based positions in this matrix). */
    public Matrix subset(int[] positions) {
        float[] nx = new float[positions.length * cols];
        double[] ny = new double[positions.length];
        double[] nw = weights == null ? null : new double[positions.length];
        int[] nid = new int[positions.length];
        int[] ng = groups == null ? null : new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            if (ng != null) ng[i] = groups[positions[i]];
            System.arraycopy(x, positions[i] * cols, nx, i * cols, cols);
            ny[i] = y[positions[i]];
            if (nw != null) nw[i] = weights[positions[i]];
            nid[i] = rowIds[positions[i]];
        }
        return new Matrix(nx, positions.length, cols, ny, nw, nid, featureNames, ng);
    }

    public Matrix withWeights(double[] w) { return new Matrix(x, rows, cols, y, w, rowIds, featureNames, groups); }

    /** In-memory size of the numbers, in bytes. */
    public long bytes() { return 4L * x.length + 8L * y.length; }
}
