package io.modelwork.optimization;

import java.util.*;

/**
 * Checks written for Modelwork, independent of the solvers: the input inconsistencies found at attach_dataset, and
 * the constraint violations of a solution recomputed in double precision from the instance as parsed (never from the
 * solver's own numbers). A correct solve has zero violations.
 */
public final class Validator {
    private Validator() {}

    /** Inconsistencies of an instance: errors make it unsolvable, warnings are suspicious but solvable. */
    public record Issues(List<String> errors, List<String> warnings) {}

    /** The independent check of a solution: the recomputed objective and every violated constraint. */
    public record Check(double objective, int violations, List<String> details, Map<String, Double> extra) {}

    static final int MAX_DETAILS = 20;

    // ------------------------------------------------------------------ instance inspection

    public static Issues inspect(Problem p) {
        List<String> err = new ArrayList<>(), warn = new ArrayList<>();
        if (p instanceof Problem.Tsp t) {
            int n = t.n();
            if (n < 2) err.add("the instance has " + n + " node(s); a tour needs at least 2");
            boolean asym = false;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) {
                    if (t.dist()[i][j] < 0) { err.add("negative distance d(" + (i + 1) + "," + (j + 1) + ") = " + t.dist()[i][j]); i = n; break; }
                    if (t.dist()[i][j] != t.dist()[j][i]) asym = true;
                }
            if (asym) warn.add("the distance matrix is asymmetric (ATSP): the Held-Karp bound is not computed");
        } else if (p instanceof Problem.Vrptw v) {
            int n = v.n();
            double maxDemand = 0;
            for (int i = 1; i < n; i++) {
                if (v.ready()[i] > v.due()[i])
                    err.add("customer " + i + ": its time window closes (" + v.due()[i] + ") before it opens (" + v.ready()[i] + ")");
                if (v.demand()[i] > v.capacity())
                    err.add("customer " + i + ": demand " + v.demand()[i] + " is larger than any vehicle's capacity (" + v.capacity() + ")");
                if (v.demand()[i] < 0) err.add("customer " + i + ": negative demand " + v.demand()[i]);
                maxDemand = Math.max(maxDemand, v.demand()[i]);
                if (v.hasTimeWindows() && v.ready()[i] <= v.due()[i]) {
                    double arrive = Math.max(v.ready()[0] + v.distance(0, i), v.ready()[i]);
                    if (arrive > v.due()[i] + 1e-9)
                        err.add("customer " + i + ": cannot be reached from the depot before its window closes (" + arrive + " > " + v.due()[i] + ")");
                    else if (arrive + v.service()[i] + v.distance(i, 0) > v.due()[0] + 1e-9)
                        err.add("customer " + i + ": a vehicle serving it cannot return to the depot before " + v.due()[0]);
                }
            }
            if (v.ready()[0] > v.due()[0]) err.add("the depot's time window closes (" + v.due()[0] + ") before it opens (" + v.ready()[0] + ")");
            if (v.demand()[0] != 0) warn.add("the depot has a demand of " + v.demand()[0] + " (ignored)");
            double total = Arrays.stream(v.demand()).sum() - v.demand()[0];
            if (total > v.capacity() * v.vehicles())
                err.add("total demand " + total + " exceeds the fleet's capacity " + v.vehicles() + " x " + v.capacity());
            if (v.vehicles() < 1) err.add("the fleet has no vehicle");
        } else if (p instanceof Problem.JobShop j) {
            if (j.jobs() != j.machine().length) err.add("the header says " + j.jobs() + " jobs, the file has " + j.machine().length);
            for (int a = 0; a < j.machine().length; a++) {
                boolean[] seen = new boolean[Math.max(0, j.machines())];
                for (int k = 0; k < j.machine()[a].length; k++) {
                    int m = j.machine()[a][k];
                    if (m < 0 || m >= j.machines()) { err.add("job " + a + " operation " + k + ": machine " + m + " does not exist (0.." + (j.machines() - 1) + ")"); continue; }
                    if (seen[m]) warn.add("job " + a + " visits machine " + m + " more than once (recirculation)");
                    seen[m] = true;
                    if (j.duration()[a][k] < 0) err.add("job " + a + " operation " + k + ": negative duration " + j.duration()[a][k]);
                }
                List<Integer> missing = new ArrayList<>();
                for (int m = 0; m < seen.length; m++) if (!seen[m]) missing.add(m);
                if (!missing.isEmpty())
                    err.add("job " + a + " has no operation on machine(s) " + missing + " (" + j.machine()[a].length + " operations for "
                            + j.machines() + " machines)");
            }
        } else if (p instanceof Problem.Mip m) {
            if (m.variables() == 0) err.add("the model has no variables");
            if (m.constraints() == 0) warn.add("the model has no constraints");
        }
        return new Issues(err, warn);
    }

    // ------------------------------------------------------------------ solution checks

    /** A TSP tour: a permutation of all nodes; its length recomputed with the TSPLIB distance. */
    public static Check tsp(Problem.Tsp t, int[] tour) {
        List<String> d = new ArrayList<>();
        int n = t.n();
        int v = 0;
        if (tour.length != n) { d.add("the tour has " + tour.length + " nodes, the instance " + n); v++; }
        boolean[] seen = new boolean[n];
        for (int node : tour) {
            if (node < 0 || node >= n) { d.add("node " + node + " does not exist"); v++; continue; }
            if (seen[node]) { d.add("node " + (node + 1) + " is visited twice"); v++; }
            seen[node] = true;
        }
        for (int i = 0; i < n; i++) if (!seen[i]) { d.add("node " + (i + 1) + " is never visited"); v++; }
        double len = 0;
        for (int i = 0; i < tour.length; i++) {
            int a = tour[i], b = tour[(i + 1) % tour.length];
            if (a >= 0 && a < n && b >= 0 && b < n) len += t.dist()[a][b];
        }
        return new Check(len, v, cap(d), Map.of("nodes", (double) n));
    }

    /**
     * VRPTW/CVRP routes (customers only, the depot 0 implied at both ends): every customer exactly once, load within
     * capacity, service starting inside the window (waiting allowed), return to the depot by its due time, fleet
     * size respected. Times and lengths in double precision (Solomon convention: travel time = Euclidean distance).
     */
    public static Check vrptw(Problem.Vrptw p, List<int[]> routes, int fleet) {
        List<String> d = new ArrayList<>();
        int v = 0;
        int n = p.n();
        int[] count = new int[n];
        double total = 0, maxLoad = 0;
        int used = 0;
        final double eps = 1e-6;
        for (int r = 0; r < routes.size(); r++) {
            int[] route = routes.get(r);
            if (route.length == 0) continue;
            used++;
            double load = 0, time = p.ready()[0];
            int prev = 0;
            for (int c : route) {
                if (c <= 0 || c >= n) { d.add("route " + r + ": node " + c + " is not a customer"); v++; continue; }
                count[c]++;
                load += p.demand()[c];
                double arrive = time + (prev == 0 ? 0 : p.service()[prev]) + p.distance(prev, c);
                total += p.distance(prev, c);
                double start = Math.max(arrive, p.ready()[c]);
                if (start > p.due()[c] + eps) { d.add(String.format(Locale.ROOT, "route %d: customer %d served at %.4f after its due time %.4f", r, c, start, p.due()[c])); v++; }
                time = start;
                prev = c;
            }
            total += p.distance(prev, 0);
            double back = time + (prev == 0 ? 0 : p.service()[prev]) + p.distance(prev, 0);
            if (p.hasTimeWindows() && back > p.due()[0] + eps) {
                d.add(String.format(Locale.ROOT, "route %d: returns to the depot at %.4f after %.4f", r, back, p.due()[0])); v++;
            }
            if (load > p.capacity() + eps) { d.add("route " + r + ": load " + load + " exceeds capacity " + p.capacity()); v++; }
            maxLoad = Math.max(maxLoad, load);
        }
        for (int c = 1; c < n; c++) {
            if (count[c] == 0) { d.add("customer " + c + " is not served"); v++; }
            if (count[c] > 1) { d.add("customer " + c + " is served " + count[c] + " times"); v++; }
        }
        if (used > fleet) { d.add(used + " vehicles used, the fleet has " + fleet); v++; }
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("vehicles_used", (double) used);
        extra.put("max_load", maxLoad);
        return new Check(total, v, cap(d), extra);
    }

    /** Job-shop start times: durations as given, job order (precedence), one operation at a time per machine. */
    public static Check jobShop(Problem.JobShop j, int[][] starts) {
        List<String> d = new ArrayList<>();
        int v = 0;
        long makespan = 0;
        Map<Integer, List<long[]>> byMachine = new TreeMap<>();
        for (int a = 0; a < j.machine().length; a++) {
            for (int k = 0; k < j.machine()[a].length; k++) {
                long s = starts[a][k], e = s + j.duration()[a][k];
                if (s < 0) { d.add("job " + a + " op " + k + " starts at " + s + " < 0"); v++; }
                if (k > 0 && s < starts[a][k - 1] + j.duration()[a][k - 1]) {
                    d.add("job " + a + " op " + k + " starts at " + s + " before op " + (k - 1) + " ends (" + (starts[a][k - 1] + j.duration()[a][k - 1]) + ")"); v++;
                }
                makespan = Math.max(makespan, e);
                byMachine.computeIfAbsent(j.machine()[a][k], x -> new ArrayList<>()).add(new long[]{s, e, a, k});
            }
        }
        for (var e : byMachine.entrySet()) {
            List<long[]> ops = e.getValue();
            ops.sort(Comparator.comparingLong(o -> o[0]));
            for (int i = 1; i < ops.size(); i++)
                if (ops.get(i)[0] < ops.get(i - 1)[1]) {
                    d.add("machine " + e.getKey() + ": job " + ops.get(i)[2] + " overlaps job " + ops.get(i - 1)[2]); v++;
                }
        }
        return new Check(makespan, v, cap(d), Map.of());
    }

    /** A linear model copied out of the parsed LP/MPS (bounds, integrality, rows) for an independent check. */
    public record LinearModel(boolean maximize, double offset, double[] objective, double[] lb, double[] ub, boolean[] integer,
                              String[] names, double[] rowLb, double[] rowUb, int[][] rowIdx, double[][] rowCoef, String[] rowNames) {}

    /** Variable bounds, integrality and every row, with an absolute tolerance of 1e-6 (scaled by the row's size). */
    public static Check mip(LinearModel m, double[] x) {
        List<String> d = new ArrayList<>();
        int v = 0;
        final double tol = 1e-6;
        double obj = m.offset();
        for (int i = 0; i < x.length; i++) {
            obj += m.objective()[i] * x[i];
            if (x[i] < m.lb()[i] - tol || x[i] > m.ub()[i] + tol) { d.add("variable " + m.names()[i] + " = " + x[i] + " outside [" + m.lb()[i] + ", " + m.ub()[i] + "]"); v++; }
            if (m.integer()[i] && Math.abs(x[i] - Math.rint(x[i])) > tol) { d.add("integer variable " + m.names()[i] + " = " + x[i]); v++; }
        }
        for (int r = 0; r < m.rowLb().length; r++) {
            double act = 0, mag = 1;
            for (int k = 0; k < m.rowIdx()[r].length; k++) {
                double t = m.rowCoef()[r][k] * x[m.rowIdx()[r][k]];
                act += t;
                mag = Math.max(mag, Math.abs(t));
            }
            double t = tol * mag;
            if (act < m.rowLb()[r] - t || act > m.rowUb()[r] + t) {
                d.add("row " + m.rowNames()[r] + ": activity " + act + " outside [" + m.rowLb()[r] + ", " + m.rowUb()[r] + "]"); v++;
            }
        }
        return new Check(obj, v, cap(d), Map.of());
    }

    private static List<String> cap(List<String> d) { return d.size() <= MAX_DETAILS ? d : d.subList(0, MAX_DETAILS); }
}
