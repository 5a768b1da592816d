package io.modelwork.shared;

import io.modelwork.core.*;
import io.modelwork.spi.StateReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The declared options, the bundle writer, the state store and the parallel map. */
class SharedLayerTest {

    static final Options FIT = Options.of(
            Option.integer("rounds", 1000, 1, 10_000_000, "boosting rounds"),
            Option.number("alpha", 0.1, 1e-9, 1 - 1e-9, "miscoverage"),
            Option.bool("apply", true, ""),
            Option.choice("strategy", "tpe", List.of("grid", "tpe"), ""));

    private static ModelworkException fails(Runnable r) { return assertThrows(ModelworkException.class, r::run); }

    @Test
    void optionsRejectUnknownKeysTypesAndRanges() {
        FIT.check(Step.FIT, Args.parse("rounds=10 alpha=0.5 apply=false strategy=grid"), null);
        ModelworkException e = fails(() -> FIT.check(Step.FIT, Args.parse("round=10"), null));
        assertTrue(e.fix().contains("did you mean 'rounds'"), e.fix());
        assertTrue(e.fix().contains("valid keys"), e.fix());
        for (String bad : List.of("rounds=0", "rounds=99999999999", "rounds=2.5", "rounds=x", "alpha=1.5", "alpha=nan", "apply=maybe", "strategy=tpee")) {
            ModelworkException b = fails(() -> FIT.check(Step.FIT, Args.parse(bad), null));
            String key = bad.substring(0, bad.indexOf('='));
            assertTrue(b.what().contains(key), bad + " → " + b.what());
        }
        ModelworkException r = fails(() -> FIT.check(Step.FIT, Args.of("rounds", 99999999999L), "recipe.yaml:7"));
        assertEquals("recipe.yaml:7", r.where());
        assertTrue(r.fix().contains("1..10000000"), r.fix());
        assertTrue(fails(() -> FIT.check(Step.FIT, Args.parse("strategy=tpee"), null)).fix().contains("did you mean 'tpe'"));
        ModelworkException neg = fails(() -> RunContext.OPTIONS.check(Step.CONFIGURE, Args.of("timeout_s", -3), "r.yaml:2"));
        assertTrue(neg.what().contains("timeout_s"));
        assertTrue(fails(() -> RunContext.OPTIONS.check(Step.CONFIGURE, Args.of("threads", 0), "r.yaml:2")).what().contains("threads"));
        assertTrue(FIT.helpText("fit").contains("rounds") && FIT.helpText("fit").contains("1..10000000"));
        // Args.getInt no longer wraps around
        assertThrows(ModelworkException.class, () -> Args.of("rounds", 99999999999L).getInt("rounds", 1));
    }

    @Test
    void bundleWriterPublishesAtomicallyAndCleansUp(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("bundle");
        try (BundleWriter b = BundleWriter.create(target, "export")) {
            b.text("a.txt", "hello").json("sub/m.json", Json.object().put("k", 1));
            assertFalse(Files.exists(target));
            b.manifest().put("format", "test/1");
            b.publish();
        }
        assertTrue(Files.exists(target.resolve(BundleWriter.MANIFEST)));
        StateStore.Verified v = StateStore.open(target, "checkpoint");
        assertTrue(v.has("a.txt") && v.has("sub/m.json"));
        assertEquals(1, v.json("sub/m.json").get("k").asInt());
        // an exception inside the writer leaves no staging folder and no target
        Path t2 = tmp.resolve("failed");
        assertThrows(IllegalStateException.class, () -> {
            try (BundleWriter b = BundleWriter.create(t2, "export")) {
                b.text("x", "y");
                throw new IllegalStateException("boom");
            }
        });
        try (var s = Files.list(tmp)) { assertEquals(1, s.count(), "only the published bundle is left"); }
        assertThrows(ModelworkException.class, () -> BundleWriter.create(target, "export"), "bundles are immutable");
        // a file added after publishing is not loadable; an edited one is refused naming it
        Files.writeString(target.resolve("extra.bin"), "sneaky");
        StateReader r = StateStore.open(target, "checkpoint").reader("");
        assertTrue(fails(() -> r.file("extra.bin")).what().contains("not listed"));
        assertTrue(fails(() -> r.require(Json.object(), "context", "checkpoint.json")).what().contains("'context'"));
        Files.writeString(target.resolve("a.txt"), "HELLO");
        assertTrue(fails(() -> StateStore.open(target, "checkpoint")).what().contains("a.txt"));
        Files.writeString(target.resolve(BundleWriter.MANIFEST), "{\"files\": [{\"path\": \"a.txt\"}]}");
        assertTrue(fails(() -> StateStore.open(target, "checkpoint")).what().contains("malformed"));
    }

    @Test
    void parallelMapKeepsOrderReportsProgressAndStopsOnInterrupt() {
        AtomicInteger updates = new AtomicInteger();
        Progress p = (s, d, t, m) -> updates.incrementAndGet();
        List<Integer> out = ParallelMap.map("t", 50, 2, i -> i * i, i -> "item " + i, p);
        for (int i = 0; i < 50; i++) assertEquals(i * i, out.get(i));
        assertEquals(50, updates.get());
        assertEquals(List.of(0, 1, 4), ParallelMap.map("t", 3, 1, i -> i * i, i -> "", null));
        RuntimeException boom = assertThrows(IllegalArgumentException.class,
                () -> ParallelMap.map("t", 10, 2, i -> { if (i == 3) throw new IllegalArgumentException("bad"); return i; }, i -> "", null));
        assertEquals("bad", boom.getMessage());
        Thread.currentThread().interrupt();
        try {
            assertTrue(fails(() -> ParallelMap.map("fit", 4, 2, i -> { sleep(); return i; }, i -> "", null)).what().contains("interrupted"));
        } finally {
            Thread.interrupted();
        }
        assertEquals("1.5 s", Durations.format(1.5));
        assertEquals("3 min 05 s", Durations.format(185));
    }

    private static void sleep() {
        try { Thread.sleep(200); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }
}
