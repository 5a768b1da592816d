package io.modelwork.tune;

import io.modelwork.core.ModelworkException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a hyper-parameter search.
 *
 * <p>The search proceeds in rounds: the strategy proposes a batch of trials from the trials completed so far; the
 * batch runs on a fixed pool of {@link TunerConfig#threads()} threads; when all of it has finished, its trials are
 * added to the history in id order and the next round is proposed. Grid and random search are one round; TPE is the
 * random start-up round followed by rounds of {@link TunerConfig#batchSize()}; successive halving ({@code asha}) is one
 * round per rung. See the {@linkplain io.modelwork.tune package comment} for why the results do not depend on the
 * thread count.
 *
 * <p>Trial budget: {@code grid} runs at most {@code maxTrials} grid points, {@code random} and {@code tpe} exactly
 * {@code maxTrials} trials, {@code asha} starts {@code maxTrials} configurations at the lowest rung and promotes
 * about 1/eta of each rung to the next, so it runs about {@code maxTrials * eta / (eta - 1)} short trials in all.
 *
 * <p>A trial whose objective throws, returns NaN or an infinite value, or exceeds the per-trial timeout is recorded as
 * failed and the search goes on; only when no trial succeeds does {@link #run} throw.
 */
public final class Tuner {
    private Tuner() {}

    /** {@link #run(SearchSpace, Objective, TunerConfig, TrialListener)} without a progress listener. */
    /** The seed a trial of configuration {@code configId} gets: a refit with it reproduces the trial. */
    public static long trialSeed(TunerConfig config, int configId) {
        return SearchStrategy.mix(config.seed(), 1_000_003L + configId);
    }

    public static TuningReport run(SearchSpace space, Objective objective, TunerConfig config) {
        return run(space, objective, config, null);
    }

    /**
     * Searches {@code space} for the configuration that optimises {@code objective}.
     *
     * @param listener told about each finished trial, may be {@code null}
     * @return every trial, ordered by id, and the best configuration
     * @throws ModelworkException when the space does not suit the strategy (a continuous parameter under grid), when
     *                            every trial failed, or when the calling thread is interrupted
     */
    public static TuningReport run(SearchSpace space, Objective objective, TunerConfig config, TrialListener listener) {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(config, "config");
        SearchStrategy strategy = switch (config.strategy()) {
            case GRID -> new GridSearch(space, config);
            case RANDOM -> new RandomSearch(space, config);
            case TPE -> new TpeSearch(space, config);
            case ASHA -> new AshaSearch(space, config);
        };
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(config.threads(), daemons("modelwork-tune"));
        ExecutorService runner = config.trialTimeout() == null ? null : Executors.newCachedThreadPool(daemons("modelwork-tune-trial"));
        List<Trial> history = new ArrayList<>();
        try {
            int finished = 0;
            while (true) {
                List<SearchStrategy.Request> batch = strategy.nextBatch(List.copyOf(history));
                if (batch.isEmpty()) break;
                CompletionService<Trial> done = new ExecutorCompletionService<>(pool);
                for (int i = 0; i < batch.size(); i++) {
                    SearchStrategy.Request r = batch.get(i);
                    int trialId = history.size() + i;
                    done.submit(() -> execute(trialId, r, objective, config, runner));
                }
                List<Trial> round = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    Trial t = done.take().get();
                    round.add(t);
                    finished++;
                    if (listener != null) listener.onTrial(t, finished, Math.max(finished, strategy.plannedTrials()));
                }
                round.sort(Comparator.comparingInt(Trial::id));
                history.addAll(round);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelworkException("tuning was interrupted after " + history.size() + " trials", "tune",
                    "run the search again; give it fewer trials or a trial timeout if it takes too long", e);
        } catch (ExecutionException e) {
            throw new ModelworkException("a trial failed fatally: " + e.getCause(), "tune trial", "see the cause", e.getCause());
        } finally {
            pool.shutdownNow();
            if (runner != null) runner.shutdownNow();
        }
        return report(history, config, (System.nanoTime() - start) / 1e9);
    }

    /** Runs one trial; never throws for an objective failure. */
    private static Trial execute(int id, SearchStrategy.Request r, Objective objective, TunerConfig config,
                                 ExecutorService runner) throws InterruptedException {
        long trialSeed = trialSeed(config, r.configId());
        Map<String, Object> params = r.params();
        long t0 = System.nanoTime();
        Double value = null;
        String error = null;
        try {
            double v;
            if (runner == null) {
                v = objective.evaluate(params, r.budget(), trialSeed);
            } else {
                Future<Double> f = runner.submit(() -> objective.evaluate(params, r.budget(), trialSeed));
                try {
                    v = f.get(config.trialTimeout().toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    throw new TimeoutException("timed out after " + config.trialTimeout());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : e;
                }
            }
            if (Double.isFinite(v)) value = v;
            else error = "the objective returned " + v;
        } catch (InterruptedException e) {
            throw e;
        } catch (TimeoutException e) {
            error = e.getMessage();
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Trial(id, r.configId(), params, r.budget(), r.rung(), value, seconds,
                value == null ? Trial.Status.FAILED : Trial.Status.OK, error);
    }

    private static TuningReport report(List<Trial> trials, TunerConfig config, double seconds) {
        Direction dir = config.direction();
        int topBudget = Integer.MIN_VALUE;
        for (Trial t : trials) if (t.succeeded()) topBudget = Math.max(topBudget, t.budget());
        Trial best = null;
        for (Trial t : trials) {
            if (!t.succeeded() || t.budget() != topBudget) continue;
            if (best == null || dir.loss(t.value()) < dir.loss(best.value())) best = t;
        }
        if (best == null) {
            String first = trials.isEmpty() ? "no trial ran" : trials.get(0).error();
            throw new ModelworkException("all " + trials.size() + " trials failed; the first with: " + first,
                    "tune objective (" + config.metric() + ")",
                    "run the objective once by hand with one configuration and fix the error it raises");
        }
        return new TuningReport(config.strategy().id(), config.metric(), dir, config.seed(), trials, best.id(),
                best.params(), best.value(), seconds);
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
