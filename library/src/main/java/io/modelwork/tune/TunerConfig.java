package io.modelwork.tune;

import io.modelwork.core.ModelworkException;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Tuner} searches. Zero in an optional numeric field means "the default"; the compact constructor
 * resolves defaults, so the record always holds the values actually used.
 *
 * @param strategy      grid, random, tpe or asha
 * @param maxTrials     the trial budget: the number of configurations tried (for {@code asha}, the number of
 *                      configurations started at the lowest rung; promotions come on top, see {@link Tuner})
 * @param threads       how many trials run at once; never changes the results, only the wall time
 * @param seed          the root of every random choice
 * @param direction     whether the metric is minimised or maximised; default {@link Direction#MINIMIZE}
 * @param metric        the metric's name, for the report; default {@code "value"}
 * @param maxBudget     the full resource (e.g. boosting rounds) passed to the objective; default 100
 * @param minBudget     {@code asha}: the lowest rung's budget; default {@code max(1, maxBudget / eta^2)} (3 rungs)
 * @param eta           {@code asha}: the reduction factor; rungs are {@code minBudget * eta^k}, the top 1/eta of each
 *                      rung is promoted; default 3
 * @param trialTimeout  optional wall-clock limit per trial; a trial that exceeds it is failed (and interrupted)
 * @param batchSize     {@code tpe}: proposals made per round from the completed history; default 4. Fixed
 *                      independently of {@code threads} so that the results do not depend on the thread count; set it
 *                      to {@code threads} to keep every thread busy, or to 1 for strictly sequential TPE
 * @param startupTrials {@code tpe}: random trials before the model is used; default {@code clamp(maxTrials/3, 2, 10)}
 * @param gamma         {@code tpe}: the quantile that splits the history into good and bad; default 0.25
 * @param candidates    {@code tpe}: candidates drawn from the good density per proposal (n_EI); default 24
 */
public record TunerConfig(Strategy strategy, int maxTrials, int threads, long seed, Direction direction, String metric,
                          int maxBudget, int minBudget, int eta, Duration trialTimeout,
                          int batchSize, int startupTrials, double gamma, int candidates) {

    public TunerConfig {
        Objects.requireNonNull(strategy, "strategy");
        if (direction == null) direction = Direction.MINIMIZE;
        if (metric == null || metric.isBlank()) metric = "value";
        if (maxBudget == 0) maxBudget = 100;
        if (eta == 0) eta = 3;
        if (minBudget == 0) minBudget = Math.max(1, maxBudget / (eta * eta));
        if (batchSize == 0) batchSize = 4;
        if (startupTrials == 0) startupTrials = Math.max(2, Math.min(10, maxTrials / 3));
        if (gamma == 0) gamma = 0.25;
        if (candidates == 0) candidates = 24;
        check(maxTrials >= 1, "maxTrials", maxTrials, "give at least 1 trial");
        check(threads >= 1, "threads", threads, "use at least 1 thread");
        check(maxBudget >= 1, "maxBudget", maxBudget, "use a positive budget, e.g. 100 boosting rounds");
        check(eta >= 2, "eta", eta, "use a reduction factor of 2 or more (3 is usual)");
        check(minBudget >= 1 && minBudget <= maxBudget, "minBudget", minBudget, "use 1 <= minBudget <= maxBudget");
        check(trialTimeout == null || (!trialTimeout.isNegative() && !trialTimeout.isZero()), "trialTimeout", trialTimeout,
                "use a positive duration or none");
        check(batchSize >= 1, "batchSize", batchSize, "use at least 1");
        check(startupTrials >= 1, "startupTrials", startupTrials, "use at least 1");
        check(gamma > 0 && gamma < 1, "gamma", gamma, "use a quantile strictly between 0 and 1, e.g. 0.25");
        check(candidates >= 1, "candidates", candidates, "use at least 1, e.g. 24");
    }

    private static void check(boolean ok, String field, Object value, String fix) {
        if (!ok) throw new ModelworkException("tuner setting " + field + " = " + value + " is invalid", "tune config " + field, fix);
    }

    /** A builder with the defaults: 20 trials, 1 thread, seed 42, minimise, budget 100. */
    public static Builder builder(Strategy strategy) { return new Builder(strategy); }

    /** A builder for the named strategy ({@code grid|random|tpe|asha}). */
    public static Builder builder(String strategy) { return new Builder(Strategy.parse(strategy)); }

    /** Fluent construction of a {@link TunerConfig}. */
    public static final class Builder {
        private final Strategy strategy;
        private int maxTrials = 20;
        private int threads = 1;
        private long seed = 42;
        private Direction direction = Direction.MINIMIZE;
        private String metric = "value";
        private int maxBudget = 100;
        private int minBudget;
        private int eta;
        private Duration trialTimeout;
        private int batchSize;
        private int startupTrials;
        private double gamma;
        private int candidates;

        private Builder(Strategy strategy) { this.strategy = Objects.requireNonNull(strategy, "strategy"); }

        public Builder maxTrials(int v) { maxTrials = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder direction(Direction v) { direction = v; return this; }
        public Builder metric(String v) { metric = v; return this; }
        /** The metric name and its direction together. */
        public Builder metric(String name, Direction dir) { metric = name; direction = dir; return this; }
        public Builder maxBudget(int v) { maxBudget = v; return this; }
        public Builder minBudget(int v) { minBudget = v; return this; }
        public Builder eta(int v) { eta = v; return this; }
        public Builder trialTimeout(Duration v) { trialTimeout = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder startupTrials(int v) { startupTrials = v; return this; }
        public Builder gamma(double v) { gamma = v; return this; }
        public Builder candidates(int v) { candidates = v; return this; }

        public TunerConfig build() {
            return new TunerConfig(strategy, maxTrials, threads, seed, direction, metric, maxBudget, minBudget, eta,
                    trialTimeout, batchSize, startupTrials, gamma, candidates);
        }
    }
}
