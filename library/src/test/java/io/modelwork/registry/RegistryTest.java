package io.modelwork.registry;

import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RegistryTest {
    @TempDir
    Path tmp;

    private ModelRegistry open() {
        return ModelRegistry.open(tmp.resolve("home"));
    }

    @Test
    void registerAssignsVersionsAndStoresContentAddressedBlobs() throws Exception {
        try (ModelRegistry reg = open()) {
            assertTrue(Files.isRegularFile(tmp.resolve("home/registry.db")));
            assertTrue(Files.isDirectory(tmp.resolve("home/artifacts")));
            ModelVersion v1 = reg.register("churn", Bundles.bundle(tmp.resolve("b1"), "a"), null,
                    Map.of("owner", "ana"), "ana");
            ModelVersion v2 = reg.register("churn", Bundles.bundle(tmp.resolve("b2"), "b"), "staging", null, "bo");
            ModelVersion o1 = reg.register("other", Bundles.bundle(tmp.resolve("b3"), "a"), null, null, "bo");

            assertEquals(1, v1.version());
            assertEquals(2, v2.version());
            assertEquals(1, o1.version());
            assertEquals("churn:1", v1.modelId());
            assertEquals(Stage.NONE, v1.stage());
            assertEquals(Stage.STAGING, v2.stage());
            assertEquals(Map.of("owner", "ana"), v1.tags());
            assertEquals(List.of("meta/config.json", "model.bin", "shared.txt"),
                    v1.manifest().stream().map(ModelVersion.Entry::path).toList());
            // identical content gives an identical content id; different content a different one
            assertEquals(v1.contentId(), o1.contentId());
            assertNotEquals(v1.contentId(), v2.contentId());
            // blobs are stored once per content under sha256/<2>/<62>
            for (ModelVersion.Entry e : v1.manifest()) {
                Path blob = tmp.resolve("home/artifacts/sha256").resolve(e.sha256().substring(0, 2))
                        .resolve(e.sha256().substring(2));
                assertTrue(Files.isRegularFile(blob), blob.toString());
                assertEquals(e.size(), Files.size(blob));
            }
            try (var s = Files.walk(tmp.resolve("home/artifacts/sha256"))) {
                assertEquals(5, s.filter(Files::isRegularFile).count(), "3 + 2 distinct contents");
            }
            try (var s = Files.list(tmp.resolve("home/artifacts/tmp"))) {
                assertEquals(0, s.count(), "no temporary blob left behind");
            }
            assertTrue(reg.verify().intact(), reg.verify().summary());
        }
    }

    @Test
    void getByVersionAliasStageAndName() throws Exception {
        try (ModelRegistry reg = open()) {
            reg.register("m", Bundles.bundle(tmp.resolve("b1"), "1"), "production", null, "t");
            reg.register("m", Bundles.bundle(tmp.resolve("b2"), "2"), "staging", null, "t");
            reg.register("m", Bundles.bundle(tmp.resolve("b3"), "3"), null, null, "t");
            reg.setAlias("m", "champion", 1, "t");
            reg.setAlias("m", "challenger", 2, "t");

            assertEquals(2, reg.get("m:2").version());
            assertEquals(2, reg.get("m", 2).version());
            assertEquals(1, reg.get("m@champion").version());
            assertEquals(List.of("champion"), reg.get("m@champion").aliases());
            assertEquals(2, reg.get("m@challenger").version());
            assertEquals(1, reg.get("m/production").version());
            assertEquals(2, reg.get("m/staging").version());
            assertEquals(3, reg.get("m").version());
            assertEquals(3, reg.list("m").size());
            assertEquals(0, reg.list("nothing").size());
            assertEquals(3, reg.list(null).size());

            for (String bad : List.of("m:9", "m@nobody", "m/canary", "zzz", "m:x", "m/bogus")) {
                assertThrows(ModelworkException.class, () -> reg.get(bad), bad);
            }
            // alias moves, and stays unique per name
            reg.setAlias("m", "champion", 3, "t");
            assertEquals(3, reg.get("m@champion").version());
            assertEquals(List.of(), reg.get("m", 1).aliases());
            reg.removeAlias("m", "challenger", "t");
            assertThrows(ModelworkException.class, () -> reg.get("m@challenger"));
            assertThrows(ModelworkException.class, () -> reg.removeAlias("m", "challenger", "t"));
            assertThrows(ModelworkException.class, () -> reg.setAlias("m", "x", 42, "t"));
            assertTrue(reg.verify().intact(), reg.verify().summary());
        }
    }

    @Test
    void invalidInputGivesClearErrors() throws Exception {
        try (ModelRegistry reg = open()) {
            Path b = Bundles.bundle(tmp.resolve("b"), "1");
            ModelworkException e = assertThrows(ModelworkException.class,
                    () -> reg.register("bad name!", b, null, null, "t"));
            assertTrue(e.fix().contains("[A-Za-z0-9._-]+"), e.getMessage());
            e = assertThrows(ModelworkException.class, () -> reg.register("m", b, "live", null, "t"));
            assertTrue(e.fix().contains("production"), e.getMessage());
            assertThrows(ModelworkException.class, () -> reg.register("m", tmp.resolve("missing"), null, null, "t"));
            Files.createDirectories(tmp.resolve("empty"));
            assertThrows(ModelworkException.class, () -> reg.register("m", tmp.resolve("empty"), null, null, "t"));
            assertThrows(ModelworkException.class, () -> reg.promote("m", 1, "staging", "t"));
            assertEquals(0, reg.list(null).size(), "nothing half-registered");
            assertEquals(1, reg.register("m", b, "CANARY", null, "t").version());
            assertEquals(Stage.CANARY, reg.get("m:1").stage());
        }
    }

    @Test
    void promotionToProductionArchivesThePreviousOneAndRollbackWalksBack() throws Exception {
        try (ModelRegistry reg = open()) {
            for (int i = 1; i <= 3; i++) reg.register("m", Bundles.bundle(tmp.resolve("b" + i), "" + i), null, null, "t");
            reg.promote("m", 1, "production", "ana");
            reg.promote("m", 2, "staging", "ana");
            reg.promote("m", 2, "production", "ana");
            assertEquals(Stage.ARCHIVED, reg.get("m", 1).stage());
            assertEquals(Stage.PRODUCTION, reg.get("m", 2).stage());
            reg.promote("m", 3, "production", "bo");
            assertEquals(Stage.ARCHIVED, reg.get("m", 2).stage());
            assertEquals(3, reg.get("m/production").version());
            assertTrue(reg.auditLog().stream().anyMatch(o -> o.get("action").asText().equals("archive")
                    && o.get("version").asInt() == 2
                    && o.get("detail").get("reason").asText().contains("replaced in production by version 3")));

            ModelVersion back = reg.rollback("m", "production", "ops");
            assertEquals(2, back.version());
            assertEquals(Stage.PRODUCTION, back.stage());
            assertEquals(Stage.ARCHIVED, reg.get("m", 3).stage());
            back = reg.rollback("m", "production", "ops");
            assertEquals(1, back.version());
            assertEquals(Stage.ARCHIVED, reg.get("m", 2).stage());
            ModelworkException e = assertThrows(ModelworkException.class, () -> reg.rollback("m", "production", "ops"));
            assertTrue(e.what().contains("nothing to roll back"), e.getMessage());
            assertEquals(1, reg.get("m/production").version(), "a failed rollback changes nothing");
            e = assertThrows(ModelworkException.class, () -> reg.rollback("m", "canary", "ops"));
            assertTrue(e.what().contains("nothing to roll back"), e.getMessage());
            assertThrows(ModelworkException.class, () -> reg.rollback("m", "archived", "ops"));

            // only one version is ever in production
            assertEquals(1, reg.list("m").stream().filter(v -> v.stage() == Stage.PRODUCTION).count());
            assertTrue(reg.verify().intact(), reg.verify().summary());
        }
    }

    @Test
    void materializeReassemblesAndVerifiesTheBundle() throws Exception {
        try (ModelRegistry reg = open()) {
            Path src = Bundles.bundle(tmp.resolve("b"), "x");
            ModelVersion v = reg.register("m", src, null, null, "t");
            Path out = reg.materialize(v, tmp.resolve("out"));
            assertEquals(Files.readString(src.resolve("model.bin")), Files.readString(out.resolve("model.bin")));
            assertEquals(Files.readString(src.resolve("meta/config.json")),
                    Files.readString(out.resolve("meta/config.json")));
            assertThrows(ModelworkException.class, () -> reg.materialize(v, out), "target exists");

            // a damaged blob is refused and leaves no partial directory
            Path blob = reg.blobPath(v.manifest().get(1).sha256());
            Files.writeString(blob, "tampered");
            ModelworkException e = assertThrows(ModelworkException.class, () -> reg.materialize(v, tmp.resolve("out2")));
            assertTrue(e.what().contains("damaged"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("out2")));
            try (var s = Files.list(tmp)) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".out2")), "staging removed");
            }
        }
    }

    @Test
    void reopenKeepsEverythingAndToJsonDescribesTheVersion() throws Exception {
        Path home = tmp.resolve("home");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            reg.register("m", Bundles.bundle(tmp.resolve("b"), "1"), "staging", Map.of("k", "v"), "t");
            reg.setAlias("m", "champion", 1, "t");
        }
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            var json = reg.get("m@champion").toJson();
            assertEquals("m:1", json.get("model_id").asText());
            assertEquals("staging", json.get("stage").asText());
            assertEquals("champion", json.get("aliases").get(0).asText());
            assertEquals("v", json.get("tags").get("k").asText());
            assertEquals(3, json.get("manifest").size());
            assertEquals(64, json.get("content_id").asText().length());
            assertTrue(reg.verify().intact());
        }
    }

    @Test
    void defaultHomeHonoursTheSystemProperty() {
        String old = System.getProperty("modelwork.home");
        try {
            System.setProperty("modelwork.home", tmp.toString());
            assertEquals(tmp, ModelRegistry.defaultHome());
            System.clearProperty("modelwork.home");
            if (System.getenv("MODELWORK_HOME") == null) {
                assertEquals(Path.of(System.getProperty("user.home"), ".modelwork"), ModelRegistry.defaultHome());
            }
        } finally {
            if (old == null) System.clearProperty("modelwork.home"); else System.setProperty("modelwork.home", old);
        }
    }
}
