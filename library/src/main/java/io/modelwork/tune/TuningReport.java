package io.modelwork.tune;

import io.modelwork.core.Json;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Tuner#run}: every trial, ordered by id, and the best configuration.
 *
 * <p>The best trial is the best successful trial among those run at the highest budget any successful trial reached
 * (so under {@code asha} a configuration scored on few boosting rounds never beats one scored on the full budget);
 * ties go to the lower trial id.
 *
 * @param strategy    the strategy's id, e.g. {@code tpe}
 * @param metric      the metric's name
 * @param direction   whether the metric was minimised or maximised
 * @param seed        the seed the search used
 * @param trials      every trial, ordered by id
 * @param bestTrialId the id of the best trial
 * @param bestParams  the best configuration
 * @param bestValue   the best trial's metric value
 * @param seconds     the wall time of the whole search
 */
public record TuningReport(String strategy, String metric, Direction direction, long seed, List<Trial> trials,
                           int bestTrialId, Map<String, Object> bestParams, double bestValue, double seconds) {

    public TuningReport {
        trials = List.copyOf(trials);
    }

    /** The best trial. */
    public Trial bestTrial() { return trials.get(bestTrialId); }

    /** The total budget spent over all trials, failed ones included. */
    public long totalBudget() {
        long sum = 0;
        for (Trial t : trials) sum += t.budget();
        return sum;
    }

    /** The number of failed trials. */
    public int failedCount() {
        int n = 0;
        for (Trial t : trials) if (!t.succeeded()) n++;
        return n;
    }

    /** This report as indented JSON with sorted keys (see {@link Json#MAPPER}). */
    public String toJson() { return Json.write(this); }
}
