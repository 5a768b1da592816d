package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.tune.SearchSpace;

import java.util.ArrayList;
import java.util.List;

/** {@code optimization.cpsat.jobshop}: CP-SAT intervals, job precedence, no-overlap per machine, makespan objective. */
final class JobShopFormulation implements Formulation {
    private final Problem.JobShop j;

    JobShopFormulation(Problem.JobShop j) { this.j = j; }

    @Override public String spec() { return "optimization.cpsat.jobshop"; }
    @Override public Problem problem() { return j; }

    @Override public void describe(StepReport r, ObjectNode size, Solvers.Params pr, Scaling sc) {
        Solvers.JobShopModel jm = Solvers.jobShopModel(j);
        String v = jm.model().validate();
        if (!v.isEmpty()) throw new ModelworkException("CP-SAT refuses the model: " + v, spec(), "report this");
        size.put("variables", jm.model().model().getVariablesCount());
        size.put("constraints", jm.model().model().getConstraintsCount());
        r.note("variables: start/end per operation, interval per operation; constraints: job precedence, no-overlap per machine; objective: makespan");
    }

    @Override public Solution solve(Scaling sc, Solvers.Params pr, Solution hint, Solvers.Listener l) {
        return Solvers.jobShop(j, pr, hint == null ? null : hint.starts(), l);
    }

    @Override public Validator.Check check(Solution s, Solvers.Params pr) { return Validator.jobShop(j, s.starts()); }

    @Override public Formulation forScenario(Problem q) { return new JobShopFormulation((Problem.JobShop) q); }

    /** The Gantt chart: one segment per operation, y = machine. */
    @Override public void evaluate(StepReport r, Solution s) {
        if (s.starts() == null) return;
        List<Chart.Series> series = new ArrayList<>();
        for (int a = 0; a < j.machine().length; a++)
            for (int k = 0; k < j.machine()[a].length; k++) {
                double st = s.starts()[a][k], e = st + j.duration()[a][k], m = j.machine()[a][k];
                series.add(Chart.Series.line("job " + a + " op " + k, new double[]{st, e}, new double[]{m, m}));
            }
        r.chart(Chart.line("gantt", "Gantt chart (one segment per operation; y = machine)", "time", "machine", series));
    }

    @Override public SearchSpace tuneSpace(Args a, int threads) { return Formulation.workersSpace(a, threads); }

    @Override public List<String> exportModel(BundleWriter b, Scaling sc, Solvers.Params pr) {
        b.text("model.cpsat.pbtxt", Solvers.jobShopModel(j).model().model().toString());
        return List.of("model.cpsat.pbtxt");
    }
}
