package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.Progress;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The best-iteration checkpoint a tabular fit leaves behind is a real checkpoint: resume accepts it and evaluates. */
class FitBestResumeTest {
    @Test
    void fitBestOfARealFitResumes(@TempDir Path tmp) {
        Path run = tmp.resolve("run");
        double fitted;
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("seed", 7, "run_dir", run.toString(), "threads", 2));
            s.attachDataset(Args.of("path", Assets.data("regression/modeldata_concrete.csv").toString(), "target", "compressive_strength"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "regression.xgboost"));
            s.fit(Args.of("rounds", 60, "early_stopping", 10));
            fitted = s.evaluate(Args.empty()).body().get("metrics").get("test").get("rmse").asDouble();
        }
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/fit-best/artifact_manifest.json")), "fit-best has a manifest");
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            StepReport r = s.resume(Args.of("id", "fit-best", "run_dir", run.toString(), "out", tmp.resolve("resumed").toString()));
            assertTrue(s.hasRun(Step.FIT), r.body().toString());
            double resumed = s.evaluate(Args.empty()).body().get("metrics").get("test").get("rmse").asDouble();
            assertEquals(fitted, resumed, 1e-9, "the best iteration kept during fit is the fitted model");
        }
    }
}
