package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.*;
import io.modelwork.session.*;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Live progress of optimization.mip on a real MIP: the Miller-Tucker-Zemlin formulation of TSPLIB gr17 (optimum
 * 2085), written as MPS. SCIP reports in slices (objective and bound after each), CP-SAT through its solution
 * callback on the pure-integer variant; live=false gives the one final point.
 */
class MipProgressTest {

    static Path mps(Path tmp, String instance, boolean integerOrder) throws Exception {
        Problem.Tsp t = (Problem.Tsp) Readers.read(Assets.data("optimization/tsplib/" + instance + ".tsp"), "tsplib");
        Path f = tmp.resolve(instance + (integerOrder ? "_mtz_int" : "_mtz") + ".mps");
        Files.writeString(f, Formulations.tspMtz(t, integerOrder).exportToMpsString(false));
        return f;
    }

    record Run(StepReport fit, StepReport ev, List<String> updates) {}

    static Run run(Path tmp, Path model, Args build, Args fit) {
        List<String> updates = Collections.synchronizedList(new ArrayList<>());
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 3, "threads", 2, "run_dir", tmp.resolve("run-" + model.getFileName()).toString()));
            s.progress(new Progress() {
                @Override public void update(String step, int done, int total, String message) { if (step.equals("fit")) updates.add(message); }
            });
            s.attachDataset(Args.of("path", model.toString()));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(build);
            StepReport f = s.fit(fit);
            StepReport ev = s.evaluate(Args.empty());
            assertEquals(0, ev.body().get("metrics").get("violations").asInt(), ev.body().toString());
            return new Run(f, ev, updates);
        }
    }

    static void assertMonotoneTrace(JsonNode trace, double limit) {
        double prevT = -1, prevObj = Double.POSITIVE_INFINITY;
        for (JsonNode p : trace) {
            assertTrue(p.get(0).asDouble() >= prevT && p.get(0).asDouble() <= limit + 1.5, trace.toString());
            if (!p.get(1).isNull()) {
                assertTrue(p.get(1).asDouble() <= prevObj + 1e-9, "the incumbent never gets worse: " + trace);
                prevObj = p.get(1).asDouble();
                if (!p.get(2).isNull()) assertTrue(p.get(2).asDouble() <= p.get(1).asDouble() + 1e-6, "bound <= incumbent: " + trace);
            }
            prevT = p.get(0).asDouble();
        }
    }

    @Test
    void scipReportsObjectiveAndBoundPerSlice(@TempDir Path tmp) throws Exception {
        Run r = run(tmp, mps(tmp, "gr17", false), Args.of("spec", "optimization.mip"), Args.of("time_limit", 8));
        JsonNode trace = r.fit().body().get("trace");
        System.out.println("gr17 MTZ, SCIP in slices: " + trace + " status " + r.fit().body().get("status"));
        assertTrue(r.fit().body().get("parameters").get("progress").asText().startsWith("slices"), r.fit().body().toString());
        assertTrue(trace.size() >= 2, "more than the final point: " + trace);
        assertTrue(r.updates().size() >= 2 && r.updates().get(0).contains("bound"), r.updates().toString());
        assertMonotoneTrace(trace, 8);
        assertTrue(r.fit().charts().stream().anyMatch(c -> c.name().equals("objective_vs_time")));
        double obj = r.ev().body().get("metrics").get("objective").asDouble();
        assertTrue(obj >= 2085 - 1e-6, "gr17's optimum is 2085: " + obj);
        if (r.fit().body().get("status").asText().equals("optimal")) assertEquals(2085.0, obj, 1e-6);
        assertTrue(r.fit().body().get("seconds").asDouble() <= 8 + 1.5);
    }

    @Test
    void cpSatTakesThePureIntegerModelWithItsSolutionCallback(@TempDir Path tmp) throws Exception {
        Run r = run(tmp, mps(tmp, "gr17", true), Args.of("spec", "optimization.mip", "solver", "cp_sat"), Args.of("time_limit", 10));
        JsonNode trace = r.fit().body().get("trace");
        System.out.println("gr17 MTZ (integer u), CP-SAT direct: " + trace.size() + " points, status " + r.fit().body().get("status")
                + ", objective " + r.ev().body().get("metrics").get("objective"));
        assertTrue(r.fit().body().get("parameters").get("progress").asText().contains("CP-SAT solution callback"));
        assertTrue(trace.size() >= 3, "one point per CP-SAT solution: " + trace);
        assertMonotoneTrace(trace, 10);
        double obj = r.ev().body().get("metrics").get("objective").asDouble();
        assertTrue(obj >= 2085 - 1e-6 && obj <= 2085 * 1.05, "within 5% of 2085: " + obj);
    }

    @Test
    void liveFalseSolvesInOneCall(@TempDir Path tmp) throws Exception {
        Path lp = tmp.resolve("knapsack.lp");
        try (var in = getClass().getResourceAsStream("/optimization/knapsack.lp")) { Files.copy(in, lp); }
        Run r = run(tmp, lp, Args.of("spec", "optimization.mip"), Args.of("time_limit", 5, "live", false));
        assertEquals("final point only", r.fit().body().get("parameters").get("progress").asText());
        assertEquals(1, r.fit().body().get("trace").size());
        assertEquals(16.0, r.ev().body().get("metrics").get("objective").asDouble(), 1e-6);
    }
}
