package io.modelwork.core;

/**
 * Progress of a long step (fit, tune, backtest). The default prints a line every 10%; the kernel installs one that
 * updates a display in place.
 */
public interface Progress {
    void update(String step, int done, int total, String message);

    default void finished(String step, String message) { }

    /**
     * A step without counted progress is still running after {@code elapsedS} seconds; {@code expectedS} is how long
     * the same step took last time in this session (NaN: unknown), for an ETA.
     */
    default void running(String step, double elapsedS, double expectedS) { }

    /** Prints to stderr at most every 10% of the work. */
    static Progress console() {
        return new Progress() {
            int lastDecile = -1;
            @Override public void update(String step, int done, int total, String message) {
                int decile = total <= 0 ? 0 : (int) (10L * done / total);
                if (done == 1 || decile != lastDecile) {
                    lastDecile = decile;
                    System.err.printf("[%s] %d/%d %s%n", step, done, total, message);
                }
            }
            double nextNote = 5;
            boolean printed;
            @Override public void running(String step, double elapsedS, double expectedS) {
                if (elapsedS < nextNote) return;             // 5 s, 15 s, 30 s, 60 s, then every minute
                nextNote = nextNote < 15 ? 15 : nextNote < 30 ? 30 : nextNote < 60 ? 60 : nextNote + 60;
                printed = true;
                System.err.printf("[%s] running, %.0f s elapsed%s%n", step, elapsedS,
                        Double.isNaN(expectedS) || expectedS <= elapsedS ? "" : String.format(", about %.0f s left (last run)", expectedS - elapsedS));
            }
            @Override public void finished(String step, String message) {
                lastDecile = -1;
                nextNote = 5;
                boolean say = printed || (message != null && !message.isEmpty());
                printed = false;
                if (say) System.err.printf("[%s] done: %s%n", step, message);
            }
        };
    }

    static Progress silent() { return (s, d, t, m) -> { }; }
}
