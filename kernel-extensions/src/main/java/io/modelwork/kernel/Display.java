package io.modelwork.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishClearOutput;
import io.github.spencerpark.jupyter.messages.publish.PublishDisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.modelwork.kernel.display.TableHtml;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.UUID;

/**
 * Functions for notebook code (imported statically at kernel start): {@code display(obj)}, in-place updates,
 * {@code clearOutput()}, {@code html(...)}, {@code markdown(...)}, {@code page(table, n)} and {@code readLine(prompt)}.
 * Displays, updates and clears go to the cell whose code (or a thread it started) calls them, also after that cell
 * ended ({@link OutputRouting}).
 */
public final class Display {
    private static volatile ModelworkKernel kernel;

    private Display() {}

    static void attach(ModelworkKernel k) { kernel = k; }

    static ModelworkKernel kernel() {
        ModelworkKernel k = kernel;
        if (k == null) throw new IllegalStateException("display() works only inside the Modelwork kernel");
        return k;
    }

    /** The id the last {@link #display} call returned: a cell whose value is that very string shows no {@code Out}. */
    private static volatile String lastId;

    /**
     * Shows {@code value} with its renderer (several outputs for a report); returns the display id of the last one
     * (for {@link #updateDisplay}). {@code display(x)} as a cell's last expression shows nothing more: its id is not
     * echoed as the cell's result.
     */
    public static String display(Object value) {
        return publishAll(kernel().renderers().render(value));
    }

    /**
     * Shows {@code value} in the given MIME types only, e.g. {@code display(chart, "image/png")} or
     * {@code display(report, "text/plain")}; a type the value's renderer does not produce is an error that lists
     * those it does.
     */
    public static String display(Object value, String... mimeTypes) {
        if (mimeTypes == null || mimeTypes.length == 0) return display(value);
        return publishAll(only(kernel().renderers().render(value), mimeTypes));
    }

    /** The types named in the error of {@link #only} (basekernel's bundle does not list its own). */
    private static final List<String> KNOWN_TYPES = List.of("text/plain", "text/html", "text/markdown", "image/png",
            "image/jpeg", "image/svg+xml", io.modelwork.kernel.display.VegaLite.MIME, io.modelwork.kernel.display.ReportRenderers.REPORT_MIME);

    /** The bundles with only {@code mimeTypes} kept; bundles with none of them are dropped. */
    static List<DisplayData> only(List<DisplayData> bundles, String... mimeTypes) {
        java.util.Set<String> offered = new java.util.LinkedHashSet<>();
        List<DisplayData> out = new java.util.ArrayList<>();
        for (DisplayData d : bundles) {
            for (String m : KNOWN_TYPES) if (d.hasDataForType(MIMEType.parse(m))) offered.add(m);
            DisplayData kept = new DisplayData();
            boolean any = false;
            for (String m : mimeTypes) {
                Object v = d.getData(MIMEType.parse(m.trim()));
                if (v != null) { kept.putData(m.trim(), v); any = true; }
            }
            if (any) out.add(kept);
        }
        if (out.isEmpty())
            throw new io.modelwork.core.ModelworkException("None of " + java.util.Arrays.toString(mimeTypes) + " is produced for this value",
                    "display(value, " + String.join(", ", mimeTypes) + ")", "use one of " + offered);
        return out;
    }

    private static String publishAll(List<DisplayData> bundles) {
        String id = null;
        for (DisplayData d : bundles) {
            DisplayData copy = new DisplayData(d);
            id = UUID.randomUUID().toString();
            copy.setDisplayId(id);
            kernel().publish(new PublishDisplayData(copy), copy, false);
        }
        lastId = id;
        return id;
    }

    /** Whether {@code value} is the id the last {@link #display} returned (the same object, not an equal string). */
    static boolean isLastDisplayId(Object value) {
        return value != null && value == lastId;
    }

    /** Replaces the output shown under {@code displayId} with {@code value} (its first bundle). */
    public static void updateDisplay(String displayId, Object value) {
        List<DisplayData> bundles = kernel().renderers().render(value);
        if (bundles.isEmpty()) return;
        DisplayData d = new DisplayData(bundles.get(0));
        d.setDisplayId(displayId);
        kernel().publish(new PublishUpdateDisplayData(d), d, true);
    }

    /** Clears the output of the cell this code belongs to now (the {@code clear_output} message). */
    public static void clearOutput() {
        clearOutput(false);
    }

    /**
     * Clears the cell's output; with {@code wait} the front end clears it only when the next output arrives (no
     * flicker when an output is redrawn in a loop: {@code clearOutput(true); display(frame);}).
     */
    public static void clearOutput(boolean wait) {
        kernel().publish(wait ? PublishClearOutput.BEFORE_NEXT_OUTPUT : PublishClearOutput.NOW, null, false);
    }

    public static DisplayData html(String html) {
        DisplayData d = new DisplayData("[HTML]");
        d.putHTML(html);
        return d;
    }

    public static DisplayData markdown(String md) {
        DisplayData d = new DisplayData(md);
        d.putMarkdown(md);
        return d;
    }

    /** Page {@code page} (1-based) of a table, 20 rows a page. */
    public static DisplayData page(Table t, int page) {
        DisplayData d = new DisplayData(t.printAll());
        d.putHTML(TableHtml.page(t, page - 1, TableHtml.PAGE_SIZE));
        return d;
    }

    /** Prompts the notebook user for one line of input (the Jupyter stdin channel). */
    public static String readLine(String prompt) {
        return kernel().readLine(prompt == null ? "" : prompt);
    }
}
