package io.modelwork.forecast;

/**
 * Point forecasts with prediction intervals: {@code lower[i][t]} and {@code upper[i][t]} bound the central
 * {@code levels[i]} percent interval at horizon {@code t+1}. Arrays are owned by the record; do not mutate them.
 */
public record Forecast(double[] mean, double[] levels, double[][] lower, double[][] upper) {
    /** The forecast horizon. */
    public int horizon() {
        return mean.length;
    }

    /** Index of an interval level in {@link #levels()}, or -1. */
    public int levelIndex(double level) {
        for (int i = 0; i < levels.length; i++) if (Math.abs(levels[i] - level) < 1e-9) return i;
        return -1;
    }
}
