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

    /** The line of the recipe text that starts with {@code prefix} (1-based). */
    static int lineOf(String text, String prefix) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].startsWith(prefix)) return i + 1;
        throw new AssertionError("no line starts with " + prefix);
    }

    @Test
    void unknownForecastingKeyIsRejectedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        String text = Files.readString(example()).replace("  ic: aicc\n", "  icc: aicc\n");
        Path base = Assets.root().resolveSibling("checkout").resolve("examples");
        ModelworkException e = assertThrows(ModelworkException.class, () -> Recipe.parse(text, "r.yaml", base));
        assertTrue(e.what().contains("'icc'") && e.fix().contains("did you mean 'ic'"), e.getMessage());
        assertEquals("r.yaml:" + lineOf(text, "  icc:"), e.where(), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void badForecastingRecipeValuesAreRejectedBeforeAnyWork() throws Exception {
        Path base = Assets.root().resolveSibling("checkout").resolve("examples");
        // backtest windows: 0 (was a division by zero deep in the backtest)
        String zero = Files.readString(example()).replace("  windows: 3\n", "  windows: 0\n");
        ModelworkException e = assertThrows(ModelworkException.class, () -> Recipe.parse(zero, "r.yaml", base));
        assertTrue(e.what().contains("'windows'") && e.what().contains("out of range"), e.getMessage());
        assertTrue(e.where().startsWith("r.yaml:" + lineOf(zero, "  windows: 0")), e.getMessage());
        assertTrue(e.fix().contains("≥ 1"), e.getMessage());
        // a misspelt key of another step, with "did you mean"
        String typo = Files.readString(example()).replace("  horizon: 12\n", "  horizn: 12\n");
        ModelworkException t = assertThrows(ModelworkException.class, () -> Recipe.parse(typo, "r.yaml", base));
        assertTrue(t.what().contains("'horizn'") && t.fix().contains("did you mean 'horizon'"), t.getMessage());
        assertEquals("r.yaml:" + lineOf(typo, "  horizn:"), t.where(), t.getMessage());
        // a value of the wrong type and a level outside (0, 100)
        String type = Files.readString(example()).replace("  h: 24 ", "  h: soon ");
        ModelworkException ty = assertThrows(ModelworkException.class, () -> Recipe.parse(type, "r.yaml", base));
        assertTrue(ty.what().contains("'h'") && ty.where().startsWith("r.yaml:" + lineOf(type, "  h: soon")), ty.getMessage());
        String level = Files.readString(example()).replace("  target_coverage: 0.95\n", "  target_coverage: 0.95\n  level: 120\n");
        ModelworkException lv = assertThrows(ModelworkException.class, () -> Recipe.parse(level, "r.yaml", base));
        assertTrue(lv.what().contains("'level'") && lv.where().startsWith("r.yaml:" + lineOf(level, "  level: 120")), lv.getMessage());
    }
}
