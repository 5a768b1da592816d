package io.modelwork.optimization;

import io.modelwork.core.ModelworkException;

/**
 * What prepare_data freezes: the integer data the routing library and CP-SAT work on.
 *
 * <ul>
 *   <li>TSPLIB: distances are already integers by TSPLIB's definition (factor 1, exact).</li>
 *   <li>VRPTW: arc costs are {@code round(d * factor)}, so the solver's objective divided by the factor is within
 *       {@code 0.5 / factor} per arc of the true (double) length; travel times are {@code ceil(d * factor)} and
 *       time windows {@code [ceil(ready * factor), floor(due * factor)]}, so every schedule the integer model accepts
 *       is also feasible in exact arithmetic (the validator re-checks it with doubles).</li>
 *   <li>Job-shop: integer durations (factor 1, exact).</li>
 *   <li>MIP: no scaling; the solvers work in doubles with their own tolerances.</li>
 *   <li>CP-SAT (optimization.cpsat): none; the user's model is already in integers.</li>
 * </ul>
 */
public record Scaling(double factor, long[][] cost, long[][] travel, long[] demand, long[] ready, long[] due, long[] service,
                      long capacity, String precision) {

    static Scaling of(Problem p, double factor) {
        if (p instanceof Problem.Tsp t)
            return new Scaling(1, t.dist(), null, null, null, null, null, 0,
                    "exact: TSPLIB distances are integers by definition (" + t.weightType() + ")");
        if (p instanceof Problem.Vrptw v) return vrptw(v, factor);
        if (p instanceof Problem.CpSat) return new Scaling(1, null, null, null, null, null, null, 0, "exact: CP-SAT works on the model's integers");
        if (p instanceof Problem.JobShop) return new Scaling(1, null, null, null, null, null, null, 0, "exact: integer durations");
        return new Scaling(1, null, null, null, null, null, null, 0, "none: the MIP solver works in doubles");
    }

    private static Scaling vrptw(Problem.Vrptw v, double factor) {
        if (!(factor >= 1) || factor > 1e6)
            throw new ModelworkException("scale must be between 1 and 1e6 (got " + factor + ")", "prepare_data scale",
                    "use e.g. scale=100 (two decimals of distance)");
        int n = v.n();
        long[][] c = new long[n][n], t = new long[n][n];
        long[] q = new long[n], a = new long[n], b = new long[n], s = new long[n];
        long horizon = 0;
        for (int i = 0; i < n; i++) {
            if (v.demand()[i] != Math.rint(v.demand()[i]))
                throw new ModelworkException("Demand of node " + i + " is not an integer (" + v.demand()[i] + ")", v.name(),
                        "the routing library needs integer demands: scale the demands in the file");
            q[i] = (long) v.demand()[i];
            a[i] = (long) Math.ceil(v.ready()[i] * factor - 1e-9);
            b[i] = Double.isInfinite(v.due()[i]) ? Long.MAX_VALUE / 4 : (long) Math.floor(v.due()[i] * factor + 1e-9);
            s[i] = (long) Math.ceil(v.service()[i] * factor - 1e-9);
            for (int j = 0; j < n; j++) {
                double d = v.distance(i, j) * factor;
                c[i][j] = Math.round(d);
                t[i][j] = (long) Math.ceil(d - 1e-9);
            }
        }
        long cap = (long) Math.floor(v.capacity());
        return new Scaling(factor, c, t, q, a, b, s, cap,
                "distances x" + (long) factor + ": cost round(d*" + (long) factor + "), travel time ceil(d*" + (long) factor
                        + "), windows [ceil(ready*" + (long) factor + "), floor(due*" + (long) factor
                        + ")]; objective error <= 0.5/" + (long) factor + " per arc; integer feasibility implies exact feasibility");
    }
}
