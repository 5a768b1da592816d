package io.modelwork.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tree-structured Parzen estimator of Bergstra, Bardenet, Bengio &amp; Kégl, "Algorithms for Hyper-Parameter
 * Optimization", NeurIPS 2011, in its independent (per-dimension) form.
 *
 * <p>After {@code startupTrials} random trials, every round: the successful trials are sorted by loss and split at the
 * {@code gamma} quantile ({@code ceil(gamma * n)}, at least one) into a good set and a bad set; failed trials join
 * the bad set, which steers the search away from configurations that crash. Per dimension, a density {@code l(x)} is
 * fitted to the good values and {@code g(x)} to the bad ones: an adaptive {@link ParzenEstimator} for numbers (in log
 * space for {@link Param.LogUniform}, over unit-wide bins for {@link Param.IntRange}) and smoothed counts
 * {@code (count + 1/K) / (n + 1)} for a {@link Param.Choice} of {@code K} values. Then {@code candidates} (n_EI)
 * configurations are drawn from {@code l} and the one maximising {@code l(x)/g(x)} — the expected-improvement
 * criterion of the paper — is proposed.
 *
 * <p><b>Parallelism and determinism.</b> The first round is the whole random start-up; later rounds propose
 * {@code batchSize} configurations at once from the same fitted densities (each from fresh candidates), and the next
 * round waits until the whole batch has completed. The history a round sees is therefore fixed by the seed, never by
 * which thread finished first, and since {@code batchSize} does not depend on {@code threads} neither do the results.
 * {@code batchSize = 1} is strictly sequential TPE; larger batches trade a little sample efficiency for parallelism.
 */
final class TpeSearch implements SearchStrategy {
    private final SearchSpace space;
    private final TunerConfig config;
    private final Random rnd;
    private final List<String> names;
    private int issued;

    TpeSearch(SearchSpace space, TunerConfig config) {
        this.space = space;
        this.config = config;
        this.rnd = new Random(SearchStrategy.mix(config.seed(), 0x79E));
        this.names = space.names();
    }

    @Override public int plannedTrials() { return config.maxTrials(); }

    @Override public List<Request> nextBatch(List<Trial> history) {
        int left = config.maxTrials() - issued;
        if (left <= 0) return List.of();
        List<Request> out = new ArrayList<>();
        boolean anyOk = history.stream().anyMatch(Trial::succeeded);
        if (issued == 0 || !anyOk) {
            int n = Math.min(left, issued == 0 ? config.startupTrials() : config.batchSize());
            for (int i = 0; i < n; i++) out.add(new Request(issued + i, space.sample(rnd), config.maxBudget(), 0));
        } else {
            List<DimModel> models = fit(history);
            int n = Math.min(left, config.batchSize());
            for (int i = 0; i < n; i++) out.add(new Request(issued + i, propose(models), config.maxBudget(), 0));
        }
        issued += out.size();
        return out;
    }

    private List<DimModel> fit(List<Trial> history) {
        List<Trial> ok = new ArrayList<>();
        List<Trial> bad = new ArrayList<>();
        for (Trial t : history) (t.succeeded() ? ok : bad).add(t);
        Direction dir = config.direction();
        ok.sort(Comparator.comparingDouble((Trial t) -> dir.loss(t.value())).thenComparingInt(Trial::id));
        int nGood = Math.max(1, (int) Math.ceil(config.gamma() * ok.size()));
        List<Trial> good = ok.subList(0, nGood);
        bad.addAll(ok.subList(nGood, ok.size()));
        List<DimModel> models = new ArrayList<>();
        for (String name : names) models.add(DimModel.of(space.param(name), values(good, name), values(bad, name)));
        return models;
    }

    private static List<Object> values(List<Trial> trials, String name) {
        List<Object> out = new ArrayList<>(trials.size());
        for (Trial t : trials) out.add(t.params().get(name));
        return out;
    }

    private Map<String, Object> propose(List<DimModel> models) {
        double bestScore = Double.NEGATIVE_INFINITY;
        double[] best = null;
        double[] x = new double[models.size()];
        for (int c = 0; c < config.candidates(); c++) {
            double score = 0;
            for (int d = 0; d < models.size(); d++) {
                x[d] = models.get(d).draw(rnd);
                score += models.get(d).score(x[d]);
            }
            if (best == null || score > bestScore) {
                bestScore = score;
                best = x.clone();
            }
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (int d = 0; d < models.size(); d++) params.put(names.get(d), models.get(d).value(best[d]));
        return Collections.unmodifiableMap(params);
    }

    /** The good and bad densities of one dimension, over an internal real coordinate. */
    private abstract static class DimModel {
        /** Draws an internal coordinate from l. */
        abstract double draw(Random rnd);

        /** log l(x) - log g(x). */
        abstract double score(double x);

        /** The parameter value for an internal coordinate. */
        abstract Object value(double x);

        static DimModel of(Param p, List<Object> good, List<Object> bad) {
            if (p instanceof Param.Choice c) return new Categorical(c, good, bad);
            if (p instanceof Param.IntRange r) return new Integers(r, good, bad);
            if (p instanceof Param.LogUniform u) return new Reals(u.lo(), u.hi(), true, good, bad);
            Param.Uniform u = (Param.Uniform) p;
            return new Reals(u.lo(), u.hi(), false, good, bad);
        }
    }

    private static final class Categorical extends DimModel {
        private final List<Object> values;
        private final double[] l;
        private final double[] g;

        Categorical(Param.Choice c, List<Object> good, List<Object> bad) {
            values = c.values();
            l = probabilities(good);
            g = probabilities(bad);
        }

        private double[] probabilities(List<Object> observed) {
            int k = values.size();
            double[] p = new double[k];
            for (Object o : observed) {
                int i = values.indexOf(o);
                if (i >= 0) p[i]++;
            }
            for (int i = 0; i < k; i++) p[i] = (p[i] + 1.0 / k) / (observed.size() + 1.0);
            return p;
        }

        @Override double draw(Random rnd) {
            double u = rnd.nextDouble();
            double acc = 0;
            for (int i = 0; i < l.length; i++) {
                acc += l[i];
                if (u < acc) return i;
            }
            return l.length - 1;
        }

        @Override double score(double x) { return Math.log(l[(int) x]) - Math.log(g[(int) x]); }

        @Override Object value(double x) { return values.get((int) x); }
    }

    private static final class Integers extends DimModel {
        private final int lo;
        private final int hi;
        private final ParzenEstimator l;
        private final ParzenEstimator g;

        Integers(Param.IntRange r, List<Object> good, List<Object> bad) {
            lo = r.lo();
            hi = r.hi();
            l = new ParzenEstimator(numbers(good, false), lo - 0.5, hi + 0.5);
            g = new ParzenEstimator(numbers(bad, false), lo - 0.5, hi + 0.5);
        }

        @Override double draw(Random rnd) { return Math.max(lo, Math.min(hi, Math.round(l.sample(rnd)))); }

        @Override double score(double x) { return l.logProb(x - 0.5, x + 0.5) - g.logProb(x - 0.5, x + 0.5); }

        @Override Object value(double x) { return (int) x; }
    }

    private static final class Reals extends DimModel {
        private final double lo;
        private final double hi;
        private final boolean log;
        private final ParzenEstimator l;
        private final ParzenEstimator g;

        /** Bounds in the parameter's own scale; the densities live in log space when {@code log}. */
        Reals(double lo, double hi, boolean log, List<Object> good, List<Object> bad) {
            this.lo = lo;
            this.hi = hi;
            this.log = log;
            double a = log ? Math.log(lo) : lo;
            double b = log ? Math.log(hi) : hi;
            l = new ParzenEstimator(numbers(good, log), a, b);
            g = new ParzenEstimator(numbers(bad, log), a, b);
        }

        @Override double draw(Random rnd) { return l.sample(rnd); }

        @Override double score(double x) { return l.logPdf(x) - g.logPdf(x); }

        @Override Object value(double x) {
            double v = log ? Math.exp(x) : x;
            return Math.max(lo, Math.min(hi, v));
        }
    }

    private static double[] numbers(List<Object> values, boolean log) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            double v = ((Number) values.get(i)).doubleValue();
            out[i] = log ? Math.log(v) : v;
        }
        return out;
    }
}
