package io.modelwork.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Successive halving over a budget (Jamieson &amp; Talwalkar, AISTATS 2016), the algorithm that ASHA (Li et al.,
 * "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020) runs asynchronously. This is the
 * <b>synchronous</b> variant, chosen because it is deterministic under parallelism.
 *
 * <p>The rungs' budgets are {@code minBudget * eta^k} for {@code k = 0, 1, ...} while below {@code maxBudget}, then
 * {@code maxBudget} itself; a rung above rung 0 that lies within a factor {@code sqrt(eta)} of {@code maxBudget} is
 * dropped as redundant (min 1, max 100, eta 3 gives 1, 3, 9, 27, 100; min 11 gives 11, 33, 100). Rung 0 runs {@code maxTrials} random configurations; each later rung runs
 * the best {@code floor(n/eta)} (at least one) successful configurations of the rung below, each keeping its
 * configuration id and trial seed. A rung starts only when the rung below has completed, so which configurations are
 * promoted depends on their values alone, not on which finished first; asynchronous ASHA would promote as soon as a
 * configuration is in the top 1/eta of the results so far, keeping workers busier at the cost of reproducibility.
 * The search stops early when a rung has no successful trial.
 */
final class AshaSearch implements SearchStrategy {
    private final SearchSpace space;
    private final TunerConfig config;
    private final int[] budgets;
    private final int[] sizes;
    private int rung = -1;

    AshaSearch(SearchSpace space, TunerConfig config) {
        this.space = space;
        this.config = config;
        this.budgets = rungBudgets(config.minBudget(), config.maxBudget(), config.eta());
        this.sizes = new int[budgets.length];
        int n = config.maxTrials();
        for (int k = 0; k < budgets.length; k++) {
            sizes[k] = n;
            n = Math.max(1, n / config.eta());
        }
    }

    /** The rung budgets for the given settings (see the class comment). */
    static int[] rungBudgets(int min, int max, int eta) {
        List<Integer> out = new ArrayList<>();
        long b = min;
        while (b < max) {
            out.add((int) b);
            b *= eta;
        }
        // a rung within a factor sqrt(eta) of maxBudget would barely differ from it: drop it (never rung 0)
        if (out.size() > 1 && (double) max / out.get(out.size() - 1) < Math.sqrt(eta)) out.remove(out.size() - 1);
        out.add(max);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override public int plannedTrials() {
        int sum = 0;
        for (int s : sizes) sum += s;
        return sum;
    }

    @Override public List<Request> nextBatch(List<Trial> history) {
        rung++;
        if (rung >= budgets.length) return List.of();
        List<Request> out = new ArrayList<>();
        if (rung == 0) {
            Random rnd = new Random(SearchStrategy.mix(config.seed(), 0xA5A));
            for (int i = 0; i < sizes[0]; i++) out.add(new Request(i, space.sample(rnd), budgets[0], 0));
            return out;
        }
        Direction dir = config.direction();
        List<Trial> below = new ArrayList<>();
        for (Trial t : history) if (t.rung() == rung - 1 && t.succeeded()) below.add(t);
        below.sort(Comparator.comparingDouble((Trial t) -> dir.loss(t.value())).thenComparingInt(Trial::configId));
        int n = Math.min(sizes[rung], below.size());
        for (int i = 0; i < n; i++) {
            Trial t = below.get(i);
            out.add(new Request(t.configId(), t.params(), budgets[rung], rung));
        }
        return out;
    }
}
