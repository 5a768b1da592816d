package io.modelwork.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Atomic writes: content goes to a temporary sibling, is forced to disk, then renamed over the target, so that a
 * killed process never leaves a half-written file (or folder) that a reader accepts.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void write(Path target, byte[] content) {
        write(target, content, true);
    }

    /**
     * Atomic but not forced to disk: survives a killed process (the rename is atomic and the page cache outlives the
     * process) but not a power loss. For frequently rewritten, reproducible files (step reports, the best-iteration
     * checkpoint during fit), where an fsync per write would dominate short steps.
     */
    public static void writeFast(Path target, byte[] content) {
        write(target, content, false);
    }

    public static void writeStringFast(Path target, String content) {
        writeFast(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Test hook (package-private): called after each chunk written to a temporary file; may throw. */
    interface Fault { void afterWrite(Path tmp, long written) throws IOException; }

    static volatile Fault fault;

    private static void write(Path target, byte[] content, boolean force) {
        Path tmp = null;
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    int chunk = Math.min(buf.remaining(), 1 << 20);
                    java.nio.ByteBuffer part = buf.slice(buf.position(), chunk);
                    while (part.hasRemaining()) ch.write(part);
                    buf.position(buf.position() + chunk);
                    Fault f = fault;
                    if (f != null) f.afterWrite(tmp, buf.position());
                }
                if (force) ch.force(true);
            }
            move(tmp, target);
            tmp = null;
        } catch (IOException e) {
            throw writeFailed(target, content.length, e);
        } finally {
            if (tmp != null) try { Files.deleteIfExists(tmp); } catch (IOException ignored) { }
        }
    }

    /**
     * The error for a failed write of {@code bytes} to {@code target}: "no space left on &lt;device&gt;, needed ~N MB"
     * when the disk is full, else the system's reason; always a {@link ModelworkException} (the temporary file is
     * already removed by the caller).
     */
    public static ModelworkException writeFailed(Path target, long bytes, IOException e) {
        String reason = String.valueOf(e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage());
        Path dir = target.toAbsolutePath().getParent();
        if (isNoSpace(e)) {
            String device = "the disk";
            long free = -1;
            try {
                Path existing = dir;
                while (existing != null && !Files.exists(existing)) existing = existing.getParent();
                FileStore fs = Files.getFileStore(existing);
                device = fs.name() + " (" + fs.type() + ")";
                free = fs.getUsableSpace();
            } catch (IOException | RuntimeException ignored) { }
            long mb = Math.max(1, (bytes + (1 << 20) - 1) >> 20);
            return new ModelworkException("no space left on " + device + ", needed ~" + mb + " MB"
                    + (free >= 0 ? " (" + (free >> 20) + " MB free)" : "") + "; nothing was written", target.toString(),
                    "free disk space on that device (or write the run elsewhere with run_dir=... / --out) and run the step again", e);
        }
        return new ModelworkException("cannot write the file: " + reason, target.toString(),
                "check that " + dir + " exists, is writable and has free space", e);
    }

    /** True when {@code e} (or a cause) says the device is full (ENOSPC) or a quota is exceeded. */
    public static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("no space left") || m.contains("disk quota exceeded") || m.contains("not enough space")) return true;
        }
        return false;
    }

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Renames {@code source} to {@code target} atomically where the file system allows it. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Publishes a fully written staging directory under its final name with one rename. The final directory
     * must not exist yet (directories are immutable once published).
     */
    public static void publishDirectory(Path staging, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            throw new ModelworkException("cannot publish " + target.getFileName() + ": a folder of that name already exists",
                    target.toString(), "folders are immutable once published: choose another name or remove the old one", e);
        } catch (IOException e) {
            throw writeFailed(target, 0, e);
        }
    }

    /** Deletes a directory tree, ignoring a missing one. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try { Files.deleteIfExists(p); } catch (IOException ignored) { }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of a file as lower-case hex. */
    public static String sha256(Path f) throws IOException {
        try (var in = Files.newInputStream(f)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
