package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.*;
import io.modelwork.session.*;
import io.modelwork.recipe.Recipe;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The 15 steps on optimization instances: tune, calibrate, checkpoint + resume with a hint, export, register, MIP. */
class OptimizationLifecycleTest {

    static Session session(Path tmp, String run) {
        Session s = Session.create(tmp);
        s.configure(Args.of("seed", 7, "threads", 2, "run_dir", tmp.resolve(run).toString(), "progress", false));
        return s;
    }

    @Test
    void allStepsOnATspWithCheckpointResumeAndExport(@TempDir Path tmp) throws Exception {
        String runDir;
        String ckpt;
        double saved;
        try (Session s = session(tmp, "run")) {
            runDir = s.context().runDir().toString();
            StepReport at = s.attachDataset(Args.of("path", Assets.data("optimization/tsplib/st70.tsp").toString()));
            assertEquals(70, at.body().get("profile").get("nodes").asInt());
            assertEquals(675.0, at.body().get("known_optimum").get("value").asDouble());
            assertInstanceOf(Problem.Tsp.class, s.state(OptimizationState.class).problem());
            s.prepareData(Args.empty());
            StepReport sp = s.split(Args.of("scenarios", Assets.data("optimization/tsplib/eil51.tsp").toString()));
            assertEquals("scenarios", sp.body().get("strategy").asText());
            ModelworkException bad = assertThrows(ModelworkException.class, () -> s.build(Args.of("spec", "optimization.routing.nope")));
            assertTrue(bad.fix().contains("optimization.routing.tsp") && bad.fix().contains("optimization.cpsat.jobshop"), bad.fix());
            s.build(Args.of("spec", "optimization.routing.tsp", "metaheuristic", "greedy_descent"));
            StepReport fit = s.fit(Args.of("time_limit", 0.5));
            assertTrue(fit.body().get("time_to_first_solution_s").asDouble() < 0.5, fit.body().toString());
            StepReport ev = s.evaluate(Args.empty());
            assertEquals(0, ev.body().get("metrics").get("violations").asInt());
            saved = ev.body().get("metrics").get("objective").asDouble();
            StepReport tune = s.tune(Args.of("first_solution", "path_cheapest_arc,christofides", "metaheuristic", "guided_local_search",
                    "trial_time", 0.5));
            assertEquals(2, tune.body().get("history").size());
            assertTrue(tune.body().has("best_config"), tune.body().toString());
            StepReport cal = s.calibrate(Args.of("target_gap", 0.05, "max_time", 5));
            JsonNode c = cal.body().get("calibration");
            assertTrue(c.get("all_reached").asBoolean(), cal.body().toString());
            assertTrue(c.get("time_limit").asDouble() <= 5);
            assertTrue(Files.exists(Path.of(runDir, "artifacts/calibration.json")));
            StepReport bt = s.backtest(Args.of("time_limit", 0.5));
            assertEquals(1, bt.body().get("windows").size());
            assertEquals(0, bt.body().get("windows").get(0).get("violations").asInt());
            ckpt = s.saveCheckpoint("after-fit").body().get("checkpoint_id").asText();
            StepReport ex = s.export(Args.empty());
            Path dir = Path.of(ex.body().get("path").asText());
            for (String f : List.of("model.json", "search_parameters.pbtxt", "solution.json", "solver.log", "artifact_manifest.json", "metrics.json"))
                assertTrue(Files.exists(dir.resolve(f)), f);
            JsonNode sol = Json.MAPPER.readTree(dir.resolve("solution.json").toFile());
            assertEquals(0, sol.get("violations").asInt());
            StepReport reg = s.register(Args.of("home", tmp.resolve("registry").toString(), "name", "st70-tsp"));
            assertTrue(reg.body().get("model_id").asText().startsWith("st70-tsp"));
            StepReport art = s.artifacts();
            assertTrue(art.body().get("artifacts").has("solver_log"));
        }
        // resume in a fresh session: the saved tour is the starting solution of the next search
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.resume(Args.of("id", ckpt, "run_dir", runDir));
            StepReport ev0 = s.evaluate(Args.empty());
            assertEquals(saved, ev0.body().get("metrics").get("objective").asDouble(), 1e-9);
            StepReport fit = s.fit(Args.of("time_limit", 0.5));
            assertTrue(fit.body().get("parameters").get("hinted").asBoolean(), fit.body().toString());
            JsonNode first = fit.body().get("trace").get(0);
            assertTrue(first.get(1).asDouble() <= saved + 1e-9, "the first solution after resume is the saved one or better: " + first + " vs " + saved);
            StepReport ev = s.evaluate(Args.empty());
            assertTrue(ev.body().get("metrics").get("objective").asDouble() <= saved + 1e-9);
        }
    }

    @Test
    void mipFromLpFileThenItsExportedMpsSolvesToTheSameOptimum(@TempDir Path tmp) throws Exception {
        Path lp = tmp.resolve("knapsack.lp");
        try (var in = getClass().getResourceAsStream("/optimization/knapsack.lp")) { Files.copy(in, lp); }
        Path mps;
        try (Session s = session(tmp, "run1")) {
            StepReport at = s.attachDataset(Args.of("path", lp.toString()));
            assertEquals(5, at.body().get("profile").get("variables").asInt());
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "optimization.mip"));
            StepReport fit = s.fit(Args.of("time_limit", 10));
            assertEquals("optimal", fit.body().get("status").asText(), fit.body().toString());
            StepReport ev = s.evaluate(Args.empty());
            assertEquals(16.0, ev.body().get("metrics").get("objective").asDouble(), 1e-6);
            assertEquals(0, ev.body().get("metrics").get("violations").asInt());
            StepReport ex = s.export(Args.empty());
            mps = Path.of(ex.body().get("path").asText(), "model.mps");
            assertTrue(Files.readString(Path.of(ex.body().get("path").asText(), "model.lp")).contains("x1"));
        }
        try (Session s = session(tmp, "run2")) {
            s.attachDataset(Args.of("path", mps.toString()));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("solver", "cp_sat"));
            s.fit(Args.of("time_limit", 10));
            assertEquals(16.0, s.evaluate(Args.empty()).body().get("metrics").get("objective").asDouble(), 1e-6);
        }
    }

    @Test
    void recipeExampleRunsEndToEnd(@TempDir Path tmp) throws Exception {
        Path ex = Path.of(System.getProperty("user.dir")).resolve("../examples/tsp-berlin52.yaml").normalize();
        String text = Files.readString(ex).replace("../../shared", Assets.root().toString())
                .replace("time_limit: 20", "time_limit: 10").replace("trials: 6", "trials: 2").replace("max_time: 10", "max_time: 5");
        Recipe r = Recipe.parse(text, ex.toString(), ex.getParent());
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            List<StepReport> reports = r.run(s, tmp.resolve("run"));
            StepReport ev = reports.stream().filter(x -> x.step().equals("evaluate")).findFirst().orElseThrow();
            assertEquals(7542.0, ev.body().get("metrics").get("objective").asDouble());
            assertTrue(reports.stream().anyMatch(x -> x.step().equals("export")));
        }
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> Recipe.parse(text.replace("target: 7542", "rounds: 5"), ex.toString(), ex.getParent()));
        assertTrue(e.fix().contains("time_limit"), e.fix());
    }

    /** Issue 16 item 9: a MIP the solver proves infeasible is reported as such, without suggesting a longer time limit. */
    @Test
    void provenInfeasibleMipDoesNotAskForALongerTimeLimit(@TempDir Path tmp) throws Exception {
        Path lp = tmp.resolve("infeasible.lp");
        Files.writeString(lp, "max: x + y;\nc1: x + y >= 25;\n0 <= x <= 10;\n0 <= y <= 10;\nint x, y;\n");
        try (Session s = session(tmp, "run")) {
            s.attachDataset(Args.of("path", lp.toString()));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "optimization.mip"));
            StepReport fit = s.fit(Args.of("time_limit", 10));
            assertEquals("infeasible", fit.body().get("status").asText(), fit.body().toString());
            assertTrue(fit.notes().stream().anyMatch(n -> n.contains("proved the model infeasible")), fit.notes().toString());
            assertTrue(fit.notes().stream().noneMatch(n -> n.contains("raise time_limit") || n.contains("longer")), fit.notes().toString());
            ModelworkException ev = assertThrows(ModelworkException.class, () -> s.evaluate(Args.empty()));
            assertTrue(ev.getMessage().contains("infeasible"), ev.getMessage());
            assertFalse(ev.fix().contains("time_limit"), ev.fix());
            assertTrue(ev.fix().contains("relax"), ev.fix());
        }
    }
}
