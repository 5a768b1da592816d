package io.modelwork.optimization;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.recipe.Recipe;
import io.modelwork.session.Session;
import io.modelwork.spi.Categories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The keys of every optimization step, declared once: ranges and unknown keys are errors before any solve. */
class OptimizationOptionsTest {

    @Test
    void everySpecIsListedWithADescriptionAndEveryStepDeclaresItsKeys() {
        var specs = Categories.specs();
        for (String s : List.of("optimization.routing.tsp", "optimization.routing.vrptw", "optimization.cpsat.jobshop", "optimization.mip", "optimization.cpsat"))
            assertFalse(specs.getOrDefault(s, "").isBlank(), s);
        OptimizationCategory c = new OptimizationCategory();
        for (Step step : Step.values())
            if (c.handler(step) != null) assertNotNull(c.options(step), step.key());
        assertTrue(c.options(Step.FIT).names().containsAll(OptimizationCategory.SOLVE_KEYS));
        assertTrue(c.options(Step.FIT).helpText("fit").contains("time_limit"));
    }

    @Test
    void outOfRangeAndUnknownKeysAreRefusedBeforeTheSolve(@TempDir Path tmp) {
        try (Session s = OptimizationAnchorsTest.session(tmp)) {
            ModelworkException v = assertThrows(ModelworkException.class, () ->
                    s.attachDataset(Args.of("path", Assets.data("optimization/tsplib/burma14.tsp").toString(), "validate", "maybe")));
            assertTrue(v.fix().contains("error") && v.fix().contains("warn"), v.fix());
            s.attachDataset(Args.of("path", Assets.data("optimization/tsplib/burma14.tsp").toString()));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.empty());
            for (Object[] bad : new Object[][]{{"time_limit", 0}, {"time_limit", -3}, {"gap", 1.5}, {"workers", 0}, {"workers", 99999999999L}}) {
                ModelworkException e = assertThrows(ModelworkException.class, () -> s.fit(Args.of(bad[0], bad[1])), bad[0] + "=" + bad[1]);
                assertTrue(e.getMessage().contains("'" + bad[0] + "'"), e.getMessage());
            }
            ModelworkException fs = assertThrows(ModelworkException.class, () -> s.fit(Args.of("first_solution", "cheapest")));
            assertTrue(fs.fix().contains("path_cheapest_arc"), fs.fix());
            ModelworkException unknown = assertThrows(ModelworkException.class, () -> s.fit(Args.of("time_limt", 5)));
            assertTrue(unknown.fix().contains("did you mean 'time_limit'"), unknown.fix());
            var tune = new OptimizationCategory().options(Step.TUNE);
            ModelworkException t = assertThrows(ModelworkException.class, () -> tune.check(Step.TUNE, Args.of("trial_time", 0), null));
            assertTrue(t.getMessage().contains("trial_time"), t.getMessage());
            assertFalse(s.hasRun(Step.FIT));
        }
    }

    @Test
    void theRecipePreCheckFindsABadRangeWithItsLine() {
        String recipe = "configure: {seed: 1}\nattach_dataset:\n  path: " + Assets.data("optimization/tsplib/burma14.tsp")
                + "\nbuild: {spec: optimization.routing.tsp}\nfit:\n  time_limit: 0\n";
        ModelworkException e = assertThrows(ModelworkException.class, () -> Recipe.parse(recipe, "r.yaml", null));
        assertTrue(e.getMessage().contains("time_limit") && e.where().contains("r.yaml:6"), e.getMessage() + " @ " + e.where());
        ModelworkException spec = assertThrows(ModelworkException.class,
                () -> Recipe.parse(recipe.replace("optimization.routing.tsp", "optimization.routing.tps"), "r.yaml", null));
        assertTrue(spec.fix().contains("optimization.routing.tsp"), spec.fix());
    }

    /** The category's example lifecycle runs, and a resumed session evaluates the saved tour to the same metrics. */
    @Test
    void theExampleLifecycleRunsAndResumesToTheSameMetrics(@TempDir Path tmp) {
        var example = new OptimizationCategory().example(Assets.root());
        String id, runDir;
        com.fasterxml.jackson.databind.JsonNode metrics;
        try (Session s = OptimizationAnchorsTest.session(tmp)) {
            runDir = s.context().runDir().toString();
            example.forEach(s::run);
            metrics = s.report(Step.EVALUATE).orElseThrow().body().get("metrics");
            assertEquals(3323.0, metrics.get("objective").asDouble(), metrics.toString());
            id = s.saveCheckpoint("example").body().get("checkpoint_id").asText();
            assertTrue(java.nio.file.Files.exists(Path.of(runDir, "checkpoints", id, "state", "optimization.json")));
        }
        try (Session s = Session.create(tmp)) {
            s.progress(io.modelwork.core.Progress.silent());
            s.resume(Args.of("id", id, "run_dir", runDir));
            assertEquals(metrics, s.evaluate(Args.empty()).body().get("metrics"));
        }
    }
}
