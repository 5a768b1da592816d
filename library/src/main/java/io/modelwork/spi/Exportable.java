package io.modelwork.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * Implemented by a {@link CategoryState} whose category uses the shared register and artifacts handlers: the
 * exported bundle, the name and tags it is registered under, and the artifact map.
 */
public interface Exportable {
    /** The export bundle folder, or null before export ran. */
    Path exportDir();

    /** The model name register uses when the user gives none (registry-safe). */
    String defaultModelName();

    /** Tags the category adds (spec, engine, data fingerprint…); the user's tags win. */
    Map<String, String> registerTags();

    /** A note on how to use the registered entry (may be empty). */
    default String registerHint() { return ""; }

    /** Artifact name → path (or text) for the artifacts step. */
    Map<String, Object> artifacts();
}
