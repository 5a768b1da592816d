package io.modelwork.magics;

import java.util.Map;

/**
 * A group of magics the kernel registers at start-up; found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.modelwork.magics.MagicSet}), so each task category can add its own.
 */
public interface MagicSet {
    /** Line magics by name (without {@code %}), in help order. */
    Map<String, LineMagic> lineMagics();

    /** Cell magics by name (without {@code %%}). */
    default Map<String, CellMagic> cellMagics() { return Map.of(); }

    /** One line of help per magic, keyed {@code %name} or {@code %%name}. */
    Map<String, String> help();
}
