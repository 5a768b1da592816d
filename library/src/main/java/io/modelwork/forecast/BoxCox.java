package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;

/**
 * The Box-Cox transformation (Box and Cox 1964) in the signed form of Bickel and Doksum (1981), as
 * {@code forecast::BoxCox}: {@code log(y)} for lambda 0, else {@code (sign(y)|y|^lambda - 1)/lambda}; and its inverse.
 */
public final class BoxCox {
    private BoxCox() {}

    /** Transforms {@code y}; a non-positive value with lambda 0, or a negative one with lambda below 0, is an error. */
    public static double[] transform(double[] y, double lambda, String where) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double v = y[i];
            if (lambda == 0) {
                if (!(v > 0)) throw nonPositive(v, i, lambda, where);
                out[i] = Math.log(v);
            } else {
                if (lambda < 0 && v < 0) throw nonPositive(v, i, lambda, where);
                out[i] = (Math.signum(v) * Math.pow(Math.abs(v), lambda) - 1) / lambda;
            }
        }
        return out;
    }

    private static ModelworkException nonPositive(double v, int i, double lambda, String where) {
        return new ModelworkException("The series has the value " + v + " at index " + i + ", which the Box-Cox transform with lambda="
                + lambda + (lambda == 0 ? " (log)" : "") + " cannot take", where + ", index " + i,
                "use lambda=null (no transform) or a positive lambda, or shift the series to be strictly positive");
    }

    /** The inverse transform of one value. */
    public static double inverse(double x, double lambda) {
        if (lambda == 0) return Math.exp(x);
        double xx = x * lambda + 1;
        if (lambda < 0 && x > -1 / lambda) return Double.NaN;
        return Math.signum(xx) * Math.pow(Math.abs(xx), 1 / lambda);
    }

    /** The inverse transform, element-wise. */
    public static double[] inverse(double[] x, double lambda) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = inverse(x[i], lambda);
        return out;
    }
}
