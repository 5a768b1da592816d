package io.modelwork.forecast.workflow;

import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.core.Step;
import io.modelwork.recipe.Recipe;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** examples/airpassengers-autoarima.yaml runs through the recipe runner (its data path resolves against the recipe). */
class ForecastRecipeTest {
    static Path example() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("examples/airpassengers-autoarima.yaml"))) p = p.getParent();
        assertNotNull(p, "examples/airpassengers-autoarima.yaml not found above the working directory");
        return p.resolve("examples/airpassengers-autoarima.yaml");
    }

    @Test
    void airPassengersRecipeRuns(@TempDir Path tmp) throws Exception {
        String text = Files.readString(example());
        // ../../shared from a checkout's examples/ folder: resolve against a folder beside the assets root
        Path base = Assets.root().resolveSibling("checkout").resolve("examples");
        Recipe r = Recipe.parse(text, "airpassengers-autoarima.yaml", base);
        assertEquals(Assets.data("forecasting/R_AirPassengers.csv").toString(), r.steps().get(Step.ATTACH_DATASET).getString("path", null));
        try (Session s = Session.create(tmp)) {
            s.progress(null);
            List<StepReport> out = r.run(s, tmp.resolve("run"));
            StepReport ev = out.stream().filter(x -> x.step().equals("evaluate")).findFirst().orElseThrow();
            assertEquals(8.52, ev.body().get("metrics").get("test").get("mape").asDouble(), 0.01);
            StepReport ex = out.stream().filter(x -> x.step().equals("export")).findFirst().orElseThrow();
            assertTrue(Files.exists(Path.of(ex.body().get("path").asText()).resolve("model.json")));
        }
        assertTrue(Files.exists(tmp.resolve("run/reports/backtest.json")));
    }

    @Test
    void unknownForecastingKeyIsRejectedWhenTheStepRuns(@TempDir Path tmp) throws Exception {
        String text = Files.readString(example()).replace("  ic: aicc\n", "  icc: aicc\n");
        Recipe r = Recipe.parse(text, "r.yaml", Assets.root().resolveSibling("checkout").resolve("examples"));
        try (Session s = Session.create(tmp)) {
            s.progress(null);
            ModelworkException e = assertThrows(ModelworkException.class, () -> r.run(s, tmp.resolve("run")));
            assertTrue(e.what().contains("'icc'") && e.fix().contains("did you mean 'ic'"), e.getMessage());
        }
    }
}
