package io.modelwork.tabular;

import io.modelwork.cli.Main;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.recipe.Recipe;
import io.modelwork.session.Session;
import io.modelwork.spi.Categories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The tabular keys declared once: ranges checked by the recipe pre-check and the session; specs listed with descriptions. */
class TabularOptionsTest {

    static String recipe(String extra) {
        return "configure:\n  seed: 1\n"
                + "attach_dataset:\n  path: " + Assets.data("classification/iris.csv") + "\n  target: species\n" + extra;
    }

    static ModelworkException pre(String extra) {
        return assertThrows(ModelworkException.class, () -> Recipe.parse(recipe(extra), "r.yaml", null));
    }

    @Test
    void recipePreCheckNamesKeyLineAndRange() {
        ModelworkException zero = pre("fit:\n  rounds: 0\n");
        assertTrue(zero.what().contains("rounds") && zero.what().contains("fit.rounds"), zero.getMessage());
        assertEquals("r.yaml:7", zero.where());
        assertTrue(zero.fix().contains("1..10000000"), zero.fix());
        ModelworkException big = pre("fit:\n  rounds: 99999999999\n");
        assertTrue(big.what().contains("too large"), big.getMessage());
        ModelworkException alpha = pre("calibrate:\n  alpha: 1.5\n");
        assertTrue(alpha.what().contains("alpha") && alpha.fix().contains("0.001..0.999"), alpha.getMessage());
        ModelworkException windows = pre("backtest:\n  windows: 0\n");
        assertTrue(windows.what().contains("windows") && windows.fix().contains("1..10000"), windows.getMessage());
        ModelworkException early = pre("fit:\n  early_stopping: -1\n");
        assertTrue(early.fix().contains("0..10000000"), early.getMessage());
        ModelworkException trials = pre("tune:\n  trials: 0\n");
        assertTrue(trials.what().contains("trials"), trials.getMessage());
        // an engine hyper-parameter of another engine is an unknown key for this spec
        ModelworkException other = pre("build:\n  spec: classification.xgboost\n  num_leaves: 31\n");
        assertTrue(other.what().contains("num_leaves") && other.fix().contains("max_depth"), other.getMessage());
        // a known one passes, typed from the engine's defaults
        assertDoesNotThrow(() -> Recipe.parse(recipe("build:\n  spec: classification.lightgbm\n  num_leaves: 15\n"), "r.yaml", null));
        ModelworkException typed = pre("build:\n  spec: classification.lightgbm\n  num_leaves: many\n");
        assertTrue(typed.what().contains("num_leaves"), typed.getMessage());
    }

    @Test
    void everyExampleRecipePassesThePreCheck() throws Exception {
        try (var files = java.nio.file.Files.list(Path.of("..", "examples"))) {
            List<String> tabular = List.of("breast-cancer-lightgbm.yaml", "concrete-xgboost.yaml", "credit-lightgbm.yaml", "ranking-lambdarank.yaml");
            List<Path> found = files.filter(p -> tabular.contains(p.getFileName().toString())).toList();
            assertEquals(tabular.size(), found.size(), found.toString());
            for (Path f : found) {
                // the examples name the data relative to a checkout beside shared/; point them at the asset root here
                String text = java.nio.file.Files.readString(f).replace("../../shared/data/", Assets.data("").toString() + "/");
                assertDoesNotThrow(() -> Recipe.parse(text, f.toString(), f.getParent()), f.toString());
            }
        }
    }

    @Test
    void sessionChecksTheSameDeclarations(@TempDir Path tmp) {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 1, "run_dir", tmp.resolve("r").toString(), "progress", false));
            s.attachDataset(Args.of("path", Assets.data("classification/iris.csv").toString(), "target", "species"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "classification.lightgbm"));
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.fit(Args.of("rounds", 0)));
            assertTrue(e.what().contains("rounds") && e.fix().contains("1..10000000"), e.getMessage());
            ModelworkException u = assertThrows(ModelworkException.class, () -> s.fit(Args.of("round", 10)));
            assertTrue(u.fix().contains("did you mean 'rounds'"), u.fix());
            assertTrue(s.options(Step.FIT, null).has("num_leaves"));
            assertFalse(s.options(Step.FIT, null).has("eta"), "fit keys are those of the built spec");
        }
    }

    @Test
    void specsListsEverySpecWithItsDescription() {
        assertTrue(Categories.specs().keySet().containsAll(List.of("regression.xgboost", "classification.xgboost",
                "regression.lightgbm", "classification.lightgbm", "ranking.lightgbm")), Categories.specs().toString());
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[]{"specs"}, new PrintStream(o), System.err));
        String out = o.toString();
        assertTrue(out.contains("ranking.lightgbm: LightGBM gradient-boosted trees (lightgbm4j), LambdaRank"), out);
        assertTrue(out.contains("regression.xgboost: XGBoost4J"), out);
        assertEquals("tabular", Categories.forSpec("classification.lightgbm").name());
    }
}
