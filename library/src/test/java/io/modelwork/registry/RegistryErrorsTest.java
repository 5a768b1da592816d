package io.modelwork.registry;

import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class RegistryErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void aLockedDatabaseGivesAClearErrorAndLosesNothing() throws Exception {
        Path home = tmp.resolve("home");
        try (ModelRegistry reg = ModelRegistry.open(home, Duration.ofMillis(300))) {
            reg.register("m", Bundles.bundle(tmp.resolve("b1"), "1"), null, null, "t");
            // Another connection (as another process would) takes the write lock and keeps it.
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("registry.db"));
                 Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                long t0 = System.nanoTime();
                ModelworkException e = assertThrows(ModelworkException.class,
                        () -> reg.register("m", Bundles.bundle(tmp.resolve("b2"), "2"), null, null, "t"));
                assertTrue(System.nanoTime() - t0 >= 250_000_000L, "waited for the lock first");
                assertTrue(e.what().contains("locked by another process"), e.getMessage());
                assertEquals(home.resolve("registry.db").toAbsolutePath().toString(), e.where());
                assertTrue(e.fix().contains("retry"), e.getMessage());
                assertThrows(ModelworkException.class, () -> reg.promote("m", 1, "staging", "t"));
                s.execute("ROLLBACK");
            }
            // nothing half-written; the registry works again and numbering stays contiguous
            assertEquals(1, reg.list("m").size());
            assertEquals(Stage.NONE, reg.get("m:1").stage());
            assertEquals(2, reg.register("m", Bundles.bundle(tmp.resolve("b3"), "3"), null, null, "t").version());
            assertTrue(reg.verify().intact(), reg.verify().summary());
        }
    }

    @Test
    void aGarbageDatabaseFileIsReportedAndLeftUntouched() throws Exception {
        Path home = tmp.resolve("home");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            reg.register("m", Bundles.bundle(tmp.resolve("b1"), "1"), null, null, "t");
        }
        Path db = home.resolve("registry.db");
        Files.deleteIfExists(home.resolve("registry.db-wal"));
        Files.deleteIfExists(home.resolve("registry.db-shm"));
        byte[] garbage = "this is certainly not an SQLite database\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(db, garbage);
        long blobs;
        try (var s = Files.walk(home.resolve("artifacts/sha256"))) {
            blobs = s.filter(Files::isRegularFile).count();
        }

        ModelworkException e = assertThrows(ModelworkException.class, () -> ModelRegistry.open(home));
        assertTrue(e.what().contains("corrupt"), e.getMessage());
        assertEquals(db.toAbsolutePath().toString(), e.where());
        assertTrue(e.fix().contains("move it aside") && e.fix().contains("content-addressed"), e.getMessage());
        assertArrayEquals(garbage, Files.readAllBytes(db), "the file is left as it was");
        try (var s = Files.walk(home.resolve("artifacts/sha256"))) {
            assertEquals(blobs, s.filter(Files::isRegularFile).count(), "artifacts are kept");
        }

        // moving only the database aside is refused (the home's blobs and audit head show it was in use) ...
        Files.move(db, home.resolve("registry.db.corrupt"));
        ModelworkException missing = assertThrows(ModelworkException.class, () -> ModelRegistry.open(home));
        assertTrue(missing.what().contains("missing") && missing.fix().contains("move the whole home aside"), missing.getMessage());
        // ... following the fix: the whole home moved aside, a fresh registry opens there
        Files.move(home, tmp.resolve("home.old"));
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            assertEquals(0, reg.list(null).size());
        }
    }

    @Test
    void aDamagedPageIsReportedAsCorrupt() throws Exception {
        Path home = tmp.resolve("home");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            for (int i = 0; i < 20; i++) {
                reg.register("m", Bundles.bundle(tmp.resolve("b" + i), "" + i), null, null, "t");
            }
        }
        Path db = home.resolve("registry.db");
        assertFalse(Files.exists(home.resolve("registry.db-wal")) && Files.size(home.resolve("registry.db-wal")) > 0,
                "checkpointed on close");
        long size = Files.size(db);
        assertTrue(size >= 3 * 4096, "several pages: " + size);
        byte[] junk = new byte[2048];
        Arrays.fill(junk, (byte) 0x5a);
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.seek(4096 + 8);   // inside page 2, past its header start
            f.write(junk);
        }
        byte[] before = Files.readAllBytes(db);
        ModelworkException e = assertThrows(ModelworkException.class, () -> {
            try (ModelRegistry reg = ModelRegistry.open(home)) {
                reg.list(null);
            }
        });
        assertTrue(e.what().contains("corrupt"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(db));
    }

    @Test
    void aForeignSqliteDatabaseIsRefused() throws Exception {
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("registry.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE something_else(x)");
        }
        ModelworkException e = assertThrows(ModelworkException.class, () -> ModelRegistry.open(home));
        assertTrue(e.what().contains("not a Modelwork registry"), e.getMessage());
    }
}
