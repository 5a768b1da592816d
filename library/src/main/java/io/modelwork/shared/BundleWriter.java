package io.modelwork.shared;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a bundle folder (an export or a checkpoint) so that nobody ever sees it half-written: files go to a staging
 * sibling {@code .<name>.partial-<pid>}, {@link #publish()} writes {@code artifact_manifest.json} (every file with its
 * SHA-256 and size, plus the fields of {@link #manifest()}) and renames the folder into place in one step. Closing a
 * writer that was not published deletes the staging folder, so a failed export or a full disk leaves nothing behind.
 * The target must not exist (bundles are immutable once written).
 *
 * <pre>{@code
 * try (BundleWriter b = BundleWriter.create(target, "export")) {
 *     b.json("metrics.json", metrics);
 *     Files.write(b.file("model.onnx"), bytes);
 *     b.publish();
 * }
 * }</pre>
 */
public final class BundleWriter implements AutoCloseable {
    public static final String MANIFEST = "artifact_manifest.json";

    private final Path target;
    private final Path staging;
    private final String what;
    private final ObjectNode manifest = Json.object();
    private boolean published;

    private BundleWriter(Path target, String what) {
        this.target = target;
        this.what = what;
        Path name = target.getFileName();
        this.staging = target.resolveSibling("." + (name == null ? "bundle" : name) + ".partial-" + ProcessHandle.current().pid());
    }

    /** A writer for a new bundle at {@code target}; {@code what} names it in errors (e.g. "export", "checkpoint"). */
    public static BundleWriter create(Path target, String what) {
        if (Files.exists(target))
            throw new ModelworkException("The " + what + " target already exists", target.toString(),
                    "choose a new target (bundles are immutable once written) or delete the old one");
        BundleWriter w = new BundleWriter(target, what);
        try {
            AtomicFiles.deleteTree(w.staging);
            Files.createDirectories(w.staging);
        } catch (IOException | UncheckedIOException e) {
            throw w.ioError(e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
        return w;
    }

    /** The staging folder (files written here end up in the bundle). */
    public Path dir() { return staging; }

    /** The final folder. */
    public Path target() { return target; }

    /** Extra top-level fields of {@code artifact_manifest.json} (format, model, created, …). */
    public ObjectNode manifest() { return manifest; }

    /** A path in the bundle to write to (parent folders created). */
    public Path file(String name) {
        Path p = resolve(name);
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw ioError(e);
        }
        return p;
    }

    public BundleWriter json(String name, JsonNode value) { return text(name, Json.write(value)); }

    public BundleWriter text(String name, String value) { return bytes(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)); }

    public BundleWriter bytes(String name, byte[] value) {
        try {
            Files.write(file(name), value);
        } catch (IOException e) {
            throw ioError(e);
        }
        return this;
    }

    /** Copies a file into the bundle (a missing source is skipped and returns false). */
    public boolean copy(Path source, String name) {
        if (!Files.exists(source)) return false;
        try {
            Files.copy(source, file(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw ioError(e);
        }
        return true;
    }

    private Path resolve(String name) {
        Path p = staging.resolve(name).normalize();
        if (!p.startsWith(staging) || name.equals(MANIFEST))
            throw new IllegalArgumentException("bad bundle file name: " + name);
        return p;
    }

    /** Writes the manifest and publishes the folder; returns the final path. */
    public Path publish() {
        try {
            ObjectNode m = Json.object();
            m.setAll(manifest);
            addFiles(m, staging);
            Files.writeString(staging.resolve(MANIFEST), Json.write(m));
            AtomicFiles.publishDirectory(staging, target);
            published = true;
            return target;
        } catch (IOException e) {
            throw ioError(e);
        } catch (UncheckedIOException e) {
            throw ioError(e.getCause());
        } catch (ModelworkException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
    }

    /** Deletes the staging folder unless published. */
    @Override public void close() {
        if (!published) AtomicFiles.deleteTree(staging);
    }

    /**
     * Adds {@code files} (every regular file under {@code dir}, recursively, '/'-separated, sorted, with SHA-256 and
     * size) and {@code total_bytes} to a manifest object.
     */
    public static void addFiles(ObjectNode manifest, Path dir) throws IOException {
        ArrayNode files = manifest.putArray("files");
        List<Path> list;
        try (Stream<Path> s = Files.walk(dir)) {
            list = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(MANIFEST)).sorted().toList();
        }
        long total = 0;
        for (Path p : list) {
            long size = Files.size(p);
            total += size;
            files.addObject().put("path", dir.relativize(p).toString().replace('\\', '/')).put("sha256", sha256(p)).put("size", size);
        }
        manifest.put("total_bytes", total);
    }

    /** SHA-256 of a file as lower-case hex. */
    public static String sha256(Path f) throws IOException { return AtomicFiles.sha256(f); }

    private ModelworkException ioError(IOException e) {
        if (e != null && AtomicFiles.isNoSpace(e)) {
            long bytes = 0;
            try (Stream<Path> s = Files.walk(staging)) {
                bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            } catch (IOException | RuntimeException ignored) { }
            ModelworkException full = AtomicFiles.writeFailed(target, Math.max(bytes, 1), e);
            AtomicFiles.deleteTree(staging);
            return new ModelworkException(full.what().replace("nothing was written", "the partial " + what
                    + " was removed"), full.where(), full.fix(), e);
        }
        AtomicFiles.deleteTree(staging);
        String msg = e == null ? "I/O error" : e.getMessage();
        boolean full = msg != null && msg.toLowerCase(java.util.Locale.ROOT).contains("no space");
        return new ModelworkException((full ? "No space left on the device while writing the " : "Cannot write the ") + what
                + (full ? "" : ": " + msg), target.toString(),
                full ? "free disk space (the partial files were removed) and run the step again"
                        : "check free disk space and permissions of " + target.getParent());
    }
}
