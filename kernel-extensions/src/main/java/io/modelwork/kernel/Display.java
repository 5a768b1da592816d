package io.modelwork.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.modelwork.kernel.display.TableHtml;
import tech.tablesaw.api.Table;

import java.util.List;
import java.util.UUID;

/**
 * Functions for notebook code (imported statically at kernel start): {@code display(obj)}, in-place updates,
 * {@code html(...)}, {@code markdown(...)}, {@code page(table, n)} and {@code readLine(prompt)}.
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

    /** Shows {@code value} with its renderer (several outputs for a report); returns the display id of the last one. */
    public static String display(Object value) {
        String id = null;
        List<DisplayData> bundles = kernel().renderers().render(value);
        for (DisplayData d : bundles) {
            DisplayData copy = new DisplayData(d);
            id = UUID.randomUUID().toString();
            copy.setDisplayId(id);
            kernel().getIO().display.display(copy);
        }
        return id;
    }

    /** Replaces the output shown under {@code displayId} with {@code value} (its first bundle). */
    public static void updateDisplay(String displayId, Object value) {
        List<DisplayData> bundles = kernel().renderers().render(value);
        if (bundles.isEmpty()) return;
        kernel().getIO().display.updateDisplay(displayId, new DisplayData(bundles.get(0)));
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
