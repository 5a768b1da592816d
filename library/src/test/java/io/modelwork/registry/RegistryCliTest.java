package io.modelwork.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.*;

class RegistryCliTest {
    @TempDir
    Path tmp;

    private String out = "", err = "";

    private int cli(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = RegistryCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return rc;
    }

    @Test
    void commandsWorkEndToEnd() throws Exception {
        String home = tmp.resolve("home").toString();
        Path b1 = Bundles.bundle(tmp.resolve("b1"), "1"), b2 = Bundles.bundle(tmp.resolve("b2"), "2");

        assertEquals(0, cli("--help"));
        assertTrue(out.contains("rollback NAME STAGE"));
        assertEquals(0, cli("--home", home, "list"));
        assertTrue(out.contains("no registered models"));

        assertEquals(0, cli("--home", home, "--actor", "ana", "register", "churn", b1.toString(), "--tag", "team=risk"));
        assertTrue(out.contains("registered churn:1"), out);
        assertEquals(0, cli("--home", home, "register", "churn", b2.toString(), "--stage", "staging"));
        assertEquals(0, cli("--home", home, "promote", "churn", "1", "production"));
        assertEquals(0, cli("--home", home, "promote", "churn", "2", "production"));
        assertEquals(0, cli("--home", home, "alias", "churn", "champion", "2"));
        assertEquals(0, cli("--home", home, "list", "churn"));
        assertTrue(out.contains("archived") && out.contains("champion"), out);

        assertEquals(0, cli("--home", home, "show", "churn@champion"));
        assertTrue(out.contains("\"model_id\" : \"churn:2\""), out);
        assertEquals(0, cli("--home", home, "rollback", "churn", "production"));
        assertTrue(out.contains("churn:1"), out);
        assertEquals(0, cli("--home=" + home, "show", "churn/production"));
        assertTrue(out.contains("\"version\" : 1"), out);
        assertEquals(0, cli("--home", home, "materialize", "churn:1", tmp.resolve("out").toString()));
        assertTrue(Files.isRegularFile(tmp.resolve("out/model.bin")));
        assertEquals(0, cli("--home", home, "unalias", "churn", "champion"));
        assertEquals(0, cli("--home", home, "audit"));
        assertTrue(out.lines().count() >= 7 && out.contains("\"actor\":\"ana\""), out);

        assertEquals(0, cli("--home", home, "verify"));
        assertTrue(out.contains("registry intact"), out);

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + Path.of(home, "registry.db"));
             Statement s = c.createStatement()) {
            s.execute("DROP TRIGGER audit_no_update");
            s.execute("UPDATE audit SET detail_json = '{\"stage\":\"production\"}' WHERE seq = 2");
        }
        assertEquals(1, cli("--home", home, "verify"));
        assertTrue(err.contains("first bad audit row: seq 2"), err);
    }

    @Test
    void errorsAndUsage() throws Exception {
        String home = tmp.resolve("home").toString();
        assertEquals(2, cli("--home", home));
        assertEquals(2, cli("--home", home, "frobnicate"));
        assertEquals(2, cli("--home", home, "promote", "m", "one", "production"));
        assertEquals(1, cli("--home", home, "show", "m:1"));
        assertTrue(err.contains("error: no model version matches 'm:1'") && err.contains("fix:"), err);
        assertEquals(1, cli("--home", home, "rollback", "m", "production"));
        assertTrue(err.contains("nothing to roll back"), err);
    }
}
