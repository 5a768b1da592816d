package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.modelwork.optimization.OptimizationReports.fmt;

/**
 * Steps 9-10 for optimization, over the scenarios of split: backtest replays the formulation on each scenario;
 * calibrate finds the time limit that reaches a target gap on all of them.
 */
final class ScenarioHandlers {
    private ScenarioHandlers() { }

    static StepReport backtest(OptimizationState st, Args a, StepContext ctx) {
        StepReport r = new StepReport("backtest", "Scenario replay");
        if (st.scenarios.isEmpty()) {
            r.body().put("scenarios", 0);
            r.note("no scenarios (split scenarios=...): nothing to replay for a single instance");
            return r;
        }
        Solvers.Params pr = st.params(a.has("time_limit") ? Args.of("time_limit", a.getDouble("time_limit", 10)) : Args.empty());
        ArrayNode arr = r.body().putArray("windows");
        Table t = Table.create("Per scenario");
        StringColumn n = StringColumn.create("scenario"), o = StringColumn.create("objective"), stc = StringColumn.create("status"),
                g = StringColumn.create("gap to known"), v = StringColumn.create("violations");
        for (int i = 0; i < st.scenarios.size(); i++) {
            Problem q = st.scenarios.get(i);
            Formulation f = st.model.forScenario(q);
            Solution s = st.solve(f, Scaling.of(q, st.scaling.factor()), pr, null, false);
            Validator.Check c = s.hasSolution() ? f.check(s, pr) : null;
            BestKnown k = BestKnown.lookup(q, st.scenarioFiles.get(i));
            ObjectNode w = arr.addObject();
            w.put("scenario", q.name());
            w.put("status", s.status());
            Solution.num(w, "objective", c == null ? Double.NaN : c.objective());
            w.put("violations", c == null ? -1 : c.violations());
            double gk = c == null || k == null ? Double.NaN : (c.objective() - k.value()) / Math.abs(k.value());
            Solution.num(w, "gap_to_known", gk);
            n.append(q.name()); o.append(fmt(c == null ? Double.NaN : c.objective())); stc.append(s.status());
            g.append(Double.isNaN(gk) ? "—" : String.format(Locale.ROOT, "%.3f%%", 100 * gk)); v.append(c == null ? "—" : String.valueOf(c.violations()));
        }
        t.addColumns(n, o, stc, g, v);
        r.table(t);
        return r;
    }

    /**
     * The time limit that reaches a target gap: one run per scenario with a stopping target at the reference
     * ({@code (1 + target_gap) x} the known optimum, else the best bound), reading off the time the trace first meets
     * it. The recommended limit is the slowest scenario times {@code safety}.
     */
    static StepReport calibrate(OptimizationState st, Args a, StepContext ctx) {
        double targetGap = a.getDouble("target_gap", 0.01);
        double maxTime = a.getDouble("max_time", st.params(Args.empty()).timeLimit());
        double safety = a.getDouble("safety", 1.5);
        boolean apply = a.getBool("apply", true);
        List<Formulation> all = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        all.add(st.model); files.add(st.file);
        for (Problem q : st.scenarios) all.add(st.model.forScenario(q));
        files.addAll(st.scenarioFiles);
        StepReport r = new StepReport("calibrate", "Time limit for a " + 100 * targetGap + "% gap");
        ArrayNode arr = r.body().putArray("scenarios");
        Table t = Table.create("Time to reach the target gap");
        StringColumn n = StringColumn.create("scenario"), ref = StringColumn.create("reference"), tt = StringColumn.create("time to target (s)"),
                fin = StringColumn.create("final objective");
        double worst = 0;
        boolean allReached = true;
        boolean maximize = st.maximize();
        for (int i = 0; i < all.size(); i++) {
            Formulation f = all.get(i);
            Problem q = f.problem();
            BestKnown k = i == 0 ? st.known : BestKnown.lookup(q, files.get(i));
            Scaling sc = i == 0 ? st.scaling : Scaling.of(q, st.scaling.factor());
            double reference = k != null ? k.value() : Double.NaN;
            double target = Double.isNaN(reference) ? Double.NaN : (maximize ? reference * (1 - targetGap) : reference * (1 + targetGap));
            Solvers.Params b = st.params(Args.of("time_limit", maxTime));
            Solvers.Params pr = new Solvers.Params(maxTime, f.stopsAtGap() ? targetGap : 0, b.workers(), b.seed(),
                    b.firstSolution(), b.metaheuristic(), b.vehicles(), target, false, b.solver(), b.vehicleCost(), b.live());
            Solution s = st.solve(f, sc, pr, null, false);
            double reached = timeToTarget(s, target, targetGap, maximize);
            String refText = Double.isNaN(target) ? "bound" : "known " + fmt(reference);
            if (Double.isNaN(reached)) allReached = false; else worst = Math.max(worst, reached);
            ObjectNode o = arr.addObject();
            o.put("scenario", q.name());
            o.put("reference", refText);
            Solution.num(o, "time_to_target_s", reached);
            Solution.num(o, "final_objective", s.objective());
            n.append(q.name()); ref.append(refText); tt.append(Double.isNaN(reached) ? "not reached in " + maxTime + " s" : fmt(Math.round(reached * 1000) / 1000.0));
            fin.append(fmt(s.objective()));
        }
        t.addColumns(n, ref, tt, fin);
        r.table(t);
        double limit = allReached ? Math.max(0.1, Math.ceil(worst * safety * 10) / 10.0) : maxTime;
        ObjectNode cal = st.calibration = Json.object();
        cal.put("method", "time_to_target_gap");
        cal.put("target_gap", targetGap);
        cal.put("time_limit", limit);
        cal.put("all_reached", allReached);
        cal.put("safety", safety);
        cal.put("slowest_time_to_target_s", worst);
        r.body().set("calibration", cal);
        AtomicFiles.writeString(ctx.run().runDir().resolve("artifacts/calibration.json"), Json.write(cal));
        if (apply && allReached) {
            Map<String, Object> m = new LinkedHashMap<>(st.solveArgs.asMap());
            m.put("time_limit", limit);
            st.solveArgs = Args.from(m);
        }
        r.note(allReached ? String.format(Locale.ROOT, "time_limit=%.1f s reaches a %.2f%% gap on every scenario (slowest %.2f s x safety %.1f)%s",
                limit, 100 * targetGap, worst, safety, apply ? "; applied to later fits" : "")
                : "the target gap was not reached on every scenario within max_time=" + maxTime + " s: raise max_time or the target gap");
        return r;
    }

    /** The first time the trace meets the target (else, without a known optimum, the first time within the gap of the bound). */
    private static double timeToTarget(Solution s, double target, double targetGap, boolean maximize) {
        double reached = Double.NaN;
        if (!Double.isNaN(target)) {
            for (double[] p : s.trace()) if (!Double.isNaN(p[1]) && (maximize ? p[1] >= target - 1e-9 : p[1] <= target + 1e-9)) { reached = p[0]; break; }
        } else {
            for (double[] p : s.trace())
                if (!Double.isNaN(p[1]) && !Double.isNaN(p[2]) && Math.abs(p[1] - p[2]) <= targetGap * Math.abs(p[1])) { reached = p[0]; break; }
        }
        if (Double.isNaN(reached) && s.hasSolution() && s.trace().isEmpty() && !Double.isNaN(s.gap()) && s.gap() <= targetGap) reached = s.seconds();
        return reached;
    }
}
