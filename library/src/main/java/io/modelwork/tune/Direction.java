package io.modelwork.tune;

import io.modelwork.core.ModelworkException;

import java.util.Locale;

/** Whether a lower or a higher metric value is better. */
public enum Direction {
    /** Lower is better (losses, errors). */
    MINIMIZE,
    /** Higher is better (accuracy, AUC). */
    MAXIMIZE;

    /** The value as a loss: itself when minimising, its negation when maximising. */
    public double loss(double value) { return this == MINIMIZE ? value : -value; }

    /** Reads {@code min}, {@code minimize}, {@code minimise}, {@code max}, {@code maximize}, {@code maximise}. */
    public static Direction parse(String s) {
        String v = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "min": case "minimize": case "minimise": return MINIMIZE;
            case "max": case "maximize": case "maximise": return MAXIMIZE;
            default:
                throw new ModelworkException("unknown direction '" + s + "'", "tune direction", "use min or max");
        }
    }
}
