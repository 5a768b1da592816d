package io.modelwork.tune;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Map;

/**
 * One evaluation of one configuration at one budget.
 *
 * @param id       the trial number, from 0, in the order the strategy proposed trials
 * @param configId the configuration number; equal to {@code id} except under {@code asha}, where a configuration
 *                 promoted to a higher rung keeps its number
 * @param params   the configuration, in the search space's order
 * @param budget   the resource given to the objective
 * @param rung     the successive-halving rung (0 for strategies without rungs)
 * @param value    the metric value; {@code null} when the trial failed
 * @param seconds  the wall time of the objective call
 * @param status   ok or failed
 * @param error    why the trial failed; {@code null} when it succeeded
 */
public record Trial(int id, int configId, Map<String, Object> params, int budget, int rung, Double value,
                    double seconds, Status status, String error) {

    /** Whether a trial produced a value. */
    public enum Status {
        OK, FAILED;

        @JsonValue public String id() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** Whether the trial produced a value. */
    public boolean succeeded() { return status == Status.OK; }
}
