package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;

/** Input checks and small array helpers shared by the forecasting models. */
final class Series {
    private Series() {}

    /** A non-null series of at least {@code minLength} finite values; otherwise a {@link ModelworkException}. */
    static void check(double[] y, String where, int minLength) {
        if (y == null) throw new ModelworkException("The series is missing (null)", where, "pass the observed values in time order");
        for (int i = 0; i < y.length; i++) {
            if (Double.isNaN(y[i]))
                throw new ModelworkException("The series has a missing value (NaN) at index " + i, where + ", index " + i,
                        "fill or interpolate missing values before fitting (prepare_data), or trim the series");
            if (Double.isInfinite(y[i]))
                throw new ModelworkException("The series has an infinite value at index " + i, where + ", index " + i,
                        "remove or replace infinite values before fitting");
        }
        if (y.length < minLength)
            throw new ModelworkException("The series has " + y.length + " values but this model needs at least " + minLength,
                    where, "use a longer series or a model with fewer parameters / less differencing");
    }

    static void checkColumn(double[] c, int n, String where) {
        if (c == null || c.length != n)
            throw new ModelworkException("A regressor column has " + (c == null ? 0 : c.length) + " values, expected " + n, where,
                    "give every regressor exactly one value per time point");
        for (int i = 0; i < n; i++)
            if (!Double.isFinite(c[i]))
                throw new ModelworkException("A regressor has a missing or infinite value at index " + i, where + ", index " + i,
                        "fill missing regressor values before fitting");
    }

    /** True when all values are equal (forecast's {@code is.constant}). */
    static boolean isConstant(double[] y) {
        for (double v : y) if (v != y[0]) return false;
        return true;
    }

    /** Lag-{@code lag} differences, length n - lag. */
    static double[] diff(double[] x, int lag) {
        int n = Math.max(0, x.length - lag);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = x[i + lag] - x[i];
        return out;
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    /** Sample variance with denominator n-1. */
    static double var(double[] x) {
        double mu = mean(x), s = 0;
        for (double v : x) s += (v - mu) * (v - mu);
        return s / (x.length - 1);
    }
}
