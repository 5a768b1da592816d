package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.StepContext;
import io.modelwork.tune.*;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.*;
import java.util.concurrent.ConcurrentHashMap;

import static io.modelwork.optimization.OptimizationReports.fmt;

/**
 * Step 8 for optimization: a grid over the search strategies of the formulation (first_solution x metaheuristic for
 * routing, workers for CP-SAT, solver for MIP), run by {@link Tuner} through {@link Tuning#run} (progress per trial).
 * Each trial solves the attached instance with {@code time_limit=trial_time}; its score is the objective re-checked
 * by the validator. Trials run one at a time: each solve uses its own workers, and trials in parallel would compete
 * for the cores and distort "objective at a fixed time". The best trial has zero violations and the best objective,
 * ties going to the earlier time to best; with {@code apply} it becomes the solve parameters of later fits.
 * A grid larger than {@code trials} is sampled by the tuner (a seeded subset).
 */
final class TuneHandler {
    private TuneHandler() { }

    /** What one trial found (the tuner keeps the objective; the rest is kept here for the report and the tie-break). */
    private record Outcome(String status, double objective, double timeToBest, int violations) {
        boolean valid() { return !Double.isNaN(objective) && violations == 0; }
    }

    static StepReport run(OptimizationState st, Args a, StepContext ctx) {
        double trialTime = a.getDouble("trial_time", 1.0);
        SearchSpace space = st.model.tuneSpace(a, ctx.run().threads());
        boolean maximize = st.maximize();
        Direction dir = maximize ? Direction.MAXIMIZE : Direction.MINIMIZE;
        TunerConfig cfg = TunerConfig.builder(Strategy.GRID).maxTrials(a.getInt("trials", 12)).threads(1)
                .seed(ctx.run().seedFor("tune")).metric("objective", dir).maxBudget(1).build();
        Map<Map<String, Object>, Outcome> outcomes = new ConcurrentHashMap<>();
        List<Map<String, Object>> grid = grid(space);
        for (Map<String, Object> g : grid) trialParams(st, g, trialTime); // a bad first_solution etc. is an error now, not a failed trial
        Objective objective = (params, budget, seed) -> {
            Solvers.Params pr = trialParams(st, params, trialTime);
            Solution s;
            try {
                s = st.solve(st.model, st.scaling, pr, null, false);
            } catch (RuntimeException e) {
                outcomes.put(params, new Outcome("error", Double.NaN, Double.NaN, -1));
                throw e;
            }
            Outcome o = new Outcome(s.status(), Double.NaN, Double.NaN, -1);
            if (s.hasSolution()) {
                Validator.Check c = st.model.check(s, pr);
                double so = s.objective();
                double tBest = s.trace().stream().filter(p -> !Double.isNaN(p[1]) && Math.abs(p[1] - so) < 1e-9).mapToDouble(p -> p[0]).findFirst().orElse(s.seconds());
                o = new Outcome(s.status(), c.objective(), tBest, c.violations());
            }
            outcomes.put(params, o);
            return o.objective(); // NaN (no solution) marks the trial failed
        };
        TuningReport tr = null;
        try {
            tr = Tuning.run(ctx, space, objective, cfg);
        } catch (ModelworkException e) {
            if (Thread.currentThread().isInterrupted() || !e.what().startsWith("all ")) throw e; // else: no trial found a solution
        }
        Map<String, Object> best = null;
        Outcome bestO = null;
        StepReport r = new StepReport("tune", "Search-strategy tuning");
        ArrayNode hist = r.body().putArray("history");
        Table t = Table.create("Trials (objective at time_limit=" + trialTime + " s)");
        StringColumn cfgCol = StringColumn.create("config"), obj = StringColumn.create("objective"), stc = StringColumn.create("status"),
                tb = StringColumn.create("time to best (s)"), viol = StringColumn.create("violations");
        List<Map<String, Object>> ran = tr != null ? tr.trials().stream().map(Trial::params).toList()
                : grid.stream().filter(outcomes::containsKey).toList();
        int n = 0;
        for (Map<String, Object> g : ran) {
            Outcome o = outcomes.getOrDefault(g, new Outcome("error", Double.NaN, Double.NaN, -1));
            historyRow(hist, ++n, g, o.objective(), o.timeToBest(), o.status(), o.violations());
            cfgCol.append(g.toString()); obj.append(fmt(o.objective())); stc.append(o.status()); tb.append(fmt(o.timeToBest())); viol.append(String.valueOf(o.violations()));
            if (o.valid() && (bestO == null || Tuning.better(dir, o.objective(), bestO.objective())
                    || (Math.abs(o.objective() - bestO.objective()) <= 1e-9 && o.timeToBest() < bestO.timeToBest()))) {
                best = g;
                bestO = o;
            }
        }
        ctx.progress().finished("tune", "best " + best + " objective " + fmt(bestO == null ? Double.NaN : bestO.objective()));
        t.addColumns(cfgCol, obj, tb, stc, viol);
        r.table(t);
        r.body().put("strategy", "grid");
        r.body().put("target_metric", "objective at time_limit=" + trialTime + " s (" + (maximize ? "max" : "min") + "; ties: earlier time to best)");
        r.body().put("trials", ran.size());
        if (tr != null) r.body().set("tuning_report", Json.MAPPER.valueToTree(tr));
        if (best != null) {
            r.body().set("best_config", Json.MAPPER.valueToTree(best));
            r.body().put("best_objective", bestO.objective());
            if (a.getBool("apply", true)) {
                Map<String, Object> m = new LinkedHashMap<>(st.solveArgs.asMap());
                m.putAll(best);
                st.solveArgs = Args.from(m);
                r.note("best config applied to the following fits: " + best);
            }
        } else r.note("no trial found a valid solution within " + trialTime + " s: raise trial_time");
        return r;
    }

    /** The solve parameters of one trial: the current ones, the trial's configuration, trial_time and no target. */
    private static Solvers.Params trialParams(OptimizationState st, Map<String, Object> g, double trialTime) {
        Map<String, Object> over = new LinkedHashMap<>(g);
        over.put("time_limit", trialTime);
        over.put("target", Double.NaN);
        return st.params(Args.from(over));
    }

    /** Every point of an all-choice space (to check the configurations before any solve). */
    private static List<Map<String, Object>> grid(SearchSpace space) {
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (String name : space.names()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> g : out)
                for (Object v : space.param(name).gridValues()) {
                    Map<String, Object> m = new LinkedHashMap<>(g);
                    m.put(name, v);
                    next.add(m);
                }
            out = next;
        }
        return out;
    }

    /** One row of the {@code history} array of the report. */
    private static void historyRow(ArrayNode hist, int trial, Map<String, Object> g, double objective, double tBest, String status, int violations) {
        var h = hist.addObject();
        h.put("trial", trial);
        h.set("config", Json.MAPPER.valueToTree(g));
        Solution.num(h, "objective", objective);
        Solution.num(h, "time_to_best_s", tBest);
        h.put("status", status);
        h.put("violations", violations);
    }
}
