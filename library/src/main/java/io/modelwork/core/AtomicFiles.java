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

    private static void write(Path target, byte[] content, boolean force) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
                while (buf.hasRemaining()) ch.write(buf);
                if (force) ch.force(true);
            }
            move(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + staging + " as " + target, e);
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
