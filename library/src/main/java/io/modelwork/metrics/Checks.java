package io.modelwork.metrics;

import io.modelwork.core.ModelworkException;

/** Input validation shared by the metric classes; every failure is a {@link ModelworkException}. */
final class Checks {
    private Checks() {}

    static void notNull(Object a, String name, String where) {
        if (a == null) {
            throw new ModelworkException(name + " is null", where, "pass an array of " + name);
        }
    }

    static void sameNonEmptyLength(int n, int m, String a, String b, String where) {
        if (n == 0) {
            throw new ModelworkException(a + " is empty", where, "pass at least one sample");
        }
        if (n != m) {
            throw new ModelworkException(a + " has " + n + " values but " + b + " has " + m, where,
                    "pass one " + b + " value per " + a + " value (same length, same order)");
        }
    }

    static void finite(double[] a, String name, String where) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new ModelworkException(name + "[" + i + "] is " + a[i], where,
                        "remove or impute NaN/infinite values before computing metrics");
            }
        }
    }

    static void unitInterval(double[] a, String name, String where) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0.0 || a[i] > 1.0) {
                throw new ModelworkException(name + "[" + i + "] = " + a[i] + " is outside [0, 1]", where,
                        "pass probabilities (e.g. predict_proba output), not raw scores");
            }
        }
    }

    /** Checks two regression arrays. */
    static void regression(double[] y, double[] p, String where) {
        notNull(y, "y", where);
        notNull(p, "predictions", where);
        sameNonEmptyLength(y.length, p.length, "y", "predictions", where);
        finite(y, "y", where);
        finite(p, "predictions", where);
    }

    /** Checks that every label is in {@code [0, k)}. */
    static void labels(int[] y, String name, int k, String where) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= k) {
                throw new ModelworkException(name + "[" + i + "] = " + y[i] + " is not a class index in [0, " + k + ")",
                        where, "encode classes as 0..k-1 (k = " + k + ") before computing metrics");
            }
        }
    }

    static void classCount(int k, String where) {
        if (k < 2) {
            throw new ModelworkException("the number of classes is " + k, where,
                    "classification metrics need at least 2 classes");
        }
    }

    /** Checks y against a probability matrix and returns its number of classes k. */
    static int proba(int[] y, double[][] proba, String where) {
        notNull(y, "y", where);
        notNull(proba, "proba", where);
        sameNonEmptyLength(y.length, proba.length, "y", "proba rows", where);
        int k = proba[0] == null ? 0 : proba[0].length;
        classCount(k, where + " (proba columns)");
        for (int i = 0; i < proba.length; i++) {
            double[] row = proba[i];
            if (row == null || row.length != k) {
                throw new ModelworkException("proba row " + i + " has " + (row == null ? 0 : row.length)
                        + " columns, row 0 has " + k, where, "pass one probability per class in every row");
            }
            for (int j = 0; j < k; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new ModelworkException("proba[" + i + "][" + j + "] is " + row[j], where,
                            "remove or impute NaN/infinite probabilities before computing metrics");
                }
            }
        }
        labels(y, "y", k, where);
        return k;
    }

    /** Checks y and pred of equal, non-zero length with labels in {@code [0, k)}. */
    static void predictions(int[] y, int[] pred, int k, String where) {
        notNull(y, "y", where);
        notNull(pred, "predictions", where);
        sameNonEmptyLength(y.length, pred.length, "y", "predictions", where);
        classCount(k, where);
        labels(y, "y", k, where);
        labels(pred, "predictions", k, where);
    }

    /** Checks binary truth (0/1) against a finite score array. */
    static void binaryScores(int[] y, double[] score, String where) {
        notNull(y, "y", where);
        notNull(score, "scores", where);
        sameNonEmptyLength(y.length, score.length, "y", "scores", where);
        labels(y, "y", 2, where);
        finite(score, "scores", where);
    }

    static double[] column(double[][] proba, int c) {
        double[] out = new double[proba.length];
        for (int i = 0; i < proba.length; i++) {
            out[i] = proba[i][c];
        }
        return out;
    }
}
