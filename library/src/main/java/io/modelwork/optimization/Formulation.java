package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StateWriter;
import io.modelwork.tune.SearchSpace;

import java.io.IOException;
import java.util.List;

/**
 * What build made of an instance for one spec: the variables, constraints and objective, and everything the steps do
 * that depends on the kind of problem — solve, the independent re-check, the extra evaluate charts, the tune grid, the
 * model files of the export. One implementation per kind ({@link TspFormulation}, {@link VrptwFormulation},
 * {@link JobShopFormulation}, {@link MipFormulation}, {@link CpSatFormulation}), so the step handlers never ask which
 * kind they hold.
 */
interface Formulation {

    /** The spec it was built for, e.g. {@code optimization.routing.tsp}. */
    String spec();

    /** The instance it was built from. */
    Problem problem();

    /** The engine named in the build report. */
    default String engine() { return "OR-Tools " + OrTools.version(); }

    /** The build report's {@code model_size} (and notes, and any extra body fields). */
    void describe(StepReport r, ObjectNode size, Solvers.Params pr, Scaling sc);

    /** One solve; {@code hint} (may be null) is a previous solution to start from. */
    Solution solve(Scaling sc, Solvers.Params pr, Solution hint, Solvers.Listener l);

    /** The solution re-checked by {@link Validator}, independent of the solver. */
    Validator.Check check(Solution s, Solvers.Params pr);

    /** The same spec built on another instance of the same kind (a scenario of split). */
    Formulation forScenario(Problem q);

    /** Whether the objective is maximised. */
    default boolean maximize() { return false; }

    /** Whether the solver stops at a relative gap (calibrate's stopping rule; the routing library has no bound to stop at). */
    default boolean stopsAtGap() { return true; }

    /** Extra notes of the fit report. */
    default void fitNotes(StepReport r, Solution s) { }

    /** Why a fit found no solution, for its report (a proven infeasibility never asks for a longer time limit). */
    default String noSolutionNote(Solution s) { return OptimizationReports.noSolutionNote(s.status()); }

    /** Extra tables and charts of the evaluate report (routes, Gantt chart, reported CP-SAT values). */
    default void evaluate(StepReport r, Solution s) { }

    /** The grid tune searches: the user's lists when given, else this kind's defaults. */
    SearchSpace tuneSpace(Args a, int threads);

    /** Writes the model files into an export bundle; returns their names. */
    List<String> exportModel(BundleWriter b, Scaling sc, Solvers.Params pr);

    /** The SHA-256 of a model given as a CP-SAT proto (null for models built from the instance). */
    default String modelFingerprint() { return null; }

    /** Extra fields of the exported {@code solution.json}. */
    default void exportSolution(ObjectNode sol, Solution s) { }

    /** What a checkpoint keeps beyond the build arguments (the CP-SAT proto, whose Java object is gone after resume). */
    default void save(ObjectNode json, StateWriter out) throws IOException { }

    /** Reads back what {@link #save} put into the state JSON, after the build was replayed. */
    default void restore(JsonNode json) { }

    /** The CP-SAT tune grid: the user's {@code workers} list, else 1, 2, the session's threads and 8. */
    static SearchSpace workersSpace(Args a, int threads) {
        List<String> w = a.getList("workers");
        java.util.Set<Integer> ws = new java.util.TreeSet<>();
        if (w.isEmpty()) ws.addAll(List.of(1, 2, Math.max(1, threads), 8));
        List<Object> values = new java.util.ArrayList<>();
        if (w.isEmpty()) values.addAll(ws);
        else for (String x : w) {
            double d = Double.parseDouble(x.trim()); // a number ≥ 1 by the tune step's declared range
            if (d != Math.rint(d))
                throw new io.modelwork.core.ModelworkException("workers=" + x.trim() + " is not a whole number", "tune workers", "e.g. workers=1,2,4");
            values.add((int) d);
        }
        return SearchSpace.builder().add("workers", new io.modelwork.tune.Param.Choice(values)).build();
    }
}
