package io.modelwork.speaker.diarization;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Clustering of L2-normalised embeddings by cosine distance: agglomerative (average linkage, stop at a distance
 * threshold or at a known number of speakers) and spectral (normalised Laplacian of the cosine affinity, the number of
 * speakers from the largest eigengap, k-means on the row-normalised eigenvectors).
 *
 * <p>Hand-written on purpose: a few dozen to a few thousand windows per recording, and the linkage and the eigengap rule
 * must honour {@code min/max/num_speakers} (no library on the classpath does agglomerative clustering; the eigen
 * decomposition is commons-math's).
 */
public final class Clustering {
    private Clustering() {}

    /** Bounds on the number of speakers: {@code num > 0} fixes it; else {@code [min, max]} (max 0 = no bound). */
    public record Bounds(int num, int min, int max) {
        public static Bounds none() { return new Bounds(0, 1, 0); }

        int lo(int n) { return Math.min(n, num > 0 ? num : Math.max(1, min)); }

        int hi(int n) { return Math.min(n, num > 0 ? num : max > 0 ? max : n); }
    }

    static double cos(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** {@link #agglomerative(List, double, Bounds, int)} with the default minimum cluster size. */
    public static int[] agglomerative(List<double[]> x, double threshold, Bounds b) { return agglomerative(x, threshold, b, minClusterSize(x.size())); }

    /** The default minimum cluster size: 3 windows, or 5 % of them (pyannote 3.1 uses 12 of its embeddings). */
    public static int minClusterSize(int n) { return Math.max(1, Math.min(3, (int) Math.ceil(0.05 * n) + 1)); }

    /**
     * Average-linkage agglomerative clustering; merges while the closest pair is nearer than {@code threshold} (with a
     * known number of speakers: until that many clusters of at least {@code minSize} windows remain); then, as pyannote
     * 3.1 does, the members of clusters smaller than {@code minSize} go to the nearest large cluster (by centroid) —
     * without it one outlier window would be a speaker of its own and {@code num_speakers=2} would give one real one.
     */
    public static int[] agglomerative(List<double[]> x, double threshold, Bounds b, int minSize) {
        int n = x.size();
        int[] labels = new int[n];
        if (n == 0) return labels;
        // cluster distances (average linkage) in a packed upper triangle, kept by the Lance–Williams update
        // d(k, i∪j) = (|i| d(k,i) + |j| d(k,j)) / (|i| + |j|); each row's nearest later cluster is cached, so a merge costs
        // O(n) plus a rescan of the rows that pointed at the merged pair: O(n²) overall instead of O(n³)
        float[] d = new float[(int) ((long) n * (n - 1) / 2)];
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) d[idx(i, j, n)] = (float) (1 - cos(x.get(i), x.get(j)));
        int[] size = new int[n], next = new int[n], prev = new int[n], arg = new int[n];
        float[] rowMin = new float[n];
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < n; i++) { size[i] = 1; next[i] = i + 1; prev[i] = i - 1; members.add(new ArrayList<>(List.of(i))); }
        for (int i = 0; i < n; i++) rescan(i, d, next, n, rowMin, arg);
        int lo = b.lo(n), hi = b.hi(n), active = n;
        long large = minSize <= 1 ? n : 0;
        while (active > 1) {
            int bi = -1;
            for (int i = 0; i < n && i >= 0; i = next[i]) if (arg[i] >= 0 && (bi < 0 || rowMin[i] < rowMin[bi])) bi = i;
            int bj = arg[bi];
            double best = rowMin[bi];
            if (active <= lo) break;
            boolean joinsLarge = size[bi] >= minSize && size[bj] >= minSize;
            if (b.num() > 0) { if (joinsLarge && large <= b.num()) break; }
            else if (best > threshold && large <= hi) break;
            // merge bj into bi
            large -= (size[bi] >= minSize ? 1 : 0) + (size[bj] >= minSize ? 1 : 0);
            for (int k = 0; k < n && k >= 0; k = next[k]) {
                if (k == bi || k == bj) continue;
                int ki = k < bi ? idx(k, bi, n) : idx(bi, k, n), kj = k < bj ? idx(k, bj, n) : idx(bj, k, n);
                d[ki] = (float) ((size[bi] * (double) d[ki] + size[bj] * (double) d[kj]) / (size[bi] + size[bj]));
            }
            size[bi] += size[bj];
            large += size[bi] >= minSize ? 1 : 0;
            members.get(bi).addAll(members.get(bj));
            if (prev[bj] >= 0) next[prev[bj]] = next[bj];
            if (next[bj] < n) prev[next[bj]] = prev[bj];
            active--;
            for (int k = 0; k < n && k >= 0; k = next[k]) {
                if (k == bi || arg[k] == bj || arg[k] == bi) { rescan(k, d, next, n, rowMin, arg); continue; }
                if (k < bi) {
                    float v = d[idx(k, bi, n)];
                    if (v < rowMin[k] || (v == rowMin[k] && bi < arg[k])) { rowMin[k] = v; arg[k] = bi; }
                }
            }
        }
        List<List<Integer>> clusters = new ArrayList<>();
        for (int i = 0; i < n && i >= 0; i = next[i]) clusters.add(members.get(i));
        List<List<Integer>> big = clusters.stream().filter(c -> c.size() >= minSize).toList();
        if (!big.isEmpty() && big.size() < clusters.size()) {
            List<double[]> cent = new ArrayList<>();
            for (List<Integer> c : big) {
                double[] m = new double[x.get(0).length];
                for (int i : c) for (int t = 0; t < m.length; t++) m[t] += x.get(i)[t];
                cent.add(m);
            }
            List<List<Integer>> out = new ArrayList<>();
            for (List<Integer> c : big) out.add(new ArrayList<>(c));
            for (List<Integer> c : clusters) {
                if (c.size() >= minSize) continue;
                for (int i : c) {
                    int near = 0;
                    for (int k = 1; k < cent.size(); k++) if (cosn(x.get(i), cent.get(k)) > cosn(x.get(i), cent.get(near))) near = k;
                    out.get(near).add(i);
                }
            }
            clusters = out;
        }
        return relabel(clusters, n);
    }

    private static int idx(int i, int j, int n) { return (int) ((long) i * (2L * n - i - 1) / 2 + (j - i - 1)); }

    /** Row {@code i}'s nearest later active cluster (the first on a tie), or arg −1 when there is none. */
    private static void rescan(int i, float[] d, int[] next, int n, float[] rowMin, int[] arg) {
        float m = Float.POSITIVE_INFINITY;
        int a = -1;
        for (int j = next[i]; j < n; j = next[j]) { float v = d[idx(i, j, n)]; if (v < m) { m = v; a = j; } }
        rowMin[i] = m;
        arg[i] = a;
    }

    /** Cosine of a unit vector and any vector. */
    private static double cosn(double[] unit, double[] v) { return cos(unit, v) / Math.max(1e-12, Math.sqrt(cos(v, v))); }

    /** Spectral clustering with the eigengap estimate of the number of speakers within the bounds. */
    public static int[] spectral(List<double[]> x, Bounds b, long seed) {
        int n = x.size();
        if (n <= 2) return agglomerative(x, 0.5, b);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] = i == j ? 0 : Math.max(0, cos(x.get(i), x.get(j)));
        double[] deg = new double[n];
        for (int i = 0; i < n; i++) { for (int j = 0; j < n; j++) deg[i] += a[i][j]; deg[i] = Math.max(deg[i], 1e-10); }
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) l[i][j] = (i == j ? 1 : 0) - a[i][j] / Math.sqrt(deg[i] * deg[j]);
        EigenDecomposition e = new EigenDecomposition(new Array2DRowRealMatrix(l));
        double[] ev = e.getRealEigenvalues();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> Double.compare(ev[p], ev[q]));
        int lo = b.lo(n), hi = Math.min(b.hi(n), Math.max(lo, Math.min(n - 1, 20)));
        int k = lo;
        double gap = -1;
        for (int c = lo; c <= hi; c++) {
            double g = ev[order[c]] - ev[order[c - 1]];
            if (g > gap) { gap = g; k = c; }
        }
        double[][] y = new double[n][k];
        RealMatrix v = e.getV();
        for (int c = 0; c < k; c++) for (int i = 0; i < n; i++) y[i][c] = v.getEntry(i, order[c]);
        for (double[] r : y) {
            double s = Math.sqrt(cos(r, r));
            if (s > 0) for (int c = 0; c < k; c++) r[c] /= s;
        }
        return kmeans(y, k, seed);
    }

    /** k-means (k-means++ seeding, 10 restarts, deterministic for a seed). */
    static int[] kmeans(double[][] y, int k, long seed) {
        int n = y.length, dim = y[0].length;
        Random rnd = new Random(seed);
        int[] best = new int[n];
        double bestCost = Double.POSITIVE_INFINITY;
        for (int rep = 0; rep < 10; rep++) {
            double[][] c = new double[k][];
            c[0] = y[rnd.nextInt(n)].clone();
            double[] dist = new double[n];
            for (int j = 1; j < k; j++) {
                double tot = 0;
                for (int i = 0; i < n; i++) {
                    double m = Double.POSITIVE_INFINITY;
                    for (int q = 0; q < j; q++) m = Math.min(m, sq(y[i], c[q]));
                    dist[i] = m;
                    tot += m;
                }
                double r = rnd.nextDouble() * tot;
                int pick = n - 1;
                for (int i = 0; i < n; i++) { r -= dist[i]; if (r <= 0) { pick = i; break; } }
                c[j] = y[pick].clone();
            }
            int[] lab = new int[n];
            for (int it = 0; it < 100; it++) {
                boolean changed = false;
                for (int i = 0; i < n; i++) {
                    int arg = 0;
                    for (int q = 1; q < k; q++) if (sq(y[i], c[q]) < sq(y[i], c[arg])) arg = q;
                    if (arg != lab[i] || it == 0) { changed |= arg != lab[i]; lab[i] = arg; }
                }
                double[][] s = new double[k][dim];
                int[] cnt = new int[k];
                for (int i = 0; i < n; i++) { cnt[lab[i]]++; for (int t = 0; t < dim; t++) s[lab[i]][t] += y[i][t]; }
                for (int q = 0; q < k; q++) if (cnt[q] > 0) for (int t = 0; t < dim; t++) c[q][t] = s[q][t] / cnt[q];
                if (!changed && it > 0) break;
            }
            double cost = 0;
            for (int i = 0; i < n; i++) cost += sq(y[i], c[lab[i]]);
            if (cost < bestCost) { bestCost = cost; best = lab; }
        }
        List<List<Integer>> cl = new ArrayList<>();
        for (int q = 0; q < k; q++) cl.add(new ArrayList<>());
        for (int i = 0; i < n; i++) cl.get(best[i]).add(i);
        cl.removeIf(List::isEmpty);
        return relabel(cl, n);
    }

    private static double sq(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    /** Labels 0.. in order of first appearance. */
    private static int[] relabel(List<List<Integer>> clusters, int n) {
        int[] raw = new int[n];
        for (int c = 0; c < clusters.size(); c++) for (int i : clusters.get(c)) raw[i] = c;
        int[] map = new int[clusters.size()];
        Arrays.fill(map, -1);
        int next = 0;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (map[raw[i]] < 0) map[raw[i]] = next++;
            out[i] = map[raw[i]];
        }
        return out;
    }
}
