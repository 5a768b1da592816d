package io.modelwork.tune;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

class TunerAshaTest {

    /** A learning curve: the loss at budget b approaches the configuration's quality q as 1/b. */
    static double curve(Map<String, Object> p, int budget, long seed) {
        return TunerTest.quadratic(p) + 1.0 / budget;
    }

    static final SearchSpace SPACE = SearchSpace.parse("x=-1.0..1.0 y=-1.0..1.0");

    @Test
    void rungBudgets() {
        assertArrayEquals(new int[] {1, 3, 9, 27, 100}, AshaSearch.rungBudgets(1, 100, 3));
        assertArrayEquals(new int[] {11, 33, 100}, AshaSearch.rungBudgets(11, 100, 3));
        assertArrayEquals(new int[] {3, 9, 27, 81}, AshaSearch.rungBudgets(3, 81, 3));
        assertArrayEquals(new int[] {100}, AshaSearch.rungBudgets(100, 100, 3));
        assertArrayEquals(new int[] {1, 2, 4, 8}, AshaSearch.rungBudgets(1, 8, 2));
    }

    @Test
    void promotesOnlyTheBestAndSpendsLessThanFullBudgetRandom() {
        TunerConfig c = TunerConfig.builder("asha").maxTrials(27).maxBudget(81).minBudget(3).eta(3).seed(9).threads(4).build();
        TuningReport asha = Tuner.run(SPACE, TunerAshaTest::curve, c);
        // rungs 3, 9, 27, 81 with 27, 9, 3, 1 configurations
        int[] expectedSizes = {27, 9, 3, 1};
        int[] budgets = {3, 9, 27, 81};
        for (int k = 0; k < 4; k++) {
            int rung = k;
            List<Trial> at = asha.trials().stream().filter(t -> t.rung() == rung).toList();
            assertEquals(expectedSizes[k], at.size(), "rung " + k);
            assertTrue(at.stream().allMatch(t -> t.budget() == budgets[rung]));
            if (k == 0) continue;
            // the promoted configurations are exactly the best 1/eta of the rung below
            List<Trial> below = asha.trials().stream().filter(t -> t.rung() == rung - 1)
                    .sorted(Comparator.comparingDouble(Trial::value)).toList();
            Set<Integer> best = below.subList(0, expectedSizes[k]).stream().map(Trial::configId).collect(Collectors.toSet());
            Set<Integer> promoted = at.stream().map(Trial::configId).collect(Collectors.toSet());
            assertEquals(best, promoted, "rung " + k);
            for (Trial t : at) {
                Trial earlier = below.stream().filter(b -> b.configId() == t.configId()).findFirst().orElseThrow();
                assertEquals(earlier.params(), t.params());
            }
        }
        // the best is reported at the full budget
        assertEquals(81, asha.bestTrial().budget());
        // same 27 configurations (same seed) at full budget, the way random search would run them
        long fullBudget = 27L * 81;
        assertEquals(27 * 3 + 9 * 9 + 3 * 27 + 81, asha.totalBudget());
        assertTrue(asha.totalBudget() < fullBudget / 5, asha.totalBudget() + " vs " + fullBudget);
        TuningReport random = Tuner.run(SPACE, TunerAshaTest::curve,
                TunerConfig.builder("random").maxTrials(27).maxBudget(81).seed(9).threads(4).build());
        assertEquals(fullBudget, random.totalBudget());
        // the winner of successive halving is the best configuration of its rung-0 sample (consistent curves)
        double bestQuality = asha.trials().stream().filter(t -> t.rung() == 0).mapToDouble(t -> TunerTest.quadratic(t.params())).min().orElseThrow();
        assertEquals(bestQuality, TunerTest.quadratic(asha.bestParams()), 1e-12);
    }

    @Test
    void failedConfigurationsAreNeverPromoted() {
        List<Integer> failedIds = new ArrayList<>();
        TuningReport r = Tuner.run(SPACE, (p, b, s) -> {
            if ((Double) p.get("y") > 0) throw new IllegalStateException("diverged");
            return curve(p, b, s);
        }, TunerConfig.builder("asha").maxTrials(18).maxBudget(18).minBudget(2).seed(4).build());
        for (Trial t : r.trials()) if (!t.succeeded()) failedIds.add(t.configId());
        assertFalse(failedIds.isEmpty());
        assertTrue(r.trials().stream().filter(t -> t.rung() > 0).noneMatch(t -> failedIds.contains(t.configId())));
    }
}
