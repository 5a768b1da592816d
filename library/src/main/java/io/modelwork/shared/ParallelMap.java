package io.modelwork.shared;

import io.modelwork.core.ModelworkException;
import io.modelwork.core.Progress;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs independent tasks (one model per series, one trial, one image batch, one backtest window) on a fixed number of
 * threads, results in input order, with progress (done / total, elapsed and ETA in the message) and interrupt: an
 * interrupt of the calling thread (the kernel's stop button, the session's timeout) cancels the remaining tasks and
 * is reported as a {@link ModelworkException}. The first task failure cancels the rest and is rethrown as it is.
 */
public final class ParallelMap {
    private ParallelMap() { }

    /**
     * {@code task(i)} for i in [0, n) on {@code threads} threads; {@code label(i)} names item i in the progress line.
     * With one thread the tasks run on the calling thread (no pool).
     */
    public static <T> List<T> map(String step, int n, int threads, IntFunction<T> task, IntFunction<String> label, Progress progress) {
        List<T> out = new ArrayList<>(Collections.nCopies(n, null));
        if (n == 0) return out;
        Progress p = progress == null ? Progress.silent() : progress;
        long t0 = System.nanoTime();
        AtomicInteger done = new AtomicInteger();
        if (threads <= 1) {
            for (int i = 0; i < n; i++) {
                if (Thread.currentThread().isInterrupted()) throw interrupted(step);
                out.set(i, task.apply(i));
                report(p, step, done.incrementAndGet(), n, label.apply(i), t0);
            }
            p.finished(step, n + " done in " + Durations.format((System.nanoTime() - t0) / 1e9));
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
            Thread t = new Thread(r, "modelwork-" + step);
            t.setDaemon(true);
            return t;
        });
        List<Future<T>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                final int k = i;
                fs.add(pool.submit(() -> {
                    T v = task.apply(k);
                    report(p, step, done.incrementAndGet(), n, label.apply(k), t0);
                    return v;
                }));
            }
            for (int i = 0; i < n; i++) out.set(i, fs.get(i).get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(step);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        } finally {
            fs.forEach(f -> f.cancel(true));
            pool.shutdownNow();
        }
        p.finished(step, n + " done in " + Durations.format((System.nanoTime() - t0) / 1e9));
        return out;
    }

    private static void report(Progress p, String step, int d, int n, String label, long t0) {
        double el = (System.nanoTime() - t0) / 1e9;
        String eta = d < n ? ", ETA " + Durations.format(el / d * (n - d)) : "";
        synchronized (p) { p.update(step, d, n, label + " (" + Durations.format(el) + eta + ")"); }
    }

    private static ModelworkException interrupted(String step) {
        return new ModelworkException("Step " + step + " was interrupted", step, "run it again (or raise timeout_s)");
    }
}
