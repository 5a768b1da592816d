package io.modelwork.optimization;

import com.google.ortools.modelbuilder.LinearExpr;
import com.google.ortools.modelbuilder.LinearExprBuilder;
import com.google.ortools.modelbuilder.ModelBuilder;
import com.google.ortools.modelbuilder.Variable;

/**
 * Textbook MIP formulations of the instances, written out as LP/MPS so the same model can go to any MIP solver
 * (OR-Tools' SCIP or CP-SAT, GLPK's glpsol, COIN-OR CBC). Used by the benchmarks and the MIP progress test; the
 * routing library remains the way to solve a TSP well.
 */
public final class Formulations {
    private Formulations() {}

    /**
     * The asymmetric TSP of Miller, Tucker and Zemlin (1960): binary {@code x_i_j} per arc (i != j), one arc out of
     * and one into every node, and order variables {@code u_i} in [1, n-1] for i >= 1 with
     * {@code u_i - u_j + (n-1) x_i_j <= n-2}, which forbid subtours. {@code integerOrder} makes the u integer (the
     * model is then pure integer, which CP-SAT takes directly); otherwise they are continuous, as usual.
     * Objective: the TSPLIB distances of the chosen arcs.
     */
    public static ModelBuilder tspMtz(Problem.Tsp t, boolean integerOrder) {
        OrTools.load();
        int n = t.n();
        ModelBuilder mb = new ModelBuilder();
        mb.setName("mtz_" + t.name());
        Variable[][] x = new Variable[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) x[i][j] = mb.newBoolVar("x_" + i + "_" + j);
        Variable[] u = new Variable[n];
        for (int i = 1; i < n; i++) u[i] = mb.newVar(1, n - 1, integerOrder, "u_" + i);
        LinearExprBuilder obj = LinearExpr.newBuilder();
        for (int i = 0; i < n; i++) {
            LinearExprBuilder out = LinearExpr.newBuilder(), in = LinearExpr.newBuilder();
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                out.add(x[i][j]);
                in.add(x[j][i]);
                obj.addTerm(x[i][j], t.dist()[i][j]);
            }
            mb.addEquality(out, 1).withName("out_" + i);
            mb.addEquality(in, 1).withName("in_" + i);
        }
        for (int i = 1; i < n; i++)
            for (int j = 1; j < n; j++)
                if (i != j) mb.addLessOrEqual(LinearExpr.newBuilder().add(u[i]).addTerm(u[j], -1).addTerm(x[i][j], n - 1), n - 2)
                        .withName("mtz_" + i + "_" + j);
        mb.minimize(obj);
        return mb;
    }
}
