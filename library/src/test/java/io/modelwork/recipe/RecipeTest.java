package io.modelwork.recipe;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.cli.Main;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class RecipeTest {

    static String recipe(String extra) {
        return "configure:\n  seed: 1\n  threads: 2\n"
                + "attach_dataset:\n  path: " + Assets.data("classification/iris.csv") + "\n  target: species\n"
                + "fit:\n  rounds: 100\n  early_stopping: 20\n" + extra;
    }

    @Test
    void pipelineWritesOneReportPerStepWithSnakeCaseMetrics(@TempDir Path tmp) throws Exception {
        Path r = tmp.resolve("iris.yaml");
        Files.writeString(r, recipe("build:\n  spec: classification.lightgbm\n  min_data_in_leaf: 5\nsave_checkpoint:\n  tag: done\nexport: {}\n"));
        Path out = tmp.resolve("out");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Main.run(new String[]{"pipeline", r.toString(), "--out", out.toString()}, new PrintStream(o), new PrintStream(e));
        assertEquals(0, rc, e.toString());
        for (String step : new String[]{"configure", "attach_dataset", "prepare_data", "split", "build", "fit", "evaluate",
                "save_checkpoint", "export"})
            assertTrue(Files.exists(out.resolve("reports/" + step + ".json")), step);
        JsonNode ev = Json.MAPPER.readTree(out.resolve("reports/evaluate.json").toFile());
        for (String set : new String[]{"validation", "test"})
            for (String m : new String[]{"accuracy", "roc_auc", "pr_auc", "f1", "log_loss"})
                assertTrue(ev.get("metrics").get(set).has(m), set + "." + m);
        assertTrue(ev.get("metrics").get("test").get("accuracy").asDouble() >= 0.9);
        assertTrue(Files.exists(out.resolve("run.log.jsonl")));
    }

    @Test
    void unknownKeyNamesTheKeyAndTheLine() {
        ModelworkException ex = assertThrows(ModelworkException.class,
                () -> Recipe.parse(recipe("split:\n  ratio: [0.7, 0.3]\n"), "r.yaml", null));
        assertTrue(ex.what().contains("'ratio'"), ex.getMessage());
        assertEquals("r.yaml:11", ex.where());
        assertTrue(ex.fix().contains("ratios"), ex.fix());
    }

    @Test
    void wrongTypeAndUnknownStepAndMissingFileStopBeforeWork() {
        ModelworkException t = assertThrows(ModelworkException.class,
                () -> Recipe.parse(recipe("").replace("rounds: 100", "rounds: many"), "r.yaml", null));
        assertTrue(t.what().contains("fit.rounds"), t.getMessage());
        assertEquals("r.yaml:8", t.where());
        ModelworkException s = assertThrows(ModelworkException.class,
                () -> Recipe.parse(recipe("evalute: {}\n"), "r.yaml", null));
        assertTrue(s.what().contains("evalute"));
        assertEquals("r.yaml:10", s.where());
        ModelworkException f = assertThrows(ModelworkException.class,
                () -> Recipe.parse("attach_dataset:\n  path: /no/such/file.csv\n  target: y\n", "r.yaml", null));
        assertTrue(f.what().contains("does not exist"));
        assertEquals("r.yaml:1", f.where());
    }
}
