package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad input at every boundary: each case gets a {@link ModelworkException} that says what is wrong, where and how to
 * fix it, and leaves nothing half-written (the step is not recorded, no report file, no partial checkpoint).
 */
class BadInputTest {

    static final Path IRIS = Assets.data("classification/iris.csv");
    static final Path CONCRETE = Assets.data("regression/modeldata_concrete.csv");

    static Session configured(Path tmp) {
        Session s = Session.create(tmp);
        s.configure(Args.of("seed", 5, "threads", 2, "run_dir", tmp.resolve("run").toString(), "progress", false));
        return s;
    }

    static ModelworkException fails(Executable e) {
        return assertThrows(ModelworkException.class, e);
    }

    static void contains(String text, String... parts) {
        for (String p : parts) assertTrue(text.contains(p), "expected '" + p + "' in: " + text);
    }

    /** The failed step is not recorded and wrote no report. */
    static void nothingRecorded(Session s, Step step) {
        assertFalse(s.hasRun(step), step + " must not be recorded after a failure");
        assertFalse(Files.exists(s.context().runDir().resolve("reports").resolve(step.key() + ".json")),
                step + " must not leave a report file");
    }

    static Path csv(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    // ------------------------------------------------------------------ attach

    @Test
    void missingTargetColumnListsTheColumns(@TempDir Path tmp) {
        try (Session s = configured(tmp)) {
            ModelworkException e = fails(() -> s.attachDataset(Args.of("path", IRIS.toString(), "target", "Species")));
            contains(e.what(), "'Species'", "target", "no such column");
            contains(e.where(), "iris.csv");
            contains(e.fix(), "petal length (cm)", "did you mean 'species'");
            nothingRecorded(s, Step.ATTACH_DATASET);
            // the session is still usable: the corrected call works
            s.attachDataset(Args.of("path", IRIS.toString(), "target", "species"));
            assertTrue(s.hasRun(Step.ATTACH_DATASET));
        }
    }

    @Test
    void targetWithMissingValuesNamesColumnAndRowAndDropWorks(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 40; i++) sb.append(i).append(',').append(i % 7).append(',').append(i == 12 || i == 30 ? "" : (i % 2 == 0 ? "a" : "b")).append('\n');
        Path f = csv(tmp, "holes.csv", sb.toString());
        try (Session s = configured(tmp)) {
            ModelworkException e = fails(() -> s.attachDataset(Args.of("path", f.toString(), "target", "y")));
            contains(e.what(), "'y'", "2 missing");
            contains(e.where(), "holes.csv", "column 'y'", "row 13");
            contains(e.fix(), "drop_missing_target=true");
            nothingRecorded(s, Step.ATTACH_DATASET);
            StepReport r = s.attachDataset(Args.of("path", f.toString(), "target", "y", "drop_missing_target", true));
            assertEquals(38, s.state(TabularState.class).dataset().rows());
            assertTrue(r.toJson().toString().contains("drop_missing_target=true"), "the drop is reported");
        }
    }

    @Test
    void nonNumericValueInDeclaredNumericColumnNamesColumnAndRow(@TempDir Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder("size,color,y\n");
        for (int i = 0; i < 20; i++) sb.append(i == 7 ? "big" : Integer.toString(i)).append(",red,").append(i * 1.5).append('\n');
        Path f = csv(tmp, "typed.csv", sb.toString());
        try (Session s = configured(tmp)) {
            ModelworkException e = fails(() -> s.attachDataset(Args.of("path", f.toString(), "target", "y", "types", "size:numeric")));
            contains(e.what(), "'big'", "'size'");
            contains(e.where(), "typed.csv", "column 'size'", "row 8");
            contains(e.fix(), "types=size:categorical");
            nothingRecorded(s, Step.ATTACH_DATASET);
        }
    }

    @Test
    void emptyHeaderOnlyAndMissingFiles(@TempDir Path tmp) throws IOException {
        Path empty = csv(tmp, "empty.csv", "");
        Path header = csv(tmp, "header.csv", "a,b,y\n");
        Path missing = tmp.resolve("nope").resolve("missing.csv");
        try (Session s = configured(tmp)) {
            ModelworkException e1 = fails(() -> s.attachDataset(Args.of("path", empty.toString(), "target", "y")));
            contains(e1.what(), "empty");
            contains(e1.where(), "empty.csv");
            assertFalse(e1.fix().isBlank());
            ModelworkException e2 = fails(() -> s.attachDataset(Args.of("path", header.toString(), "target", "y")));
            contains(e2.what(), "header", "no data rows");
            contains(e2.where(), "header.csv");
            contains(e2.fix(), "add data rows");
            ModelworkException e3 = fails(() -> s.attachDataset(Args.of("path", missing.toString(), "target", "y")));
            contains(e3.what(), "does not exist");
            contains(e3.where(), "missing.csv");
            contains(e3.fix(), "check the path");
            nothingRecorded(s, Step.ATTACH_DATASET);
            assertFalse(Files.exists(missing.getParent()), "a failed attach creates nothing");
        }
    }

    // ------------------------------------------------------------------ JDBC

    /** iris in a real SQLite file, table {@code iris}, same column names as the CSV. */
    static Path irisSqlite(Path tmp) throws Exception {
        Path db = tmp.resolve("iris.db");
        List<String> lines = Files.readAllLines(IRIS);
        String[] cols = lines.get(0).split(",");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement st = c.createStatement()) {
                StringBuilder ddl = new StringBuilder("CREATE TABLE iris (");
                for (int i = 0; i < cols.length; i++)
                    ddl.append(i > 0 ? ", " : "").append('"').append(cols[i]).append("\" ").append(i < 4 ? "REAL" : "TEXT");
                st.execute(ddl.append(')').toString());
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO iris VALUES (?,?,?,?,?)")) {
                for (String line : lines.subList(1, lines.size())) {
                    if (line.isBlank()) continue;
                    String[] v = line.split(",");
                    for (int i = 0; i < 4; i++) ps.setDouble(i + 1, Double.parseDouble(v[i]));
                    ps.setString(5, v[4]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return db;
    }

    @Test
    void jdbcQueryOnAMissingTableFails(@TempDir Path tmp) throws Exception {
        Path db = irisSqlite(tmp);
        try (Session s = configured(tmp)) {
            ModelworkException e = fails(() -> s.attachDataset(Args.of("path", "jdbc:sqlite:" + db,
                    "query", "SELECT * FROM flowers", "target", "species")));
            contains(e.what(), "JDBC query failed", "flowers");
            contains(e.where(), "jdbc:sqlite:", "iris.db", "SELECT * FROM flowers");
            contains(e.fix(), "table");
            nothingRecorded(s, Step.ATTACH_DATASET);
            ModelworkException noQuery = fails(() -> s.attachDataset(Args.of("path", "jdbc:sqlite:" + db, "target", "species")));
            contains(noQuery.what(), "needs a query");
            contains(noQuery.fix(), "query=");
        }
    }

    @Test
    void jdbcAttachFromSqliteTrainsLikeTheCsv(@TempDir Path tmp) throws Exception {
        Path db = irisSqlite(tmp);
        try (Session s = configured(tmp)) {
            StepReport at = s.attachDataset(Args.of("path", "jdbc:sqlite:" + db, "query", "SELECT * FROM iris", "target", "species"));
            var ds = s.state(TabularState.class).dataset();
            assertEquals(150, ds.rows());
            assertEquals(5, ds.table().columnCount());
            assertEquals(3, s.state(TabularState.class).dataset().table().column("species").countUnique());
            assertEquals(64, at.body().get("fingerprint").asText().length());
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "classification.lightgbm"));
            s.fit(Args.of("rounds", 200, "early_stopping", 30));
            StepReport ev = s.evaluate(Args.empty());
            double acc = ev.body().get("metrics").get("test").get("accuracy").asDouble();
            assertTrue(acc >= 0.85, "iris from SQLite test accuracy " + acc);
        }
    }

    // ------------------------------------------------------------------ split

    @Test
    void splitThatLeavesAClassOutOfASetIsRefused(@TempDir Path tmp) throws IOException {
        // iris is sorted by species: a row-ordered time split puts only virginica in validation and test
        try (Session s = configured(tmp)) {
            s.attachDataset(Args.of("path", IRIS.toString(), "target", "species"));
            s.prepareData(Args.empty());
            ModelworkException e = fails(() -> s.split(Args.of("strategy", "time", "order", "row")));
            contains(e.what(), "validation set has no row of class 'setosa'");
            contains(e.where(), "split", "time");
            contains(e.fix(), "stratify=true");
            nothingRecorded(s, Step.SPLIT);
            ModelworkException build = fails(() -> s.build(Args.empty()));
            contains(build.fix(), "run split first");
        }
        // a class with one row cannot be in three sets, stratified or not
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 30; i++) sb.append(i).append(',').append(i % 5).append(',').append(i == 17 ? "rare" : i % 2 == 0 ? "x" : "z").append('\n');
        Path f = csv(tmp, "rare.csv", sb.toString());
        for (boolean stratify : new boolean[]{false, true})
            try (Session s = Session.create(tmp)) {
                s.configure(Args.of("seed", 5, "threads", 2, "run_dir", tmp.resolve("rare-" + stratify).toString(), "progress", false));
                s.attachDataset(Args.of("path", f.toString(), "target", "y"));
                s.prepareData(Args.empty());
                ModelworkException e = fails(() -> s.split(Args.of("stratify", stratify)));
                contains(e.what(), "no row of class 'rare'");
                contains(e.where(), "holdout");
                nothingRecorded(s, Step.SPLIT);
            }
    }

    // ------------------------------------------------------------------ session misuse

    @Test
    void outOfOrderStepsNameTheFirstMissingStep(@TempDir Path tmp) {
        try (Session s = Session.create(tmp)) {
            ModelworkException e0 = fails(() -> s.attachDataset(Args.of("path", IRIS.toString(), "target", "species")));
            contains(e0.what(), "attach_dataset", "configure has not run");
            contains(e0.fix(), "run configure first");
        }
        try (Session s = configured(tmp)) {
            ModelworkException e1 = fails(() -> s.fit(Args.of("rounds", 10)));
            contains(e1.what(), "fit cannot run yet", "build has not run");
            contains(e1.where(), "fit");
            contains(e1.fix(), "run attach_dataset first", "then the steps up to build");
            s.attachDataset(Args.of("path", IRIS.toString(), "target", "species"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            ModelworkException e2 = fails(() -> s.fit(Args.of("rounds", 10)));
            contains(e2.fix(), "run build first");
            assertFalse(e2.fix().contains("then the steps"), e2.fix());
            ModelworkException e3 = fails(() -> s.evaluate(Args.empty()));
            contains(e3.fix(), "run build first");
            ModelworkException e4 = fails(() -> s.export(Args.empty()));
            contains(e4.what(), "export", "fit has not run");
            nothingRecorded(s, Step.FIT);
            nothingRecorded(s, Step.EVALUATE);
        }
    }

    @Test
    void unknownArgumentKeyListsTheValidKeys(@TempDir Path tmp) {
        try (Session s = configured(tmp)) {
            ModelworkException e = fails(() -> s.attachDataset(Args.of("path", IRIS.toString(), "traget", "species")));
            contains(e.what(), "Unknown argument 'traget'", "attach_dataset");
            contains(e.fix(), "did you mean 'target'", "valid keys", "path", "drop_missing_target");
            nothingRecorded(s, Step.ATTACH_DATASET);
            s.attachDataset(Args.of("path", IRIS.toString(), "target", "species"));
            s.prepareData(Args.empty());
            ModelworkException e2 = fails(() -> s.split(Args.parse("strategy=holdout ratio=0.8,0.2")));
            contains(e2.what(), "'ratio'");
            contains(e2.where(), "split", "ratio=0.8,0.2");
            contains(e2.fix(), "did you mean 'ratios'", "stratify");
            ModelworkException e3 = fails(() -> Session.create(tmp).configure(Args.of("seeed", 1)));
            contains(e3.fix(), "did you mean 'seed'", "run_dir");
        }
    }

    @Test
    void closedSessionIsRefused(@TempDir Path tmp) {
        Session s = configured(tmp);
        s.attachDataset(Args.of("path", IRIS.toString(), "target", "species"));
        s.close();
        s.close(); // idempotent
        assertTrue(s.isClosed());
        ModelworkException e = fails(() -> s.prepareData(Args.empty()));
        contains(e.what(), "closed");
        contains(e.where(), "prepare_data");
        contains(e.fix(), "new session");
        contains(fails(() -> s.configure(Args.of("seed", 1))).what(), "closed");
        contains(fails(() -> s.saveCheckpoint("x")).what(), "closed");
        contains(fails(() -> s.resume(Args.of("id", "x", "run_dir", tmp.toString()))).what(), "closed");
        assertFalse(Files.exists(s.context().runDir().resolve("checkpoints")));
    }

    // ------------------------------------------------------------------ checkpoints

    static String fittedCheckpoint(Path tmp, Path runDir) {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 5, "threads", 2, "run_dir", runDir.toString(), "progress", false));
            s.attachDataset(Args.of("path", IRIS.toString(), "target", "species"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "classification.lightgbm"));
            s.fit(Args.of("rounds", 50, "early_stopping", 10));
            return s.saveCheckpoint("after-fit").body().get("checkpoint_id").asText();
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> st = Files.walk(from)) {
            for (Path p : st.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
    }

    @Test
    void corruptCheckpointIsRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        Path runDir = tmp.resolve("run");
        String id = fittedCheckpoint(tmp, runDir);
        Path ck = runDir.resolve("checkpoints").resolve(id);
        assertTrue(Files.exists(ck.resolve("artifact_manifest.json")));
        try (Stream<Path> st = Files.list(runDir.resolve("checkpoints"))) {
            assertTrue(st.noneMatch(p -> p.getFileName().toString().contains(".partial")), "no staging folder is left behind");
        }
        // a good copy resumes
        try (Session s = Session.create(tmp)) {
            StepReport r = s.resume(Args.of("id", id, "run_dir", runDir.toString()));
            assertEquals(id, r.body().get("checkpoint_id").asText());
            s.evaluate(Args.empty());
        }
        // flip one byte of the saved model
        Path model = ck.resolve("state").resolve("model.txt");
        assertTrue(Files.exists(model), "LightGBM model file in the checkpoint");
        byte[] b = Files.readAllBytes(model);
        b[b.length / 2] ^= 0x01;
        Files.write(model, b);
        try (Session s = Session.create(tmp)) {
            ModelworkException e = fails(() -> s.resume(Args.of("id", id, "run_dir", runDir.toString())));
            contains(e.what(), "damaged", "state/model.txt", "SHA-256");
            contains(e.where(), id);
            contains(e.fix(), "another checkpoint");
            assertFalse(s.hasRun(Step.RESUME));
            assertFalse(s.hasRun(Step.FIT));
        }
        // a deleted file is named too (the model byte flipped back first)
        b[b.length / 2] ^= 0x01;
        Files.write(model, b);
        Files.delete(ck.resolve("state").resolve("tabular.json"));
        try (Session s = Session.create(tmp)) {
            ModelworkException e = fails(() -> s.resume(Args.of("id", id, "run_dir", runDir.toString())));
            contains(e.what(), "tabular.json", "missing");
        }
        // and an unknown id
        try (Session s = Session.create(tmp)) {
            ModelworkException e = fails(() -> s.resume(Args.of("id", "nope-001", "run_dir", runDir.toString())));
            contains(e.what(), "No checkpoint", "nope-001");
            contains(e.fix(), "run_dir");
        }
    }

    @Test
    void halfWrittenCheckpointIsRefused(@TempDir Path tmp) throws IOException {
        Path runDir = tmp.resolve("run");
        String id = fittedCheckpoint(tmp, runDir);
        Path root = runDir.resolve("checkpoints");
        // a folder without its manifest (the manifest is written last)
        Path noManifest = root.resolve("no-manifest-009");
        copyTree(root.resolve(id), noManifest);
        Files.delete(noManifest.resolve("artifact_manifest.json"));
        try (Session s = Session.create(tmp)) {
            ModelworkException e = fails(() -> s.resume(Args.of("id", "no-manifest-009", "run_dir", runDir.toString())));
            contains(e.what(), "artifact_manifest.json", "incomplete");
            contains(e.where(), "no-manifest-009");
        }
        // a staging folder left by a killed save (even one whose manifest was already written) is not a checkpoint
        Path staging = root.resolve("." + id.replace("001", "002") + ".partial-12345");
        copyTree(root.resolve(id), staging);
        try (Session s = Session.create(tmp)) {
            ModelworkException e = fails(() -> s.resume(Args.of("path", staging.toString())));
            contains(e.what(), "staging");
            contains(e.where(), ".partial-12345");
            contains(e.fix(), "another checkpoint");
        }
        Files.delete(staging.resolve("artifact_manifest.json"));
        try (Session s = Session.create(tmp)) {
            fails(() -> s.resume(Args.of("id", staging.getFileName().toString(), "run_dir", runDir.toString())));
        }
        // resume refuses a session that already ran steps
        try (Session s = configured(tmp)) {
            ModelworkException e = fails(() -> s.resume(Args.of("id", id, "run_dir", runDir.toString())));
            contains(e.what(), "fresh session");
        }
    }

    @Test
    void killedFitThenResumeGivesTheUninterruptedResult(@TempDir Path tmp) throws Exception {
        Path runDir = tmp.resolve("killed-run");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                KilledFitMain.class.getName(), runDir.toString(), CONCRETE.toString(), "40");
        pb.redirectErrorStream(true);
        Path log = tmp.resolve("child.log");
        pb.redirectOutput(log.toFile());
        Process child = pb.start();
        Path best = runDir.resolve("checkpoints").resolve("fit-best").resolve("state").resolve("model.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (!Files.exists(best)) {
                assertTrue(child.isAlive(), "child ended before the fit started:\n" + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "fit never started:\n" + Files.readString(log));
                Thread.sleep(20);
            }
            Thread.sleep(300); // a few iterations in
        } finally {
            child.destroyForcibly();
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        String out = Files.readString(log);
        assertTrue(out.contains("CHECKPOINT before-fit-001"), out);
        assertFalse(out.contains("FIT DONE"), "the child must be killed mid-fit:\n" + out);

        // the uninterrupted reference, in its own run directory
        double refR2, refRmse;
        try (Session ref = KilledFitMain.prepared(tmp, tmp.resolve("reference-run"), CONCRETE)) {
            ref.fit(KilledFitMain.FIT);
            StepReport ev = ref.evaluate(Args.empty());
            refR2 = ev.body().get("metrics").get("test").get("r2").asDouble();
            refRmse = ev.body().get("metrics").get("test").get("rmse").asDouble();
        }
        // resume the checkpoint saved before the fit, fit again with the same arguments
        try (Session s = Session.create(tmp)) {
            s.progress(io.modelwork.core.Progress.silent());
            StepReport r = s.resume(Args.of("id", "before-fit-001", "run_dir", runDir.toString()));
            assertFalse(s.hasRun(Step.FIT));
            assertTrue(s.hasRun(Step.BUILD));
            assertTrue(r.body().get("steps").toString().contains("build"));
            ModelworkException notYet = fails(() -> s.evaluate(Args.empty()));
            contains(notYet.fix(), "run fit first");
            s.fit(KilledFitMain.FIT);
            StepReport ev = s.evaluate(Args.empty());
            assertEquals(refR2, ev.body().get("metrics").get("test").get("r2").asDouble(), 0.0, "same seed → identical R²");
            assertEquals(refRmse, ev.body().get("metrics").get("test").get("rmse").asDouble(), 0.0);
            assertTrue(refR2 > 0.8, "concrete R² " + refR2);
        }
    }
}
