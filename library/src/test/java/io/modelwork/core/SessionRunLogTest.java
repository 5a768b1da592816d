package io.modelwork.core;

import io.modelwork.session.Session;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The run log (JSON lines), per-step timeout, and the step report files. */
class SessionRunLogTest {

    @Test
    void runLogHasOneStartAndEndPerStepWithArgumentsTimingsAndOutcome(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 5, "run_dir", run.toString(), "progress", false));
            s.attachDataset(Args.of("path", Assets.data("regression/diabetes.csv").toString(), "target", "progression"));
            assertThrows(ModelworkException.class, () -> s.split(Args.empty()));
            s.prepareData(Args.of("scale", "standard"));
        }
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("run.log.jsonl"))) events.add(Json.MAPPER.readTree(line));
        assertTrue(events.stream().anyMatch(e -> e.path("step").asText().equals("attach_dataset")
                && e.path("event").asText().equals("start") && e.path("args").path("target").asText().equals("progression")));
        assertTrue(events.stream().anyMatch(e -> e.path("step").asText().equals("prepare_data")
                && e.path("event").asText().equals("end") && e.path("outcome").asText().equals("ok") && e.has("seconds")));
        assertTrue(events.stream().allMatch(e -> e.has("ts")));
        assertTrue(Files.exists(run.resolve("reports/attach_dataset.json")));
        assertFalse(Files.exists(run.resolve("reports/split.json")), "a refused step writes no report");
    }

    @Test
    void aStepThatRunsPastItsTimeoutIsStoppedWithAClearError(@TempDir Path tmp) {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 5, "run_dir", tmp.resolve("run").toString(), "timeout_s", 1, "threads", 1));
            s.progress((step, done, total, msg) -> {
                try { Thread.sleep(50); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            });
            s.attachDataset(Args.of("path", Assets.data("regression/diabetes.csv").toString(), "target", "progression"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "regression.xgboost"));
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.fit(Args.of("rounds", 2000, "early_stopping", 0)));
            assertTrue(e.what().contains("timeout of 1 s"), e.getMessage());
            assertTrue(e.fix().contains("timeout_s"), e.fix());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }
}
