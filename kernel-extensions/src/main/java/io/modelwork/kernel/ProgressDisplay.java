package io.modelwork.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.modelwork.core.Progress;
import io.modelwork.kernel.display.Html;
import io.modelwork.kernel.display.HumanNumbers;

import java.util.UUID;

/**
 * {@link Progress} as one output per step that is updated in place ({@code update_display_data}): an HTML progress bar
 * plus a text line with the elapsed time and, once a tenth of the work (or 2 s) is done, the estimated time left
 * ("12/50 (24%) · 3.1 s elapsed · ETA 9.8 s"). Updates are throttled to one every 250 ms; {@link #finished} always
 * shows the final state with the total time.
 */
final class ProgressDisplay implements Progress {
    private final ModelworkKernel kernel;
    private String displayId;
    private String step;
    private long lastUpdate;
    private long started;

    ProgressDisplay(ModelworkKernel kernel) { this.kernel = kernel; }

    /** Forget the current display (a new cell starts a new one). */
    synchronized void reset() { displayId = null; step = null; }

    @Override
    public synchronized void update(String step, int done, int total, String message) {
        if (!kernel.getIO().display.isAttached()) return;
        long now = System.nanoTime();
        boolean first = displayId == null || !step.equals(this.step);
        if (!first && now - lastUpdate < 250_000_000L && done < total) return;
        lastUpdate = now;
        if (first) started = now;
        DisplayData d = bundle(step, done, total, message, false, (now - started) / 1e9);
        show(step, d, first);
    }

    /** A step without counted progress: an indeterminate bar, the elapsed time and an ETA from its last run. */
    @Override
    public synchronized void running(String step, double elapsedS, double expectedS) {
        if (!kernel.getIO().display.isAttached()) return;
        boolean first = displayId == null || !step.equals(this.step);
        if (first) started = System.nanoTime() - (long) (elapsedS * 1e9);
        DisplayData d = runningBundle(step, elapsedS, expectedS);
        show(step, d, first);
    }

    /** The step's first output is a new display; later ones update it in place. */
    private void show(String step, DisplayData d, boolean first) {
        if (first) {
            this.step = step;
            displayId = UUID.randomUUID().toString();
            d.setDisplayId(displayId);
            kernel.getIO().display.display(d);
        } else {
            kernel.getIO().display.updateDisplay(displayId, d);
        }
    }

    static DisplayData runningBundle(String step, double elapsedS, double expectedS) {
        boolean known = !Double.isNaN(expectedS) && expectedS > 0;
        String eta = !known ? "" : expectedS > elapsedS ? " · ETA " + HumanNumbers.duration(expectedS - elapsedS) + " (from its last run)"
                : " · longer than its last run (" + HumanNumbers.duration(expectedS) + ")";
        String text = String.format("[%s] running · %s elapsed%s", step, HumanNumbers.duration(elapsedS), eta);
        DisplayData d = new DisplayData(text);
        String bar = known && expectedS > elapsedS
                ? "<progress value=\"" + Math.round(100 * elapsedS / expectedS) + "\" max=\"100\" style=\"width:240px\"></progress> "
                : "<progress style=\"width:240px\"></progress> "; // no value: the browser's indeterminate bar
        d.putHTML("<div class=\"mw-progress\" style=\"font-family:monospace;font-size:12px\">" + bar + Html.esc(text) + "</div>");
        return d;
    }

    @Override
    public synchronized void finished(String step, String message) {
        if (!kernel.getIO().display.isAttached() || displayId == null) return;
        kernel.getIO().display.updateDisplay(displayId, bundle(step, 1, 1, message, true, (System.nanoTime() - started) / 1e9));
        displayId = null;
        this.step = null;
    }

    static DisplayData bundle(String step, int done, int total, String message, boolean finished, double elapsedS) {
        int pct = total <= 0 ? 0 : (int) Math.min(100, Math.round(100.0 * done / total));
        String msg = message == null || message.isBlank() ? "" : " " + message;
        String text = finished ? String.format("[%s] done in %s%s", step, HumanNumbers.duration(elapsedS), msg.isEmpty() ? "" : ":" + msg)
                : String.format("[%s] %d/%d (%d%%) · %s elapsed%s%s", step, done, total, pct, HumanNumbers.duration(elapsedS),
                        eta(done, total, elapsedS), msg);
        DisplayData d = new DisplayData(text);
        d.putHTML("<div class=\"mw-progress\" style=\"font-family:monospace;font-size:12px\">"
                + "<progress value=\"" + (finished ? 100 : pct) + "\" max=\"100\" style=\"width:240px\"></progress> "
                + Html.esc(text) + "</div>");
        return d;
    }

    /** " · ETA 9.8 s" from the rate so far, once a tenth of the work or 2 s are done; else empty. */
    static String eta(int done, int total, double elapsedS) {
        if (done <= 0 || total <= 0 || done >= total || (done * 10 < total && elapsedS < 2)) return "";
        return " · ETA " + HumanNumbers.duration(elapsedS * (total - done) / done);
    }
}
