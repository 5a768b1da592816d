package io.modelwork.tune;

import io.modelwork.core.ModelworkException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Grid search: the cartesian product of every {@link Param.Choice} and {@link Param.IntRange}, the last parameter
 * varying fastest. When the grid is larger than {@code maxTrials}, a seeded random subset of {@code maxTrials} points
 * is tried, in a shuffled order (a sparse Fisher–Yates shuffle, so huge grids are never materialised).
 */
final class GridSearch implements SearchStrategy {
    private final List<Request> plan;
    private boolean issued;

    GridSearch(SearchSpace space, TunerConfig config) {
        List<String> names = space.names();
        List<List<Object>> axes = new ArrayList<>();
        long size = 1;
        for (String n : names) {
            Param p = space.param(n);
            if (!p.enumerable()) {
                throw new ModelworkException("grid search cannot enumerate continuous parameter '" + n + "' (" + p.syntax() + ")",
                        "search space key '" + n + "'",
                        "give it an explicit list of values, e.g. " + n + "=0.01|0.1|0.3, or use random, tpe or asha");
            }
            List<Object> values = p.gridValues();
            axes.add(values);
            try {
                size = Math.multiplyExact(size, values.size());
            } catch (ArithmeticException e) {
                throw new ModelworkException("the grid has more than 2^63 points", "search space",
                        "use random, tpe or asha for a space this large");
            }
        }
        List<Long> indices = new ArrayList<>();
        if (size <= config.maxTrials()) {
            for (long i = 0; i < size; i++) indices.add(i);
        } else {
            Random rnd = new Random(SearchStrategy.mix(config.seed(), 0x6121D));
            Map<Long, Long> swapped = new HashMap<>();
            for (long i = 0; i < config.maxTrials(); i++) {
                long j = i + (long) (rnd.nextDouble() * (size - i));
                long vi = swapped.getOrDefault(i, i);
                long vj = swapped.getOrDefault(j, j);
                swapped.put(j, vi);
                indices.add(vj);
            }
        }
        List<Request> out = new ArrayList<>(indices.size());
        int id = 0;
        for (long index : indices) {
            Map<String, Object> params = new LinkedHashMap<>();
            long rest = index;
            Object[] vals = new Object[names.size()];
            for (int d = names.size() - 1; d >= 0; d--) {
                List<Object> axis = axes.get(d);
                vals[d] = axis.get((int) (rest % axis.size()));
                rest /= axis.size();
            }
            for (int d = 0; d < names.size(); d++) params.put(names.get(d), vals[d]);
            out.add(new Request(id++, Collections.unmodifiableMap(params), config.maxBudget(), 0));
        }
        plan = List.copyOf(out);
    }

    @Override public List<Request> nextBatch(List<Trial> history) {
        if (issued) return List.of();
        issued = true;
        return plan;
    }

    @Override public int plannedTrials() { return plan.size(); }
}
