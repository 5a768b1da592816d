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

    // ------------------------------------------------------------------ CP-SAT, any model

    /**
     * Re-checks an assignment of a CP-SAT model against the model proto itself, written from the proto's documented
     * semantics (cp_model.proto) without calling the solver: a bug in the solver, in the model's conversion or in how
     * the values were read back would otherwise pass unnoticed. Checked: every variable's domain, and for every
     * constraint whose enforcement literals are all true: linear (domain), bool_or / bool_and / at_most_one /
     * exactly_one / bool_xor, lin_max, int_prod, int_div, int_mod, all_diff, element, table, interval
     * ({@code start + size = end}, {@code size >= 0}), no_overlap, no_overlap_2d and cumulative (over present intervals
     * of positive size), circuit (one Hamiltonian circuit over the non-skipped nodes) and inverse. Automaton, reservoir
     * and routes are not re-checked: they are counted in {@code extra.constraints_not_rechecked} and named in the
     * details. The objective is recomputed as {@code scaling_factor * (sum coeff * x + offset)} (or the floating-point
     * objective).
     */
    public static Check cpsat(com.google.ortools.sat.CpModelProto m, double[] values) {
        List<String> d = new ArrayList<>();
        int v = 0;
        long[] x = new long[values.length];
        for (int i = 0; i < x.length; i++) x[i] = Math.round(values[i]);
        if (x.length != m.getVariablesCount()) {
            d.add("the solution has " + x.length + " values, the model " + m.getVariablesCount() + " variables");
            return new Check(Double.NaN, 1, d, Map.of());
        }
        for (int i = 0; i < x.length; i++) {
            var dom = m.getVariables(i).getDomainList();
            if (!inDomain(x[i], dom)) { d.add("variable " + varName(m, i) + " = " + x[i] + " outside its domain " + dom); v++; }
        }
        int checked = 0;
        Map<String, Integer> skipped = new TreeMap<>();
        for (int c = 0; c < m.getConstraintsCount(); c++) {
            var ct = m.getConstraints(c);
            boolean enforced = true;
            for (int lit : ct.getEnforcementLiteralList()) enforced &= lit(x, lit);
            if (!enforced) continue;
            String what = null;
            switch (ct.getConstraintCase()) {
                case LINEAR -> {
                    var l = ct.getLinear();
                    long act = 0;
                    for (int k = 0; k < l.getVarsCount(); k++) act += l.getCoeffs(k) * ref(x, l.getVars(k));
                    if (!inDomain(act, l.getDomainList())) what = "linear activity " + act + " outside " + l.getDomainList();
                }
                case BOOL_OR -> { if (ct.getBoolOr().getLiteralsList().stream().noneMatch(lit -> lit(x, lit))) what = "bool_or: no literal is true"; }
                case BOOL_AND -> { if (!ct.getBoolAnd().getLiteralsList().stream().allMatch(lit -> lit(x, lit))) what = "bool_and: a literal is false"; }
                case AT_MOST_ONE -> { long n = ct.getAtMostOne().getLiteralsList().stream().filter(lit -> lit(x, lit)).count(); if (n > 1) what = "at_most_one: " + n + " literals true"; }
                case EXACTLY_ONE -> { long n = ct.getExactlyOne().getLiteralsList().stream().filter(lit -> lit(x, lit)).count(); if (n != 1) what = "exactly_one: " + n + " literals true"; }
                case BOOL_XOR -> { long n = ct.getBoolXor().getLiteralsList().stream().filter(lit -> lit(x, lit)).count(); if (n % 2 != 1) what = "bool_xor: " + n + " literals true (must be odd)"; }
                case LIN_MAX -> {
                    var a = ct.getLinMax();
                    long t = expr(x, a.getTarget()), mx = Long.MIN_VALUE;
                    for (var e : a.getExprsList()) mx = Math.max(mx, expr(x, e));
                    if (a.getExprsCount() > 0 && t != mx) what = "lin_max: target " + t + " != max " + mx;
                }
                case INT_PROD -> {
                    var a = ct.getIntProd();
                    long t = expr(x, a.getTarget()), p = 1;
                    for (var e : a.getExprsList()) p *= expr(x, e);
                    if (t != p) what = "int_prod: target " + t + " != product " + p;
                }
                case INT_DIV, INT_MOD -> {
                    var a = ct.getConstraintCase() == com.google.ortools.sat.ConstraintProto.ConstraintCase.INT_DIV ? ct.getIntDiv() : ct.getIntMod();
                    long t = expr(x, a.getTarget()), num = expr(x, a.getExprs(0)), den = expr(x, a.getExprs(1));
                    boolean div = ct.getConstraintCase() == com.google.ortools.sat.ConstraintProto.ConstraintCase.INT_DIV;
                    if (den == 0) what = (div ? "int_div" : "int_mod") + ": divisor is 0";
                    else if (t != (div ? num / den : num % den)) what = (div ? "int_div: " : "int_mod: ") + "target " + t + " != " + num + (div ? " / " : " % ") + den;
                }
                case ALL_DIFF -> {
                    Set<Long> seen = new HashSet<>();
                    for (var e : ct.getAllDiff().getExprsList()) if (!seen.add(expr(x, e))) { what = "all_diff: value " + expr(x, e) + " repeats"; break; }
                }
                case ELEMENT -> {
                    var e = ct.getElement();
                    if (e.hasLinearIndex()) {
                        long i = expr(x, e.getLinearIndex());
                        if (i < 0 || i >= e.getExprsCount()) what = "element: index " + i + " out of range";
                        else if (expr(x, e.getExprs((int) i)) != expr(x, e.getLinearTarget())) what = "element: exprs[" + i + "] != target";
                    } else {
                        long i = ref(x, e.getIndex());
                        if (i < 0 || i >= e.getVarsCount()) what = "element: index " + i + " out of range";
                        else if (ref(x, e.getVars((int) i)) != ref(x, e.getTarget())) what = "element: vars[" + i + "] != target";
                    }
                }
                case TABLE -> {
                    var t = ct.getTable();
                    int arity = t.getExprsCount() > 0 ? t.getExprsCount() : t.getVarsCount();
                    long[] tuple = new long[arity];
                    for (int k = 0; k < arity; k++) tuple[k] = t.getExprsCount() > 0 ? expr(x, t.getExprs(k)) : ref(x, t.getVars(k));
                    boolean found = false;
                    for (int r = 0; arity > 0 && r + arity <= t.getValuesCount() && !found; r += arity) {
                        boolean eq = true;
                        for (int k = 0; k < arity && eq; k++) eq = t.getValues(r + k) == tuple[k];
                        found = eq;
                    }
                    if (found == t.getNegated()) what = "table: " + Arrays.toString(tuple) + (t.getNegated() ? " is a forbidden tuple" : " is not an allowed tuple");
                }
                case INTERVAL -> {
                    var iv = ct.getInterval();
                    long st = expr(x, iv.getStart()), sz = expr(x, iv.getSize()), en = expr(x, iv.getEnd());
                    if (sz < 0) what = "interval: negative size " + sz;
                    else if (st + sz != en) what = "interval: start " + st + " + size " + sz + " != end " + en;
                }
                case NO_OVERLAP -> {
                    List<long[]> ivs = new ArrayList<>();
                    for (int i : ct.getNoOverlap().getIntervalsList()) { long[] b = interval(m, x, i); if (b != null && b[1] > b[0]) ivs.add(new long[]{b[0], b[1], i}); }
                    ivs.sort(Comparator.comparingLong(a -> a[0]));
                    long maxEnd = Long.MIN_VALUE, who = -1;
                    for (long[] a : ivs) {
                        if (a[0] < maxEnd) { what = "no_overlap: interval " + name(m, (int) a[2]) + " starts at " + a[0] + " before " + name(m, (int) who) + " ends (" + maxEnd + ")"; break; }
                        if (a[1] > maxEnd) { maxEnd = a[1]; who = a[2]; }
                    }
                }
                case NO_OVERLAP_2D -> {
                    var n2 = ct.getNoOverlap2D();
                    List<long[]> boxes = new ArrayList<>();
                    for (int k = 0; k < n2.getXIntervalsCount(); k++) {
                        long[] bx = interval(m, x, n2.getXIntervals(k)), by = interval(m, x, n2.getYIntervals(k));
                        if (bx != null && by != null && bx[1] > bx[0] && by[1] > by[0]) boxes.add(new long[]{bx[0], bx[1], by[0], by[1], k});
                    }
                    outer:
                    for (int a = 0; a < boxes.size(); a++)
                        for (int b = a + 1; b < boxes.size(); b++) {
                            long[] p = boxes.get(a), q = boxes.get(b);
                            if (p[0] < q[1] && q[0] < p[1] && p[2] < q[3] && q[2] < p[3]) { what = "no_overlap_2d: boxes " + p[4] + " and " + q[4] + " overlap"; break outer; }
                        }
                }
                case CUMULATIVE -> {
                    var cu = ct.getCumulative();
                    long cap = expr(x, cu.getCapacity());
                    List<long[]> ivs = new ArrayList<>();
                    for (int k = 0; k < cu.getIntervalsCount(); k++) {
                        long[] b = interval(m, x, cu.getIntervals(k));
                        long dem = expr(x, cu.getDemands(k));
                        if (b != null && dem < 0) { what = "cumulative: negative demand " + dem; break; }
                        if (b != null && b[1] > b[0] && dem > 0) ivs.add(new long[]{b[0], b[1], dem});
                    }
                    if (what == null)
                        for (long[] a : ivs) {
                            long load = 0;
                            for (long[] b : ivs) if (b[0] <= a[0] && a[0] < b[1]) load += b[2];
                            if (load > cap) { what = "cumulative: load " + load + " at time " + a[0] + " exceeds capacity " + cap; break; }
                        }
                }
                case CIRCUIT -> what = circuit(ct.getCircuit(), x);
                case INVERSE -> {
                    var in = ct.getInverse();
                    int n = in.getFDirectCount();
                    for (int i = 0; i < n && what == null; i++) {
                        long f = ref(x, in.getFDirect(i));
                        if (f < 0 || f >= n || ref(x, in.getFInverse((int) f)) != i) what = "inverse: f_inverse[f_direct[" + i + "]] != " + i;
                    }
                }
                case CONSTRAINT_NOT_SET -> { }
                default -> { skipped.merge(ct.getConstraintCase().name().toLowerCase(Locale.ROOT), 1, Integer::sum); continue; }
            }
            checked++;
            if (what != null) { d.add("constraint " + c + (ct.getName().isEmpty() ? "" : " (" + ct.getName() + ")") + ": " + what); v++; }
        }
        double obj = 0;
        if (m.hasFloatingPointObjective()) {
            var o = m.getFloatingPointObjective();
            obj = o.getOffset();
            for (int k = 0; k < o.getVarsCount(); k++) obj += o.getCoeffs(k) * ref(x, o.getVars(k));
        } else if (m.hasObjective()) {
            var o = m.getObjective();
            double sum = o.getOffset();
            for (int k = 0; k < o.getVarsCount(); k++) sum += (double) o.getCoeffs(k) * ref(x, o.getVars(k));
            obj = (o.getScalingFactor() == 0 ? 1 : o.getScalingFactor()) * sum;
        }
        List<String> details = new ArrayList<>(cap(d));
        skipped.forEach((k, n) -> details.add("not re-checked: " + n + " " + k + " constraint(s)"));
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("constraints_checked", (double) checked);
        extra.put("constraints_not_rechecked", (double) skipped.values().stream().mapToInt(Integer::intValue).sum());
        return new Check(obj, v, details, extra);
    }

    private static boolean inDomain(long v, List<Long> dom) {
        for (int k = 0; k + 1 < dom.size(); k += 2) if (v >= dom.get(k) && v <= dom.get(k + 1)) return true;
        return false;
    }

    /** A variable reference: {@code r >= 0} is x[r], a negative one is -x[-r-1]. */
    private static long ref(long[] x, int r) { return r >= 0 ? x[r] : -x[-r - 1]; }

    /** A literal: {@code r >= 0} is x[r] = 1, a negative one is its negation. */
    private static boolean lit(long[] x, int r) { return r >= 0 ? x[r] == 1 : x[-r - 1] == 0; }

    private static long expr(long[] x, com.google.ortools.sat.LinearExpressionProto e) {
        long s = e.getOffset();
        for (int k = 0; k < e.getVarsCount(); k++) s += e.getCoeffs(k) * ref(x, e.getVars(k));
        return s;
    }

    /** {start, end} of interval constraint {@code i}, or null when its presence literal is false. */
    private static long[] interval(com.google.ortools.sat.CpModelProto m, long[] x, int i) {
        var ct = m.getConstraints(i);
        for (int lit : ct.getEnforcementLiteralList()) if (!lit(x, lit)) return null;
        return new long[]{expr(x, ct.getInterval().getStart()), expr(x, ct.getInterval().getEnd())};
    }

    private static String name(com.google.ortools.sat.CpModelProto m, int c) {
        return m.getConstraints(c).getName().isEmpty() ? "#" + c : m.getConstraints(c).getName();
    }

    private static String varName(com.google.ortools.sat.CpModelProto m, int i) {
        return m.getVariables(i).getName().isEmpty() ? "#" + i : m.getVariables(i).getName();
    }

    /** Every node has one selected outgoing and one incoming arc; the non-skipped nodes form a single cycle. */
    private static String circuit(com.google.ortools.sat.CircuitConstraintProto c, long[] x) {
        Map<Integer, Integer> next = new HashMap<>(), inDeg = new HashMap<>();
        Set<Integer> nodes = new TreeSet<>(), skipped = new HashSet<>();
        for (int k = 0; k < c.getTailsCount(); k++) {
            int t = c.getTails(k), h = c.getHeads(k);
            nodes.add(t); nodes.add(h);
            if (!lit(x, c.getLiterals(k))) continue;
            if (next.put(t, h) != null) return "circuit: node " + t + " has two outgoing arcs";
            if (inDeg.merge(h, 1, Integer::sum) > 1) return "circuit: node " + h + " has two incoming arcs";
            if (t == h) skipped.add(t);
        }
        for (int n : nodes) if (!next.containsKey(n)) return "circuit: node " + n + " has no outgoing arc";
        List<Integer> active = nodes.stream().filter(n -> !skipped.contains(n)).toList();
        if (active.isEmpty()) return null;
        int start = active.get(0), cur = start, len = 0;
        do { cur = next.get(cur); len++; } while (cur != start && len <= nodes.size());
        return len == active.size() ? null : "circuit: the selected arcs form a cycle of " + len + " nodes, not one of all " + active.size();
    }

    private static List<String> cap(List<String> d) { return d.size() <= MAX_DETAILS ? d : d.subList(0, MAX_DETAILS); }
}
