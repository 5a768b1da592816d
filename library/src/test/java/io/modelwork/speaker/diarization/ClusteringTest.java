package io.modelwork.speaker.diarization;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The O(n²) agglomerative clustering (Lance–Williams update, cached row minima) gives the labels of the plain O(n³)
 * average-linkage loop it replaced (kept here as the reference) on random clustered embeddings, for a threshold, a
 * known number of speakers and a maximum; and 3,000 windows (about an hour of audio) cluster in seconds.
 */
class ClusteringTest {
    static List<double[]> points(int n, int groups, double noise, long seed) {
        Random r = new Random(seed);
        double[][] centre = new double[groups][16];
        for (double[] c : centre) for (int k = 0; k < 16; k++) c[k] = r.nextGaussian();
        List<double[]> x = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] v = centre[r.nextInt(groups)].clone();
            for (int k = 0; k < 16; k++) v[k] += noise * r.nextGaussian();
            double s = Math.sqrt(Clustering.cos(v, v));
            for (int k = 0; k < 16; k++) v[k] /= s;
            x.add(v);
        }
        x.add(new double[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}); // an outlier
        return x;
    }

    /** The loop before the Lance–Williams version, verbatim up to the small-cluster reassignment. */
    static List<List<Integer>> reference(List<double[]> x, double threshold, Clustering.Bounds b, int minSize) {
        int n = x.size();
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) d[i][j] = d[j][i] = 1 - Clustering.cos(x.get(i), x.get(j));
        List<List<Integer>> clusters = new ArrayList<>();
        for (int i = 0; i < n; i++) clusters.add(new ArrayList<>(List.of(i)));
        int lo = b.lo(n), hi = b.hi(n);
        while (clusters.size() > 1) {
            double best = Double.POSITIVE_INFINITY;
            int bi = -1, bj = -1;
            for (int i = 0; i < clusters.size(); i++)
                for (int j = i + 1; j < clusters.size(); j++) {
                    double s = 0;
                    for (int p : clusters.get(i)) for (int q : clusters.get(j)) s += d[p][q];
                    s /= clusters.get(i).size() * (double) clusters.get(j).size();
                    if (s < best) { best = s; bi = i; bj = j; }
                }
            if (clusters.size() <= lo) break;
            long large = clusters.stream().filter(c -> c.size() >= minSize).count();
            boolean joinsLarge = clusters.get(bi).size() >= minSize && clusters.get(bj).size() >= minSize;
            if (b.num() > 0) { if (joinsLarge && large <= b.num()) break; }
            else if (best > threshold && large <= hi) break;
            clusters.get(bi).addAll(clusters.remove(bj));
        }
        return clusters;
    }

    /** Partition as a canonical label vector (labels in order of first appearance). */
    static int[] canon(List<List<Integer>> cl, int n) {
        int[] raw = new int[n];
        for (int c = 0; c < cl.size(); c++) for (int i : cl.get(c)) raw[i] = c;
        int[] map = new int[cl.size()];
        Arrays.fill(map, -1);
        int next = 0;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) { if (map[raw[i]] < 0) map[raw[i]] = next++; out[i] = map[raw[i]]; }
        return out;
    }

    @Test void sameMergesAsTheCubicLoop() {
        for (long seed = 1; seed <= 4; seed++) {
            List<double[]> x = points(120, 2 + (int) seed, 0.6, seed);
            for (Clustering.Bounds b : List.of(Clustering.Bounds.none(), new Clustering.Bounds(3, 1, 0), new Clustering.Bounds(0, 2, 4))) {
                // minSize 1: no reassignment afterwards, so the partition is the merge loop's alone
                int[] got = Clustering.agglomerative(x, 0.5, b, 1);
                assertArrayEquals(canon(reference(x, 0.5, b, 1), x.size()), got, "seed " + seed + " " + b);
                // the default minimum size: the stopping rule counts large clusters
                int m = Clustering.minClusterSize(x.size());
                List<List<Integer>> ref = reference(x, 0.5, b, m);
                int[] full = Clustering.agglomerative(x, 0.5, b, m);
                long bigRef = ref.stream().filter(c -> c.size() >= m).count();
                assertEquals(bigRef == 0 ? ref.size() : bigRef, Arrays.stream(full).distinct().count(), "seed " + seed + " " + b);
            }
        }
    }

    @Test void anHourOfWindowsInSeconds() {
        List<double[]> x = points(3000, 4, 0.5, 9);
        long t0 = System.nanoTime();
        int[] l = Clustering.agglomerative(x, 0.75, Clustering.Bounds.none());
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("3001 windows clustered in %.2f s into %d clusters%n", s, Arrays.stream(l).distinct().count());
        assertEquals(4, Arrays.stream(l).distinct().count());
        assertTrue(s < 60, "took " + s + " s");
    }

    @Test void nearestWindowCentreByBinarySearchEqualsTheScan() {
        Random r = new Random(3);
        for (int rep = 0; rep < 200; rep++) {
            int n = 1 + r.nextInt(30);
            double[] c = new double[n];
            for (int i = 0; i < n; i++) c[i] = Math.round(r.nextDouble() * 40) / 4.0; // on a 0.25 grid: ties and equal centres
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, java.util.Comparator.<Integer>comparingDouble(i -> c[i]).thenComparingInt(i -> i));
            double[] sorted = new double[n];
            for (int i = 0; i < n; i++) sorted[i] = c[order[i]];
            for (double t = -0.5; t < 11; t += 0.125) {
                int best = 0;
                for (int i = 1; i < n; i++) if (Math.abs(c[i] - t) < Math.abs(c[best] - t)) best = i;
                assertEquals(best, Diarizer.nearest(order, sorted, t), "t " + t + " centres " + Arrays.toString(c));
            }
        }
    }
}
