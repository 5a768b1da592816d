package io.modelwork.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.report.StepReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The training-set metric is computed every {@code train_metric_every} rounds (default 10) while the validation metric,
 * which early stopping watches, is computed every round: the fitted model and the validation curve do not depend on
 * the cadence, only the training curve's density does.
 */
class TrainMetricCadenceTest {

    private static StepReport fit(Path dir, String data, String target, String spec, Integer every) {
        try (Session s = Session.create(dir)) {
            s.configure(Args.of("seed", 3, "threads", 1, "run_dir", dir.resolve("r").toString(), "progress", false));
            s.attachDataset(Args.of("path", Assets.data(data).toString(), "target", target));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", spec));
            return every == null ? s.fit(Args.of("rounds", 120, "early_stopping", 20))
                    : s.fit(Args.of("rounds", 120, "early_stopping", 20, "train_metric_every", every));
        }
    }

    @ParameterizedTest
    @CsvSource({"regression/modeldata_concrete.csv,compressive_strength,regression.xgboost",
            "classification/breast_cancer.csv,diagnosis,classification.lightgbm"})
    void cadenceChangesOnlyTheTrainingCurve(String data, String target, String spec, @TempDir Path tmp) {
        StepReport every1 = fit(tmp.resolve("a"), data, target, spec, 1);
        StepReport dflt = fit(tmp.resolve("b"), data, target, spec, null);
        assertEquals(every1.body().get("best_iteration").asInt(), dflt.body().get("best_iteration").asInt());
        assertEquals(every1.body().get("best_validation_score").asDouble(), dflt.body().get("best_validation_score").asDouble(), 0);
        JsonNode h1 = every1.body().get("history"), h10 = dflt.body().get("history");
        assertEquals(h1.size(), h10.size());
        int withTrain = 0;
        for (int i = 0; i < h10.size(); i++) {
            assertEquals(h1.get(i).get("valid").asDouble(), h10.get(i).get("valid").asDouble(), 0, "valid at " + i);
            assertTrue(h1.get(i).get("train").isNumber(), "every=1 has the train metric at " + i);
            boolean expected = i % 10 == 0;
            if (h10.get(i).get("train").isNumber()) {
                withTrain++;
                assertEquals(h1.get(i).get("train").asDouble(), h10.get(i).get("train").asDouble(), 1e-12, "train at " + i);
            } else {
                assertTrue(h10.get(i).get("train").isNull());
                assertFalse(expected, "round " + i + " should carry the train metric");
            }
        }
        assertTrue(withTrain >= h10.size() / 10, "train metric on every 10th round: " + withTrain + " of " + h10.size());
        // the learning curve's training series holds only the evaluated rounds (no NaN points)
        var curve = dflt.charts().stream().filter(c -> c.name().equals("learning_curve")).findFirst().orElseThrow();
        var trainSeries = curve.series().stream().filter(sr -> sr.name().equals("train")).findFirst().orElseThrow();
        assertEquals(withTrain, trainSeries.x().length);
        for (double y : trainSeries.y()) assertFalse(Double.isNaN(y));
    }

    @Test
    void badCadenceIsAClearError(@TempDir Path tmp) {
        var e = assertThrows(ModelworkException.class,
                () -> fit(tmp, "regression/diabetes.csv", "progression", "regression.xgboost", 0));
        assertTrue(e.getMessage().contains("train_metric_every"), e.getMessage());
    }
}
