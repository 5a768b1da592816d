package io.modelwork.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random search (Bergstra &amp; Bengio, "Random Search for Hyper-Parameter Optimization", JMLR 13, 2012):
 * {@code maxTrials} independent draws, all at the full budget, generated up front from the seed.
 */
final class RandomSearch implements SearchStrategy {
    private final List<Request> plan;
    private boolean issued;

    RandomSearch(SearchSpace space, TunerConfig config) {
        Random rnd = new Random(SearchStrategy.mix(config.seed(), 0x7A4D));
        List<Request> out = new ArrayList<>(config.maxTrials());
        for (int i = 0; i < config.maxTrials(); i++) out.add(new Request(i, space.sample(rnd), config.maxBudget(), 0));
        plan = List.copyOf(out);
    }

    @Override public List<Request> nextBatch(List<Trial> history) {
        if (issued) return List.of();
        issued = true;
        return plan;
    }

    @Override public int plannedTrials() { return plan.size(); }
}
