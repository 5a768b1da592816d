package io.modelwork.registry;

import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The audit chain's head kept outside the database: {@code <home>/audit.head} holds {@code seq:hash} of the newest
 * audit row. It is rewritten (atomically) inside each write transaction, before the commit, while the write lock is
 * held, so it always names the database's newest row. Someone who deletes the newest audit row and rewrites the
 * head stored in the database still leaves this file ahead of the chain, which {@code verify} reports; and a home
 * whose database was emptied or deleted is recognised at open by this file (or by its stored blobs).
 */
final class AuditAnchor {
    static final String FILE = "audit.head";

    private final Path file;

    AuditAnchor(Path home) { this.file = home.resolve(FILE); }

    Path file() { return file; }

    /** The recorded head, or null when there is no file. */
    String read() throws IOException {
        if (!Files.isRegularFile(file)) return null;
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    void write(String head) {
        AtomicFiles.writeString(file, head + "\n");
    }

    /** Restores a previous content (after a rolled-back transaction); null deletes the file. */
    void restore(String previous) {
        try {
            if (previous == null) Files.deleteIfExists(file);
            else write(previous);
        } catch (IOException | RuntimeException ignored) {
            // best effort: verify reports a head that is ahead of the chain
        }
    }

    /**
     * Refuses to open a home that was used (it has a head file or stored blobs) but whose database is missing or
     * empty: SQLite would silently start a new, empty registry and every version, stage and audit row would be gone.
     */
    static void checkNotEmptied(Path home, Path db) {
        boolean emptyDb;
        try {
            emptyDb = !Files.exists(db) || Files.size(db) == 0;
        } catch (IOException e) {
            return;
        }
        if (!emptyDb) return;
        boolean used = Files.isRegularFile(home.resolve(FILE));
        if (!used) {
            Path blobs = home.resolve("artifacts").resolve("sha256");
            if (Files.isDirectory(blobs)) {
                try (Stream<Path> s = Files.walk(blobs)) {
                    used = s.anyMatch(Files::isRegularFile);
                } catch (IOException ignored) {
                    used = false;
                }
            }
        }
        if (used)
            throw new ModelworkException("the registry database is " + (Files.exists(db) ? "empty (0 bytes)" : "missing")
                    + " but this registry home was in use (it holds " + FILE + " and/or stored artifacts): its versions, "
                    + "stages and audit would be lost; nothing was changed", db.toString(),
                    "restore " + db.getFileName() + " from a backup; to really start over, move the whole home aside "
                            + "(e.g. `mv " + home + " " + home + ".old`)");
    }
}
