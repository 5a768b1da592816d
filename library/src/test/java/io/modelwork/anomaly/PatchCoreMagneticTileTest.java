package io.modelwork.anomaly;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * PatchCore end to end through the Session on a subset of the shared magnetic-tile set (100 train/good images, 25
 * per test class, 224×224): attach → fit → evaluate → calibrate → tune → backtest → export (ONNX parity) →
 * checkpoint/resume. Quality floors: the thumbnail 5-NN image AUROC of ASSETS.md is 0.827.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatchCoreMagneticTileTest {
    static Path dir;
    static Session session;
    static StepReport evaluate;

    @BeforeAll
    static void fit() throws Exception {
        dir = Files.createTempDirectory("patchcore-test");
        Path data = MagneticTileSubset.create(dir.resolve("data"), 100, 25);
        session = Session.create(dir.resolve("runs"));
        session.configure(Args.of("seed", 7, "threads", 2, "run_dir", dir.resolve("run").toString(), "progress", false));
        session.attachDataset(Args.of("path", data.toString()));
        session.prepareData(Args.of("resize", 224));
        session.split(Args.of("validation", 0.4));
        session.build(Args.of("spec", "anomaly.patchcore", "coreset_ratio", 0.02, "k", 9));
        session.fit(Args.empty());
        evaluate = session.evaluate(Args.of("gallery", 2));
    }

    @AfterAll
    static void close() {
        if (session != null) session.close();
        io.modelwork.core.AtomicFiles.deleteTree(dir);
    }

    @Test
    @Order(1)
    void imageAndPixelQualityFarAboveTheThumbnailFloor() {
        JsonNode test = evaluate.body().path("metrics").path("test");
        System.out.println("magnetic-tile subset metrics: " + evaluate.body().path("metrics"));
        assertTrue(test.path("image_auroc").asDouble() > 0.90, "image AUROC " + test.path("image_auroc"));
        assertTrue(test.path("pixel_auroc").asDouble() > 0.90, "pixel AUROC " + test.path("pixel_auroc"));
        assertTrue(test.path("aupro").asDouble() > 0.6, "AUPRO " + test.path("aupro"));
        assertTrue(evaluate.body().path("metrics").path("validation").path("image_auroc").asDouble() > 0.85);
        assertEquals(2 * 2, evaluate.gallery().size());
        assertTrue(Files.isRegularFile(Path.of(evaluate.gallery().get(0).mediaPath())));
    }

    @Test
    @Order(2)
    void calibrateWritesThresholdsAndExportMatchesOnnxRuntime() throws Exception {
        StepReport cal = session.calibrate(Args.of("target_fpr", 0.1));
        Path th = Path.of(cal.body().get("file").asText());
        assertTrue(Files.isRegularFile(th));
        JsonNode j = Json.MAPPER.readTree(th.toFile());
        assertTrue(j.get("validation_fpr").asDouble() <= 0.1);
        assertEquals(0.1, j.get("target_fpr").asDouble());
        assertTrue(Double.isFinite(j.get("pixel_threshold").asDouble()) && j.get("pixel_threshold").asDouble() > 0, j.toString());
        StepReport ex = session.export(Args.of("target", dir.resolve("bundle").toString(), "parity", 6));
        assertTrue(ex.body().get("parity_max_abs_score").asDouble() < 1e-4, ex.body().toString());
        assertTrue(ex.body().get("parity_max_abs_map").asDouble() < 1e-4, ex.body().toString());
        for (String f : new String[]{"patchcore.onnx", "backbone.onnx", "memory_bank.f32", "preprocessing.json", "thresholds.json", "model.json", "artifact_manifest.json"})
            assertTrue(Files.isRegularFile(dir.resolve("bundle").resolve(f)), f);
    }

    @Test
    @Order(3)
    void tuneSearchesLayersAndResolutionThroughTheTunerAndNeverLosesValidationAuroc() {
        double before = evaluate.body().path("metrics").path("validation").path("image_auroc").asDouble();
        // 2 layer sets × 2 resolutions × 2 k: 8 trials, 2 backbone passes (one per resolution), 4 coresets
        StepReport t = session.tune(Args.of("strategy", "grid", "trials", 8,
                "space", "layers=features_stride8+features_stride16|features_stride8 resolution=224|256 k=1|9"));
        JsonNode b = t.body();
        System.out.println("magnetic-tile subset tune: " + b.path("best_config") + " best " + b.path("best_validation_score")
                + " current " + b.path("default_validation_score") + " applied " + b.path("applied"));
        assertEquals(8, b.get("trials").asInt());
        assertEquals(2, b.get("feature_passes").asInt(), "one backbone pass per resolution");
        assertEquals(4, b.get("feature_sets").asInt());
        assertEquals(4, b.get("coresets").asInt(), "trials that differ only in k reuse the coreset");
        assertTrue(b.get("trials_other_features").asInt() >= 4, "trials on other layers or resolution ran: " + b);
        assertEquals(before, b.get("default_validation_score").asDouble(), 1e-9);
        // the trial of the current configuration (both layers, 224, k 9) reproduces the fitted model exactly
        boolean seen = false;
        for (JsonNode tri : b.path("tuning_report").path("trials")) {
            JsonNode p = tri.path("params");
            if (p.path("layers").asText().equals("features_stride8+features_stride16") && p.path("resolution").asInt() == 224
                    && p.path("k").asInt() == 9) {
                assertEquals(before, tri.path("value").asDouble(), 1e-6, tri.toString());
                seen = true;
            }
        }
        assertTrue(seen, b.path("tuning_report").toString());
        StepReport after = session.evaluate(Args.of("gallery", 0));
        double now = after.body().path("metrics").path("validation").path("image_auroc").asDouble();
        assertTrue(now >= before, "validation image AUROC " + before + " → " + now);
        if (b.get("applied").asBoolean()) {
            assertTrue(now > before);
            assertEquals(b.get("refit_validation_score").asDouble(), now, 1e-9);
            assertEquals(b.get("best_validation_score").asDouble(), now, 1e-6, "the refit reproduces its trial");
        }
        StepReport bt = session.backtest(Args.of("windows", 3));
        assertEquals(3, bt.tables().get(0).rowCount());
        for (String col : new String[]{"fpr", "recall", "psi"})
            for (int i = 0; i < 3; i++) {
                double v = bt.tables().get(0).doubleColumn(col).get(i);
                assertTrue(v >= 0 && (col.equals("psi") || v <= 1), col + " " + v);
            }
    }

    @Test
    @Order(4)
    void tuneKeepsTheModelWhenNoTrialBeatsIt() {
        double before = session.evaluate(Args.of("gallery", 0)).body().path("metrics").path("validation").path("image_auroc").asDouble();
        StepReport t = session.tune(Args.of("trials", 1, "space", "k=1", "budget_s", 1.0));
        if (!t.body().get("applied").asBoolean())
            assertTrue(t.notes().stream().anyMatch(n -> n.contains("model is kept") || n.contains("current model is kept")), t.notes().toString());
        double now = session.evaluate(Args.of("gallery", 0)).body().path("metrics").path("validation").path("image_auroc").asDouble();
        assertTrue(now >= before);
        assertThrows(io.modelwork.core.ModelworkException.class, () -> session.tune(Args.of("space", "layers=features_stride4")));
        assertThrows(io.modelwork.core.ModelworkException.class, () -> session.tune(Args.of("space", "depth=1|2")));
    }

    @Test
    @Order(5)
    void checkpointRestoresTheMemoryBank() {
        StepReport e1 = session.evaluate(Args.of("gallery", 0));
        StepReport c = session.saveCheckpoint("fitted");
        String id = c.body().get("checkpoint_id").asText();
        try (Session s2 = Session.create(dir.resolve("runs2"))) {
            s2.resume(Args.of("id", id, "run_dir", dir.resolve("run").toString()));
            StepReport e2 = s2.evaluate(Args.of("gallery", 0));
            assertEquals(e1.body().path("metrics").path("test").path("image_auroc").asDouble(),
                    e2.body().path("metrics").path("test").path("image_auroc").asDouble(), 1e-9);
        }
    }
}
