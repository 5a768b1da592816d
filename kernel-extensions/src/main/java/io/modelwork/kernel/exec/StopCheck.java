package io.modelwork.kernel.exec;

/**
 * The check that ASM inserts into compiled notebook snippets (at every method entry and every backward jump, i.e.
 * each loop iteration). Cheap when no interrupt is pending: one volatile read.
 */
public final class StopCheck {
    private static volatile boolean stop;

    private StopCheck() {}

    /** Called by instrumented snippet code. */
    public static void check() {
        if (stop) throw new ExecutionInterrupted();
    }

    public static void requestStop() { stop = true; }

    public static void reset() { stop = false; }

    public static boolean stopRequested() { return stop; }
}
