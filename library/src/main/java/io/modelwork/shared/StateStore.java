package io.modelwork.shared;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How checkpoint state is written, verified and read back, for every category. A category's
 * {@link io.modelwork.spi.CategoryState#save} writes through {@link #writer} into a {@link BundleWriter} (so the
 * files get the bundle's SHA-256 manifest and atomic publish); {@link #open} verifies every file listed in the
 * manifest (present, same size, same SHA-256) before anything is read, and the {@link StateReader} it hands out
 * resolves only files that are in the manifest: a file added or swapped in after the checkpoint was written is never
 * loaded unchecked. A malformed manifest or a JSON file missing a key is an error naming the file, not a trace.
 */
public final class StateStore {
    private StateStore() { }

    /** A writer that puts the category's files under {@code prefix} (e.g. {@code state/}) of the bundle. */
    public static StateWriter writer(BundleWriter bundle, String prefix) {
        return new StateWriter() {
            @Override public Path file(String name) { return bundle.file(prefix + name); }
            @Override public void json(String name, JsonNode value) { bundle.json(prefix + name, value); }
            @Override public void bytes(String name, byte[] value) { bundle.bytes(prefix + name, value); }
            @Override public void text(String name, String value) { bundle.text(prefix + name, value); }
        };
    }

    /** A verified bundle: the files of its manifest, each checked. */
    public static final class Verified {
        private final Path dir;
        private final String what;
        private final Map<String, Path> files;

        private Verified(Path dir, String what, Map<String, Path> files) {
            this.dir = dir;
            this.what = what;
            this.files = files;
        }

        public Path dir() { return dir; }

        public boolean has(String name) { return files.containsKey(name); }

        /** A verified file; an error naming the file when it is not in the manifest. */
        public Path file(String name) {
            Path p = files.get(name);
            if (p == null)
                throw new ModelworkException("The " + what + " is damaged: " + name + " is not listed in its manifest",
                        dir.toString(), "resume from another checkpoint (list run_dir/checkpoints/)");
            return p;
        }

        public JsonNode json(String name) {
            try {
                return Json.MAPPER.readTree(file(name).toFile());
            } catch (IOException e) {
                throw new ModelworkException("The " + what + "'s " + name + " is not valid JSON", dir.toString(),
                        "resume from another checkpoint");
            }
        }

        /** {@code node.get(key)}, or an error naming the file and the key. */
        public JsonNode require(JsonNode node, String key, String name) {
            JsonNode v = node == null ? null : node.get(key);
            if (v == null || v.isNull())
                throw new ModelworkException("The " + what + " is damaged: " + name + " has no '" + key + "'",
                        dir.toString(), "resume from another checkpoint");
            return v;
        }

        /** A reader of the files under {@code prefix}. */
        public StateReader reader(String prefix) {
            return new StateReader() {
                @Override public boolean has(String name) { return Verified.this.has(prefix + name); }
                @Override public Path file(String name) { return Verified.this.file(prefix + name); }
                @Override public JsonNode json(String name) { return Verified.this.json(prefix + name); }
                @Override public byte[] bytes(String name) throws IOException { return Files.readAllBytes(file(name)); }
                @Override public String text(String name) throws IOException { return Files.readString(file(name), StandardCharsets.UTF_8); }
                @Override public JsonNode require(JsonNode node, String key, String name) { return Verified.this.require(node, key, prefix + name); }
            };
        }
    }

    /**
     * Verifies the bundle at {@code dir} against its {@code artifact_manifest.json}; {@code what} names it in errors
     * ("checkpoint"). A missing manifest means an incomplete bundle; a listed file that is missing or differs is named.
     */
    public static Verified open(Path dir, String what) {
        Path m = dir.resolve(BundleWriter.MANIFEST);
        if (!Files.isRegularFile(m))
            throw new ModelworkException("The " + what + " has no " + BundleWriter.MANIFEST + ": it is incomplete or not a " + what,
                    dir.toString(), "resume from another checkpoint (list run_dir/checkpoints/)");
        JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(m.toFile());
        } catch (IOException e) {
            throw new ModelworkException("The " + what + "'s " + BundleWriter.MANIFEST + " is not valid JSON", dir.toString(),
                    "resume from another checkpoint");
        }
        JsonNode list = manifest == null ? null : manifest.get("files");
        if (list == null || !list.isArray())
            throw new ModelworkException("The " + what + "'s " + BundleWriter.MANIFEST + " has no file list", dir.toString(),
                    "resume from another checkpoint");
        Map<String, Path> files = new LinkedHashMap<>();
        Path root = dir.toAbsolutePath().normalize();
        int i = 0;
        for (JsonNode f : list) {
            i++;
            String name = f.path("path").asText(""), hash = f.path("sha256").asText("");
            if (name.isEmpty() || !hash.matches("[0-9a-f]{64}") || !f.path("size").canConvertToLong())
                throw new ModelworkException("The " + what + "'s manifest is malformed at entry " + i + " (path, sha256 and size expected)",
                        m.toString(), "resume from another checkpoint");
            Path p = root.resolve(name).normalize();
            if (!p.startsWith(root))
                throw new ModelworkException("The " + what + "'s manifest names a file outside the folder: " + name,
                        m.toString(), "resume from another checkpoint");
            try {
                if (!Files.isRegularFile(p))
                    throw new ModelworkException("The " + what + " is damaged: " + name + " is missing", dir.toString(),
                            "resume from another checkpoint");
                if (Files.size(p) != f.get("size").asLong() || !BundleWriter.sha256(p).equals(hash))
                    throw new ModelworkException("The " + what + " is damaged: " + name + " does not match its SHA-256",
                            dir.toString(), "resume from another checkpoint");
            } catch (IOException e) {
                throw new ModelworkException("Cannot read the " + what + ": " + e.getMessage(), dir.toString(),
                        "check the path and permissions");
            }
            files.put(name, p);
        }
        return new Verified(dir, what, files);
    }
}
