package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.ortools.constraintsolver.Assignment;
import com.google.ortools.constraintsolver.FirstSolutionStrategy;
import com.google.ortools.constraintsolver.LocalSearchMetaheuristic;
import com.google.ortools.constraintsolver.RoutingDimension;
import com.google.ortools.constraintsolver.RoutingIndexManager;
import com.google.ortools.constraintsolver.RoutingModel;
import com.google.ortools.constraintsolver.RoutingSearchParameters;
import com.google.ortools.constraintsolver.RoutingSearchStatus;
import com.google.ortools.constraintsolver.main;
import com.google.ortools.modelbuilder.ModelBuilder;
import com.google.ortools.modelbuilder.ModelBuilderHelper;
import com.google.ortools.modelbuilder.ModelSolver;
import com.google.ortools.modelbuilder.SolveStatus;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverSolutionCallback;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.IntervalVar;
import com.google.ortools.sat.LinearExpr;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.util.*;

/**
 * The solves behind fit: the OR-Tools routing library (TSP, VRPTW/CVRP), CP-SAT (job-shop) and the model-builder
 * MIP solvers (LP/MPS). Each reports its progress through a {@link Listener} (objective and bound over time) and
 * returns a {@link Solution} in the instance's own units.
 */
final class Solvers {
    private Solvers() {}

    /** Receives (seconds since start, objective, bound) whenever the solver improves either. */
    interface Listener {
        void point(double seconds, double objective, double bound);
    }

    /** Solver parameters, merged from build and fit arguments. */
    record Params(double timeLimit, double gap, int workers, long seed, String firstSolution, String metaheuristic,
                  int vehicles, double target, boolean logSearch, String solver, long vehicleCost, boolean live) {

        ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("time_limit", timeLimit);
            o.put("gap", gap);
            o.put("workers", workers);
            o.put("seed", seed);
            if (firstSolution != null) o.put("first_solution", firstSolution);
            if (metaheuristic != null) o.put("metaheuristic", metaheuristic);
            if (vehicles > 0) o.put("vehicles", vehicles);
            if (!Double.isNaN(target)) o.put("target", target);
            if (solver != null) o.put("solver", solver);
            if (vehicleCost > 0) o.put("vehicle_cost", vehicleCost);
            if (!live) o.put("live", false);
            return o;
        }
    }

    static final List<String> FIRST_SOLUTION = Arrays.stream(FirstSolutionStrategy.Value.values())
            .filter(v -> v != FirstSolutionStrategy.Value.UNRECOGNIZED && v != FirstSolutionStrategy.Value.UNSET)
            .map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    static final List<String> METAHEURISTICS = Arrays.stream(LocalSearchMetaheuristic.Value.values())
            .filter(v -> v != LocalSearchMetaheuristic.Value.UNRECOGNIZED && v != LocalSearchMetaheuristic.Value.UNSET)
            .map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    static final List<String> MIP_SOLVERS = List.of("scip", "cbc", "highs", "cp_sat", "glop", "pdlp");

    // ------------------------------------------------------------------ routing

    /** TSP (one vehicle, depot = node 1) or VRPTW/CVRP (node 0 = depot) with the routing library. */
    static Solution routing(Problem p, Scaling sc, Params pr, List<int[]> hint, double heldKarp, Listener l) {
        OrTools.load();
        boolean tsp = p instanceof Problem.Tsp;
        Problem.Vrptw v = tsp ? null : (Problem.Vrptw) p;
        int n = tsp ? ((Problem.Tsp) p).n() : v.n();
        int vehicles = tsp ? 1 : (pr.vehicles() > 0 ? pr.vehicles() : v.vehicles());
        RoutingIndexManager mgr = new RoutingIndexManager(n, vehicles, 0);
        RoutingModel rm = new RoutingModel(mgr);
        int cost = rm.registerTransitMatrix(sc.cost());
        rm.setArcCostEvaluatorOfAllVehicles(cost);
        if (!tsp) {
            int demand = rm.registerUnaryTransitVector(sc.demand());
            long[] caps = new long[vehicles];
            Arrays.fill(caps, sc.capacity());
            rm.addDimensionWithVehicleCapacity(demand, 0, caps, true, "Capacity");
            if (v.hasTimeWindows()) {
                long[][] time = new long[n][n];
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) time[i][j] = (i == j ? 0 : sc.service()[i] + sc.travel()[i][j]);
                int tc = rm.registerTransitMatrix(time);
                long horizon = sc.due()[0];
                rm.addDimension(tc, horizon, horizon, false, "Time");
                RoutingDimension td = rm.getMutableDimension("Time");
                for (int i = 1; i < n; i++) td.cumulVar(mgr.nodeToIndex(i)).setRange(sc.ready()[i], sc.due()[i]);
                for (int k = 0; k < vehicles; k++) {
                    td.cumulVar(rm.start(k)).setRange(sc.ready()[0], sc.due()[0]);
                    td.cumulVar(rm.end(k)).setRange(sc.ready()[0], sc.due()[0]);
                    rm.addVariableMinimizedByFinalizer(td.cumulVar(rm.end(k)));
                }
            }
            if (pr.vehicleCost() > 0) rm.setFixedCostOfAllVehicles(pr.vehicleCost());
        }
        String fs = pr.firstSolution() != null ? pr.firstSolution() : (tsp ? "path_cheapest_arc" : "parallel_cheapest_insertion");
        String mh = pr.metaheuristic() != null ? pr.metaheuristic() : "guided_local_search";
        long ms = Math.max(1, Math.round(pr.timeLimit() * 1000));
        RoutingSearchParameters params = main.defaultRoutingSearchParameters().toBuilder()
                .setFirstSolutionStrategy(FirstSolutionStrategy.Value.valueOf(fs.toUpperCase(Locale.ROOT)))
                .setLocalSearchMetaheuristic(LocalSearchMetaheuristic.Value.valueOf(mh.toUpperCase(Locale.ROOT)))
                .setTimeLimit(com.google.protobuf.Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000))
                .setLogSearch(pr.logSearch())
                .build();
        double scale = sc.factor();
        List<double[]> trace = Collections.synchronizedList(new ArrayList<>());
        StringBuilder log = new StringBuilder();
        log.append("# OR-Tools ").append(OrTools.version()).append(" routing library\n");
        log.append("# search parameters: ").append(params.toString().replace('\n', ' ')).append('\n');
        if (!Double.isNaN(heldKarp)) log.append(String.format(Locale.ROOT, "# Held-Karp lower bound (Modelwork): %.3f%n", heldKarp));
        log.append("# seconds\tobjective\n");
        long t0 = System.nanoTime();
        boolean[] hitTarget = {false};
        double bound = Double.isNaN(heldKarp) ? Double.NaN : Math.ceil(heldKarp - 1e-6);
        rm.addAtSolutionCallback(() -> {
            double t = (System.nanoTime() - t0) / 1e9;
            double obj = rm.costVar().value() / scale;
            trace.add(new double[]{t, obj, bound});
            synchronized (log) { log.append(String.format(Locale.ROOT, "%.3f\t%.4f%n", t, obj)); }
            l.point(t, obj, bound);
            if ((!Double.isNaN(pr.target()) && obj <= pr.target() + 1e-9) || (!Double.isNaN(bound) && obj <= bound + 1e-9)) {
                hitTarget[0] = true;
                rm.solver().finishCurrentSearch();
            }
        });
        Assignment sol;
        boolean hinted = false;
        if (hint != null && !hint.isEmpty()) {
            rm.closeModelWithParameters(params);
            long[][] idx = new long[vehicles][];
            for (int k = 0; k < vehicles; k++) {
                int[] r = k < hint.size() ? hint.get(k) : new int[0];
                idx[k] = new long[r.length];
                for (int i = 0; i < r.length; i++) idx[k][i] = mgr.nodeToIndex(r[i]);
            }
            Assignment init = rm.readAssignmentFromRoutes(idx, true);
            hinted = init != null;
            log.append(hinted ? "# started from the checkpoint's solution\n" : "# the checkpoint's solution does not fit this model: ignored\n");
            sol = init == null ? rm.solveWithParameters(params) : rm.solveFromAssignmentWithParameters(init, params);
        } else {
            sol = rm.solveWithParameters(params);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        RoutingSearchStatus.Value st = rm.status();
        List<int[]> routes = null;
        double obj = Double.NaN;
        if (sol != null) {
            routes = new ArrayList<>();
            for (int k = 0; k < vehicles; k++) {
                List<Integer> r = new ArrayList<>();
                long i = sol.value(rm.nextVar(rm.start(k)));
                while (!rm.isEnd(i)) { r.add(mgr.indexToNode(i)); i = sol.value(rm.nextVar(i)); }
                routes.add(r.stream().mapToInt(Integer::intValue).toArray());
            }
            obj = sol.objectiveValue() / scale;
        }
        String status;
        if (sol == null) status = st == RoutingSearchStatus.Value.ROUTING_INFEASIBLE ? "infeasible"
                : st == RoutingSearchStatus.Value.ROUTING_INVALID ? "invalid" : "timeout";
        else if (st == RoutingSearchStatus.Value.ROUTING_OPTIMAL || (!Double.isNaN(bound) && obj <= bound + 1e-9)) status = "optimal";
        else status = "feasible";
        String stoppedBy = hitTarget[0] ? (!Double.isNaN(bound) && obj <= bound + 1e-9 ? "bound_reached" : "target_reached")
                : seconds >= pr.timeLimit() * 0.98 ? "time_limit" : "search_completed";
        log.append("# status ").append(st).append(" -> ").append(status).append(", stopped by ").append(stoppedBy).append('\n');
        ObjectNode used = pr.toJson();
        used.put("first_solution", fs);
        used.put("metaheuristic", mh);
        used.put("vehicles", vehicles);
        used.put("hinted", hinted);
        used.put("solver_status", st.name());
        double ttf = trace.isEmpty() ? Double.NaN : trace.get(0)[0];
        return new Solution(status, stoppedBy, obj, bound, seconds, ttf, List.copyOf(trace), routes, null, null, log.toString(), used);
    }

    // ------------------------------------------------------------------ CP-SAT job-shop

    /** The CP-SAT job-shop model: one interval per operation, precedence within jobs, no-overlap per machine. */
    record JobShopModel(CpModel model, IntVar[][] start, IntVar makespan) {}

    static JobShopModel jobShopModel(Problem.JobShop j) {
        OrTools.load();
        CpModel m = new CpModel();
        long h = j.horizon();
        IntVar[][] start = new IntVar[j.jobs()][];
        Map<Integer, List<IntervalVar>> machines = new TreeMap<>();
        List<IntVar> lastEnds = new ArrayList<>();
        for (int a = 0; a < j.jobs(); a++) {
            int ops = j.machine()[a].length;
            start[a] = new IntVar[ops];
            IntVar prevEnd = null;
            for (int k = 0; k < ops; k++) {
                int d = j.duration()[a][k];
                IntVar s = m.newIntVar(0, h, "s_" + a + "_" + k);
                IntVar e = m.newIntVar(0, h, "e_" + a + "_" + k);
                IntervalVar iv = m.newIntervalVar(s, LinearExpr.constant(d), e, "op_" + a + "_" + k);
                machines.computeIfAbsent(j.machine()[a][k], x -> new ArrayList<>()).add(iv);
                if (prevEnd != null) m.addGreaterOrEqual(s, prevEnd);
                prevEnd = e;
                start[a][k] = s;
            }
            if (prevEnd != null) lastEnds.add(prevEnd);
        }
        for (List<IntervalVar> ivs : machines.values()) m.addNoOverlap(ivs);
        IntVar makespan = m.newIntVar(0, h, "makespan");
        m.addMaxEquality(makespan, lastEnds.toArray(new IntVar[0]));
        m.minimize(makespan);
        return new JobShopModel(m, start, makespan);
    }

    static Solution jobShop(Problem.JobShop j, Params pr, int[][] hint, Listener l) {
        JobShopModel jm = jobShopModel(j);
        boolean hinted = false;
        if (hint != null && hint.length == jm.start().length) {
            for (int a = 0; a < hint.length; a++)
                for (int k = 0; k < Math.min(hint[a].length, jm.start()[a].length); k++) jm.model().addHint(jm.start()[a][k], hint[a][k]);
            hinted = true;
        }
        CpSolver s = new CpSolver();
        s.getParameters().setMaxTimeInSeconds(pr.timeLimit()).setNumWorkers(Math.max(1, pr.workers()))
                .setRandomSeed((int) (pr.seed() & 0x7fffffff)).setRelativeGapLimit(Math.max(0, pr.gap()))
                .setLogSearchProgress(true).setLogToStdout(false);
        StringBuilder log = new StringBuilder();
        s.setLogCallback(new LogSink(log));
        List<double[]> trace = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        double[] last = {Double.NaN, Double.NaN};
        boolean[] hitTarget = {false};
        // the bound is sampled at each solution and at the end: OR-Tools 9.14's Java best-bound callback crashes the
        // JVM (SIGSEGV in jni_NewObjectV) and with a lambda fails with NoSuchMethodError, so it is not used
        CpSolverSolutionCallback cb = new CpSolverSolutionCallback() {
            @Override public void onSolutionCallback() {
                double t = (System.nanoTime() - t0) / 1e9;
                double obj = objectiveValue(), b = bestObjectiveBound();
                synchronized (last) { last[0] = obj; last[1] = b; }
                trace.add(new double[]{t, obj, b});
                l.point(t, obj, b);
                if (!Double.isNaN(pr.target()) && obj <= pr.target() + 1e-9) { hitTarget[0] = true; stopSearch(); }
            }
        };
        CpSolverStatus st = s.solve(jm.model(), cb);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[][] starts = null;
        if (st == CpSolverStatus.OPTIMAL || st == CpSolverStatus.FEASIBLE) {
            starts = new int[jm.start().length][];
            for (int a = 0; a < starts.length; a++) {
                starts[a] = new int[jm.start()[a].length];
                for (int k = 0; k < starts[a].length; k++) starts[a][k] = (int) s.value(jm.start()[a][k]);
            }
        }
        String status = status(st);
        double obj = starts == null ? Double.NaN : s.objectiveValue();
        double bound = s.bestObjectiveBound();
        trace.add(new double[]{seconds, obj, bound});
        String stoppedBy = st == CpSolverStatus.OPTIMAL ? (obj > bound + 1e-9 ? "gap_limit" : "proof")
                : hitTarget[0] ? "target_reached" : "time_limit";
        if (st == CpSolverStatus.OPTIMAL && obj > bound + 1e-9) status = "feasible"; // stopped by relative_gap_limit
        ObjectNode used = pr.toJson();
        used.put("hinted", hinted);
        used.put("solver_status", st.name());
        double ttf = Double.NaN;
        synchronized (trace) { for (double[] p : trace) if (!Double.isNaN(p[1])) { ttf = p[0]; break; } }
        return new Solution(status, stoppedBy, obj, bound, seconds, ttf, List.copyOf(trace), null, starts, null, log.toString(), used);
    }

    // ------------------------------------------------------------------ CP-SAT, any model

    /**
     * Solves a user's CP-SAT model (optimization.cpsat) on a copy of its proto, so the caller's {@code CpModel} is
     * never changed. {@code hint}: the checkpoint's values of every variable; it replaces the model's own hint when
     * given (a hint that does not fit the model, e.g. another variable count, is ignored and the log says so).
     * Progress: one point per solution (objective and the bound at that moment) and a final point.
     */
    static Solution cpsat(com.google.ortools.sat.CpModelProto proto, Params pr, double[] hint, Listener l) {
        OrTools.load();
        CpModel m = new CpModel();
        m.getBuilder().mergeFrom(proto);
        boolean hinted = false;
        StringBuilder log = new StringBuilder();
        if (hint != null) {
            if (hint.length == proto.getVariablesCount()) {
                m.getBuilder().clearSolutionHint();
                var h = m.getBuilder().getSolutionHintBuilder();
                for (int i = 0; i < hint.length; i++) h.addVars(i).addValues(Math.round(hint[i]));
                hinted = true;
                log.append("# started from the checkpoint's solution (solution hint on all ").append(hint.length).append(" variables)\n");
            } else log.append("# the checkpoint's solution has ").append(hint.length).append(" values, the model ")
                    .append(proto.getVariablesCount()).append(" variables: ignored\n");
        }
        boolean hasObjective = proto.hasObjective() || proto.hasFloatingPointObjective();
        CpSolver s = new CpSolver();
        s.getParameters().setMaxTimeInSeconds(pr.timeLimit()).setNumWorkers(Math.max(1, pr.workers()))
                .setRandomSeed((int) (pr.seed() & 0x7fffffff)).setRelativeGapLimit(Math.max(0, pr.gap()))
                .setLogSearchProgress(true).setLogToStdout(false);
        s.setLogCallback(new LogSink(log));
        List<double[]> trace = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        boolean[] hitTarget = {false};
        boolean maximize = maximizes(proto);
        CpSolverSolutionCallback cb = new CpSolverSolutionCallback() {
            @Override public void onSolutionCallback() {
                double t = (System.nanoTime() - t0) / 1e9;
                double obj = hasObjective ? objectiveValue() : 0, b = hasObjective ? bestObjectiveBound() : Double.NaN;
                trace.add(new double[]{t, obj, b});
                l.point(t, obj, b);
                if (hasObjective && !Double.isNaN(pr.target()) && (maximize ? obj >= pr.target() - 1e-9 : obj <= pr.target() + 1e-9)) {
                    hitTarget[0] = true;
                    stopSearch();
                }
            }
        };
        CpSolverStatus st = s.solve(m, cb);
        double seconds = (System.nanoTime() - t0) / 1e9;
        var resp = s.response();
        double[] values = null;
        if ((st == CpSolverStatus.OPTIMAL || st == CpSolverStatus.FEASIBLE) && resp.getSolutionCount() == proto.getVariablesCount()) {
            values = new double[resp.getSolutionCount()];
            for (int i = 0; i < values.length; i++) values[i] = resp.getSolution(i);
        }
        String status = status(st);
        double obj = values == null ? Double.NaN : hasObjective ? resp.getObjectiveValue() : 0;
        double bound = hasObjective ? resp.getBestObjectiveBound() : Double.NaN;
        if (st == CpSolverStatus.INFEASIBLE || st == CpSolverStatus.MODEL_INVALID) bound = Double.NaN;
        trace.add(new double[]{seconds, obj, bound});
        boolean gapStop = hasObjective && st == CpSolverStatus.OPTIMAL && Math.abs(obj - bound) > 1e-9;
        if (gapStop) status = "feasible"; // stopped by relative_gap_limit
        String stoppedBy = st == CpSolverStatus.OPTIMAL ? (gapStop ? "gap_limit" : "proof") : st == CpSolverStatus.INFEASIBLE ? "proof"
                : hitTarget[0] ? "target_reached" : "time_limit";
        ObjectNode used = pr.toJson();
        used.put("hinted", hinted);
        used.put("solver_status", st.name());
        used.put("has_objective", hasObjective);
        used.put("sense", maximize ? "maximize" : "minimize");
        double ttf = Double.NaN;
        synchronized (trace) { for (double[] p : trace) if (!Double.isNaN(p[1])) { ttf = p[0]; break; } }
        return new Solution(status, stoppedBy, obj, bound, seconds, ttf, List.copyOf(trace), null, null, values, log.toString(), used);
    }

    /** CP-SAT stores a maximisation as a minimisation with a negative scaling factor. */
    static boolean maximizes(com.google.ortools.sat.CpModelProto p) {
        if (p.hasFloatingPointObjective()) return p.getFloatingPointObjective().getMaximize();
        return p.hasObjective() && p.getObjective().getScalingFactor() < 0;
    }

    /** Collects solver log lines (a named class: OR-Tools' JNI needs accept(Ljava/lang/String;)V on the class). */
    static final class LogSink implements java.util.function.Consumer<String> {
        private final StringBuilder log;
        LogSink(StringBuilder log) { this.log = log; }
        @Override public void accept(String line) {
            synchronized (log) { log.append(line).append(line.endsWith("\n") ? "" : "\n"); }
        }
    }

    // ------------------------------------------------------------------ MIP

    static ModelBuilder mipModel(Problem.Mip m) {
        OrTools.load();
        ModelBuilder mb = new ModelBuilder();
        boolean ok = m.format().equals("lp") ? mb.importFromLpString(Readers.text(m.file())) : mb.importFromMpsString(Readers.text(m.file()));
        if (!ok) throw new ModelworkException("OR-Tools could not parse " + m.file(), m.file().toString(), "check the file");
        return mb;
    }

    /** A copy of the parsed model for the independent validator. */
    static Validator.LinearModel linearModel(ModelBuilder mb) {
        ModelBuilderHelper h = mb.getHelper();
        int nv = h.numVariables(), nc = h.numConstraints();
        double[] obj = new double[nv], lb = new double[nv], ub = new double[nv];
        boolean[] integer = new boolean[nv];
        String[] names = new String[nv];
        for (int i = 0; i < nv; i++) {
            obj[i] = h.getVarObjectiveCoefficient(i); lb[i] = h.getVarLowerBound(i); ub[i] = h.getVarUpperBound(i);
            integer[i] = h.getVarIntegrality(i); names[i] = h.getVarName(i);
        }
        double[] rl = new double[nc], ru = new double[nc];
        int[][] idx = new int[nc][];
        double[][] coef = new double[nc][];
        String[] rn = new String[nc];
        for (int r = 0; r < nc; r++) {
            rl[r] = h.getConstraintLowerBound(r); ru[r] = h.getConstraintUpperBound(r);
            idx[r] = h.getConstraintVarIndices(r); coef[r] = h.getConstraintCoefficients(r); rn[r] = h.getConstraintName(r);
        }
        return new Validator.LinearModel(h.getMaximize(), h.getObjectiveOffset(), obj, lb, ub, integer, names, rl, ru, idx, coef, rn);
    }

    /**
     * Solves an LP/MPS model and reports progress (objective and bound over time) although the OR-Tools 9.14 model
     * builder has no solution callback in Java, and the solvers' own logs do not reach its log callback (SCIP and
     * CP-SAT print them to the process's stdout, so output is switched off; solver.log holds one line per slice). Three ways, chosen by solver and {@code live}:
     * <ul>
     *   <li>{@code solver=cp_sat} on a pure-integer model with finite bounds and integral row coefficients: the model
     *       is translated to a {@code CpModelProto} ({@link #cpSatOf}) and solved by CP-SAT directly, whose solution
     *       callback gives every incumbent and the bound at that moment, live, at no extra cost.</li>
     *   <li>scip, cbc, highs (a MIP, {@code live=true}, the default): the solve runs in <em>slices</em> of growing
     *       length (the first about 1/20 of the time limit, clamped to 0.25–2 s, then doubling, all within the time
     *       limit), each warm-started with the best solution so far as a hint, and one progress point (incumbent,
     *       best bound over all slices) after each slice. The bound of any slice is a valid bound of the model, so
     *       the best of them is reported. The price is honest and stated: every slice restarts the branch-and-bound
     *       tree (presolve, root cuts), so a proof of optimality can take up to about twice as long as one call, and
     *       progress points are at slice ends, not at the moment an incumbent was found.</li>
     *   <li>{@code live=false}, an LP (no integer variable) or glop/pdlp: one call, one final point.</li>
     * </ul>
     */
    static Solution mip(Problem.Mip m, ModelBuilder mb, Validator.LinearModel lm, Params pr, double[] hint, Listener l) {
        String solver = pr.solver() == null ? "scip" : pr.solver().toLowerCase(Locale.ROOT);
        if (!MIP_SOLVERS.contains(solver))
            throw new ModelworkException("Unknown MIP solver '" + solver + "'", "solver", "use one of " + MIP_SOLVERS);
        boolean integer = false;
        for (boolean b : lm.integer()) integer |= b;
        if (solver.equals("cp_sat") && pr.live()) {
            com.google.ortools.sat.CpModelProto proto = cpSatOf(lm);
            if (proto != null) {
                Solution s = cpsat(proto, pr, hint, l);
                s.parameters().put("solver", "cp_sat");
                s.parameters().put("progress", "CP-SAT solution callback (the LP/MPS model translated to a CpModelProto)");
                return new Solution(s.status(), s.stoppedBy(), s.objective(), s.bound(), s.seconds(), s.timeToFirst(), s.trace(),
                        null, null, s.values(), "# the model was translated to CP-SAT (pure integer, finite bounds, integral rows)\n" + s.log(), s.parameters());
            }
        }
        ModelSolver ms = new ModelSolver(solver.toUpperCase(Locale.ROOT));
        if (!ms.solverIsSupported())
            throw new ModelworkException("The solver " + solver + " is not in this OR-Tools build", "solver", "use scip, cp_sat or glop");
        boolean sliced = pr.live() && integer && !solver.equals("glop") && !solver.equals("pdlp");
        StringBuilder log = new StringBuilder();
        ms.enableOutput(false); // 9.14: the solvers' logs go to the process's stdout, not to the log callback
        ms.setLogCallback(new LogSink(log));
        List<String> specific = new ArrayList<>();
        if (solver.equals("scip")) {
            if (pr.gap() > 0) specific.add("limits/gap = " + pr.gap());
            specific.add("randomization/randomseedshift = " + (pr.seed() & 0x7fffffff) % 1_000_000);
        } else if (solver.equals("cp_sat")) {
            specific.add("num_workers:" + Math.max(1, pr.workers()));
            if (pr.gap() > 0) specific.add("relative_gap_limit:" + pr.gap());
            specific.add("random_seed:" + (pr.seed() & 0x7fffffff));
        }
        if (!specific.isEmpty()) ms.setSolverSpecificParameters(String.join(solver.equals("scip") ? "\n" : ",", specific));
        boolean max = lm.maximize();
        boolean hinted = hint != null && hint.length == mb.numVariables();
        double[] best = hinted ? hint.clone() : null;
        double bestObj = Double.NaN, bestBound = Double.NaN;
        double[] values = null;
        List<double[]> trace = new ArrayList<>();
        double tl = pr.timeLimit();
        double slice = sliced ? Math.min(tl, Math.max(0.25, Math.min(2, tl / 20))) : tl;
        log.append("# OR-Tools ").append(OrTools.version()).append(" model builder, solver ").append(solver)
                .append(sliced ? ", solved in slices of growing length for live progress (see Solvers.mip)\n" : ", one call\n");
        log.append("# slice\tlimit_s\tend_s\tstatus\tincumbent\tslice_bound\tbest_bound\n");
        SolveStatus st = SolveStatus.UNKNOWN_STATUS;
        boolean proved = false, targetHit = false;
        long t0 = System.nanoTime();
        for (int k = 1; ; k++) {
            double remaining = tl - (System.nanoTime() - t0) / 1e9;
            if (k > 1 && remaining < 0.05) break;
            double limit = Math.min(slice, Math.max(0.05, remaining));
            if (remaining - limit < slice) limit = Math.max(0.05, remaining); // no tail shorter than a slice
            mb.getHelper().clearHints();
            if (best != null) for (int i = 0; i < best.length; i++) mb.getHelper().addHint(i, best[i]);
            ms.setTimeLimit(java.time.Duration.ofMillis(Math.max(1, Math.round(limit * 1000))));
            st = ms.solve(mb);
            double t = (System.nanoTime() - t0) / 1e9;
            double obj = Double.NaN, b = Double.NaN;
            if (ms.hasSolution()) {
                obj = ms.getObjectiveValue();
                b = ms.getBestObjectiveBound();
                if (values == null || (max ? obj > bestObj : obj < bestObj)) {
                    values = new double[mb.numVariables()];
                    for (int i = 0; i < values.length; i++) values[i] = ms.getValue(mb.varFromIndex(i));
                    bestObj = obj;
                    best = values;
                }
                if (!Double.isNaN(b) && !Double.isInfinite(b)) bestBound = Double.isNaN(bestBound) ? b : max ? Math.min(bestBound, b) : Math.max(bestBound, b);
                trace.add(new double[]{t, bestObj, bestBound});
                l.point(t, bestObj, bestBound);
            }
            log.append(String.format(Locale.ROOT, "%d\t%.3f\t%.3f\t%s\t%s\t%s\t%s%n", k, limit, t, st, OptimizationReports.fmt(obj),
                    OptimizationReports.fmt(b), OptimizationReports.fmt(bestBound)));
            if (st == SolveStatus.OPTIMAL) { proved = true; break; }
            if (st != SolveStatus.FEASIBLE && st != SolveStatus.NOT_SOLVED && st != SolveStatus.UNKNOWN_STATUS) break;
            if (values != null && !Double.isNaN(bestBound) && Math.abs(bestObj - bestBound) <= Math.max(1e-9, pr.gap()) * Math.max(1, Math.abs(bestObj))) { proved = pr.gap() <= 0; break; }
            if (values != null && !Double.isNaN(pr.target()) && (max ? bestObj >= pr.target() - 1e-9 : bestObj <= pr.target() + 1e-9)) { targetHit = true; break; }
            if (!sliced) break;
            slice *= 2;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String status;
        if (values != null) status = proved ? "optimal" : "feasible";
        else status = switch (st) {
            case INFEASIBLE -> "infeasible";
            case UNBOUNDED -> "unbounded";
            case MODEL_INVALID, INVALID_SOLVER_PARAMETERS, SOLVER_TYPE_UNAVAILABLE, INCOMPATIBLE_OPTIONS, ABNORMAL -> "invalid";
            default -> "timeout";
        };
        if (proved && values != null && st != SolveStatus.OPTIMAL) bestBound = bestObj; // closed across slices
        ObjectNode used = pr.toJson();
        used.put("solver", solver);
        used.put("hinted", hinted);
        used.put("solver_status", st.name());
        used.put("progress", sliced ? "slices (the solve restarts per slice, warm-started with the incumbent)" : "final point only");
        String stoppedBy = proved ? "proof" : targetHit ? "target_reached" : st == SolveStatus.FEASIBLE && values != null && pr.gap() > 0
                && !Double.isNaN(bestBound) && Math.abs(bestObj - bestBound) <= pr.gap() * Math.max(1, Math.abs(bestObj)) ? "gap_limit"
                : seconds >= tl * 0.98 ? "time_limit" : "solver";
        double ttf = trace.isEmpty() ? Double.NaN : trace.get(0)[0];
        return new Solution(status, stoppedBy, values == null ? Double.NaN : bestObj, values == null ? Double.NaN : bestBound, seconds, ttf,
                List.copyOf(trace), null, null, values, log.toString(), used);
    }

    /**
     * The LP/MPS model as a CP-SAT model when it is one exactly: every variable integer with finite bounds within
     * ±1e9, every row coefficient integral (row bounds rounded inward, which is exact for integer activities); the
     * objective stays as is (integral coefficients as the integer objective, else CP-SAT's floating-point objective).
     * Returns null otherwise. Variable i of the proto is variable i of the model, so values map back one to one.
     */
    static com.google.ortools.sat.CpModelProto cpSatOf(Validator.LinearModel lm) {
        int n = lm.objective().length;
        var b = com.google.ortools.sat.CpModelProto.newBuilder();
        long[] lo = new long[n], hi = new long[n];
        for (int i = 0; i < n; i++) {
            if (!lm.integer()[i] || !(Math.abs(lm.lb()[i]) <= 1e9) || !(Math.abs(lm.ub()[i]) <= 1e9)) return null;
            lo[i] = (long) Math.ceil(lm.lb()[i] - 1e-9);
            hi[i] = (long) Math.floor(lm.ub()[i] + 1e-9);
            if (lo[i] > hi[i]) return null;
            b.addVariablesBuilder().setName(lm.names()[i] == null ? "" : lm.names()[i]).addDomain(lo[i]).addDomain(hi[i]);
        }
        for (int r = 0; r < lm.rowLb().length; r++) {
            var lin = com.google.ortools.sat.LinearConstraintProto.newBuilder();
            long min = 0, maxA = 0;
            for (int k = 0; k < lm.rowIdx()[r].length; k++) {
                double c = lm.rowCoef()[r][k];
                if (Math.abs(c - Math.rint(c)) > 1e-9 || Math.abs(c) > 1e9) return null;
                long ci = Math.round(c);
                int v = lm.rowIdx()[r][k];
                lin.addVars(v).addCoeffs(ci);
                min += Math.min(ci * lo[v], ci * hi[v]);
                maxA += Math.max(ci * lo[v], ci * hi[v]);
            }
            long l = Double.isInfinite(lm.rowLb()[r]) ? min : (long) Math.ceil(lm.rowLb()[r] - 1e-9);
            long u = Double.isInfinite(lm.rowUb()[r]) ? maxA : (long) Math.floor(lm.rowUb()[r] + 1e-9);
            lin.addDomain(Math.max(l, min) > Math.min(u, maxA) ? l : Math.max(l, min)).addDomain(Math.max(l, min) > Math.min(u, maxA) ? u : Math.min(u, maxA));
            b.addConstraintsBuilder().setName(lm.rowNames()[r] == null ? "" : lm.rowNames()[r]).setLinear(lin);
        }
        boolean integral = Math.abs(lm.offset() - Math.rint(lm.offset())) < 1e-9;
        for (double c : lm.objective()) integral &= Math.abs(c - Math.rint(c)) < 1e-9;
        if (integral) {
            var o = b.getObjectiveBuilder();
            double sign = lm.maximize() ? -1 : 1;
            for (int i = 0; i < n; i++) if (lm.objective()[i] != 0) o.addVars(i).addCoeffs(Math.round(sign * lm.objective()[i]));
            o.setOffset(sign * lm.offset()).setScalingFactor(sign);
        } else {
            var o = b.getFloatingPointObjectiveBuilder();
            for (int i = 0; i < n; i++) if (lm.objective()[i] != 0) o.addVars(i).addCoeffs(lm.objective()[i]);
            o.setOffset(lm.offset()).setMaximize(lm.maximize());
        }
        return b.build();
    }

    /** The report's status word for a CP-SAT status (an unknown status after the time limit is a timeout). */
    static String status(CpSolverStatus st) {
        return switch (st) {
            case OPTIMAL -> "optimal";
            case FEASIBLE -> "feasible";
            case INFEASIBLE -> "infeasible";
            case MODEL_INVALID -> "invalid";
            default -> "timeout";
        };
    }
}
