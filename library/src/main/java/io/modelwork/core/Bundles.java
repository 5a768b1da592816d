package io.modelwork.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Legacy: the manifest file list of the old export bundles; use {@link io.modelwork.shared.BundleWriter}. */
public final class Bundles {
    private Bundles() {}

    /**
     * Adds {@code files} (every regular file of {@code dir}, sorted, with SHA-256 and size) and {@code total_bytes}
     * to an {@code artifact_manifest.json} object.
     */
    public static void addFiles(ObjectNode manifest, Path dir) throws IOException {
        ArrayNode files = manifest.putArray("files");
        List<Path> list;
        try (Stream<Path> s = Files.list(dir)) { list = s.filter(Files::isRegularFile).sorted().toList(); }
        long total = 0;
        for (Path p : list) {
            long size = Files.size(p);
            total += size;
            files.addObject().put("path", p.getFileName().toString()).put("sha256", AtomicFiles.sha256(p)).put("size", size);
        }
        manifest.put("total_bytes", total);
    }
}
