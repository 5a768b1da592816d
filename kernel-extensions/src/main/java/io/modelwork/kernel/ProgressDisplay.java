package io.modelwork.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.modelwork.core.Progress;
import io.modelwork.kernel.display.Html;

import java.util.UUID;

/**
 * {@link Progress} as one output per step that is updated in place ({@code update_display_data}): an HTML progress bar
 * plus a text line. Updates are throttled to one every 250 ms; {@link #finished} always shows the final state.
 */
final class ProgressDisplay implements Progress {
    private final ModelworkKernel kernel;
    private String displayId;
    private String step;
    private long lastUpdate;

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
        DisplayData d = bundle(step, done, total, message, false);
        if (first) {
            this.step = step;
            displayId = UUID.randomUUID().toString();
            d.setDisplayId(displayId);
            kernel.getIO().display.display(d);
        } else {
            kernel.getIO().display.updateDisplay(displayId, d);
        }
    }

    @Override
    public synchronized void finished(String step, String message) {
        if (!kernel.getIO().display.isAttached() || displayId == null) return;
        kernel.getIO().display.updateDisplay(displayId, bundle(step, 1, 1, message, true));
        displayId = null;
        this.step = null;
    }

    static DisplayData bundle(String step, int done, int total, String message, boolean finished) {
        int pct = total <= 0 ? 0 : (int) Math.min(100, Math.round(100.0 * done / total));
        String text = finished ? String.format("[%s] done: %s", step, message == null ? "" : message)
                : String.format("[%s] %d/%d (%d%%) %s", step, done, total, pct, message == null ? "" : message);
        DisplayData d = new DisplayData(text);
        d.putHTML("<div class=\"mw-progress\" style=\"font-family:monospace;font-size:12px\">"
                + "<progress value=\"" + (finished ? 100 : pct) + "\" max=\"100\" style=\"width:240px\"></progress> "
                + Html.esc(text) + "</div>");
        return d;
    }
}
