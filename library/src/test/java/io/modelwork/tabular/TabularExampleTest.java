package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** TabularCategory.example through a session: every step, then checkpoint → resume gives identical evaluate metrics. */
class TabularExampleTest {

    @Test
    void exampleRunsEveryStepAndResumesToIdenticalMetrics(@TempDir Path tmp) {
        Map<Step, Args> steps = new TabularCategory().example(Assets.data("").getParent());
        assertFalse(steps.isEmpty());
        String ck;
        String metrics;
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 5, "threads", 2, "run_dir", tmp.resolve("run").toString(), "progress", false));
            for (var e : steps.entrySet()) s.run(e.getKey(), e.getValue());
            assertInstanceOf(TabularCategory.class, s.category());
            ck = s.saveCheckpoint("example").body().get("checkpoint_id").asText();
            StepReport ev = s.evaluate(Args.empty());
            assertTrue(ev.body().get("metrics").get("test").get("roc_auc").asDouble() >= 0.95, ev.body().toString());
            metrics = ev.body().get("metrics").toString();
        }
        try (Session s = Session.create(tmp)) {
            s.resume(Args.of("id", ck, "run_dir", tmp.resolve("run").toString()));
            assertEquals(metrics, s.evaluate(Args.empty()).body().get("metrics").toString());
            s.close();
            assertNull(s.state(), "close releases the state (and the booster)");
        }
    }
}
