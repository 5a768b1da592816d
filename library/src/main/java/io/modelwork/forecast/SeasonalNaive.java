package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The seasonal naive method: each forecast repeats the value one season earlier, {@code yhat_{n+h} = y_{n+h-m(k+1)}}
 * with {@code k = floor((h-1)/m)} (Hyndman and Athanasopoulos, FPP3 sec. 5.2; {@code forecast::snaive}). With
 * {@code m = 1} it is the naive (random walk) method, see {@link Naive}.
 *
 * <p>Intervals assume a seasonal random walk: {@code sigma^2} is the mean squared in-sample residual
 * {@code y_t - y_{t-m}} and the forecast variance at horizon h is {@code sigma^2 (floor((h-1)/m) + 1)}, as
 * {@code forecast}'s {@code lagwalk}.
 */
public final class SeasonalNaive {
    private final double[] y;
    private final int m;
    private final double sigma2;

    private SeasonalNaive(double[] y, int m, double sigma2) {
        this.y = y;
        this.m = m;
        this.sigma2 = sigma2;
    }

    /** Fits to {@code y} with seasonal period {@code m}; needs more than m values. */
    public static SeasonalNaive fit(double[] y, int m) {
        String where = m == 1 ? "Naive.fit" : "SeasonalNaive.fit";
        if (m < 1) throw new ModelworkException("The seasonal period must be at least 1, got " + m, where, "pass m >= 1");
        Series.check(y, where, m + 1);
        double s = 0;
        for (int t = m; t < y.length; t++) s += (y[t] - y[t - m]) * (y[t] - y[t - m]);
        return new SeasonalNaive(y.clone(), m, s / (y.length - m));
    }

    /** The last {@code m} observations (all a forecast needs, with {@link #sigma2()} and {@link #period()}). */
    public double[] lastSeason() { return java.util.Arrays.copyOfRange(y, y.length - m, y.length); }

    /**
     * Rebuilds a fitted model from {@link #lastSeason()}, {@link #period()} and {@link #sigma2()}: its forecasts equal
     * the original's exactly ({@link #fitted()} then covers only the saved season).
     */
    public static SeasonalNaive restore(double[] lastSeason, int m, double sigma2) {
        if (m < 1 || lastSeason == null || lastSeason.length != m || !(sigma2 >= 0))
            throw new ModelworkException("The saved seasonal naive state is inconsistent (m=" + m + ", "
                    + (lastSeason == null ? 0 : lastSeason.length) + " values, sigma2=" + sigma2 + ")", "SeasonalNaive.restore",
                    "re-export the model; the file is damaged");
        return new SeasonalNaive(lastSeason.clone(), m, sigma2);
    }

    /** In-sample residual variance (mean squared lag-m difference). */
    public double sigma2() { return sigma2; }

    public int period() { return m; }

    /** One-step fitted values {@code y_{t-m}} (NaN for the first m). */
    public double[] fitted() {
        double[] f = new double[y.length];
        for (int t = 0; t < y.length; t++) f[t] = t < m ? Double.NaN : y[t - m];
        return f;
    }

    /** Forecasts {@code h} steps with central intervals at the given levels (percent), default 80 and 95. */
    public Forecast forecast(int h, double... levels) {
        if (h < 1) throw new ModelworkException("The horizon must be at least 1, got " + h, "SeasonalNaive.forecast", "pass h >= 1");
        if (levels.length == 0) levels = new double[]{80, 95};
        int n = y.length;
        double[] mean = new double[h], se = new double[h];
        for (int t = 0; t < h; t++) {
            int k = t / m;
            mean[t] = y[n - m + (t % m)];
            se[t] = Math.sqrt(sigma2 * (k + 1));
        }
        return intervals(mean, se, levels);
    }

    static Forecast intervals(double[] mean, double[] se, double[] levels) {
        NormalDistribution norm = new NormalDistribution(null, 0, 1);
        double[][] lo = new double[levels.length][mean.length], hi = new double[levels.length][mean.length];
        for (int i = 0; i < levels.length; i++) {
            if (!(levels[i] > 0 && levels[i] < 100))
                throw new ModelworkException("Interval level " + levels[i] + " is not in (0, 100)", "forecast", "use levels such as 80 and 95");
            double z = norm.inverseCumulativeProbability(0.5 + levels[i] / 200);
            for (int t = 0; t < mean.length; t++) {
                lo[i][t] = mean[t] - z * se[t];
                hi[i][t] = mean[t] + z * se[t];
            }
        }
        return new Forecast(mean, levels.clone(), lo, hi);
    }
}
