package io.modelwork.tune;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TunerTpeTest {

    /** The Branin function on x1 in [-5, 10], x2 in [0, 15]; global minimum 0.397887 at three points. */
    static double branin(Map<String, Object> p, int budget, long seed) {
        double x1 = (Double) p.get("x1");
        double x2 = (Double) p.get("x2");
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        double u = x2 - b * x1 * x1 + c * x1 - 6;
        return u * u + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    /** A quadratic with mixed parameter kinds: optimum at x = 0.3, lr = 0.01, depth = 6, booster = gbtree. */
    static double mixed(Map<String, Object> p, int budget, long seed) {
        double x = (Double) p.get("x");
        double lr = (Double) p.get("lr");
        int depth = (Integer) p.get("depth");
        double booster = "gbtree".equals(p.get("booster")) ? 0 : 0.5;
        double l = Math.log10(lr) + 2;
        return (x - 0.3) * (x - 0.3) + l * l + 0.05 * (depth - 6) * (depth - 6) + booster;
    }

    private static double meanBest(SearchSpace space, Objective f, Strategy st, int trials, int seeds) {
        double sum = 0;
        for (int s = 0; s < seeds; s++) {
            sum += Tuner.run(space, f, TunerConfig.builder(st).maxTrials(trials).seed(1000 + s).threads(2).build()).bestValue();
        }
        return sum / seeds;
    }

    @Test
    void tpeBeatsRandomOnBranin() {
        SearchSpace space = SearchSpace.parse("x1=-5.0..10.0 x2=0.0..15.0");
        double tpe = meanBest(space, TunerTpeTest::branin, Strategy.TPE, 60, 10);
        double random = meanBest(space, TunerTpeTest::branin, Strategy.RANDOM, 60, 10);
        System.out.printf("branin: tpe %.4f random %.4f%n", tpe, random);
        assertTrue(tpe < random, "tpe " + tpe + " random " + random);
        assertTrue(tpe < 1.0, "tpe gets near the optimum 0.398: " + tpe);
    }

    @Test
    void tpeBeatsRandomOnAMixedSpace() {
        SearchSpace space = SearchSpace.parse("x=-2.0..2.0 lr=log:0.0001..1 depth=int:1..12 booster=gbtree|dart|gblinear");
        double tpe = meanBest(space, TunerTpeTest::mixed, Strategy.TPE, 60, 10);
        double random = meanBest(space, TunerTpeTest::mixed, Strategy.RANDOM, 60, 10);
        System.out.printf("mixed: tpe %.4f random %.4f%n", tpe, random);
        assertTrue(tpe < random, "tpe " + tpe + " random " + random);
    }

    @Test
    void tpeConcentratesNearTheOptimum() {
        SearchSpace space = SearchSpace.parse("x=-1.0..1.0 y=-1.0..1.0");
        TuningReport r = Tuner.run(space, (p, b, s) -> TunerTest.quadratic(p), TunerConfig.builder("tpe").maxTrials(60).seed(7).build());
        // the last 20 proposals are on average much closer to the optimum than the random start-up
        double startup = r.trials().subList(0, 10).stream().mapToDouble(Trial::value).average().orElseThrow();
        double late = r.trials().subList(40, 60).stream().mapToDouble(Trial::value).average().orElseThrow();
        assertTrue(late < startup / 3, "late " + late + " startup " + startup);
    }
}
