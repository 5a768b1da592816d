package io.modelwork.metrics;

import io.modelwork.core.ModelworkException;

import java.util.*;

/**
 * Ranking metrics over query groups, with LightGBM's conventions: NDCG@K uses the gain {@code 2^rel − 1} and the
 * discount {@code 1 / log2(rank + 1)}; a query without any relevant document (all labels 0) counts as NDCG = 1 (as
 * LightGBM's {@code ndcg} metric does); MAP@K averages precision at each relevant rank within K, divided by
 * {@code min(K, number of relevant documents)} (a query without relevant documents counts as 1, like LightGBM's
 * {@code map}); MRR is the reciprocal rank of the first relevant document (0 when none is relevant is excluded: such
 * queries are skipped). Ties in scores are broken by the original document order (stable sort).
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    /** Row positions of each query, in order of first appearance; rows of a query need not be contiguous. */
    public static List<int[]> groups(int[] queryIds) {
        LinkedHashMap<Integer, List<Integer>> m = new LinkedHashMap<>();
        for (int i = 0; i < queryIds.length; i++) m.computeIfAbsent(queryIds[i], k -> new ArrayList<>()).add(i);
        List<int[]> out = new ArrayList<>();
        for (List<Integer> l : m.values()) out.add(l.stream().mapToInt(Integer::intValue).toArray());
        return out;
    }

    static Integer[] order(int[] rows, double[] score) {
        Integer[] o = new Integer[rows.length];
        for (int i = 0; i < o.length; i++) o[i] = i;
        Arrays.sort(o, (a, b) -> Double.compare(score[rows[b]], score[rows[a]]));
        return o;
    }

    /** NDCG@k of one query. */
    public static double ndcg(int[] rows, double[] label, double[] score, int k) {
        double[] rel = new double[rows.length];
        for (int i = 0; i < rows.length; i++) rel[i] = label[rows[i]];
        double[] ideal = rel.clone();
        Arrays.sort(ideal);
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.length); i++) idcg += (Math.pow(2, ideal[ideal.length - 1 - i]) - 1) / log2(i + 2);
        if (idcg <= 0) return 1.0;
        Integer[] o = order(rows, score);
        double dcg = 0;
        for (int i = 0; i < Math.min(k, o.length); i++) dcg += (Math.pow(2, rel[o[i]]) - 1) / log2(i + 2);
        return dcg / idcg;
    }

    /** Average precision@k of one query (relevant = label > 0). */
    public static double averagePrecision(int[] rows, double[] label, double[] score, int k) {
        int relevant = 0;
        for (int r : rows) if (label[r] > 0) relevant++;
        if (relevant == 0) return 1.0;
        Integer[] o = order(rows, score);
        double hits = 0, sum = 0;
        for (int i = 0; i < Math.min(k, o.length); i++)
            if (label[rows[o[i]]] > 0) { hits++; sum += hits / (i + 1); }
        return sum / Math.min(k, relevant);
    }

    /** Reciprocal rank of the first relevant document, or NaN when the query has none. */
    public static double reciprocalRank(int[] rows, double[] label, double[] score) {
        Integer[] o = order(rows, score);
        for (int i = 0; i < o.length; i++) if (label[rows[o[i]]] > 0) return 1.0 / (i + 1);
        return Double.NaN;
    }

    static double log2(double x) { return Math.log(x) / Math.log(2); }

    /** Mean NDCG@K for K in 1, 3, 5, 10, MAP@K for the same K, and MRR, with snake_case keys ({@code ndcg@3}). */
    public static Map<String, Double> all(int[] queryIds, double[] label, double[] score) {
        if (queryIds.length != label.length || label.length != score.length || label.length == 0)
            throw new ModelworkException("Ranking inputs must be non-empty and of equal length", "RankingMetrics.all",
                    "pass one query id, label and score per document");
        List<int[]> g = groups(queryIds);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k : new int[]{1, 3, 5, 10}) {
            double s = 0;
            for (int[] q : g) s += ndcg(q, label, score, k);
            out.put("ndcg@" + k, s / g.size());
        }
        for (int k : new int[]{1, 3, 5, 10}) {
            double s = 0;
            for (int[] q : g) s += averagePrecision(q, label, score, k);
            out.put("map@" + k, s / g.size());
        }
        double s = 0;
        int n = 0;
        for (int[] q : g) {
            double rr = reciprocalRank(q, label, score);
            if (!Double.isNaN(rr)) { s += rr; n++; }
        }
        out.put("mrr", n == 0 ? Double.NaN : s / n);
        return out;
    }
}
