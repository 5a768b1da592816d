package io.modelwork.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

import java.util.List;

/**
 * The display SPI: turns a value of type {@code T} into one or more Jupyter display bundles (MIME type → data).
 * Libraries register implementations in {@code META-INF/services/io.modelwork.kernel.display.Renderer}; the kernel
 * finds them with {@link java.util.ServiceLoader} and picks the renderer of the most specific type (class hierarchy
 * first, then interfaces; higher {@link #priority()} wins a tie).
 *
 * <p>Every bundle should carry {@code text/plain}, so that a plain client still shows something.
 */
public interface Renderer<T> {
    Class<T> type();

    /** The bundles, in display order; several bundles become several outputs (e.g. a report and its charts). */
    List<DisplayData> render(T value);

    default int priority() { return 0; }
}
