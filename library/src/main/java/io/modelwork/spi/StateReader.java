package io.modelwork.spi;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a checkpoint written through {@link StateWriter}. Every name resolves only to a file listed in the
 * checkpoint's manifest, verified before {@link CategoryState#restore} runs: a file that is missing from the manifest
 * is an error, never loaded unchecked. Missing keys in JSON are errors that name the file and the key.
 */
public interface StateReader {
    boolean has(String name);

    /** The verified file; an error when it is not in the manifest. */
    Path file(String name);

    JsonNode json(String name) throws IOException;

    byte[] bytes(String name) throws IOException;

    String text(String name) throws IOException;

    /** {@code node.get(key)}, or an error naming the file and the missing key (a damaged checkpoint). */
    JsonNode require(JsonNode node, String key, String name);
}
