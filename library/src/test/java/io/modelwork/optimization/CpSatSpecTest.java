package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.ortools.sat.*;
import io.modelwork.core.*;
import io.modelwork.session.*;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * optimization.cpsat: CP-SAT models written by hand in Java, as a notebook user writes them, through the steps.
 * ft06 (Fisher and Thompson, optimum 55) is modelled from the raw JSPLIB numbers; a 50-item knapsack is checked
 * against an exact dynamic program written here.
 */
class CpSatSpecTest {

    static Session session(Path tmp, String run) {
        Session s = Session.create(tmp);
        s.configure(Args.of("seed", 7, "threads", 2, "run_dir", tmp.resolve(run).toString(), "progress", false));
        return s;
    }

    /** ft06 as a user types it: read the 6 x 6 (machine, duration) pairs, one interval per operation. */
    static Map<String, Object> ft06(CpModel m) throws Exception {
        List<int[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Assets.data("optimization/jsplib/ft06"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            rows.add(Arrays.stream(line.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray());
        }
        int jobs = rows.get(0)[0], machines = rows.get(0)[1];
        int horizon = rows.stream().skip(1).flatMapToInt(r -> java.util.stream.IntStream.range(0, r.length / 2).map(k -> r[2 * k + 1])).sum();
        IntVar[][] start = new IntVar[jobs][machines];
        List<List<IntervalVar>> perMachine = new ArrayList<>();
        for (int k = 0; k < machines; k++) perMachine.add(new ArrayList<>());
        IntVar makespan = m.newIntVar(0, horizon, "makespan");
        for (int j = 0; j < jobs; j++) {
            int[] r = rows.get(j + 1);
            for (int k = 0; k < machines; k++) {
                int machine = r[2 * k], duration = r[2 * k + 1];
                start[j][k] = m.newIntVar(0, horizon, "start_" + j + "_" + k);
                perMachine.get(machine).add(m.newFixedSizeIntervalVar(start[j][k], duration, "op_" + j + "_" + k));
                if (k > 0) m.addGreaterOrEqual(start[j][k], LinearExpr.affine(start[j][k - 1], 1, rows.get(j + 1)[2 * k - 1]));
            }
            m.addGreaterOrEqual(makespan, LinearExpr.affine(start[j][machines - 1], 1, r[2 * machines - 1]));
        }
        for (List<IntervalVar> ivs : perMachine) m.addNoOverlap(ivs);
        m.minimize(makespan);
        return Map.of("makespan", makespan, "start", start);
    }

    @Test
    void ft06ByHandReaches55ThenCheckpointResumeExportAndReattach(@TempDir Path tmp) throws Exception {
        String runDir, ckpt;
        Path bundle;
        try (Session s = session(tmp, "run")) {
            runDir = s.context().runDir().toString();
            // the data the model is built from is attached as usual: fingerprinted, and its known optimum gives a gap
            s.attachDataset(Args.of("path", Assets.data("optimization/jsplib/ft06").toString()));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            CpModel model = new CpModel();
            Map<String, Object> report = ft06(model);
            StepReport b = s.build(Args.of("spec", "optimization.cpsat", "model", model, "report", report));
            assertEquals(37, b.body().get("model_size").get("variables").asInt(), b.body().toString());
            assertEquals("minimize", b.body().get("model_size").get("objective").asText());
            StepReport fit = s.fit(Args.of("time_limit", 10, "workers", 2));
            assertEquals("optimal", fit.body().get("status").asText(), fit.body().toString());
            assertTrue(fit.body().get("trace").size() >= 2, "one point per solution plus the final one");
            StepReport ev = s.evaluate(Args.empty());
            JsonNode m = ev.body().get("metrics");
            assertEquals(55.0, m.get("objective").asDouble(), m.toString());
            assertEquals(55.0, m.get("bound").asDouble());
            assertEquals(0, m.get("violations").asInt());
            assertEquals(0.0, m.get("gap_to_known").asDouble(), 1e-12);
            assertEquals(0.0, m.get("constraints_not_rechecked").asDouble());
            assertTrue(m.get("constraints_checked").asDouble() >= 36 + 6 + 30, m.toString());
            assertEquals(55, ev.body().get("reported").get("makespan").asInt());
            assertEquals(6, ev.body().get("reported").get("start").size());
            // the run log and the checkpoint keep the Java object as text, not as a serialised bean
            ckpt = s.saveCheckpoint("ft06").body().get("checkpoint_id").asText();
            String state = Files.readString(Path.of(runDir, "checkpoints", ckpt, "checkpoint.json"));
            assertTrue(state.contains("<java CpModel"), state);
            StepReport ex = s.export(Args.empty());
            bundle = Path.of(ex.body().get("path").asText());
            for (String f : List.of("model.cpsat.pb", "model.cpsat.pbtxt", "solution.json", "solver.log", "artifact_manifest.json"))
                assertTrue(Files.exists(bundle.resolve(f)), f);
            JsonNode sol = Json.MAPPER.readTree(bundle.resolve("solution.json").toFile());
            assertEquals(55, sol.get("reported").get("makespan").asInt());
            assertEquals(0, sol.get("violations").asInt());
            assertTrue(Files.readString(bundle.resolve("solver.log")).contains("CP-SAT"), "the solver log is CP-SAT's");
            assertTrue(Files.readString(bundle.resolve("model.cpsat.pbtxt")).contains("no_overlap"));
        }
        // resume: the CpModel object is gone, the checkpoint's proto and report expressions are used; the best
        // solution is the hint of the next solve
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.resume(Args.of("id", ckpt, "run_dir", runDir));
            assertEquals(55.0, s.evaluate(Args.empty()).body().get("metrics").get("objective").asDouble());
            StepReport fit = s.fit(Args.of("time_limit", 5));
            assertTrue(fit.body().get("parameters").get("hinted").asBoolean(), fit.body().toString());
            StepReport ev = s.evaluate(Args.empty());
            assertEquals(55.0, ev.body().get("metrics").get("objective").asDouble());
            assertEquals(55, ev.body().get("reported").get("makespan").asInt());
        }
        // the exported proto is a dataset of its own: attach it and build without model=
        try (Session s = session(tmp, "reattach")) {
            StepReport at = s.attachDataset(Args.of("path", bundle.resolve("model.cpsat.pb").toString()));
            assertEquals("cpsat", at.body().get("dataset").get("format").asText());
            assertEquals(37, at.body().get("profile").get("variables").asInt());
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "optimization.cpsat"));
            s.fit(Args.of("time_limit", 10));
            assertEquals(55.0, s.evaluate(Args.empty()).body().get("metrics").get("objective").asDouble());
        }
    }

    // the 50-item knapsack of the OR-Tools documentation (capacity 850)
    static final long[] VALUES = {360, 83, 59, 130, 431, 67, 230, 52, 93, 125, 670, 892, 600, 38, 48, 147, 78, 256, 63, 17, 120, 164, 432, 35,
            92, 110, 22, 42, 50, 323, 514, 28, 87, 73, 78, 15, 26, 78, 210, 36, 85, 189, 274, 43, 33, 10, 19, 389, 276, 312};
    static final long[] WEIGHTS = {7, 0, 30, 22, 80, 94, 11, 81, 70, 64, 59, 18, 0, 36, 3, 8, 15, 42, 9, 0, 42, 47, 52, 32, 26, 48, 55, 6, 29,
            84, 2, 4, 18, 56, 7, 29, 93, 44, 71, 3, 86, 66, 31, 65, 0, 79, 20, 65, 52, 13};
    static final int CAPACITY = 850;

    /** Exact 0/1 knapsack by dynamic programming over capacities: the reference, independent of CP-SAT. */
    static long knapsackDp() {
        long[] best = new long[CAPACITY + 1];
        for (int i = 0; i < VALUES.length; i++)
            for (int c = CAPACITY; c >= WEIGHTS[i]; c--) best[c] = Math.max(best[c], best[c - (int) WEIGHTS[i]] + VALUES[i]);
        return best[CAPACITY];
    }

    @Test
    void knapsackFromABuilderWithoutDatasetMaximisesToTheDpOptimum(@TempDir Path tmp) {
        long optimum = knapsackDp();
        assertEquals(7534, optimum, "the documented optimum of this instance");
        Function<CpModel, Map<String, Object>> knapsack = m -> {
            BoolVar[] take = new BoolVar[VALUES.length];
            for (int i = 0; i < take.length; i++) take[i] = m.newBoolVar("take_" + i);
            m.addLessOrEqual(LinearExpr.weightedSum(take, WEIGHTS), CAPACITY);
            LinearExpr value = LinearExpr.weightedSum(take, VALUES);
            m.maximize(value);
            return Map.of("value", value, "weight", LinearExpr.weightedSum(take, WEIGHTS), "take", take);
        };
        try (Session s = session(tmp, "run")) {
            StepReport at = s.attachDataset(Args.of("format", "cpsat", "name", "knapsack50"));
            assertEquals("none", at.body().get("dataset").get("ref").asText());
            s.prepareData(Args.empty());
            StepReport sp = s.split(Args.empty());
            assertEquals("none", sp.body().get("strategy").asText());
            StepReport b = s.build(Args.of("spec", "optimization.cpsat", "model", knapsack));
            assertEquals("maximize", b.body().get("model_size").get("objective").asText());
            s.fit(Args.of("time_limit", 10, "workers", 2));
            StepReport ev = s.evaluate(Args.empty());
            JsonNode m = ev.body().get("metrics");
            assertEquals(optimum, m.get("objective").asDouble(), 1e-9, m.toString());
            assertEquals("optimal", m.get("status").asText());
            assertEquals(0, m.get("violations").asInt());
            assertTrue(ev.body().get("reported").get("weight").asLong() <= CAPACITY);
            StepReport tune = s.tune(Args.of("workers", "1,2", "trial_time", 1));
            assertEquals(2, tune.body().get("history").size());
        }
    }

    @Test
    void badModelsGetClearErrors(@TempDir Path tmp) {
        try (Session s = session(tmp, "run")) {
            s.attachDataset(Args.of("format", "cpsat"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            ModelworkException none = assertThrows(ModelworkException.class, () -> s.build(Args.of("spec", "optimization.cpsat")));
            assertTrue(none.getMessage().contains("needs a model") && none.fix().contains("\"model\", cpModel"), none.fix());
            ModelworkException wrong = assertThrows(ModelworkException.class, () -> s.build(Args.of("spec", "optimization.cpsat", "model", 42)));
            assertTrue(wrong.fix().contains("CpModel"), wrong.fix());
            CpModel empty = new CpModel();
            assertTrue(assertThrows(ModelworkException.class, () -> s.build(Args.of("model", empty))).getMessage().contains("no variables"));
            CpModel other = new CpModel();
            IntVar[] foreign = new IntVar[5];
            for (int i = 0; i < 5; i++) foreign[i] = other.newIntVar(0, 1, "f" + i);
            CpModel bad = new CpModel();
            IntVar x = bad.newIntVar(0, 10, "x");
            IntVar y = bad.newIntVar(0, 10, "y");
            ModelworkException rep = assertThrows(ModelworkException.class, () -> s.build(Args.of("model", bad, "report", Map.of("f", foreign[4]))));
            assertTrue(rep.getMessage().contains("variable #4"), rep.getMessage());
            // infeasible: x + y >= 25 with x, y <= 10
            bad.addGreaterOrEqual(LinearExpr.sum(new IntVar[]{x, y}), 25);
            bad.maximize(x);
            s.build(Args.of("model", bad, "report", Map.of("x", x)));
            StepReport fit = s.fit(Args.of("time_limit", 5));
            assertEquals("infeasible", fit.body().get("status").asText());
            assertTrue(fit.notes().stream().anyMatch(n -> n.contains("INFEASIBLE")), fit.notes().toString());
            ModelworkException ev = assertThrows(ModelworkException.class, () -> s.evaluate(Args.empty()));
            assertTrue(ev.getMessage().contains("infeasible"), ev.getMessage());
        }
    }

    /** The re-check is the proto's semantics, not the solver's word: a tampered ft06 schedule is caught. */
    @Test
    void validatorCatchesAnOverlapAndABrokenPrecedence() throws Exception {
        OrTools.load();
        CpModel model = new CpModel();
        ft06(model);
        CpSolver solver = new CpSolver();
        solver.getParameters().setMaxTimeInSeconds(10).setNumWorkers(2);
        assertEquals(CpSolverStatus.OPTIMAL, solver.solve(model));
        double[] x = solver.response().getSolutionList().stream().mapToDouble(Long::doubleValue).toArray();
        Validator.Check ok = Validator.cpsat(model.model(), x);
        assertEquals(0, ok.violations(), ok.details().toString());
        assertEquals(55.0, ok.objective());
        double[] bad = x.clone();
        bad[2] = 0; // start_0_1 = 0: job 0's second operation starts before its first ends
        Validator.Check c = Validator.cpsat(model.model(), bad);
        assertTrue(c.violations() >= 1, c.details().toString());
        assertTrue(c.details().stream().anyMatch(d -> d.contains("linear") || d.contains("no_overlap")), c.details().toString());
    }
}
