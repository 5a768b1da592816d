package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.ortools.modelbuilder.ModelBuilder;
import io.modelwork.core.Args;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.tune.Param;
import io.modelwork.tune.SearchSpace;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code optimization.mip}: an LP or MPS file read by the OR-Tools model builder and solved by SCIP (or cbc, highs,
 * cp_sat, glop, pdlp); the linear model is also kept as plain arrays for the independent re-check.
 */
final class MipFormulation implements Formulation {
    private final Problem.Mip m;
    private final ModelBuilder mb;
    private final Validator.LinearModel linear;

    MipFormulation(Problem.Mip m) {
        this.m = m;
        this.mb = Solvers.mipModel(m);
        this.linear = Solvers.linearModel(mb);
    }

    @Override public String spec() { return "optimization.mip"; }
    @Override public Problem problem() { return m; }
    @Override public boolean maximize() { return linear.maximize(); }

    @Override public void describe(StepReport r, ObjectNode size, Solvers.Params pr, Scaling sc) {
        size.put("variables", mb.numVariables());
        size.put("constraints", mb.numConstraints());
        size.put("integer_variables", m.integers());
        size.put("sense", linear.maximize() ? "maximize" : "minimize");
    }

    @Override public Solution solve(Scaling sc, Solvers.Params pr, Solution hint, Solvers.Listener l) {
        return Solvers.mip(m, mb, linear, pr, hint == null ? null : hint.values(), l);
    }

    @Override public Validator.Check check(Solution s, Solvers.Params pr) { return Validator.mip(linear, s.values()); }

    @Override public Formulation forScenario(Problem q) { return new MipFormulation((Problem.Mip) q); }

    @Override public void fitNotes(StepReport r, Solution s) {
        r.note("progress: " + s.parameters().path("progress").asText()
                + " — the model builder has no solution callback in Java (see solver.log; live=false solves in one call)");
    }

    @Override public SearchSpace tuneSpace(Args a, int threads) {
        List<String> s = a.getList("solver");
        return SearchSpace.builder().add("solver", new Param.Choice(new ArrayList<>(s.isEmpty() ? List.of("scip", "cp_sat") : s))).build();
    }

    @Override public List<String> exportModel(BundleWriter b, Scaling sc, Solvers.Params pr) {
        b.text("model.lp", mb.exportToLpString(false));
        b.text("model.mps", mb.exportToMpsString(false));
        return List.of("model.lp", "model.mps");
    }
}
