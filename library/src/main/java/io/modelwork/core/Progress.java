package io.modelwork.core;

/**
 * Progress of a long step (fit, tune, backtest). The default prints a line every 10%; the kernel installs one that
 * updates a display in place.
 */
public interface Progress {
    void update(String step, int done, int total, String message);

    default void finished(String step, String message) { }

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
            @Override public void finished(String step, String message) {
                lastDecile = -1;
                System.err.printf("[%s] done: %s%n", step, message);
            }
        };
    }

    static Progress silent() { return (s, d, t, m) -> { }; }
}
