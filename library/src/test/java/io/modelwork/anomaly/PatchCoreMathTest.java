package io.modelwork.anomaly;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The pruned coreset equals the plain greedy k-center; metrics on cases with known answers. */
class PatchCoreMathTest {
    @Test
    void prunedCoresetSelectsExactlyWhatThePlainGreedySelects() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 6000, d = 24;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int cluster = r.nextInt(12);
            for (int j = 0; j < d; j++) x[i * d + j] = (float) (cluster * 0.7 * ((j + cluster) % 3) + r.nextGaussian() * 0.3);
        }
        PatchCore.Coreset plain = PatchCore.coresetPlain(x, n, d, 0.05, 11, 2, null);
        PatchCore.Coreset fast = PatchCore.coreset(x, n, d, 0.05, 11, 2, null);
        assertArrayEquals(plain.indices(), fast.indices());
        assertEquals(plain.coverageRadius(), fast.coverageRadius(), 1e-6);
        assertEquals(300, fast.indices().length);
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
