package io.modelwork.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * The data of one metric curve: named x and y arrays of equal length, plus the score thresholds they were computed at.
 *
 * <p>For a ROC curve {@code x} is the false-positive rate, {@code y} the true-positive rate and {@code thresholds} has
 * the same length as {@code x}. For a precision-recall curve {@code x} is recall, {@code y} precision and
 * {@code thresholds} is one shorter (sklearn's convention: the last point, recall 0 and precision 1, has no threshold).
 * A calibration curve has no thresholds (an empty array).
 *
 * <p>Arrays are copied on construction and by the accessors, so a {@code Curve} is immutable; equality compares array
 * contents.
 *
 * @param name       what the curve is, e.g. {@code "roc"}
 * @param xLabel     the quantity on the x axis, e.g. {@code "fpr"}
 * @param x          the x values
 * @param yLabel     the quantity on the y axis, e.g. {@code "tpr"}
 * @param y          the y values, one per x value
 * @param thresholds the decision thresholds, possibly empty
 */
public record Curve(String name, String xLabel, double[] x, String yLabel, double[] y, double[] thresholds) {

    /** Validates lengths and copies the arrays. */
    public Curve {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        x = Objects.requireNonNull(x, "x").clone();
        y = Objects.requireNonNull(y, "y").clone();
        thresholds = thresholds == null ? new double[0] : thresholds.clone();
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    /** The number of points on the curve. */
    public int size() {
        return x.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Curve c && name.equals(c.name) && xLabel.equals(c.xLabel) && yLabel.equals(c.yLabel)
                && Arrays.equals(x, c.x) && Arrays.equals(y, c.y) && Arrays.equals(thresholds, c.thresholds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, xLabel, yLabel, Arrays.hashCode(x), Arrays.hashCode(y), Arrays.hashCode(thresholds));
    }

    @Override
    public String toString() {
        return "Curve[" + name + ": " + xLabel + "=" + Arrays.toString(x) + ", " + yLabel + "=" + Arrays.toString(y)
                + ", thresholds=" + Arrays.toString(thresholds) + "]";
    }
}
