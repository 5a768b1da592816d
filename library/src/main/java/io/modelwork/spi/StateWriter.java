package io.modelwork.spi;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a {@link CategoryState} writes a checkpoint: files under one staging folder, all of which go into the
 * checkpoint's SHA-256 manifest when the session publishes it (atomically). Names are relative, '/'-separated.
 */
public interface StateWriter {
    /** A path to write {@code name} to (parent folders created); for engines that save to a file themselves. */
    Path file(String name) throws IOException;

    void json(String name, JsonNode value) throws IOException;

    void bytes(String name, byte[] value) throws IOException;

    void text(String name, String value) throws IOException;
}
