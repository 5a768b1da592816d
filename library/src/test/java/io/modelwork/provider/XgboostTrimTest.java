package io.modelwork.provider;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.Session;
import io.modelwork.provider.xgboost.XgboostTestAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The fitted model is the best iteration's model, and the best-iteration checkpoint on disk is that model. */
class XgboostTrimTest {
    @Test
    void bestIterationModelMatchesIterationRangePrediction(@TempDir Path tmp) throws Exception {
        XgboostTestAccess.checkTrimOnDiabetes(Assets.data("regression/diabetes.csv"));
    }

    @Test
    void bestCheckpointIsWrittenDuringFit(@TempDir Path tmp) {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 1, "threads", 1, "run_dir", tmp.resolve("r").toString(), "progress", false));
            s.attachDataset(Args.of("path", Assets.data("regression/diabetes.csv").toString(), "target", "progression"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "regression.xgboost", "eta", 0.05, "max_depth", 2));
            var fit = s.fit(Args.of("rounds", 300, "early_stopping", 40));
            var importance = fit.tables().stream().filter(t -> t.name().startsWith("Feature importance")).findFirst().orElseThrow();
            assertTrue(importance.doubleColumn("gain").get(0) > 0, importance.print());
            Path best = tmp.resolve("r/checkpoints/fit-best");
            assertTrue(Files.exists(best.resolve("model.json")));
            assertEquals(fit.body().get("best_iteration").asText(), assertDoesNotThrow(() -> Files.readString(best.resolve("best_iteration.txt"))));
        }
    }
}
