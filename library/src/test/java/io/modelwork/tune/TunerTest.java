package io.modelwork.tune;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class TunerTest {

    /** A 2-D quadratic with its minimum 0 at (x, y) = (0.3, -0.2). */
    static double quadratic(Map<String, Object> p) {
        double x = ((Number) p.get("x")).doubleValue();
        double y = ((Number) p.get("y")).doubleValue();
        return (x - 0.3) * (x - 0.3) + 2 * (y + 0.2) * (y + 0.2);
    }

    static final SearchSpace CONTINUOUS = SearchSpace.parse("x=-1.0..1.0 y=-1.0..1.0 k=int:1..5 c=a|b|c lr=log:0.001..1");

    /** Deterministic mixed objective: depends on every parameter and on the trial seed. */
    static double mixed(Map<String, Object> p, int budget, long seed) {
        int k = (Integer) p.get("k");
        double c = switch ((String) p.get("c")) { case "a" -> 0.0; case "b" -> 0.1; default -> 0.2; };
        double lr = (Double) p.get("lr");
        return quadratic(p) + 0.01 * k + c + Math.abs(Math.log10(lr) + 1) + 1.0 / budget + (seed & 0xff) * 1e-9;
    }

    /** What must be identical between two runs with one seed: everything but timings. */
    static List<String> fingerprint(TuningReport r) {
        List<String> out = new ArrayList<>();
        for (Trial t : r.trials()) {
            out.add(t.id() + "/" + t.configId() + "/" + t.params() + "/" + t.budget() + "/" + t.rung() + "/" + t.value()
                    + "/" + t.status() + "/" + t.error());
        }
        out.add("best " + r.bestTrialId() + " " + r.bestParams() + " " + r.bestValue());
        return out;
    }

    @Test
    void gridEnumeratesTheCartesianProductExactly() {
        SearchSpace s = SearchSpace.parse("a=1|2|3 b=int:0..1 c=x");
        TuningReport r = Tuner.run(s, (p, b, seed) -> (Integer) p.get("a") * 10 + (Integer) p.get("b"),
                TunerConfig.builder("grid").maxTrials(100).threads(2).build());
        assertEquals(6, r.trials().size());
        List<String> seen = new ArrayList<>();
        for (Trial t : r.trials()) seen.add(t.params().get("a") + "," + t.params().get("b") + "," + t.params().get("c"));
        assertEquals(List.of("1,0,x", "1,1,x", "2,0,x", "2,1,x", "3,0,x", "3,1,x"), seen, "last parameter varies fastest");
        assertEquals(10.0, r.bestValue());
        assertEquals(Map.of("a", 1, "b", 0, "c", "x"), r.bestParams());
        assertTrue(r.trials().stream().allMatch(t -> t.budget() == 100 && t.rung() == 0));
    }

    @Test
    void cappedGridIsASeededShuffledSubsetWithoutRepeats() {
        SearchSpace s = SearchSpace.parse("a=int:0..9 b=int:0..9");
        TunerConfig c = TunerConfig.builder(Strategy.GRID).maxTrials(30).seed(5).build();
        TuningReport r1 = Tuner.run(s, (p, b, seed) -> 1.0, c);
        TuningReport r2 = Tuner.run(s, (p, b, seed) -> 1.0, c);
        assertEquals(30, r1.trials().size());
        Set<Map<String, Object>> distinct = new HashSet<>();
        for (Trial t : r1.trials()) distinct.add(t.params());
        assertEquals(30, distinct.size());
        assertEquals(fingerprint(r1), fingerprint(r2));
        TuningReport other = Tuner.run(s, (p, b, seed) -> 1.0, TunerConfig.builder(Strategy.GRID).maxTrials(30).seed(6).build());
        assertNotEquals(fingerprint(r1), fingerprint(other));
    }

    @Test
    void gridRejectsContinuousParametersNamingThem() {
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> Tuner.run(SearchSpace.parse("a=1|2 eta=log:0.01..0.3"), (p, b, s) -> 0, TunerConfig.builder("grid").build()));
        assertTrue(e.where().contains("eta"), e.getMessage());
        assertTrue(e.fix().contains("0.01|0.1|0.3"), e.getMessage());
    }

    @Test
    void sameSeedGivesIdenticalReportsWithOneOrFourThreads() {
        for (Strategy st : List.of(Strategy.RANDOM, Strategy.TPE, Strategy.ASHA)) {
            TunerConfig.Builder b = TunerConfig.builder(st).maxTrials(27).seed(11).maxBudget(81).minBudget(3);
            TuningReport one = Tuner.run(CONTINUOUS, TunerTest::mixed, b.threads(1).build());
            TuningReport four = Tuner.run(CONTINUOUS, TunerTest::mixed, b.threads(4).build());
            TuningReport again = Tuner.run(CONTINUOUS, TunerTest::mixed, b.threads(4).build());
            assertEquals(fingerprint(one), fingerprint(four), st + ": threads must not change results");
            assertEquals(fingerprint(four), fingerprint(again), st.id());
            TuningReport otherSeed = Tuner.run(CONTINUOUS, TunerTest::mixed, b.seed(12).build());
            assertNotEquals(fingerprint(one), fingerprint(otherSeed), st.id());
            for (int i = 0; i < four.trials().size(); i++) assertEquals(i, four.trials().get(i).id(), "ordered by id");
        }
    }

    @Test
    void trialSeedIsStablePerConfigurationAcrossRungs() {
        Map<String, Set<Long>> seeds = new java.util.concurrent.ConcurrentHashMap<>();
        TuningReport r = Tuner.run(CONTINUOUS, (p, b, seed) -> {
            seeds.computeIfAbsent(p.toString(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(seed);
            return mixed(p, b, seed);
        }, TunerConfig.builder("asha").maxTrials(9).maxBudget(9).minBudget(1).threads(3).build());
        assertTrue(r.trials().stream().anyMatch(t -> t.rung() > 0));
        assertEquals(9, seeds.size());
        seeds.values().forEach(s -> assertEquals(1, s.size(), "one seed per configuration"));
        assertEquals(9, seeds.values().stream().flatMap(Set::stream).distinct().count(), "distinct seeds per configuration");
    }

    @Test
    void failingTrialsAreRecordedNotFatal() {
        AtomicInteger calls = new AtomicInteger();
        TuningReport r = Tuner.run(SearchSpace.parse("x=-1.0..1.0 y=-1.0..1.0"), (p, b, s) -> {
            calls.incrementAndGet();
            double x = (Double) p.get("x");
            if (x > 0.5) throw new IllegalStateException("x too large: " + x);
            if (x < -0.8) return Double.NaN;
            return quadratic(p);
        }, TunerConfig.builder("random").maxTrials(40).threads(3).seed(3).build());
        assertEquals(40, calls.get());
        assertEquals(40, r.trials().size());
        assertTrue(r.failedCount() > 0);
        for (Trial t : r.trials()) {
            double x = (Double) t.params().get("x");
            if (x > 0.5) {
                assertEquals(Trial.Status.FAILED, t.status());
                assertNull(t.value());
                assertTrue(t.error().startsWith("IllegalStateException: x too large"), t.error());
            } else if (x < -0.8) {
                assertEquals(Trial.Status.FAILED, t.status());
                assertEquals("the objective returned NaN", t.error());
            } else {
                assertTrue(t.succeeded());
                assertNull(t.error());
            }
        }
        assertTrue(r.bestTrial().succeeded());
        // TPE also survives failures and treats them as bad observations
        TuningReport tpe = Tuner.run(SearchSpace.parse("x=-1.0..1.0 y=-1.0..1.0"), (p, b, s) -> {
            if ((Double) p.get("x") > 0.5) throw new IllegalStateException("boom");
            return quadratic(p);
        }, TunerConfig.builder("tpe").maxTrials(30).seed(3).build());
        assertEquals(30, tpe.trials().size());
    }

    @Test
    void allTrialsFailingIsAnError() {
        ModelworkException e = assertThrows(ModelworkException.class, () -> Tuner.run(SearchSpace.parse("x=1|2"),
                (p, b, s) -> { throw new IllegalArgumentException("bad data"); }, TunerConfig.builder("random").maxTrials(4).build()));
        assertTrue(e.what().contains("all 4 trials failed") && e.what().contains("bad data"), e.getMessage());
        assertThrows(ModelworkException.class, () -> Tuner.run(SearchSpace.parse("x=1|2"),
                (p, b, s) -> { throw new IllegalArgumentException("bad data"); }, TunerConfig.builder("asha").maxTrials(4).build()));
    }

    @Test
    void slowTrialsTimeOut() {
        TuningReport r = Tuner.run(SearchSpace.parse("slow=true|false"), (p, b, s) -> {
            if ((Boolean) p.get("slow")) Thread.sleep(5_000);
            return 1.0;
        }, TunerConfig.builder("grid").threads(2).trialTimeout(Duration.ofMillis(200)).build());
        Trial slow = r.trials().get(0);
        assertEquals(Trial.Status.FAILED, slow.status());
        assertTrue(slow.error().contains("timed out"), slow.error());
        assertTrue(slow.seconds() < 2, "the tuner does not wait for a timed-out trial");
        assertTrue(r.trials().get(1).succeeded());
    }

    @Test
    void listenerSeesEveryTrialAndReportSerialises() throws Exception {
        List<Integer> finished = new ArrayList<>();
        TuningReport r = Tuner.run(CONTINUOUS, TunerTest::mixed,
                TunerConfig.builder("tpe").maxTrials(15).threads(3).metric("rmse", Direction.MINIMIZE).build(),
                (t, n, planned) -> { finished.add(n); assertEquals(15, planned); });
        assertEquals(15, finished.size());
        assertEquals(15, finished.get(14));
        JsonNode json = Json.MAPPER.readTree(r.toJson());
        assertEquals("tpe", json.get("strategy").asText());
        assertEquals("rmse", json.get("metric").asText());
        assertEquals("MINIMIZE", json.get("direction").asText());
        assertEquals(15, json.get("trials").size());
        assertEquals("ok", json.get("trials").get(0).get("status").asText());
        assertTrue(json.get("trials").get(0).has("seconds"));
        assertEquals(r.bestValue(), json.get("bestValue").asDouble());
        assertEquals(r.bestParams().get("c"), json.get("bestParams").get("c").asText());
    }

    @Test
    void maximiseKeepsTheLargestValue() {
        TuningReport r = Tuner.run(SearchSpace.parse("a=int:1..5"), (p, b, s) -> (Integer) p.get("a"),
                TunerConfig.builder("grid").direction(Direction.parse("max")).build());
        assertEquals(5.0, r.bestValue());
        assertEquals(Direction.MAXIMIZE, r.direction());
    }

    @Test
    void configRejectsBadSettings() {
        assertThrows(ModelworkException.class, () -> TunerConfig.builder("tpe").maxTrials(0).build());
        assertThrows(ModelworkException.class, () -> TunerConfig.builder("asha").eta(1).build());
        assertThrows(ModelworkException.class, () -> TunerConfig.builder("asha").minBudget(200).maxBudget(100).build());
        ModelworkException e = assertThrows(ModelworkException.class, () -> TunerConfig.builder("bayes"));
        assertTrue(e.fix().contains("tpe"));
        TunerConfig c = TunerConfig.builder("asha").maxTrials(30).maxBudget(90).build();
        assertEquals(3, c.eta());
        assertEquals(10, c.minBudget());
        assertEquals(10, c.startupTrials());
    }
}
