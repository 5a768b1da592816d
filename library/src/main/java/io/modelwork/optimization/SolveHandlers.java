package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.modelwork.optimization.OptimizationReports.*;

/**
 * Steps 5-7 for optimization: build makes the {@link Formulation} of the spec (variables, constraints, objective),
 * fit solves it (from the resumed solution as a hint), evaluate re-checks the solution with the independent
 * {@link Validator} and compares it with the known optimum.
 */
final class SolveHandlers {
    private SolveHandlers() { }

    static StepReport build(OptimizationState st, Args a, StepContext ctx) {
        Problem problem = st.problem;
        String spec = a.getString("spec", a.has("model") ? CpSatFormulation.SPEC : problem.defaultSpec());
        if (!OptimizationCategory.SPECS.containsKey(spec))
            throw new ModelworkException("Unknown model spec '" + spec + "'", "build spec", "known optimization specs: " + OptimizationCategory.SPECS.keySet());
        Formulation model;
        if (spec.equals(CpSatFormulation.SPEC)) {
            model = CpSatFormulation.build(a, problem);
            st.buildArgs = a.without(List.of("spec", "model", "report"));
        } else {
            if (a.has("model") || a.has("report"))
                throw new ModelworkException("model= and report= belong to spec=" + CpSatFormulation.SPEC + ", not " + spec, "build",
                        "use spec=" + CpSatFormulation.SPEC + " to solve your own CP-SAT model, or drop model=/report=");
            if (!spec.equals(problem.defaultSpec()))
                throw new ModelworkException("The spec " + spec + " does not fit a " + problem.format() + " instance", "build spec",
                        "use spec=" + problem.defaultSpec() + " for this instance");
            model = OptimizationCategory.SPECS.get(spec).formulate().apply(problem, st.lowerBound);
            st.buildArgs = a.without(List.of("spec"));
        }
        st.model = model;
        st.solveArgs = st.buildArgs;
        Solvers.Params pr = st.params(Args.empty());
        StepReport r = new StepReport("build", "Model " + spec);
        r.body().put("spec", spec);
        r.body().put("engine", model.engine());
        r.body().set("parameters", pr.toJson());
        ObjectNode size = Json.object();
        model.describe(r, size, pr, st.scaling);
        r.body().set("model_size", size);
        r.table(kv("Model " + spec, flatten(r.body().get("parameters"), size)));
        return r;
    }

    static StepReport fit(OptimizationState st, Args a, StepContext ctx) {
        Solvers.Params pr = st.params(a);
        Solution solution = st.solution = st.solve(st.model, st.scaling, pr, a.getBool("use_hint", true) ? st.hint : null, true);
        StepReport r = new StepReport("fit", "Solve: " + solution.status());
        ObjectNode o = solution.toJson();
        o.remove("routes"); o.remove("starts"); o.remove("values");
        r.body().setAll(o);
        r.body().put("spec", st.spec());
        r.body().put("best_checkpoint", "save_checkpoint keeps the best solution; resume uses it as a hint");
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("status", solution.status());
        rows.put("stopped by", solution.stoppedBy());
        rows.put("objective", fmt(solution.objective()));
        rows.put("best bound", fmt(solution.bound()));
        rows.put("gap", Double.isNaN(solution.gap()) ? "—" : String.format(Locale.ROOT, "%.4f%%", 100 * solution.gap()));
        rows.put("time to first solution (s)", fmt(solution.timeToFirst()));
        rows.put("solve time (s)", fmt(solution.seconds()));
        rows.put("solutions found", solution.trace().stream().filter(p -> !Double.isNaN(p[1])).count());
        rows.put("started from a hint", solution.parameters().path("hinted").asBoolean(false));
        r.table(kv("Solve", rows));
        r.chart(objectiveChart(solution));
        st.model.fitNotes(r, solution);
        if (!solution.hasSolution()) r.note(st.model.noSolutionNote(solution));
        return r;
    }

    static StepReport evaluate(OptimizationState st, Args a, StepContext ctx) {
        Solution solution = st.solution;
        if (solution == null || !solution.hasSolution()) {
            String status = solution == null ? "none" : solution.status();
            throw new ModelworkException("There is no solution to evaluate (fit status: " + status + ")", "evaluate", noSolutionFix(status));
        }
        Validator.Check c = st.lastCheck = st.model.check(solution, st.params(Args.empty()));
        StepReport r = new StepReport("evaluate", "Evaluation");
        ObjectNode m = r.body().putObject("metrics");
        m.put("objective", c.objective());
        Solution.num(m, "solver_objective", solution.objective());
        Solution.num(m, "bound", solution.bound());
        Solution.num(m, "gap", solution.gap());
        m.put("violations", c.violations());
        m.put("status", solution.status());
        Solution.num(m, "time_to_first_solution_s", solution.timeToFirst());
        m.put("solve_seconds", solution.seconds());
        c.extra().forEach(m::put);
        BestKnown known = st.known;
        if (known != null) {
            m.put("known_optimum", known.value());
            m.put("known_optimum_proven", known.proven());
            m.put("gap_to_known", (c.objective() - known.value()) / Math.abs(known.value()));
            if (known.vehicles() > 0) m.put("known_vehicles", known.vehicles());
        }
        r.body().set("violation_details", Json.MAPPER.valueToTree(c.details()));
        Map<String, Object> rows = new LinkedHashMap<>();
        m.fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue().isNumber() ? fmt(e.getValue().asDouble()) : e.getValue().asText()));
        r.table(kv("Metrics (objective recomputed by the independent validator)", rows));
        if (c.violations() > 0) r.note("CONSTRAINT VIOLATIONS: " + c.violations() + " — " + String.join("; ", c.details()));
        else r.note("independent validator: 0 constraint violations");
        if (Math.abs(c.objective() - solution.objective()) > 1e-6 * Math.max(1, Math.abs(c.objective())))
            r.note(String.format(Locale.ROOT, "the validator's objective %.4f differs from the solver's %.4f (integer scaling of %s)",
                    c.objective(), solution.objective(), st.scaling.precision()));
        r.chart(objectiveChart(solution));
        st.model.evaluate(r, solution);
        return r;
    }
}
