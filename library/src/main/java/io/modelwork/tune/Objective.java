package io.modelwork.tune;

import java.util.Map;

/**
 * What a {@link Tuner} optimises: trains and scores one configuration.
 *
 * <p>Implementations must be safe to call from several threads at once (one call per trial) and should be
 * deterministic given {@code params}, {@code budget} and {@code trialSeed}: that is what makes a seeded search
 * reproducible. Throwing marks the trial failed; the search goes on.
 */
@FunctionalInterface
public interface Objective {

    /**
     * Evaluates one configuration.
     *
     * @param params    one value per search-space parameter, in the space's order
     * @param budget    the resource to spend, e.g. boosting rounds or epochs: for {@code asha} the rung's budget,
     *                  for the other strategies {@link TunerConfig#maxBudget()}
     * @param trialSeed the seed the objective should use for its own randomness (sampling, initialisation); derived
     *                  from {@link TunerConfig#seed()} and the configuration, so a configuration promoted to a higher
     *                  budget keeps its seed
     * @return the metric value (lower is better for {@link Direction#MINIMIZE}); NaN or infinite marks the trial failed
     * @throws Exception any failure; recorded in the trial, not fatal
     */
    double evaluate(Map<String, Object> params, int budget, long trialSeed) throws Exception;
}
