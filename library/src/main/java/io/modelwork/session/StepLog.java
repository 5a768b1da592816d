package io.modelwork.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.report.StepReport;

import java.util.concurrent.*;

/** The run-log events of a step (start, end, retry, failure), its retries and its timeout watchdog, for the {@link Session}. */
final class StepLog {
    private StepLog() { }

    /** Runs {@code body} on the calling thread, interrupted after configure's {@code timeout_s} (0 = no limit). */
    static StepReport withTimeout(RunContext context, Step step, java.util.function.Supplier<StepReport> body) {
        long timeout = context.timeoutSeconds();
        if (timeout <= 0) return body.get();
        Thread caller = Thread.currentThread();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modelwork-timeout");
            t.setDaemon(true);
            return t;
        });
        boolean[] fired = {false};
        ScheduledFuture<?> f = watchdog.schedule(() -> { fired[0] = true; caller.interrupt(); }, timeout, TimeUnit.SECONDS);
        try {
            return body.get();
        } catch (ModelworkException e) {
            if (fired[0])
                throw new ModelworkException("Step " + step.key() + " exceeded its timeout of " + timeout + " s",
                        step.key(), "raise timeout_s in configure, or reduce the work (rounds, trials)", e);
            throw e;
        } finally {
            f.cancel(false);
            watchdog.shutdownNow();
            if (fired[0]) Thread.interrupted();
        }
    }

    static void start(RunContext context, Step step, Args a) {
        ObjectNode ev = Json.object();
        ev.put("step", step.key());
        ev.put("event", "start");
        ev.set("args", Json.args(a.asMap()));
        context.log().write(ev);
    }

    static void failure(RunContext context, Step step, RuntimeException e, long t0) {
        ObjectNode ev = Json.object();
        ev.put("step", step.key());
        ev.put("event", "end");
        ev.put("outcome", "error");
        ev.put("seconds", (System.nanoTime() - t0) / 1e9);
        ev.put("error", e.getMessage());
        context.log().write(ev);
    }

    static void end(RunContext context, Step step, double seconds) {
        ObjectNode ev = Json.object();
        ev.put("step", step.key());
        ev.put("event", "end");
        ev.put("outcome", "ok");
        ev.put("seconds", seconds);
        context.log().write(ev);
    }

    /**
     * Runs {@code attempt} up to configure's {@code retries} + 1 times: a {@link ModelworkException} (bad input) is
     * logged and thrown at once, since retrying cannot help; another failure is logged as a retry and tried again,
     * and the last one is logged and thrown.
     */
    static StepReport withRetries(RunContext context, Step step, long t0, java.util.function.Supplier<StepReport> attempt) {
        int attempts = context.retries() + 1;
        RuntimeException last = null;
        for (int n = 1; n <= attempts; n++) {
            try {
                return attempt.get();
            } catch (ModelworkException e) {
                failure(context, step, e, t0);
                throw e;
            } catch (RuntimeException e) {
                last = e;
                if (n < attempts) {
                    ObjectNode ev = Json.object();
                    ev.put("step", step.key());
                    ev.put("outcome", "retry");
                    ev.put("attempt", n);
                    ev.put("error", String.valueOf(e));
                    context.log().write(ev);
                }
            }
        }
        failure(context, step, last, t0);
        throw last;
    }
}
