package io.modelwork.metrics;

import io.modelwork.core.ModelworkException;

import java.util.Arrays;

/**
 * The rectangular linear sum assignment problem, solved exactly as SciPy's {@code scipy.optimize.linear_sum_assignment}
 * solves it (SciPy ≥ 1.4, {@code scipy/optimize/rectangular_lsap/rectangular_lsap.cpp}: Crouse's shortest augmenting
 * path variant of the Jonker–Volgenant algorithm, "On implementing 2D rectangular assignment algorithms", 2016).
 *
 * <p><b>Why hand-written.</b> TrackEval (HOTA, CLEAR, Identity) and pyannote.metrics (the DER speaker mapping, the
 * per-segment label matching, JER) all call SciPy's solver, and when several assignments have the same optimal cost
 * the one SciPy returns decides which boxes are matched for HOTA/CLEAR and which speaker pairs count for JER. Matching
 * the references number for number therefore needs the <em>same</em> tie-breaking, not just an optimal assignment.
 * The solvers on the class path do not give that: OR-Tools' {@code LinearSumAssignment} takes integer costs (scaling
 * IoU products to integers changes ties) on a square problem and needs its native library; commons-math3 has none;
 * JGraphT's {@code KuhnMunkresMinimalWeightBipartitePerfectMatching} needs a balanced perfect matching and breaks ties
 * differently. This class is a line-by-line port of SciPy's C++ (about 100 lines), including its details that decide
 * ties: the remaining columns are scanned from the last to the first, equal shortest-path costs prefer a free column,
 * tall matrices are transposed and the result is returned sorted by row.
 *
 * <p>Costs must be finite (SciPy also accepts {@code +inf} for forbidden pairs; no caller here needs it).
 */
public final class LinearSumAssignment {
    private LinearSumAssignment() {}

    /** The optimal pairs: {@code rows[k]} is assigned to {@code cols[k]}; sorted by row; {@code min(nr, nc)} pairs. */
    public record Result(int[] rows, int[] cols) {
        public int size() { return rows.length; }
    }

    /** Minimises the total cost of a one-to-one assignment of rows to columns of {@code cost} (rows × cols). */
    public static Result minimize(double[][] cost) {
        int nr = cost.length;
        int nc = nr == 0 ? 0 : cost[0].length;
        if (nr == 0 || nc == 0) return new Result(new int[0], new int[0]);
        boolean transpose = nc < nr;
        double[] c;
        if (transpose) {
            c = new double[nr * nc];
            for (int i = 0; i < nr; i++) {
                if (cost[i].length != nc) throw ragged(i);
                for (int j = 0; j < nc; j++) c[j * nr + i] = cost[i][j];
            }
            int t = nr; nr = nc; nc = t;
        } else {
            c = new double[nr * nc];
            for (int i = 0; i < nr; i++) {
                if (cost[i].length != nc) throw ragged(i);
                System.arraycopy(cost[i], 0, c, i * nc, nc);
            }
        }
        for (double x : c)
            if (!Double.isFinite(x))
                throw new ModelworkException("the assignment cost matrix holds a non-finite value (" + x + ")",
                        "LinearSumAssignment.minimize", "pass finite costs");

        double[] u = new double[nr];
        double[] v = new double[nc];
        double[] shortest = new double[nc];
        int[] path = new int[nc];
        Arrays.fill(path, -1);
        int[] col4row = new int[nr];
        Arrays.fill(col4row, -1);
        int[] row4col = new int[nc];
        Arrays.fill(row4col, -1);
        boolean[] sr = new boolean[nr];
        boolean[] sc = new boolean[nc];
        int[] remaining = new int[nc];
        double[] minVal = new double[1];

        for (int curRow = 0; curRow < nr; curRow++) {
            int sink = augmentingPath(nc, c, u, v, path, row4col, shortest, curRow, sr, sc, remaining, minVal);
            if (sink < 0)
                throw new ModelworkException("the assignment problem is infeasible", "LinearSumAssignment.minimize",
                        "pass finite costs");
            u[curRow] += minVal[0];
            for (int i = 0; i < nr; i++)
                if (sr[i] && i != curRow) u[i] += minVal[0] - shortest[col4row[i]];
            for (int j = 0; j < nc; j++)
                if (sc[j]) v[j] -= minVal[0] - shortest[j];
            int j = sink;
            while (true) {
                int i = path[j];
                row4col[j] = i;
                int t = col4row[i]; col4row[i] = j; j = t;
                if (i == curRow) break;
            }
        }

        int[] a = new int[nr];
        int[] b = new int[nr];
        if (transpose) {
            Integer[] order = new Integer[nr];
            for (int i = 0; i < nr; i++) order[i] = i;
            // numpy's argsort of col4row (values are distinct, so any stable or unstable sort agrees)
            Arrays.sort(order, (x, y) -> Integer.compare(col4row[x], col4row[y]));
            for (int k = 0; k < nr; k++) { a[k] = col4row[order[k]]; b[k] = order[k]; }
        } else {
            for (int i = 0; i < nr; i++) { a[i] = i; b[i] = col4row[i]; }
        }
        return new Result(a, b);
    }

    private static int augmentingPath(int nc, double[] cost, double[] u, double[] v, int[] path, int[] row4col,
                                      double[] shortest, int i, boolean[] sr, boolean[] sc, int[] remaining,
                                      double[] pMinVal) {
        double minVal = 0;
        int numRemaining = nc;
        // filled in reverse order so that a constant cost matrix gives the identity (SciPy #11602)
        for (int it = 0; it < nc; it++) remaining[it] = nc - it - 1;
        Arrays.fill(sr, false);
        Arrays.fill(sc, false);
        Arrays.fill(shortest, Double.POSITIVE_INFINITY);
        int sink = -1;
        while (sink == -1) {
            int index = -1;
            double lowest = Double.POSITIVE_INFINITY;
            sr[i] = true;
            for (int it = 0; it < numRemaining; it++) {
                int j = remaining[it];
                double r = minVal + cost[i * nc + j] - u[i] - v[j];
                if (r < shortest[j]) {
                    path[j] = i;
                    shortest[j] = r;
                }
                if (shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == -1)) {
                    lowest = shortest[j];
                    index = it;
                }
            }
            minVal = lowest;
            if (minVal == Double.POSITIVE_INFINITY) return -1;
            int j = remaining[index];
            if (row4col[j] == -1) sink = j;
            else i = row4col[j];
            sc[j] = true;
            remaining[index] = remaining[--numRemaining];
        }
        pMinVal[0] = minVal;
        return sink;
    }

    private static ModelworkException ragged(int row) {
        return new ModelworkException("the assignment cost matrix is ragged (row " + row + " has another length)",
                "LinearSumAssignment.minimize", "pass a rectangular matrix");
    }
}
