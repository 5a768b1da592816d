package io.modelwork.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The structured run log: one JSON object per line (step, arguments, timings, outcome), appended with one write per
 * event (so a killed process leaves complete lines; not forced to disk per event).
 */
public final class RunLog {
    private final Path file;

    RunLog(Path file) { this.file = file; }

    public Path file() { return file; }

    public synchronized void write(ObjectNode event) {
        event.put("ts", Instant.now().toString());
        try {
            Files.writeString(file, Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(event) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw AtomicFiles.writeFailed(file, 4096, e);
        }
    }
}
