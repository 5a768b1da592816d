package io.modelwork.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: writes small model bundles. */
final class Bundles {
    private Bundles() {}

    /** A bundle with a weights file and a nested config whose content depends on {@code seed}. */
    static Path bundle(Path dir, String seed) throws IOException {
        Files.createDirectories(dir.resolve("meta"));
        Files.writeString(dir.resolve("model.bin"), "weights-" + seed, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("meta/config.json"), "{\"seed\":\"" + seed + "\"}", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("shared.txt"), "same in every bundle", StandardCharsets.UTF_8);
        return dir;
    }
}
