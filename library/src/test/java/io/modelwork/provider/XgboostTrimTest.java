package io.modelwork.provider;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
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
            // the streaming importance equals total gain summed over the JSON model's split nodes (tree-model parse here)
            var w = s.state(io.modelwork.tabular.TabularState.class);
            String[] names = w.matrix("train").featureNames();
            double[] expected = new double[names.length];
            var root = assertDoesNotThrow(() -> io.modelwork.core.Json.MAPPER.readTree(w.model().saveNative()));
            for (var tree : root.get("learner").get("gradient_booster").get("model").get("trees"))
                for (int n = 0; n < tree.get("left_children").size(); n++)
                    if (tree.get("left_children").get(n).asInt() != -1)
                        expected[tree.get("split_indices").get(n).asInt()] += tree.get("loss_changes").get(n).asDouble();
            var got = w.model().featureImportance(names);
            for (int f = 0; f < names.length; f++) assertEquals(expected[f], got.get(names[f]), 1e-9 * (1 + expected[f]), names[f]);
            Path best = tmp.resolve("r/checkpoints/fit-best");
            assertTrue(Files.exists(best.resolve("state/model.json")));
            assertEquals(fit.body().get("best_iteration").asInt(), assertDoesNotThrow(() -> io.modelwork.core.Json.MAPPER.readTree(best.resolve("checkpoint.json").toFile())).get("best_iteration").asInt());
        }
    }
}
