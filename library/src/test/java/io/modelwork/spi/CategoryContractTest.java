package io.modelwork.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.*;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.*;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The contract every registered category must pass, parameterised over {@link Categories#all()}: its example
 * lifecycle on real data runs; checkpoint → resume in a fresh session gives identical evaluate metrics; an unknown
 * key lists the valid ones; a step out of order names the step to run first; steps that do not apply say why;
 * {@code close()} releases the state and a closed session refuses further steps.
 */
class CategoryContractTest {

    static List<Category<?>> categories() { return Categories.all(); }

    private static final EnumSet<Step> UNTIL_EVALUATE = EnumSet.of(Step.ATTACH_DATASET, Step.PREPARE_DATA, Step.SPLIT,
            Step.BUILD, Step.FIT, Step.EVALUATE);

    @ParameterizedTest(name = "{0}")
    @MethodSource("categories")
    void lifecycleCheckpointResumeAndErrors(Category<?> category, @TempDir Path tmp) {
        assertFalse(category.name().isBlank());
        assertFalse(category.specs().isEmpty(), category.name() + " declares its specs");
        category.specs().forEach((spec, d) -> assertFalse(d.isBlank(), spec + " has a description"));
        for (Step s : Step.values()) if (category.handler(s) == null && Session.ownOptions(s) == null)
            assertFalse(category.notApplicable(s).isBlank(), s + " not applicable: says why");

        LinkedHashMap<Step, Args> ex = category.example(Assets.root());
        assertFalse(ex.isEmpty(), category.name() + " provides an example lifecycle on real data");
        Path runDir = tmp.resolve("run");
        String ckpt;
        JsonNode metrics;
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("seed", 42, "run_dir", runDir.toString(), "threads", 2));
            for (var e : ex.entrySet()) if (UNTIL_EVALUATE.contains(e.getKey())) s.run(e.getKey(), e.getValue());
            assertEquals(category.name(), s.category().name(), "the example's data chooses its category");
            metrics = s.report(Step.EVALUATE).orElseThrow().body().get("metrics");
            assertNotNull(metrics, "evaluate reports metrics");
            ckpt = s.saveCheckpoint("contract").body().get("checkpoint_id").asText();
            assertEquals("contract-001", ckpt, "user checkpoints are numbered from 001");
            for (var e : ex.entrySet()) if (!UNTIL_EVALUATE.contains(e.getKey())) s.run(e.getKey(), e.getValue());
            // an unknown key lists the valid ones
            ModelworkException unknown = assertThrows(ModelworkException.class,
                    () -> s.evaluate(ex.getOrDefault(Step.EVALUATE, Args.empty()).with("bogus_key_xyz", 1)));
            assertTrue(unknown.fix().contains("valid keys"), unknown.fix());
        }
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.resume(Args.of("id", ckpt, "run_dir", runDir.toString()));
            StepReport ev = s.evaluate(ex.getOrDefault(Step.EVALUATE, Args.empty()));
            assertEquals(metrics, ev.body().get("metrics"), "resume in a fresh session gives identical evaluate metrics");
            CategoryState st = s.state();
            assertNotNull(st);
            s.close();
            assertNull(s.state(), "close releases the category state");
            assertThrows(ModelworkException.class, () -> s.evaluate(Args.empty()));
        }
        // a step out of order names the step to run first
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("run_dir", tmp.resolve("order").toString()));
            ModelworkException order = assertThrows(ModelworkException.class, () -> s.fit(Args.empty()));
            assertTrue(order.fix().contains("run attach_dataset first"), order.fix());
            s.attachDataset(ex.get(Step.ATTACH_DATASET));
            ModelworkException order2 = assertThrows(ModelworkException.class, () -> s.fit(Args.empty()));
            assertTrue(order2.fix().contains("first"), order2.fix());
        }
    }
}
