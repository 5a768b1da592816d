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
        StepReport ex = session.export(Args.of("target", dir.resolve("bundle").toString(), "parity", 6));
        assertTrue(ex.body().get("parity_max_abs_score").asDouble() < 1e-4, ex.body().toString());
        assertTrue(ex.body().get("parity_max_abs_map").asDouble() < 1e-4, ex.body().toString());
        for (String f : new String[]{"patchcore.onnx", "backbone.onnx", "memory_bank.f32", "preprocessing.json", "thresholds.json", "model.json", "artifact_manifest.json"})
            assertTrue(Files.isRegularFile(dir.resolve("bundle").resolve(f)), f);
    }

    @Test
    @Order(3)
    void tuneAndBacktestRun() {
        StepReport t = session.tune(Args.of("budget", 3, "k", "1,9"));
        assertTrue(t.body().get("trials").asInt() >= 2);
        assertTrue(t.body().get("best_validation_image_auroc").asDouble() >= t.body().get("current_validation_image_auroc").asDouble());
        StepReport b = session.backtest(Args.of("windows", 3));
        assertEquals(3, b.tables().get(0).rowCount());
    }

    @Test
    @Order(4)
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
