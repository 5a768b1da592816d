package io.modelwork.tune;

import java.util.List;
import java.util.Map;

/**
 * A search strategy as the {@link Tuner} drives it: in rounds. Each round the strategy proposes a batch from the
 * trials completed so far (ordered by id); the tuner runs the batch in parallel, waits for all of it, and calls again.
 * Because proposals depend only on completed rounds, never on completion order, a seeded search is reproducible
 * whatever the thread count.
 */
interface SearchStrategy {

    /** One trial to run. */
    record Request(int configId, Map<String, Object> params, int budget, int rung) {}

    /** The next batch, given every completed trial ordered by id; empty when the search is over. */
    List<Request> nextBatch(List<Trial> history);

    /** How many trials the strategy plans in all, for progress reporting. */
    int plannedTrials();

    /** SplitMix64 finaliser over a seed and a stream number: independent, reproducible sub-seeds. */
    static long mix(long seed, long stream) {
        long z = seed + 0x9E3779B97F4A7C15L * (stream + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
