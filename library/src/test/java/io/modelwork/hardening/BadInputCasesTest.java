package io.modelwork.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.cli.Main;
import io.modelwork.core.*;
import io.modelwork.data.Attach;
import io.modelwork.data.FieldType;
import io.modelwork.recipe.Recipe;
import io.modelwork.registry.ModelRegistry;
import io.modelwork.registry.VerifyReport;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import io.modelwork.shared.BestCheckpoint;
import io.modelwork.shared.BundleWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.*;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every bad input and fault of issue 16 in one table: case name → what it does → the fragments its outcome must
 * contain. A case either raises a {@link ModelworkException} (its what/where/fix must contain the fragments) or returns
 * a text describing a correct result (which must contain them). Any other exception fails the case: no input may end
 * in a raw trace. The count of handled cases is {@link #CASES}{@code .size()}.
 */
class BadInputCasesTest {

    /** What a case does; returns a description of a correct result, or throws a ModelworkException. */
    interface Action { String run(Path tmp) throws Exception; }

    record Case(String name, Action action, List<String> expect) {
        @Override public String toString() { return name; }
    }

    static Case c(String name, Action a, String... expect) { return new Case(name, a, List.of(expect)); }

    static final Path IRIS = Assets.data("classification/iris.csv");

    static final List<Case> CASES = List.of(
            // ------------------------------------------------------------ 1–2 data loss
            c("resume.writes_a_fresh_run_dir_original_untouched", BadInputCasesTest::resumeDefault, "original unchanged", "fresh run dir"),
            c("resume.out_is_the_new_run_dir", BadInputCasesTest::resumeOut, "original unchanged", "reports/fit.json in out"),
            c("resume.out_inside_the_checkpoint_run_dir_is_refused", BadInputCasesTest::resumeOutInside,
                    "would write into the run directory of the checkpoint", "resume out"),
            c("resume.pipeline_with_--out_writes_there", BadInputCasesTest::resumePipeline, "original unchanged", "exit 0"),
            c("registry.db_truncated_to_0_bytes", BadInputCasesTest::registryTruncated, "empty (0 bytes)", "nothing was changed", "backup"),
            c("registry.db_deleted", BadInputCasesTest::registryDeleted, "missing", "restore registry.db"),
            c("registry.verify_unreferenced_blob", BadInputCasesTest::registryOrphanBlob, "FAILED", "not referenced by any version"),
            c("registry.verify_tmp_leftover", BadInputCasesTest::registryTmpLeftover, "FAILED", "leftover temporary file"),
            c("registry.newest_audit_row_deleted_and_head_rewritten", BadInputCasesTest::registryTailDeleted, "FAILED", "audit.head", "records 2:"),
            c("registry.audit_head_file_deleted", t -> { Path h = registryWithOneVersion(t); Files.delete(h.resolve("audit.head")); return verify(h); },
                    "FAILED", "audit.head", "is missing"),
            // ------------------------------------------------------------ 3–6 silently wrong
            c("libsvm.unsorted_indices_read_correctly", BadInputCasesTest::libsvmUnsorted, "f1=[7.0, 2.0]", "f3=[5.0, 0.0]"),
            c("libsvm.negative_index", t -> libsvm(t, "1 1:1 2:2\n0 -4:1\n"), "Bad libsvm index -4", ".libsvm:2", "start at 1"),
            c("libsvm.index_zero", t -> libsvm(t, "1 0:1 2:2\n"), "Bad libsvm index 0", ".libsvm:1"),
            c("libsvm.huge_index_no_hang", t -> libsvm(t, "1 1:1\n0 2000000000:0.1\n"), "above the column limit of 1000000", ".libsvm:2", "max_columns"),
            c("libsvm.column_limit_configurable", BadInputCasesTest::libsvmLimit, "above the column limit of 5", "max_columns=10 read 10 columns"),
            c("libsvm.repeated_index", t -> libsvm(t, "1 3:1 1:2 3:4\n"), "appears twice", ".libsvm:1"),
            c("csv.inf_in_feature_stays_numeric", BadInputCasesTest::infFeature, "type numeric", "2 infinite value(s)"),
            c("csv.inf_in_target_is_an_error_naming_rows", t -> attach(csv(t, "a,y\n1,2\n2,inf\n3,4\n4,-Infinity\n5,1\n"), "y"),
                    "target column 'y' has 2 infinite", "rows 2, 4"),
            c("csv.nan_in_feature_is_missing", BadInputCasesTest::nanFeature, "type numeric", "missing 2"),
            c("csv.latin1_bytes_detected_with_line", t -> attach(bytes(t, "x.csv", "a,b,y\n1,2,3\n4,caf\u00e9,1\n", StandardCharsets.ISO_8859_1), "y"),
                    "not valid UTF-8", "0xE9 at line 3", "encoding=latin-1"),
            c("csv.encoding_key_reads_latin1", BadInputCasesTest::latin1Encoding, "café"),
            // ------------------------------------------------------------ 9 data faults said before the engine
            c("engine.one_training_row", t -> fitOn(t, "a,b,y\n1,2,1.5\n2,1,2.5\n3,5,3.5\n4,4,4.5\n", "ratios=0.25,0.5,0.25"),
                    "training set has 1 row", "at least 2"),
            c("engine.no_feature_left", t -> fitOn(t, "a,y\n" + "1,1.5\n1,2.5\n1,3.5\n1,4.5\n1,5.5\n1,6.5\n1,7.5\n1,8.5\n1,9.5\n1,10.5\n", "ratios=0.6,0.2,0.2"),
                    "No feature is left"),
            c("engine.infinite_feature_named", t -> fitOn(t, "a,b,y\n1,2,1.5\n2,inf,2.5\n3,1,3.5\n4,2,4.5\n5,3,5.5\n6,1,6.5\n7,2,7.5\n8,9,8.5\n9,1,9.5\n10,2,10.5\n", "ratios=0.6,0.2,0.2"),
                    "Feature 'b' has an infinite value", "fit ("),
            c("recipe.duplicate_step", t -> parse(recipe("fit:\n  rounds: 5\n")), "Step 'fit' appears twice", "r.yaml:10"),
            c("recipe.duplicate_key_in_step", t -> parse(recipe("").replace("  rounds: 20\n", "  rounds: 20\n  rounds: 30\n")),
                    "Key 'rounds' appears twice", "r.yaml:9"),
            c("recipe.sequence_as_mapping_key", t -> parse(recipe("? [a, b]\n: 1\n")), "must be a plain word, not a sequence", "r.yaml:10"),
            c("recipe.sequence_as_argument_key", t -> parse(recipe("").replace("  rounds: 20\n", "  ? [a]\n  : 2\n")), "not a sequence", "r.yaml:8"),
            c("jdbc.missing_sqlite_file_creates_nothing", BadInputCasesTest::jdbcMissing, "does not exist", "no file was created", "and none was created"),
            c("recipe.threads_0", t -> parse(recipe("").replace("threads: 2", "threads: 0")), "threads", "r.yaml:3", "1..4096"),
            c("recipe.timeout_s_negative", t -> parse(recipe("").replace("threads: 2", "timeout_s: -3")), "timeout_s", "r.yaml:3", "≥ 0"),
            c("recipe.threads_overflow", t -> parse(recipe("").replace("threads: 2", "threads: 99999999999")), "threads", "r.yaml:3"),
            c("recipe.rounds_overflow", t -> parse(recipe("").replace("rounds: 20", "rounds: 99999999999")), "too large", "fit.rounds", "r.yaml:8"),
            c("recipe.rounds_0", t -> parse(recipe("").replace("rounds: 20", "rounds: 0")), "out of range", "fit.rounds", "r.yaml:8"),
            c("recipe.rounds_not_an_integer", t -> parse(recipe("").replace("rounds: 20", "rounds: 2.5")), "'2.5'", "fit.rounds", "r.yaml:8"),
            c("recipe.calibrate_alpha_1_5", t -> parse(recipe("calibrate:\n  alpha: 1.5\n")), "out of range", "calibrate.alpha", "r.yaml:11"),
            c("recipe.tabular_backtest_windows_0", t -> parse(recipe("backtest:\n  windows: 0\n")), "out of range", "backtest.windows", "r.yaml:11"),
            c("recipe.forecast_backtest_windows_0", t -> parse(forecastRecipe("backtest:\n  windows: 0\n")), "windows", "out of range", "r.yaml:8", "≥ 1"),
            c("recipe.seed_not_a_number", t -> parse(recipe("").replace("seed: 1", "seed: 99999999999999999999")), "seed", "r.yaml:2"),
            c("pipeline.prints_data_warnings", BadInputCasesTest::pipelineWarnings, "! column 'k' is constant", "exit 0"),
            // ------------------------------------------------------------ 7–8 crashes
            c("disk_full.atomic_write_cleans_up", BadInputCasesTest::diskFullAtomic, "no space left on", "needed ~3 MB", "no temporary file left"),
            c("disk_full.step_report_write", BadInputCasesTest::diskFullReport, "no space left on", "configure.json", "step not done, no temporary file"),
            c("disk_full.real_tmpfs_atomic_write_and_bundle", BadInputCasesTest::diskFullReal, "ATOMIC no space left on tmpfs", "needed ~3 MB",
                    "BUNDLE no space left on tmpfs", "partial checkpoint was removed", "LEFT []"),
            c("cli.unexpected_failure_prints_no_trace", BadInputCasesTest::cliCrash, "unexpected failure", "trace is in", "no stack frame on the console", "trace in the run log"),
            c("cli.bad_inputs_print_no_trace", BadInputCasesTest::cliBadInputs, "5 bad inputs", "no stack frame"),
            c("checkpoint.json_missing_a_key", t -> checkpointEdit(t, st -> st.remove("steps")), "checkpoint.json has no 'steps'"),
            c("checkpoint.json_context_missing_seed", t -> checkpointEdit(t, st -> ((ObjectNode) st.get("context")).remove("seed")), "has no 'seed'"),
            c("checkpoint.json_step_without_args", t -> checkpointEdit(t, st -> ((ObjectNode) st.get("steps").get(1)).remove("args")), "has no 'args'"),
            c("checkpoint.json_unknown_step", t -> checkpointEdit(t, st -> ((ObjectNode) st.get("steps").get(1)).put("step", "fitt")), "unknown step 'fitt'"),
            c("checkpoint.manifest_malformed_entry", BadInputCasesTest::manifestMalformed, "malformed at entry 1", "artifact_manifest.json"),
            c("checkpoint.manifest_not_json", BadInputCasesTest::manifestNotJson, "artifact_manifest.json is not valid JSON"),
            c("checkpoint.unlisted_model_file_not_loaded", BadInputCasesTest::unlistedFile, "not listed in its manifest"),
            c("checkpoint.fit_best_missing_says_there_is_none", BadInputCasesTest::fitBestMissing, "No checkpoint", "there is none"),
            // ------------------------------------------------------------ 9–10 unclear errors
            c("csv.ragged_row_names_the_line", t -> attach(csv(t, "a,b,y\n1,2,3\n4,5,6,7\n8,9,1\n"), "y"), "line 3", "4 fields but the header has 3", ".csv:3"),
            c("csv.short_row_names_the_line", t -> attach(csv(t, "a,b,y\n1,2,3\n4,5\n8,9,1\n"), "y"), "line 3", "2 fields"),
            c("csv.unclosed_quote_names_the_line", t -> attach(csv(t, "a,b,y\n1,\"2,3\n4,5,6\n8,9,1\n"), "y"), "line 2", "never closed"),
            c("csv.binary_garbage", t -> attach(bytes(t, "x.csv", "a,b,y\n1,2,3\n4,\u0000\u0001,5\n", StandardCharsets.ISO_8859_1), "y"), "binary data", "line 3"),
            c("recipe.missing_test_path", t -> parse(recipe("").replace("  target: species\n", "  target: species\n  test_path: nope.csv\n")),
                    "test data file does not exist", "r.yaml:7", "test_path"),
            c("recipe.unknown_spec", t -> parse(recipe("build:\n  spec: classification.lightgbn\n")), "Unknown model spec", "r.yaml:11", "did you mean 'classification.lightgbm'"),
            c("recipe.unknown_forecasting_spec", t -> parse(forecastRecipe("build:\n  spec: forecasting.autoarimx\n")),
                    "Unknown model spec", "r.yaml:8", "did you mean 'forecasting.autoarima'"),
            c("recipe.bad_register_name_characters", t -> parse(recipe("register:\n  name: my model/v1\n")), "invalid model name", "r.yaml:11"),
            c("recipe.register_name_too_long", t -> parse(recipe("register:\n  name: " + "m".repeat(101) + "\n")), "at most 100", "r.yaml:11"),
            c("recipe.split_ratios_do_not_sum_to_1", t -> parse(recipe("split:\n  ratios: [0.7, 0.2, 0.2]\n")), "sum to 1", "r.yaml:11", "split.ratios"),
            c("registry.name_too_long_at_register", BadInputCasesTest::registryLongName, "at most 100"),
            // ------------------------------------------------------------ 11 checkpoints
            c("checkpoint.user_numbering_from_001_skips_fit_best", BadInputCasesTest::numbering, "a-001", "b-002"),
            c("fit_best.real_checkpoint_resumable", BadInputCasesTest::fitBestResumable, "resumed fit-best", "accuracy"),
            c("fit_best.at_most_once_a_second_latest_kept", BadInputCasesTest::fitBestRate, "writes 1 then 1 then 2", "best_iteration 7"));

    static Stream<Arguments> cases() { return CASES.stream().map(x -> Arguments.of(x.name(), x)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handled(String name, Case c, @TempDir Path tmp) {
        String outcome;
        try {
            outcome = c.action().run(tmp);
        } catch (ModelworkException e) {
            outcome = "ERROR " + e.getMessage();
        } catch (org.opentest4j.TestAbortedException e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(name + ": raw " + e.getClass().getName() + " instead of a clear error or a correct result", e);
        } finally {
            AtomicFilesFaults.clear();
        }
        for (String f : c.expect()) assertTrue(outcome.contains(f), name + ": expected '" + f + "' in:\n" + outcome);
    }

    // ---------------------------------------------------------------- fixtures

    private static Path shared;
    private static Path fittedRun;
    private static String fittedId;

    /** One fitted iris run with a checkpoint (read-only for the cases: they copy it before changing it). */
    static synchronized Path fitted() throws IOException {
        if (fittedRun == null) {
            shared = Files.createTempDirectory("modelwork-hardening-");
            fittedRun = shared.resolve("run");
            try (Session s = Session.create(shared)) {
                s.progress(Progress.silent());
                s.configure(Args.of("seed", 7, "threads", 1, "run_dir", fittedRun.toString()));
                s.attachDataset(Args.of("path", IRIS.toString(), "target", "species"));
                s.prepareData(Args.empty());
                s.split(Args.empty());
                s.build(Args.of("spec", "classification.lightgbm"));
                s.fit(Args.of("rounds", 20, "early_stopping", 5));
                s.evaluate(Args.empty());
                fittedId = s.saveCheckpoint("after-fit").body().get("checkpoint_id").asText();
            }
        }
        return fittedRun;
    }

    @AfterAll
    static void cleanup() { if (shared != null) AtomicFiles.deleteTree(shared); }

    static Path copyOfFitted(Path tmp) throws IOException {
        Path src = fitted(), dst = tmp.resolve("copy-run");
        try (Stream<Path> st = Files.walk(src)) {
            for (Path p : st.toList()) {
                Path q = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q); else Files.copy(p, q);
            }
        }
        return dst;
    }

    /** SHA-256 of every file under a folder (relative path → hash). */
    static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> st = Files.walk(dir)) {
            for (Path p : st.filter(Files::isRegularFile).toList()) m.put(dir.relativize(p).toString(), AtomicFiles.sha256(p));
        }
        return m;
    }

    static String recipe(String extra) {
        return "configure:\n  seed: 1\n  threads: 2\n"
                + "attach_dataset:\n  path: " + IRIS + "\n  target: species\n"
                + "fit:\n  rounds: 20\n  early_stopping: 5\n" + extra;
    }

    static String forecastRecipe(String extra) {
        return "configure:\n  seed: 1\nattach_dataset:\n  path: " + Assets.data("forecasting/R_AirPassengers.csv")
                + "\n  value: value\n  time: time\n" + extra;
    }

    static String parse(String text) {
        Recipe.parse(text, "r.yaml", null);
        return "parsed without error";
    }

    static Path csv(Path tmp, String content) throws IOException { return bytes(tmp, "x.csv", content, StandardCharsets.UTF_8); }

    static Path bytes(Path tmp, String name, String content, java.nio.charset.Charset cs) throws IOException {
        Path f = tmp.resolve(name);
        Files.write(f, content.getBytes(cs));
        return f;
    }

    static String attach(Path file, String target) {
        Attach.Result r = Attach.attach(Args.of("path", file.toString(), "target", target), null);
        return "attached " + r.dataset().rows() + " rows";
    }

    /** configure → fit on a small CSV (target y, XGBoost regression); returns "fitted" or throws. */
    static String fitOn(Path tmp, String content, String split) throws IOException {
        Path f = csv(tmp, content);
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("run_dir", tmp.resolve("fit-run").toString(), "threads", 1));
            s.attachDataset(Args.of("path", f.toString(), "target", "y"));
            s.prepareData(Args.empty());
            s.split(Args.parse(split));
            s.build(Args.of("spec", "regression.xgboost"));
            s.fit(Args.of("rounds", 5));
            return "fitted";
        }
    }

    static String libsvm(Path tmp, String content) throws IOException {
        Path f = bytes(tmp, "x.libsvm", content, StandardCharsets.UTF_8);
        Attach.attach(Args.of("path", f.toString()), null);
        return "read";
    }

    // ---------------------------------------------------------------- 1. resume

    static Session resumed(Path root, Object... extra) throws IOException {
        Path run = fitted();
        Session s = Session.create(root);
        s.progress(Progress.silent());
        List<Object> kv = new ArrayList<>(List.of("id", fittedId, "run_dir", run.toString()));
        kv.addAll(List.of(extra));
        s.resume(Args.of(kv.toArray()));
        return s;
    }

    static String resumeDefault(Path tmp) throws IOException {
        Map<String, String> before = hashes(fitted());
        Path runDir;
        try (Session s = resumed(tmp)) {
            s.fit(Args.of("rounds", 30, "early_stopping", 5));
            s.evaluate(Args.empty());
            runDir = s.context().runDir();
        }
        assertEquals(before, hashes(fitted()), "the checkpoint's run directory was modified");
        assertTrue(runDir.startsWith(tmp.toAbsolutePath()) && Files.exists(runDir.resolve("reports/evaluate.json")), runDir.toString());
        assertTrue(Files.exists(runDir.resolve("reports/attach_dataset.json")), "restored reports copied into the new run dir");
        return "original unchanged, fresh run dir " + runDir;
    }

    static String resumeOut(Path tmp) throws IOException {
        Map<String, String> before = hashes(fitted());
        Path out = tmp.resolve("resumed");
        try (Session s = resumed(tmp, "out", out.toString())) {
            s.fit(Args.of("rounds", 30, "early_stopping", 5));
        }
        assertEquals(before, hashes(fitted()));
        assertTrue(Files.exists(out.resolve("reports/fit.json")));
        return "original unchanged, reports/fit.json in out";
    }

    static String resumeOutInside(Path tmp) throws IOException {
        try (Session s = resumed(tmp, "out", fitted().resolve("again").toString())) {
            return "resumed";
        }
    }

    static String resumePipeline(Path tmp) throws IOException {
        Map<String, String> before = hashes(fitted());
        Path r = tmp.resolve("resume.yaml");
        Files.writeString(r, "resume:\n  id: " + fittedId + "\n  run_dir: " + fitted() + "\nfit:\n  rounds: 25\nevaluate: {}\n");
        Path out = tmp.resolve("out");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Main.run(new String[]{"pipeline", r.toString(), "--out", out.toString()}, new PrintStream(o), new PrintStream(e));
        assertEquals(0, rc, e.toString());
        assertEquals(before, hashes(fitted()));
        assertTrue(Files.exists(out.resolve("reports/fit.json")) && Files.exists(out.resolve("reports/evaluate.json")));
        return "original unchanged, exit " + rc;
    }

    // ---------------------------------------------------------------- 2. registry

    static Path registryWithOneVersion(Path tmp) throws IOException {
        Path home = tmp.resolve("home");
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("model.txt"), "a model");
        Files.writeString(bundle.resolve("signature.json"), "{}");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            reg.register("m", bundle, "none", Map.of(), "test");
            reg.promote("m", 1, "staging", "test");
        }
        return home;
    }

    static String registryTruncated(Path tmp) throws IOException {
        Path home = registryWithOneVersion(tmp);
        for (String f : new String[]{"registry.db-wal", "registry.db-shm"}) Files.deleteIfExists(home.resolve(f));
        Files.write(home.resolve("registry.db"), new byte[0]);
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            return "opened: " + reg.list(null).size() + " versions";
        } finally {
            assertEquals(0, Files.size(home.resolve("registry.db")), "the emptied database is left as it is");
        }
    }

    static String registryDeleted(Path tmp) throws IOException {
        Path home = registryWithOneVersion(tmp);
        for (String f : new String[]{"registry.db", "registry.db-wal", "registry.db-shm"}) Files.deleteIfExists(home.resolve(f));
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            return "opened: " + reg.list(null).size() + " versions";
        }
    }

    static String verify(Path home) {
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            VerifyReport v = reg.verify();
            return v.summary() + " " + v.problems();
        }
    }

    static String registryOrphanBlob(Path tmp) throws Exception {
        Path home = registryWithOneVersion(tmp);
        assertTrue(verify(home).contains("registry intact"));
        byte[] content = "orphan".getBytes(StandardCharsets.UTF_8);
        String h = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content)) ;
        Path blob = home.resolve("artifacts/sha256").resolve(h.substring(0, 2)).resolve(h.substring(2));
        Files.createDirectories(blob.getParent());
        Files.write(blob, content);
        return verify(home);
    }

    static String registryTmpLeftover(Path tmp) throws IOException {
        Path home = registryWithOneVersion(tmp);
        Files.writeString(home.resolve("artifacts/tmp/blob-123.tmp"), "half");
        return verify(home);
    }

    static String registryTailDeleted(Path tmp) throws Exception {
        Path home = registryWithOneVersion(tmp);
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("registry.db")); var s = c.createStatement()) {
            s.execute("DROP TRIGGER audit_no_delete");
            s.execute("DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)");
            s.execute("CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END");
            s.execute("UPDATE meta SET value = (SELECT seq || ':' || hash FROM audit ORDER BY seq DESC LIMIT 1) WHERE key = 'audit_head'");
            s.execute("UPDATE versions SET stage = 'none'");
        }
        return verify(home);
    }

    static String registryLongName(Path tmp) throws IOException {
        Path bundle = tmp.resolve("b");
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("x"), "x");
        try (ModelRegistry reg = ModelRegistry.open(tmp.resolve("home"))) {
            return reg.register("n".repeat(101), bundle, "none", Map.of(), "t").modelId();
        }
    }

    // ---------------------------------------------------------------- 3–6 readers, recipe, pipeline

    static String libsvmUnsorted(Path tmp) throws IOException {
        Path f = bytes(tmp, "u.libsvm", "1 3:5.0 1:7.0\n0 1:2.0 2:1.0\n", StandardCharsets.UTF_8);
        var t = Attach.attach(Args.of("path", f.toString()), null).dataset().table();
        return "f1=" + Arrays.toString(t.doubleColumn("f1").asDoubleArray()) + " f3=" + Arrays.toString(t.doubleColumn("f3").asDoubleArray());
    }

    static String libsvmLimit(Path tmp) throws IOException {
        Path f = bytes(tmp, "w.libsvm", "1 1:1 6:1 10:2\n0 2:1 3:1 4:1 5:1 7:1 8:1 9:1\n", StandardCharsets.UTF_8);
        String err;
        try {
            Attach.attach(Args.of("path", f.toString(), "max_columns", 5), null);
            err = "no error";
        } catch (ModelworkException e) {
            err = e.getMessage();
        }
        int cols = Attach.attach(Args.of("path", f.toString(), "max_columns", 10), null).dataset().table().columnCount() - 1;
        return err + "; max_columns=10 read " + cols + " columns";
    }

    static String infFeature(Path tmp) throws IOException {
        Path f = csv(tmp, "a,b,y\n1,0.5,1.5\ninf,0.7,2.5\n3,0.1,3.5\n-inf,0.2,4.5\n5,0.9,5.5\n6,1.1,6.5\n");
        Attach.Result r = Attach.attach(Args.of("path", f.toString(), "target", "y"), null);
        FieldType t = r.dataset().schema().field("a").type();
        return "type " + t.key() + " task " + r.dataset().task() + " " + r.report().notes();
    }

    static String nanFeature(Path tmp) throws IOException {
        Path f = csv(tmp, "a,b,y\n1,0.5,1.5\nNaN,0.7,2.5\n3,0.1,3.5\nnan,0.2,4.5\n5,0.9,5.5\n");
        Attach.Result r = Attach.attach(Args.of("path", f.toString(), "target", "y"), null);
        return "type " + r.dataset().schema().field("a").type().key() + " missing " + r.dataset().table().column("a").countMissing();
    }

    static String latin1Encoding(Path tmp) throws IOException {
        Path f = bytes(tmp, "l.csv", "a,b,y\n1,café,3\n4,thé,1\n5,café,2\n", StandardCharsets.ISO_8859_1);
        var t = Attach.attach(Args.of("path", f.toString(), "target", "y", "encoding", "latin-1"), null).dataset().table();
        return t.column("b").getString(0);
    }

    static String jdbcMissing(Path tmp) {
        Path db = tmp.resolve("nope.db");
        try {
            Attach.attach(Args.of("path", "jdbc:sqlite:" + db, "query", "SELECT * FROM t", "target", "y"), null);
            return "attached";
        } catch (ModelworkException e) {
            return e.getMessage() + (Files.exists(db) ? " but the file was created" : " and none was created");
        }
    }

    static String pipelineWarnings(Path tmp) throws IOException {
        StringBuilder sb = new StringBuilder("a,k,y\n");
        for (int i = 0; i < 60; i++) sb.append(i % 7).append(",1,").append(i % 2 == 0 ? "yes" : "no").append('\n');
        Path data = csv(tmp, sb.toString());
        Path r = tmp.resolve("w.yaml");
        Files.writeString(r, "configure: {seed: 1, threads: 1}\nattach_dataset: {path: " + data + ", target: y}\nfit: {rounds: 5}\n");
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Main.run(new String[]{"pipeline", r.toString(), "--out", tmp.resolve("out").toString()}, new PrintStream(o), new PrintStream(e));
        return o + "\n" + e + "\nexit " + rc;
    }

    // ---------------------------------------------------------------- 7–8 crashes

    static String diskFullAtomic(Path tmp) throws IOException {
        Path target = tmp.resolve("big.bin");
        AtomicFilesFaults.diskFullFor("big.bin");
        String msg;
        try {
            AtomicFiles.write(target, new byte[(5 << 19)]);   // 2.5 MB
            msg = "written";
        } catch (ModelworkException e) {
            msg = e.getMessage();
        }
        try (Stream<Path> s = Files.list(tmp)) {
            List<Path> left = s.toList();
            return msg + (left.isEmpty() ? "; no temporary file left" : "; left: " + left);
        }
    }

    static String diskFullReport(Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        AtomicFilesFaults.diskFullFor("configure.json");
        String msg;
        try (Session s = Session.create(tmp)) {
            try {
                s.configure(Args.of("run_dir", run.toString()));
                msg = "configured";
            } catch (ModelworkException e) {
                msg = e.getMessage() + (s.hasRun(Step.CONFIGURE) ? "; step marked done" : "; step not done");
            }
        }
        try (Stream<Path> st = Files.list(run.resolve("reports"))) {
            return msg + (st.findAny().isEmpty() ? ", no temporary file" : ", files left in reports/");
        }
    }

    /**
     * A real full disk: a 2 MB tmpfs mounted in a user namespace ({@code unshare -rm}), a child JVM writing 3 MB
     * through AtomicFiles and through a BundleWriter there. Skipped where user namespaces are not available.
     */
    static String diskFullReal(Path tmp) throws Exception {
        Path mnt = tmp.resolve("mnt");
        Files.createDirectories(mnt);
        boolean unshare;
        try {
            Process p = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true).start();
            unshare = p.waitFor() == 0;
        } catch (IOException e) {
            unshare = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(unshare, "unshare -rm (user namespaces) is not available here");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = "mount -t tmpfs -o size=2m tmpfs '" + mnt + "' && exec '" + javaBin + "' -cp '" + System.getProperty("java.class.path")
                + "' " + FullDiskMain.class.getName() + " '" + mnt + "'";
        Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(out.contains("\tat "), out);
        return out;
    }

    static String cliCrash(Path tmp) throws IOException {
        Path log = tmp.resolve("run.log.jsonl");
        Files.writeString(log, "");
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        Main.printCrash(new IllegalStateException("boom"), new PrintStream(e), log);
        String err = e.toString();
        String logText = Files.readString(log);
        return err + (err.contains("\tat ") ? "" : " no stack frame on the console")
                + (logText.contains("IllegalStateException") && logText.contains("\"trace\"") ? " trace in the run log" : "");
    }

    static String cliBadInputs(Path tmp) throws IOException {
        List<String> recipes = List.of(
                recipe("fit:\n  rounds: 5\n"),
                recipe("? [a, b]\n: 1\n"),
                recipe("").replace(IRIS.toString(), csv(tmp, "a,b,y\n1,2,3\n4,5,6,7\n").toString()).replace("species", "y"),
                recipe("").replace("threads: 2", "threads: 0"),
                "resume:\n  id: nope-001\n  run_dir: " + tmp + "\n");
        int i = 0;
        for (String text : recipes) {
            Path r = tmp.resolve("bad" + (i++) + ".yaml");
            Files.writeString(r, text);
            ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
            int rc = Main.run(new String[]{"pipeline", r.toString(), "--out", tmp.resolve("o" + i).toString()}, new PrintStream(o), new PrintStream(e));
            assertEquals(1, rc, text + "\n" + e);
            assertTrue(e.toString().startsWith("error: ") && !e.toString().contains("\tat ") && e.toString().contains("fix:"), e.toString());
        }
        return recipes.size() + " bad inputs, each: error/where/fix, exit 1, no stack frame";
    }

    /** Edits checkpoint.json of a copy (keeping its manifest consistent, so the key check is what answers) and resumes. */
    static String checkpointEdit(Path tmp, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path run = copyOfFitted(tmp);
        Path ck = run.resolve("checkpoints").resolve(fittedId);
        ObjectNode st = (ObjectNode) Json.MAPPER.readTree(ck.resolve("checkpoint.json").toFile());
        edit.accept(st);
        Files.writeString(ck.resolve("checkpoint.json"), Json.write(st));
        ObjectNode m = (ObjectNode) Json.MAPPER.readTree(ck.resolve(BundleWriter.MANIFEST).toFile());
        ObjectNode fresh = Json.object();
        m.fields().forEachRemaining(e -> { if (!e.getKey().equals("files") && !e.getKey().equals("total_bytes")) fresh.set(e.getKey(), e.getValue()); });
        Files.delete(ck.resolve(BundleWriter.MANIFEST));
        BundleWriter.addFiles(fresh, ck);
        Files.writeString(ck.resolve(BundleWriter.MANIFEST), Json.write(fresh));
        return resumeCopy(tmp, run);
    }

    static String resumeCopy(Path tmp, Path run) {
        try (Session s = Session.create(tmp)) {
            s.resume(Args.of("id", fittedId, "run_dir", run.toString()));
            return "resumed";
        }
    }

    static String manifestMalformed(Path tmp) throws IOException {
        Path run = copyOfFitted(tmp);
        Path m = run.resolve("checkpoints").resolve(fittedId).resolve(BundleWriter.MANIFEST);
        ObjectNode o = (ObjectNode) Json.MAPPER.readTree(m.toFile());
        ((ObjectNode) o.get("files").get(0)).remove("path");
        Files.writeString(m, Json.write(o));
        return resumeCopy(tmp, run);
    }

    static String manifestNotJson(Path tmp) throws IOException {
        Path run = copyOfFitted(tmp);
        Path m = run.resolve("checkpoints").resolve(fittedId).resolve(BundleWriter.MANIFEST);
        String text = Files.readString(m);
        Files.writeString(m, text.substring(0, text.length() / 2));
        return resumeCopy(tmp, run);
    }

    /** The model file's manifest entry removed and the file edited: it must not be loaded unchecked (no native abort). */
    static String unlistedFile(Path tmp) throws IOException {
        Path run = copyOfFitted(tmp);
        Path ck = run.resolve("checkpoints").resolve(fittedId);
        ObjectNode m = (ObjectNode) Json.MAPPER.readTree(ck.resolve(BundleWriter.MANIFEST).toFile());
        var files = (com.fasterxml.jackson.databind.node.ArrayNode) m.get("files");
        String model = null;
        for (int i = 0; i < files.size(); i++)
            if (files.get(i).get("path").asText().matches("state/(.*/)?model\\.[a-z]+")) { model = files.get(i).get("path").asText(); files.remove(i); break; }
        assertNotNull(model, "a model file in the checkpoint: " + files);
        Files.writeString(m.get("files") == null ? null : ck.resolve(BundleWriter.MANIFEST), Json.write(m));
        Files.writeString(ck.resolve(model), "tree\n[LightGBM] garbage", java.nio.file.StandardOpenOption.APPEND);
        return resumeCopy(tmp, run);
    }

    static String fitBestMissing(Path tmp) throws IOException {
        Path run = tmp.resolve("empty-run");
        Files.createDirectories(run.resolve("checkpoints"));
        try (Session s = Session.create(tmp)) {
            s.resume(Args.of("id", "fit-best", "run_dir", run.toString()));
            return "resumed";
        }
    }

    // ---------------------------------------------------------------- 11 checkpoints

    static String numbering(Path tmp) throws IOException {
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("run_dir", tmp.resolve("run").toString()));
            Files.createDirectories(tmp.resolve("run/checkpoints/fit-best"));
            Files.createDirectories(tmp.resolve("run/checkpoints/fit-best.next"));
            String a = s.saveCheckpoint("a").body().get("checkpoint_id").asText();
            String b = s.saveCheckpoint("b").body().get("checkpoint_id").asText();
            return a + " " + b;
        }
    }

    static String fitBestResumable(Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("seed", 3, "threads", 1, "run_dir", run.toString()));
            s.attachDataset(Args.of("path", IRIS.toString(), "target", "species"));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "classification.lightgbm"));
            Args fitArgs = Args.of("rounds", 15);
            s.fit(fitArgs);
            // the shared writer, as a fit handler calls it, with the category's real state
            BestCheckpoint best = new BestCheckpoint(s.stepContext(), fitArgs);
            best.improved(14, out -> s.state().save(out));
            best.finish();
            assertTrue(Files.isRegularFile(best.dir().resolve(BundleWriter.MANIFEST)));
        }
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            StepReport r = s.resume(Args.of("id", "fit-best", "run_dir", run.toString()));
            assertTrue(s.hasRun(Step.FIT));
            StepReport ev = s.evaluate(Args.empty());
            JsonNode acc = ev.body().get("metrics").get("test").get("accuracy");
            assertTrue(acc.asDouble() >= 0.85, "accuracy " + acc);
            return "resumed " + r.body().get("checkpoint_id").asText() + ", test accuracy " + acc.asDouble();
        }
    }

    static String fitBestRate(Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("run_dir", run.toString()));
            BestCheckpoint best = new BestCheckpoint(s.stepContext(), Args.of("rounds", 10));
            best.improved(1, out -> out.text("model.txt", "iteration 1"));
            int first = best.writes();
            best.improved(4, out -> out.text("model.txt", "iteration 4"));   // within the second: held back
            int second = best.writes();
            best.improved(7, out -> out.text("model.txt", "iteration 7"));
            best.finish();                                                  // the latest is written at the end
            JsonNode st = Json.MAPPER.readTree(best.dir().resolve("checkpoint.json").toFile());
            String model = Files.readString(best.dir().resolve("state/model.txt"));
            assertEquals("iteration 7", model);
            assertFalse(Files.exists(run.resolve("checkpoints/fit-best.next")));
            return "writes " + first + " then " + second + " then " + best.writes() + ", best_iteration " + st.get("best_iteration").asInt();
        }
    }
}
