package io.modelwork.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The three correctness bugs of issue 15 on real data (breast cancer, 569 rows): tune's refit reproduces its trial
 * and is applied only when it beats the current model; export and register carry the metrics of the model they
 * contain; a calibration that worsens the (cross-fitted) validation log-loss is reported and not applied unless forced.
 */
class TabularCorrectnessTest {

    static Session start(Path tmp, String spec, Args build) {
        Session s = Session.create(tmp);
        s.configure(Args.of("seed", 11, "threads", 2, "run_dir", tmp.resolve("run").toString(), "progress", false));
        s.attachDataset(Args.of("path", Assets.data("classification/breast_cancer.csv").toString(), "target", "diagnosis"));
        s.prepareData(Args.empty());
        s.split(Args.of("ratios", "0.6,0.2,0.2"));
        s.build(build.with("spec", spec));
        return s;
    }

    static double metric(StepReport ev, String set, String m) { return ev.body().get("metrics").get(set).get(m).asDouble(); }

    @Test
    void tuneRefitReproducesTheBestTrialAndNeverMakesTheModelWorse(@TempDir Path tmp) {
        // a weak default (slow learning rate, few rounds) so that trials beat it and the refit runs
        try (Session s = start(tmp, "classification.xgboost", Args.of("eta", 0.02, "max_depth", 2))) {
            s.fit(Args.of("rounds", 40, "early_stopping", 10));
            double before = metric(s.evaluate(Args.of("sets", "validation")), "validation", "log_loss");
            StepReport t = s.tune(Args.of("strategy", "random", "trials", 6, "threads", 2));
            double best = t.body().get("best_validation_score").asDouble();
            assertTrue(best < before, "a trial beats the weak default: " + best + " vs " + before);
            assertTrue(t.body().has("refit_validation_score"), t.toJson().toString());
            // the refit runs with the trial's seed and engine threads: it scores exactly what the trial scored
            assertEquals(best, t.body().get("refit_validation_score").asDouble(), 1e-12, t.toJson().toString());
            assertTrue(t.body().get("applied").asBoolean());
            double after = metric(s.evaluate(Args.of("sets", "validation")), "validation", "log_loss");
            assertEquals(best, after, 1e-12);
            System.out.printf("tune: validation log-loss %.5f -> %.5f%n", before, after);
            // a second tune over a space around the applied model: whatever it finds, the model never gets worse
            s.tune(Args.of("strategy", "random", "trials", 3, "threads", 2, "space", "max_depth=2|3"));
            double again = metric(s.evaluate(Args.of("sets", "validation")), "validation", "log_loss");
            assertTrue(again <= after + 1e-12, again + " > " + after);
        }
    }

    @Test
    void exportAndRegisterCarryTheMetricsOfTheModelTheyContain(@TempDir Path tmp) throws Exception {
        try (Session s = start(tmp, "classification.xgboost", Args.of("eta", 0.02, "max_depth", 2))) {
            s.fit(Args.of("rounds", 40, "early_stopping", 10));
            StepReport stale = s.evaluate(Args.empty());
            // tune replaces the model: the evaluate above no longer describes it
            assertTrue(s.tune(Args.of("strategy", "random", "trials", 6, "threads", 2)).body().get("applied").asBoolean());
            StepReport ex = s.export(Args.empty());
            JsonNode metrics = Json.MAPPER.readTree(Path.of(ex.body().get("path").asText()).resolve("metrics.json").toFile());
            StepReport reg = s.register(Args.of("name", "bc", "home", tmp.resolve("registry").toString()));
            StepReport fresh = s.evaluate(Args.empty());
            double ll = metric(fresh, "test", "log_loss");
            assertNotEquals(metric(stale, "test", "log_loss"), ll, "tune changed the test log-loss");
            assertEquals(ll, metrics.get("metrics").get("test").get("log_loss").asDouble(), 1e-12, metrics.toString());
            assertEquals(metric(fresh, "test", "accuracy"), metrics.get("metrics").get("test").get("accuracy").asDouble(), 1e-12);
            JsonNode tags = reg.body().get("model_version").get("tags");
            assertEquals(ll, Double.parseDouble(tags.get("test_log_loss").asText()), 1e-12, tags.toString());
            // calibrate changes probabilities and threshold: a second bundle carries the calibrated model's metrics
            s.calibrate(Args.of("method", "platt", "force", true));
            StepReport ex2 = s.export(Args.of("target", tmp.resolve("export2").toString()));
            JsonNode m2 = Json.MAPPER.readTree(Path.of(ex2.body().get("path").asText()).resolve("metrics.json").toFile());
            StepReport ev2 = s.evaluate(Args.empty());
            assertNotEquals(ll, metric(ev2, "test", "log_loss"), "platt changed the test log-loss");
            for (String k : new String[]{"log_loss", "accuracy", "f1"})
                assertEquals(metric(ev2, "test", k), m2.get("metrics").get("test").get(k).asDouble(), 1e-12, k + " " + m2);
        }
    }

    @Test
    void calibrationThatWorsensValidationLogLossIsReportedAndNotAppliedUnlessForced(@TempDir Path tmp) {
        try (Session s = start(tmp, "classification.lightgbm", Args.empty())) {
            s.fit(Args.of("rounds", 300, "early_stopping", 30));
            StepReport ev = s.evaluate(Args.empty());
            // isotonic on ~114 validation rows of an already well calibrated model: 0/1 steps, worse out of sample
            StepReport cal = s.calibrate(Args.of("method", "isotonic"));
            JsonNode c = cal.body().get("calibration").get("before_after");
            System.out.println("isotonic: " + c);
            assertTrue(c.get("validation").get("log_loss_after").asDouble() > c.get("validation").get("log_loss_before").asDouble(), c.toString());
            assertTrue(c.has("test"), c.toString());
            assertFalse(cal.body().get("probability_calibration_applied").asBoolean());
            assertTrue(cal.notes().stream().anyMatch(n -> n.contains("worsens") && n.contains("force=true")), cal.notes().toString());
            // the probabilities are those of the uncalibrated model
            StepReport ev2 = s.evaluate(Args.empty());
            assertEquals(metric(ev, "test", "log_loss"), metric(ev2, "test", "log_loss"), 1e-12);
            // forced: applied, and the test log-loss changes
            StepReport forced = s.calibrate(Args.of("method", "isotonic", "force", true));
            assertTrue(forced.body().get("probability_calibration_applied").asBoolean());
            assertNotEquals(metric(ev, "test", "log_loss"), metric(s.evaluate(Args.empty()), "test", "log_loss"));
            // a calibration that helps (platt) is applied without force
            StepReport platt = s.calibrate(Args.of("method", "platt"));
            JsonNode p = platt.body().get("calibration").get("before_after").get("validation");
            assertEquals(p.get("log_loss_after").asDouble() <= p.get("log_loss_before").asDouble(),
                    platt.body().get("probability_calibration_applied").asBoolean(), p.toString());
        }
    }
}
