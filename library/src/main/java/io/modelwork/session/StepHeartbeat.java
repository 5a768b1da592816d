package io.modelwork.session;

import io.modelwork.core.Progress;
import io.modelwork.core.Step;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Progress for every step, whether or not its handler reports any: a step still running after a second shows
 * "running · 3.2 s elapsed" updated in place (twice a second), with an ETA from the same step's last duration in this
 * session when it ran before (an evaluate after a tune, a re-export). A handler that reports counted progress itself
 * (fit rounds, images, frames — with their own ETA) takes over and the heartbeat falls silent. The step's
 * {@link StepContext#progress()} is the heartbeat while it runs, so the handlers need not know about it.
 */
final class StepHeartbeat implements Progress, AutoCloseable {
    private static final ScheduledExecutorService TICKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "modelwork-progress");
        t.setDaemon(true);
        return t;
    });
    /** Show the heartbeat once a step has run this long. */
    static final long AFTER_MS = 1000;

    /** The session's clock: the last duration of each step, for the ETA of its next run. */
    static final class Clock {
        private final Map<Step, Double> last = new EnumMap<>(Step.class);

        StepHeartbeat start(Progress target, Step step) {
            return new StepHeartbeat(this, target, step, last.getOrDefault(step, Double.NaN));
        }
    }

    private final Clock clock;
    private final Progress target;
    private final Step step;
    private final double expectedS;
    private final long t0 = System.nanoTime();
    private final ScheduledFuture<?> tick;
    private volatile boolean own;
    private boolean shown, closed;

    private StepHeartbeat(Clock clock, Progress target, Step step, double expectedS) {
        this.clock = clock;
        this.target = target;
        this.step = step;
        this.expectedS = expectedS;
        this.tick = TICKS.scheduleAtFixedRate(this::beat, AFTER_MS, 500, TimeUnit.MILLISECONDS);
    }

    double elapsedS() { return (System.nanoTime() - t0) / 1e9; }

    private synchronized void beat() {
        if (own || closed) return;
        shown = true;
        try {
            target.running(step.key(), elapsedS(), expectedS);
        } catch (RuntimeException e) {
            tick.cancel(false); // a display that fails must not fail the step
        }
    }

    @Override public void update(String s, int done, int total, String message) {
        own = true;
        target.update(s, done, total, message);
    }

    @Override public void finished(String s, String message) { target.finished(s, message); }

    @Override public void running(String s, double elapsed, double expected) { target.running(s, elapsed, expected); }

    /** Stops the heartbeat; when it showed, the display ends with the step's total time. Records the duration. */
    @Override public synchronized void close() {
        closed = true;
        tick.cancel(false);
        double secs = elapsedS();
        clock.last.put(step, secs);
        if (shown && !own) target.finished(step.key(), "");
    }
}
