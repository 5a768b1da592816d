package io.modelwork.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.*;

class RegistryAuditTest {
    @TempDir
    Path tmp;

    private Path populated() throws Exception {
        Path home = tmp.resolve("home");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            reg.register("m", Bundles.bundle(tmp.resolve("b1"), "1"), null, null, "ana");   // seq 1
            reg.register("m", Bundles.bundle(tmp.resolve("b2"), "2"), null, null, "ana");   // seq 2
            reg.promote("m", 1, "production", "ana");                                      // seq 3
            reg.promote("m", 2, "production", "bo");                                       // seq 4 (+5 archive)
            reg.setAlias("m", "champion", 2, "bo");                                        // seq 6
            VerifyReport r = reg.verify();
            assertTrue(r.intact(), r.summary());
            assertEquals(6, r.auditRows());
            assertEquals(2, r.versions());
            assertEquals(5, r.blobsChecked());
        }
        return home;
    }

    private static void sql(Path home, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("registry.db"));
             Statement s = c.createStatement()) {
            for (String q : statements) s.execute(q);
        }
    }

    @Test
    void theAuditTableIsAppendOnly() throws Exception {
        Path home = populated();
        SQLException e = assertThrows(SQLException.class, () -> sql(home, "UPDATE audit SET actor = 'x' WHERE seq = 2"));
        assertTrue(e.getMessage().contains("append-only"), e.getMessage());
        assertThrows(SQLException.class, () -> sql(home, "DELETE FROM audit WHERE seq = 2"));
    }

    @Test
    void aTamperedAuditRowIsDetected() throws Exception {
        Path home = populated();
        sql(home, "DROP TRIGGER audit_no_update", "UPDATE audit SET actor = 'mallory' WHERE seq = 3");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            VerifyReport r = reg.verify();
            assertFalse(r.intact());
            assertEquals(3, r.firstBadSeq(), r.summary());
            assertTrue(r.summary().contains("seq 3"), r.summary());
            assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("audit_no_update")));
        }
    }

    @Test
    void aRewrittenAuditRowWithAFreshHashBreaksTheChainAfterIt() throws Exception {
        Path home = populated();
        // A forger who recomputes the hash of the row they changed still breaks the link of the next row.
        String forged = ModelRegistry.chainHash(ModelRegistry.GENESIS_HASH, 1, "2020-01-01T00:00:00Z", "mallory",
                "register", "m", 1, "{}");
        sql(home, "DROP TRIGGER audit_no_update",
                "UPDATE audit SET ts = '2020-01-01T00:00:00Z', actor = 'mallory', detail_json = '{}', hash = '"
                        + forged + "' WHERE seq = 1");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            VerifyReport r = reg.verify();
            assertFalse(r.intact());
            assertEquals(2, r.firstBadSeq(), r.summary());
        }
    }

    @Test
    void deletedAuditRowsAreDetected() throws Exception {
        Path home = populated();
        sql(home, "DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE seq = 6");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            VerifyReport r = reg.verify();
            assertFalse(r.intact());
            assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("recorded")), r.problems().toString());
            assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("aliases")), r.problems().toString());
        }
    }

    @Test
    void aStageChangedBehindTheRegistrysBackIsDetected() throws Exception {
        Path home = populated();
        sql(home, "UPDATE versions SET stage = 'production' WHERE version = 1");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            VerifyReport r = reg.verify();
            assertFalse(r.intact());
            assertTrue(r.problems().get(0).message().contains("m:1 is in stage production"), r.summary());
        }
    }

    @Test
    void aDeletedOrDamagedBlobIsDetected() throws Exception {
        Path home = populated();
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            ModelVersion v = reg.get("m:2");
            Path gone = reg.blobPath(v.manifest().get(1).sha256());
            Files.delete(gone);
            VerifyReport r = reg.verify();
            assertFalse(r.intact());
            assertTrue(r.problems().stream().anyMatch(p -> p.message().contains(v.manifest().get(1).sha256())
                    && p.message().contains("missing") && p.message().contains("m:2 model.bin")), r.problems().toString());

            Path damaged = reg.blobPath(v.manifest().get(0).sha256());
            Files.writeString(damaged, "bit rot");
            r = reg.verify();
            assertTrue(r.problems().stream().anyMatch(p -> p.message().contains("damaged")), r.problems().toString());
        }
    }
}
