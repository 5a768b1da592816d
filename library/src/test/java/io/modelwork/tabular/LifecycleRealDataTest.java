package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** All 15 steps on real data, with quality asserted on held-out rows. */
class LifecycleRealDataTest {

    static double metric(StepReport ev, String set, String name) {
        return ev.body().get("metrics").get(set).get(name).asDouble();
    }

    @Test
    void concreteRegressionWithXgboostWalksAllSteps(@TempDir Path tmp) throws Exception {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 7, "threads", 2, "run_dir", tmp.resolve("run").toString()));
            s.attachDataset(Args.of("path", Assets.data("regression/modeldata_concrete.csv").toString(),
                    "target", "compressive_strength"));
            s.prepareData(Args.empty());
            s.split(Args.of("ratios", "0.7,0.15,0.15"));
            s.build(Args.of("spec", "regression.xgboost", "max_depth", 5, "eta", 0.05));
            StepReport fit = s.fit(Args.of("rounds", 1500, "early_stopping", 50));
            assertTrue(fit.body().get("best_iteration").asInt() > 50);
            StepReport ev = s.evaluate(Args.empty());
            double r2 = metric(ev, "test", "r2");
            assertTrue(r2 >= 0.90, "concrete test R² " + r2);
            assertFalse(ev.gallery().isEmpty());
            StepReport bt = s.backtest(Args.of("order", "row", "windows", 3));
            assertEquals(3, bt.body().get("windows").size());
            StepReport cal = s.calibrate(Args.of("alpha", 0.1));
            double cov = cal.body().get("test_coverage").asDouble();
            assertTrue(cov > 0.8 && cov <= 1.0, "conformal coverage " + cov);
            StepReport ck = s.saveCheckpoint("after-calibrate");
            StepReport ex = s.export(Args.empty());
            assertTrue(ex.body().get("onnx_parity_max_rel_diff").asDouble() <= 1e-5, ex.toJson().toString());
            Path bundle = Path.of(ex.body().get("path").asText());
            for (String f : new String[]{"model.json", "model.onnx", "preprocessor.json", "signature.json", "label_map.json",
                    "thresholds.json", "metrics.json", "requirements.txt", "artifact_manifest.json", "data_fingerprint.txt", "training_log.jsonl"})
                assertTrue(Files.exists(bundle.resolve(f)), f);
            StepReport reg = s.register(Args.of("name", "concrete-xgb", "home", tmp.resolve("registry").toString()));
            assertEquals("concrete-xgb:1", reg.body().get("model_id").asText());
            StepReport art = s.artifacts();
            assertTrue(art.body().get("artifacts").has("model"));
            // resume in a fresh session gives the same test metrics
            try (Session s2 = Session.create(tmp)) {
                s2.resume(Args.of("id", ck.body().get("checkpoint_id").asText(), "run_dir", tmp.resolve("run").toString()));
                StepReport ev2 = s2.evaluate(Args.empty());
                assertEquals(r2, metric(ev2, "test", "r2"), 1e-12);
            }
        }
    }

    @Test
    void breastCancerClassificationWithLightgbm(@TempDir Path tmp) {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 3, "threads", 2, "run_dir", tmp.resolve("run").toString()));
            s.attachDataset(Args.of("path", Assets.data("classification/breast_cancer.csv").toString(), "target", "diagnosis"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "classification.lightgbm", "class_weight", "balanced"));
            s.fit(Args.of("rounds", 500, "early_stopping", 30));
            StepReport ev = s.evaluate(Args.empty());
            double auc = metric(ev, "test", "roc_auc");
            assertTrue(auc >= 0.98, "breast_cancer test ROC-AUC " + auc);
            StepReport tune = s.tune(Args.of("strategy", "random", "trials", 6));
            // tuning improves or matches the default (validation log-loss, lower is better): an applied config must
            // refit to a better model; when nothing is applied, no trial may have beaten the default
            double dflt = tune.body().get("default_validation_score").asDouble();
            double bestTrial = tune.body().get("best_validation_score").asDouble();
            assertEquals(6, tune.body().get("tuning_report").get("trials").size());
            if (tune.body().get("applied").asBoolean()) {
                assertTrue(bestTrial < dflt, tune.toJson().toString());
                assertTrue(tune.body().get("refit_validation_score").asDouble() <= dflt + 1e-12,
                        "refit " + tune.body().get("refit_validation_score") + " vs default " + dflt);
            } else {
                assertTrue(bestTrial >= dflt, "a trial beat the default but was not applied: " + bestTrial + " < " + dflt);
            }
            StepReport cal = s.calibrate(Args.of("method", "isotonic", "target_fpr", 0.05));
            assertTrue(cal.body().get("calibration").get("operating_point_validation").get("fpr").asDouble() <= 0.05 + 1e-9);
            StepReport ex = s.export(Args.empty());
            assertTrue(ex.body().get("onnx_parity_max_abs_diff").asDouble() <= 1e-5, ex.toJson().toString());
        }
    }
}
