package io.modelwork.magics;

import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.session.Session;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.*;

class MagicsTest {
    /** A data file: Assets.data when it exists, else shared/data found upwards from here (git worktrees). */
    static Path data(String rel) {
        Path p = Assets.data(rel);
        if (java.nio.file.Files.exists(p)) return p;
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("shared/data").resolve(rel);
            if (java.nio.file.Files.exists(c)) return c;
        }
        return p;
    }

    @AfterEach
    void close() {
        if (Magics.hasSession()) Magics.close("");
    }

    @Test
    void foundByServiceLoaderWithOneMagicPerStep() {
        MagicSet set = ServiceLoader.load(MagicSet.class).findFirst().orElseThrow();
        Map<String, LineMagic> line = set.lineMagics();
        for (String m : new String[]{"configure", "attach", "prepare", "split", "build", "fit", "evaluate", "tune", "backtest",
                "calibrate", "checkpoint", "resume", "export", "register", "artifacts", "close", "session", "help"})
            assertTrue(line.containsKey(m), m);
        assertTrue(set.cellMagics().containsKey("recipe"));
        assertEquals(set.lineMagics().size() + set.cellMagics().size(), set.help().size());
    }

    @Test
    void helpHasOneLinePerMagic() throws Exception {
        Magics m = new Magics();
        String help = (String) m.lineMagics().get("help").run("");
        assertEquals(m.help().size() + 1, help.lines().count());
        assertTrue(help.contains("%%recipe"));
    }

    @Test
    void mistypedKeyListsTheValidKeys(@TempDir Path tmp) {
        Magics.useSession(Session.create(tmp));
        ModelworkException e = assertThrows(ModelworkException.class, () -> Magics.runStep("configure", "sed=3"));
        assertTrue(e.fix().contains("seed"), e.getMessage());
        assertTrue(e.where().contains("sed=3") || e.getMessage().contains("sed"), e.getMessage());
    }

    @Test
    void stepsRunOnTheOneSessionAndCloseForgetsIt(@TempDir Path tmp) throws Exception {
        Magics.useSession(Session.create(tmp));
        Session s = Magics.session();
        assertSame(s, Magics.session());
        Object r = Magics.runStep("configure", "seed=7 run_dir=" + tmp.resolve("run"));
        assertInstanceOf(StepReport.class, r);
        StepReport a = (StepReport) Magics.runStep("attach",
                "path=" + data("regression/modeldata_concrete.csv") + " target=compressive_strength");
        assertEquals("attach_dataset", a.step());
        assertInstanceOf(StepReport.class, Magics.status(""));
        assertThrows(ModelworkException.class, () -> Magics.close("now"));
        Magics.close("");
        assertFalse(Magics.hasSession());
    }

    @Test
    void everyStepHasOneMagicAndTheMagicRunsThatStep() {
        Map<String, LineMagic> line = new Magics().lineMagics();
        Map<String, String> help = new Magics().help();
        for (Step s : Step.values()) {
            String name = Magics.magicName(s);
            assertEquals(s, Magics.stepOf(name), name);
            assertEquals(s, Step.of(name), "Step.of knows the magic's short name " + name);
            assertTrue(line.containsKey(name), name);
            assertTrue(help.get("%" + name).startsWith(s.number() + " "), help.get("%" + name));
        }
        assertEquals(Step.values().length + 3, line.size(), "the steps, %session, %compare and %help: " + line.keySet());
        assertNull(Magics.stepOf("session"));
    }

    /** The examples in %help ("e.g. %build spec=...") run as written. */
    @Test
    void helpExamplesRun(@TempDir Path tmp) {
        Magics.useSession(Session.create(tmp));
        String help = Magics.helpText(new Magics().help());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("e\\.g\\. %(\\w+) ([^)]*)\\)").matcher(help);
        Map<String, String> examples = new java.util.LinkedHashMap<>();
        while (m.find()) examples.put(m.group(1), m.group(2));
        assertTrue(examples.containsKey("build") && examples.containsKey("configure"), help);
        Magics.runStep("configure", examples.get("configure") + " run_dir=" + tmp.resolve("run"));
        Magics.runStep("attach", "path=" + data("regression/modeldata_concrete.csv") + " target=compressive_strength");
        Magics.runStep("prepare", "");
        Magics.runStep("split", "");
        StepReport b = (StepReport) Magics.runStep("build", examples.get("build"));
        assertEquals("build", b.step());
    }

    @Test
    void helpOfAStepListsItsDeclaredKeys() {
        String configure = Magics.help("configure", new Magics().help());
        assertTrue(configure.contains("%configure") && configure.contains("seed") && configure.contains("one of [cpu, cuda, auto]"), configure);
        assertEquals(configure, Magics.help("%configure", new Magics().help()));
        String fit = Magics.help("fit", new Magics().help());
        assertTrue(fit.contains("rounds"), "the tabular family's fit keys before any data: " + fit);
        assertTrue(Magics.help("session", new Magics().help()).contains("%session"));
        ModelworkException e = assertThrows(ModelworkException.class, () -> Magics.help("fitt", new Magics().help()));
        assertTrue(e.fix().contains("did you mean 'fit'"), e.fix());
    }

    @Test
    void completesKeysSpecsAndChoices() {
        MagicOptions.Completion cmp = MagicOptions.complete("compare", "by=rmse spe");
        assertEquals(java.util.List.of("specs="), cmp.candidates());
        cmp = MagicOptions.complete("compare", "specs=regression.xgboost,regression.l");
        assertEquals("specs=regression.xgboost,".length(), cmp.start(), "the last item of the comma list is completed");
        assertTrue(cmp.candidates().contains("regression.lightgbm"), cmp.candidates().toString());
        assertTrue(MagicOptions.complete("compare", "set=va").candidates().contains("validation"));
        assertTrue(MagicOptions.inspect("compare").contains("registry") && Magics.help("compare", new Magics().help()).contains("curve"));
        MagicOptions.Completion c = MagicOptions.complete("fit", "ro");
        assertEquals(0, c.start());
        assertTrue(c.candidates().contains("rounds="), c.candidates().toString());
        c = MagicOptions.complete("configure", "seed=1 se");
        assertEquals(7, c.start());
        assertFalse(c.candidates().contains("seed="), "a given key is not offered again: " + c.candidates());
        c = MagicOptions.complete("configure", "");
        assertEquals(List.copyOf(io.modelwork.core.RunContext.OPTIONS.names()).stream().map(k -> k + "=").toList(), c.candidates());
        c = MagicOptions.complete("configure", "device=c");
        assertEquals(new MagicOptions.Completion(7, List.of("cpu", "cuda")), c);
        c = MagicOptions.complete("configure", "progress=");
        assertEquals(List.of("true", "false"), c.candidates());
        var saved = MagicOptions.specNames;
        try {
            MagicOptions.specNames = () -> List.of("classification.lightgbm", "regression.lightgbm", "regression.xgboost");
            c = MagicOptions.complete("build", "spec=regression.");
            assertEquals(new MagicOptions.Completion(5, List.of("regression.lightgbm", "regression.xgboost")), c);
        } finally {
            MagicOptions.specNames = saved;
        }
        assertNull(MagicOptions.complete("session", ""));
        assertTrue(MagicOptions.inspect("configure").contains("seed"));
    }

    /** Two real runs (XGBoost and LightGBM on concrete) under one run root, ranked by test RMSE. */
    @Test
    void compareRanksTheRunsOfTheRunRoot(@TempDir Path tmp) {
        Path root = tmp.resolve("runs");
        for (String spec : List.of("regression.xgboost", "regression.lightgbm")) {
            Magics.useSession(Session.create(root));
            Magics.runStep("configure", "seed=3 threads=1");
            Magics.runStep("attach", "path=" + data("regression/modeldata_concrete.csv") + " target=compressive_strength");
            Magics.runStep("prepare", "");
            Magics.runStep("split", "");
            Magics.runStep("build", "spec=" + spec);
            Magics.runStep("fit", "rounds=60");
            Magics.runStep("evaluate", "");
            if (spec.endsWith("xgboost")) Magics.close("");
        }
        StepReport r = (StepReport) Magics.compare("by=rmse");
        Magics.close("");
        tech.tablesaw.api.Table t = r.tables().get(0);
        assertEquals(2, t.rowCount(), t.print());
        assertEquals(java.util.Set.of("regression.xgboost", "regression.lightgbm"), java.util.Set.copyOf(t.stringColumn("spec").asList()));
        double first = t.doubleColumn("rmse").get(0), second = t.doubleColumn("rmse").get(1);
        assertTrue(first <= second, "lower RMSE first: " + t.print());
        assertTrue(first < 8.0, "real models on concrete: RMSE " + first);
        assertTrue(t.columnNames().contains("r2") && t.columnNames().contains("params"), t.columnNames().toString());
        StepReport byR2 = (StepReport) Magics.compare("root=" + root + " by=r2");
        assertTrue(byR2.tables().get(0).doubleColumn("r2").get(0) >= byR2.tables().get(0).doubleColumn("r2").get(1));
        ModelworkException e = assertThrows(ModelworkException.class, () -> Magics.compare("root=" + root + " by=rmsee"));
        assertTrue(e.fix().contains("did you mean 'rmse'"), e.fix());
        assertThrows(ModelworkException.class, () -> Magics.compare("roots=x"));
    }

    /**
     * PyCaret's compare_models on the session's split: a second spec is fitted on the same data, seed and split in a
     * run of its own and ranked with the session's model (which stays as it was); curves overlaid; registered
     * versions ranked by their test tags, and {@code registry list} shows them.
     */
    @Test
    void compareSpecsFitsOnTheSessionsSplitAndRegistryVersionsRank(@TempDir Path tmp) {
        Magics.useSession(Session.create(tmp.resolve("runs")));
        Magics.runStep("configure", "seed=5 threads=1 run_dir=" + tmp.resolve("runs/own"));
        Magics.runStep("attach", "path=" + data("regression/modeldata_concrete.csv") + " target=compressive_strength");
        Magics.runStep("prepare", "");
        Magics.runStep("split", "");
        Magics.runStep("build", "spec=regression.xgboost");
        Magics.runStep("fit", "rounds=60");
        StepReport own = (StepReport) Magics.runStep("evaluate", "");
        double ownRmse = own.body().path("metrics").path("test").path("rmse").asDouble();

        StepReport r = (StepReport) Magics.compare("specs=regression.lightgbm by=rmse curve=learning_curve");
        tech.tablesaw.api.Table t = r.tables().get(0);
        assertEquals(2, t.rowCount(), t.print());
        assertEquals(java.util.Set.of("regression.xgboost", "regression.lightgbm"), java.util.Set.copyOf(t.stringColumn("spec").asList()));
        assertTrue(t.stringColumn("run").asList().stream().anyMatch(id -> id.endsWith("(this session)")), t.print());
        for (int i = 0; i < 2; i++) assertTrue(t.doubleColumn("rmse").get(i) < 8.0, "real models on concrete: " + t.print());
        assertTrue(t.doubleColumn("rmse").get(0) <= t.doubleColumn("rmse").get(1), t.print());
        var overlay = r.charts().stream().filter(c -> c.name().equals("overlay_learning_curve")).findFirst().orElseThrow();
        assertEquals(2, overlay.series().size(), "one learning curve per spec");
        assertTrue(java.nio.file.Files.isRegularFile(tmp.resolve("runs/own-vs-regression.lightgbm/reports/evaluate.json")));
        // the session's own model is untouched: same spec, same evaluate report
        assertEquals("regression.xgboost", Magics.session().arguments(Step.BUILD).orElseThrow().getString("spec", null));
        assertEquals(ownRmse, Magics.session().report(Step.EVALUATE).orElseThrow().body().path("metrics").path("test").path("rmse").asDouble());
        ModelworkException other = assertThrows(ModelworkException.class, () -> Magics.compare("specs=anomaly.patchcore"));
        assertTrue(other.getMessage().contains("anomaly"), other.getMessage());
        assertThrows(ModelworkException.class, () -> Magics.compare("specs=regression.xgbost"), "unknown spec (did you mean)");

        Path home = tmp.resolve("registry");
        Magics.runStep("export", "");
        Magics.runStep("register", "home=" + home + " name=concrete");
        StepReport reg = (StepReport) Magics.compare("registry=" + home + " name=concrete by=rmse");
        assertEquals(1, reg.tables().get(0).rowCount());
        assertEquals("concrete:1", reg.tables().get(0).stringColumn("run").get(0));
        assertEquals(ownRmse, reg.tables().get(0).doubleColumn("rmse").get(0), 1e-9, "the registered model's test RMSE");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(0, io.modelwork.registry.RegistryCli.run(new String[]{"--home", home.toString(), "list"},
                new java.io.PrintStream(out), System.err));
        assertTrue(out.toString().contains("KEY METRICS") && out.toString().contains("rmse="), out.toString());
        assertThrows(ModelworkException.class, () -> Magics.compare("registry=" + tmp.resolve("empty")));
        Magics.close("");
    }

    @Test
    void magicLinesExpandVariablesWithDefaults(@TempDir Path tmp) {
        assertEquals("a=" + System.getenv("PATH"), Magics.expand("a=${PATH}", "%x"));
        assertEquals("home=/tmp/r b=1", Magics.expand("home=${MODELWORK_UNSET_VAR_FOR_TEST:-/tmp/r} b=1", "%x"));
        ModelworkException e = assertThrows(ModelworkException.class, () -> Magics.expand("h=${MODELWORK_UNSET_VAR_FOR_TEST}", "%x"));
        assertTrue(e.fix().contains(":-VALUE"), e.fix());
        assertThrows(ModelworkException.class, () -> Magics.expand("h=${run_dir}", "%x"), "no run directory before configure");
        Magics.useSession(Session.create(tmp));
        Magics.runStep("configure", "run_dir=" + tmp.resolve("run"));
        assertEquals("home=" + tmp.resolve("run") + "/registry",
                Magics.expand("home=${MODELWORK_UNSET_VAR_FOR_TEST:-${run_dir}/registry}", "%x"));
    }

    @Test
    void recipeNeedsABody() {
        assertThrows(ModelworkException.class, () -> Magics.recipe("", "  "));
    }
}
