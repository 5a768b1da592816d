package io.modelwork.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Same seed and data → identical split, model and metrics in a new session; another seed → another split. */
class DeterminismTest {

    record Outcome(int[] train, int[] valid, int[] test, JsonNode metrics, int bestIteration, double[][] testPredictions) {}

    static Outcome run(Path tmp, String name, long seed, String data, String target, String spec) {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", seed, "threads", 2, "run_dir", tmp.resolve(name).toString(), "progress", false));
            s.attachDataset(Args.of("path", Assets.data(data).toString(), "target", target));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            // row and column sampling on, so that the seed really matters
            s.build(spec.endsWith("lightgbm")
                    ? Args.of("spec", spec, "bagging_fraction", 0.8, "bagging_freq", 1, "feature_fraction", 0.8)
                    : Args.of("spec", spec, "subsample", 0.8, "colsample_bytree", 0.8));
            int best = s.fit(Args.of("rounds", 200, "early_stopping", 20)).body().get("best_iteration").asInt();
            JsonNode m = s.evaluate(Args.empty()).body().get("metrics").deepCopy();
            TabularState w = s.state(TabularState.class);
            Splitter.Plan p = w.plan();
            return new Outcome(p.train(), p.validation(), p.test(), m, best, w.predict(w.matrix("test")));
        }
    }

    static void assertSame(Outcome a, Outcome b) {
        assertArrayEquals(a.train(), b.train());
        assertArrayEquals(a.valid(), b.valid());
        assertArrayEquals(a.test(), b.test());
        assertEquals(a.bestIteration(), b.bestIteration());
        assertEquals(a.metrics(), b.metrics(), "metrics must be bit-identical");
        assertEquals(a.testPredictions().length, b.testPredictions().length);
        for (int i = 0; i < a.testPredictions().length; i++)
            assertArrayEquals(a.testPredictions()[i], b.testPredictions()[i], 0.0, "test prediction " + i);
    }

    @Test
    void regressionIsReproducible(@TempDir Path tmp) {
        Outcome a = run(tmp, "a", 17, "regression/diabetes.csv", "progression", "regression.xgboost");
        Outcome b = run(tmp, "b", 17, "regression/diabetes.csv", "progression", "regression.xgboost");
        assertSame(a, b);
    }

    @Test
    void classificationIsReproducible(@TempDir Path tmp) {
        Outcome a = run(tmp, "a", 17, "classification/breast_cancer.csv", "diagnosis", "classification.lightgbm");
        Outcome b = run(tmp, "b", 17, "classification/breast_cancer.csv", "diagnosis", "classification.lightgbm");
        assertSame(a, b);
        Outcome x = run(tmp, "x", 17, "classification/breast_cancer.csv", "diagnosis", "classification.xgboost");
        Outcome y = run(tmp, "y", 17, "classification/breast_cancer.csv", "diagnosis", "classification.xgboost");
        assertSame(x, y);
    }

    @Test
    void anotherSeedChangesTheSplit(@TempDir Path tmp) {
        Outcome a = run(tmp, "a", 17, "regression/diabetes.csv", "progression", "regression.xgboost");
        Outcome c = run(tmp, "c", 18, "regression/diabetes.csv", "progression", "regression.xgboost");
        assertEquals(a.train().length, c.train().length);
        assertFalse(Arrays.equals(a.train(), c.train()), "a different seed must give a different split");
        assertFalse(Arrays.equals(a.test(), c.test()));
        assertNotEquals(a.metrics(), c.metrics());
    }
}
