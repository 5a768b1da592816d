package io.modelwork.optimization;

import java.util.Arrays;

/**
 * The Held-Karp 1-tree lower bound of a symmetric TSP with subgradient optimisation (Held and Karp 1971; step rule
 * of Volgenant and Jonker). The routing library has no bound of its own; this one, computed by Modelwork, gives the
 * routing results a gap and proves optimality when the tour length meets it (ceil of the bound, distances being
 * integers).
 */
final class HeldKarp {
    private HeldKarp() {}

    /** A valid lower bound on the optimal tour length; {@code iterations} subgradient steps. */
    static double bound(long[][] d, int iterations) {
        int n = d.length;
        if (n < 3) return n == 2 ? 2.0 * d[0][1] : 0;
        double[] pi = new double[n];
        double best = Double.NEGATIVE_INFINITY;
        double t = 0;
        int[] deg = new int[n];
        int[] prevDeg = new int[n];
        double[] key = new double[n];
        int[] parent = new int[n];
        boolean[] in = new boolean[n];
        for (int it = 0; it < iterations; it++) {
            // minimum spanning tree on nodes 1..n-1 with costs d + pi_i + pi_j (Prim, O(n^2))
            Arrays.fill(deg, 0);
            Arrays.fill(in, false);
            Arrays.fill(key, Double.POSITIVE_INFINITY);
            key[1] = 0;
            parent[1] = -1;
            double w = 0;
            for (int k = 1; k < n; k++) {
                int u = -1;
                for (int v = 1; v < n; v++) if (!in[v] && (u < 0 || key[v] < key[u])) u = v;
                in[u] = true;
                w += key[u];
                if (parent[u] >= 0) { deg[u]++; deg[parent[u]]++; }
                for (int v = 1; v < n; v++) {
                    if (in[v]) continue;
                    double c = d[u][v] + pi[u] + pi[v];
                    if (c < key[v]) { key[v] = c; parent[v] = u; }
                }
            }
            // node 0 joins with its two cheapest edges
            int a = -1, b = -1;
            for (int v = 1; v < n; v++) {
                double c = d[0][v] + pi[0] + pi[v];
                if (a < 0 || c < d[0][a] + pi[0] + pi[a]) { b = a; a = v; }
                else if (b < 0 || c < d[0][b] + pi[0] + pi[b]) b = v;
            }
            w += d[0][a] + pi[0] + pi[a] + d[0][b] + pi[0] + pi[b];
            deg[0] = 2; deg[a]++; deg[b]++;
            double sumPi = 0;
            for (double p : pi) sumPi += p;
            double lb = w - 2 * sumPi;
            if (lb > best) best = lb;
            boolean tour = true;
            for (int v = 0; v < n; v++) if (deg[v] != 2) { tour = false; break; }
            if (tour) break;
            if (it == 0) t = 0.01 * Math.max(1, lb) / n;
            for (int v = 0; v < n; v++) {
                int g = deg[v] - 2, pg = it == 0 ? g : prevDeg[v] - 2;
                pi[v] += t * (0.7 * g + 0.3 * pg);
                prevDeg[v] = deg[v];
            }
            // decreasing step size
            if ((it + 1) % Math.max(1, iterations / 20) == 0) t *= 0.7;
        }
        return best;
    }
}
