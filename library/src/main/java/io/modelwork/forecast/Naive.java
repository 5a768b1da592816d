package io.modelwork.forecast;

/**
 * The naive (random walk) method: every forecast is the last observation; intervals widen as {@code sigma sqrt(h)}
 * with {@code sigma^2} the mean squared first difference ({@code forecast::naive}). A thin wrapper over
 * {@link SeasonalNaive} with period 1.
 */
public final class Naive {
    private final SeasonalNaive walk;

    private Naive(SeasonalNaive walk) {
        this.walk = walk;
    }

    /** Fits to {@code y} (at least 2 finite values). */
    public static Naive fit(double[] y) {
        return new Naive(SeasonalNaive.fit(y, 1));
    }

    public double sigma2() { return walk.sigma2(); }

    public double[] fitted() { return walk.fitted(); }

    /** Forecasts {@code h} steps with central intervals at the given levels (percent), default 80 and 95. */
    public Forecast forecast(int h, double... levels) {
        return walk.forecast(h, levels);
    }
}
