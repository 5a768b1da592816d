package io.modelwork.anomaly;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The pruned coreset equals the plain greedy k-center; metrics on cases with known answers. */
class PatchCoreMathTest {
    @Test
    void coresetIsGreedyKCenterWithTheSeedPointLeftOut() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 3000, d = 8;
        float[] x = new float[n * d];
        for (int i = 0; i < n * d; i++) x[i] = (float) r.nextGaussian();
        PatchCore.Coreset c = PatchCore.coreset(x, n, d, 0.02, 11, 2, null);
        assertEquals(60, c.indices().length);
        // brute-force check of the greedy rule: each pick is the point farthest from the picks before it (and the seed)
        int seed = new SplittableRandom(11).nextInt(n);
        double[] min = new double[n];
        for (int i = 0; i < n; i++) min[i] = dist2(x, i, seed, d);
        for (int s = 0; s < c.indices().length; s++) {
            int best = 0;
            for (int i = 1; i < n; i++) if (min[i] > min[best]) best = i;
            assertEquals(best, c.indices()[s], "pick " + s);
            min[best] = 0; // the last pick's distances are not applied (as anomalib's loop)
            if (s + 1 < c.indices().length) for (int i = 0; i < n; i++) min[i] = Math.min(min[i], dist2(x, i, best, d));
        }
        assertEquals(Math.sqrt(java.util.Arrays.stream(min).max().orElseThrow()), c.coverageRadius(), 1e-5);
    }

    private static double dist2(float[] x, int a, int b, int d) {
        float s = 0;
        for (int j = 0; j < d; j++) { float v = x[a * d + j] - x[b * d + j]; s += v * v; }
        return s;
    }

    @Test
    void aurocAndAuproOnKnownCases() {
        assertEquals(1.0, AnomalyMetrics.auroc(new float[]{3, 4}, new float[]{1, 2}), 0);
        assertEquals(0.5, AnomalyMetrics.auroc(new float[]{1, 1}, new float[]{1, 1}), 0);
        assertEquals(0.75, AnomalyMetrics.auroc(new float[]{2, 4}, new float[]{1, 3}), 1e-12);
        int s = 16;
        boolean[] mask = new boolean[s * s];
        float[] perfect = new float[s * s];
        for (int y = 2; y < 5; y++) for (int x = 2; x < 5; x++) { mask[y * s + x] = true; perfect[y * s + x] = 1; }
        for (int y = 10; y < 12; y++) for (int x = 9; x < 14; x++) { mask[y * s + x] = true; perfect[y * s + x] = 1; }
        AnomalyMetrics.Pro p = AnomalyMetrics.aupro(List.of(perfect), List.of(mask), s, 0.3);
        assertEquals(2, p.regions());
        assertEquals(1.0, p.aupro(), 1e-9);
        assertEquals(2, AnomalyMetrics.components(mask, s).size());
        assertEquals(0.0, AnomalyMetrics.thresholdAtFpr(new float[]{0, 0, 0, 0, 1}, 0.2), 0); // one of five may exceed
        assertEquals(1.0, AnomalyMetrics.recallAtFpr(new float[]{2, 3}, new float[]{0, 0, 0, 0, 1}, 0.2), 0);
    }

    @Test
    void psiIsZeroForTheReferenceItselfAndLargeForAShift() {
        float[] ref = new float[100];
        for (int i = 0; i < 100; i++) ref[i] = i;
        double[] cuts = new double[9];
        for (int i = 1; i <= 9; i++) cuts[i - 1] = ref[i * 10];
        List<Float> same = new java.util.ArrayList<>(), shifted = new java.util.ArrayList<>();
        for (float v : ref) { same.add(v); shifted.add(v + 50); }
        assertEquals(0.0, AnomalyBacktest.psi(ref, cuts, same), 1e-12);
        // half the window lands in the top bin: PSI = Σ (w − r)·ln(w / r) with ε = 1e-4 for empty bins
        double expect = 5 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + 4 * 0 + (0.6 - 0.1) * Math.log(0.6 / 0.1);
        assertEquals(expect, AnomalyBacktest.psi(ref, cuts, shifted), 1e-9);
        assertTrue(AnomalyBacktest.psi(ref, cuts, shifted) > 0.25);
    }

    @Test
    void gaussianKernelIsAnomalibs() {
        float[] g = Scorer.gaussian(4);
        assertEquals(33, g.length);
        double sum = 0;
        for (float v : g) sum += v;
        assertEquals(1.0, sum, 1e-6);
        assertEquals(g[0], g[32], 0);
        assertEquals(Math.exp(-0.5) * g[16], g[12], 1e-7); // x = 4 = σ
    }
}
