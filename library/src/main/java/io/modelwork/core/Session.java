package io.modelwork.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.*;
import java.util.concurrent.*;

/**
 * One experiment: the 15 lifecycle steps of SPEC.md as methods, in order.
 *
 * <p>The session enforces step order (an out-of-order call names the step to run first), writes a structured run log
 * and one JSON report per step under the run directory, applies the retry and timeout set by {@code configure}, and
 * packages checkpoints. What each step means for the data is delegated to a {@link Workflow} (tabular today), found
 * by {@link java.util.ServiceLoader}. A session is {@link AutoCloseable}; using a closed session is an error.
 *
 * <pre>{@code
 * try (Session s = Session.create()) {
 *     s.configure(Args.of("seed", 42));
 *     s.attachDataset(Args.of("path", "concrete.csv", "target", "compressive_strength"));
 *     s.prepareData(Args.empty()); s.split(Args.empty());
 *     s.build(Args.of("spec", "regression.xgboost")); s.fit(Args.of("rounds", 500));
 *     s.evaluate(Args.empty());
 * }
 * }</pre>
 */
public final class Session implements AutoCloseable {
    public static final String CHECKPOINT_FORMAT = "modelwork.checkpoint/1";

    private RunContext context;
    private Workflow workflow;
    private Progress progress = Progress.console();
    private final LinkedHashMap<Step, Args> done = new LinkedHashMap<>();
    private final LinkedHashMap<Step, StepReport> reports = new LinkedHashMap<>();
    private boolean closed;
    private final Path defaultRoot;

    private Session(Path defaultRoot) { this.defaultRoot = defaultRoot; }

    /** A new session whose default run directories go under {@code ./runs}. */
    public static Session create() { return new Session(Path.of("runs")); }

    public static Session create(Path runsRoot) { return new Session(runsRoot); }

    // ---------------------------------------------------------------- the 15 steps

    /** Step 1: device, seed, threads, run directory, retries, timeout; starts the run log. */
    public StepReport configure(Args a) {
        checkOpen(Step.CONFIGURE);
        a.check(Step.CONFIGURE, ownKeys(Step.CONFIGURE));
        if (context != null)
            throw new ModelworkException("The session is already configured", "configure",
                    "start a new session (or %close then %configure) to change the run context");
        context = RunContext.configure(a, defaultRoot);
        if (a.has("progress") && !a.getBool("progress", true)) progress = Progress.silent();
        StepReport r = new StepReport("configure", "Run context");
        r.body().setAll(context.toJson());
        context.notes().forEach(r::note);
        Table t = Table.create("Run context");
        StringColumn k = StringColumn.create("setting"), v = StringColumn.create("value");
        context.toJson().fields().forEachRemaining(e -> { k.append(e.getKey()); v.append(e.getValue().asText()); });
        t.addColumns(k, v);
        r.table(t);
        logStart(Step.CONFIGURE, a);
        record(Step.CONFIGURE, a, r, 0);
        return r;
    }

    public StepReport configure(String line) { return configure(Args.parse(line)); }

    /** Step 2: connect and validate a dataset: fingerprint, profile, validation report. */
    public StepReport attachDataset(Args a) {
        require(Step.ATTACH_DATASET);
        if (workflow == null) workflow = newWorkflow(a);
        return run(Step.ATTACH_DATASET, a, () -> workflow.attach(a));
    }

    public StepReport attachDataset(String line) { return attachDataset(Args.parse(line)); }

    /** Step 3: declare the preprocessing pipeline (fitted on the training rows at split, then frozen). */
    public StepReport prepareData(Args a) { return run(Step.PREPARE_DATA, a, () -> workflow.prepare(a)); }

    public StepReport prepareData(String line) { return prepareData(Args.parse(line)); }

    /** Step 4: train/validation/test, K-fold, group or time split, without leakage. */
    public StepReport split(Args a) { return run(Step.SPLIT, a, () -> workflow.split(a)); }

    public StepReport split(String line) { return split(Args.parse(line)); }

    /** Step 5: choose and initialise the model from its spec. */
    public StepReport build(Args a) { return run(Step.BUILD, a, () -> workflow.build(a)); }

    public StepReport build(String line) { return build(Args.parse(line)); }

    /** Step 6: train with early stopping; per-iteration metrics; checkpoint at the best iteration. */
    public StepReport fit(Args a) { return run(Step.FIT, a, () -> workflow.fit(a)); }

    public StepReport fit(String line) { return fit(Args.parse(line)); }

    /** Step 7: the field's standard metrics on validation and test, curves, confusion matrix, worst cases. */
    public StepReport evaluate(Args a) { return run(Step.EVALUATE, a, () -> workflow.evaluate(a)); }

    public StepReport evaluate(String line) { return evaluate(Args.parse(line)); }

    /** Step 8: hyper-parameter search (grid, random, TPE, ASHA). */
    public StepReport tune(Args a) { return run(Step.TUNE, a, () -> workflow.tune(a)); }

    public StepReport tune(String line) { return tune(Args.parse(line)); }

    /** Step 9: time- or order-preserving replay with per-window metrics and drift signals. */
    public StepReport backtest(Args a) { return run(Step.BACKTEST, a, () -> workflow.backtest(a)); }

    public StepReport backtest(String line) { return backtest(Args.parse(line)); }

    /** Step 10: operating threshold, probability calibration, or conformal intervals. */
    public StepReport calibrate(Args a) { return run(Step.CALIBRATE, a, () -> workflow.calibrate(a)); }

    public StepReport calibrate(String line) { return calibrate(Args.parse(line)); }

    /** Step 12: the deployment bundle (native + ONNX model, preprocessing, signature, manifest). */
    public StepReport export(Args a) { return run(Step.EXPORT, a, () -> workflow.export(a)); }

    public StepReport export(String line) { return export(Args.parse(line)); }

    /** Step 13: register the exported bundle in the model registry. */
    public StepReport register(Args a) { return run(Step.REGISTER, a, () -> workflow.register(a)); }

    public StepReport register(String line) { return register(Args.parse(line)); }

    /** Step 14: the standard artifact map with paths. */
    public StepReport artifacts(Args a) { return run(Step.ARTIFACTS, a, () -> workflow == null ? emptyArtifacts() : workflow.artifacts(a)); }

    public StepReport artifacts() { return artifacts(Args.empty()); }

    private StepReport emptyArtifacts() {
        StepReport r = new StepReport("artifacts", "Artifacts");
        r.body().putObject("artifacts").put("training_log", context.log().file().toString());
        return r;
    }

    // ---------------------------------------------------------------- step 11: checkpoints

    /**
     * Step 11: saves everything needed to continue (session state, preprocessing, model, reports) under
     * {@code run_dir/checkpoints/<id>}. The folder is written under a temporary name and renamed when complete, and
     * carries a SHA-256 manifest that {@link #resume} checks, so a half-written or damaged checkpoint is refused.
     */
    public StepReport saveCheckpoint(Args a) {
        require(Step.SAVE_CHECKPOINT);
        a.check(Step.SAVE_CHECKPOINT, ownKeys(Step.SAVE_CHECKPOINT));
        String tag = a.getString("tag", "manual");
        if (!tag.matches("[A-Za-z0-9._-]+"))
            throw new ModelworkException("Bad checkpoint tag '" + tag + "'", "save_checkpoint tag",
                    "use letters, digits, '.', '_' or '-'");
        return run(Step.SAVE_CHECKPOINT, a, () -> writeCheckpoint(tag));
    }

    public StepReport saveCheckpoint(String tag) { return saveCheckpoint(Args.of("tag", tag)); }

    private StepReport writeCheckpoint(String tag) {
        Path root = context.runDir().resolve("checkpoints");
        String id = tag + "-" + String.format("%03d", countCheckpoints(root) + 1);
        Path staging = root.resolve("." + id + ".partial-" + ProcessHandle.current().pid());
        Path target = root.resolve(id);
        try {
            AtomicFiles.deleteTree(staging);
            Files.createDirectories(staging.resolve("reports"));
            ObjectNode state = Json.object();
            state.put("format", CHECKPOINT_FORMAT);
            state.put("id", id);
            state.put("created", java.time.Instant.now().toString());
            state.set("context", context.toJson());
            ArrayNode steps = state.putArray("steps");
            for (var e : done.entrySet()) {
                if (e.getKey() == Step.SAVE_CHECKPOINT || e.getKey() == Step.RESUME) continue;
                ObjectNode s = steps.addObject();
                s.put("step", e.getKey().key());
                s.set("args", Json.args(e.getValue().asMap()));
            }
            for (var e : reports.entrySet())
                Files.writeString(staging.resolve("reports").resolve(e.getKey().key() + ".json"), Json.write(e.getValue().toJson()));
            if (workflow != null) {
                Path ws = staging.resolve("workflow");
                Files.createDirectories(ws);
                workflow.saveState(ws);
            }
            Files.writeString(staging.resolve("checkpoint.json"), Json.write(state));
            writeManifest(staging);
            AtomicFiles.publishDirectory(staging, target);
        } catch (IOException e) {
            AtomicFiles.deleteTree(staging);
            throw new ModelworkException("Cannot write the checkpoint: " + e.getMessage(), target.toString(),
                    "check free disk space and permissions of the run directory");
        } catch (RuntimeException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
        StepReport r = new StepReport("save_checkpoint", "Checkpoint " + id);
        r.body().put("checkpoint_id", id);
        r.body().put("path", target.toString());
        ArrayNode steps = r.body().putArray("steps");
        done.keySet().forEach(s -> steps.add(s.key()));
        r.note("resume in a new session with: resume id=" + id + " run_dir=" + context.runDir());
        return r;
    }

    private static int countCheckpoints(Path root) {
        if (!Files.isDirectory(root)) return 0;
        try (var s = Files.list(root)) {
            return (int) s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    static void writeManifest(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Path> files;
        try (var s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("MANIFEST.sha256"))
                    .sorted().toList();
        }
        for (Path f : files) sb.append(sha256(f)).append("  ").append(dir.relativize(f).toString().replace('\\', '/')).append('\n');
        Files.writeString(dir.resolve("MANIFEST.sha256"), sb.toString());
    }

    static void verifyManifest(Path dir) {
        Path m = dir.resolve("MANIFEST.sha256");
        if (!Files.exists(m))
            throw new ModelworkException("The checkpoint has no MANIFEST.sha256: it is incomplete or not a checkpoint",
                    dir.toString(), "resume from another checkpoint (list run_dir/checkpoints/)");
        try {
            for (String line : Files.readAllLines(m)) {
                if (line.isBlank()) continue;
                String hash = line.substring(0, 64);
                Path f = dir.resolve(line.substring(66));
                if (!Files.exists(f))
                    throw new ModelworkException("The checkpoint is damaged: " + line.substring(66) + " is missing",
                            dir.toString(), "resume from another checkpoint");
                if (!sha256(f).equals(hash))
                    throw new ModelworkException("The checkpoint is damaged: " + line.substring(66)
                            + " does not match its SHA-256", dir.toString(), "resume from another checkpoint");
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the checkpoint: " + e.getMessage(), dir.toString(),
                    "check the path and permissions");
        }
    }

    public static String sha256(Path f) throws IOException {
        try (var in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Step 11 (resume): restores a checkpoint into this (fresh) session: the run context, the dataset (re-read and
     * checked against the saved fingerprint), the frozen preprocessing, the split, the model and the reports.
     * Arguments: {@code id} (a checkpoint id under {@code run_dir/checkpoints}, or a path) and {@code run_dir}.
     */
    public StepReport resume(Args a) {
        checkOpen(Step.RESUME);
        a.check(Step.RESUME, ownKeys(Step.RESUME));
        if (!done.isEmpty())
            throw new ModelworkException("resume needs a fresh session", "resume",
                    "create a new session (or %close first), then resume");
        Path dir;
        if (a.has("path")) dir = Path.of(a.getString("path", null));
        else {
            String id = a.requireString("id", "give the checkpoint id, e.g. id=after-fit-001");
            Path runDir = Path.of(a.requireString("run_dir", "give the run directory that holds checkpoints/"));
            dir = runDir.resolve("checkpoints").resolve(id);
        }
        if (!Files.isDirectory(dir))
            throw new ModelworkException("No checkpoint at " + dir, "resume",
                    "check id= and run_dir= (checkpoints live in run_dir/checkpoints/<id>)");
        String dirName = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (dirName.startsWith(".") && dirName.contains(".partial"))
            throw new ModelworkException("This is the staging folder of an unfinished save_checkpoint, not a checkpoint",
                    dir.toString(), "resume from another checkpoint (published ones are listed in run_dir/checkpoints/)");
        verifyManifest(dir);
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(dir.resolve("checkpoint.json").toFile());
        } catch (IOException e) {
            throw new ModelworkException("The checkpoint's checkpoint.json is not valid JSON", dir.toString(),
                    "resume from another checkpoint");
        }
        if (!CHECKPOINT_FORMAT.equals(state.path("format").asText()))
            throw new ModelworkException("Unsupported checkpoint format '" + state.path("format").asText() + "'",
                    dir.toString(), "this version reads " + CHECKPOINT_FORMAT);
        JsonNode ctx = state.get("context");
        Map<String, Object> cargs = new LinkedHashMap<>();
        cargs.put("device", ctx.get("requested_device").asText());
        cargs.put("seed", ctx.get("seed").asLong());
        cargs.put("threads", ctx.get("threads").asInt());
        cargs.put("run_dir", ctx.get("run_dir").asText());
        cargs.put("retries", ctx.get("retries").asInt());
        cargs.put("timeout_s", ctx.get("timeout_s").asLong());
        context = RunContext.configure(Args.from(cargs), defaultRoot);
        List<Step> steps = new ArrayList<>();
        Map<Step, Args> stepArgs = new LinkedHashMap<>();
        for (JsonNode s : state.get("steps")) {
            Step st = Step.of(s.get("step").asText());
            steps.add(st);
            @SuppressWarnings("unchecked") Map<String, Object> m = Json.MAPPER.convertValue(s.get("args"), Map.class);
            stepArgs.put(st, Args.from(m));
        }
        Args attach = stepArgs.get(Step.ATTACH_DATASET);
        if (attach != null) {
            workflow = newWorkflow(attach);
            workflow.restoreState(dir.resolve("workflow"));
        }
        done.clear();
        for (Step st : steps) done.put(st, stepArgs.get(st));
        for (Step st : steps) {
            Path rp = dir.resolve("reports").resolve(st.key() + ".json");
            if (Files.exists(rp)) {
                try {
                    reports.put(st, new StepReport(st.key(), "(restored) " + st.key(), (ObjectNode) Json.MAPPER.readTree(rp.toFile())));
                } catch (IOException ignored) { }
            }
        }
        StepReport r = new StepReport("resume", "Resumed " + state.get("id").asText());
        r.body().put("checkpoint_id", state.get("id").asText());
        r.body().put("path", dir.toString());
        ArrayNode restored = r.body().putArray("steps");
        steps.forEach(s -> restored.add(s.key()));
        logStart(Step.RESUME, a);
        record(Step.RESUME, a, r, 0);
        return r;
    }

    public StepReport resume(String line) { return resume(Args.parse(line)); }

    // ---------------------------------------------------------------- state

    /** What has run and the current state (for {@code %session}). */
    public StepReport status() {
        StepReport r = new StepReport("session", closed ? "Session (closed)" : "Session");
        Table t = Table.create("Steps");
        StringColumn n = StringColumn.create("#"), s = StringColumn.create("step"), st = StringColumn.create("status"),
                args = StringColumn.create("arguments");
        ArrayNode a = r.body().putArray("steps");
        for (Step step : Step.values()) {
            if (step == Step.CLOSE) continue;
            n.append(Integer.toString(step.number()));
            s.append(step.key());
            boolean ran = done.containsKey(step);
            st.append(ran ? "done" : "");
            args.append(ran ? String.valueOf(done.get(step)) : "");
            if (ran) a.addObject().put("step", step.key()).put("args", String.valueOf(done.get(step)));
        }
        t.addColumns(n, s, st, args);
        r.table(t);
        if (context != null) r.body().put("run_dir", context.runDir().toString());
        r.body().put("closed", closed);
        return r;
    }

    public boolean hasRun(Step s) { return done.containsKey(s); }

    public Optional<StepReport> report(Step s) { return Optional.ofNullable(reports.get(s)); }

    public Map<Step, StepReport> reports() { return Collections.unmodifiableMap(reports); }

    public RunContext context() {
        if (context == null) throw new ModelworkException("The session is not configured", "session",
                "run configure first, e.g. %configure seed=42");
        return context;
    }

    public Workflow workflow() { return workflow; }

    public Progress progress() { return progress; }

    /** Replaces the progress display (the kernel installs one that updates in place). */
    public Session progress(Progress p) { this.progress = p == null ? Progress.silent() : p; return this; }

    public boolean isClosed() { return closed; }

    /** Step 15: releases native handles (boosters, datasets) and files. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (workflow != null) workflow.close();
        if (context != null) {
            ObjectNode ev = Json.object();
            ev.put("step", "close");
            ev.put("outcome", "ok");
            context.log().write(ev);
        }
    }

    // ---------------------------------------------------------------- machinery

    /**
     * The argument keys of the steps the session itself runs (configure, save_checkpoint, resume, artifacts, close),
     * whatever the workflow; {@code null} for the steps whose keys the workflow owns.
     */
    public static java.util.Collection<String> ownKeys(Step step) {
        return switch (step) {
            case CONFIGURE -> RunContext.KEYS;
            case SAVE_CHECKPOINT -> List.of("tag");
            case RESUME -> List.of("id", "run_dir", "path");
            case ARTIFACTS, CLOSE -> List.of();
            default -> null;
        };
    }

    private Workflow newWorkflow(Args attachArgs) {
        Workflow.Factory chosen = Workflow.Factory.choose(attachArgs);
        if (chosen != null) return chosen.create(this);
        throw new ModelworkException("No workflow accepts this dataset", "attach_dataset " + attachArgs,
                "check path= and format=; workflows on the class path: "
                        + Workflow.Factory.all().stream().map(f -> f.getClass().getName()).toList());
    }

    private void checkOpen(Step step) {
        if (closed)
            throw new ModelworkException("The session is closed", step.key(),
                    "create a new session (in the kernel: %configure starts one after %close)");
    }

    private void require(Step step) {
        checkOpen(step);
        for (Step r : step.requires()) {
            if (!done.containsKey(r)) {
                Step first = r;
                while (true) {
                    Step prev = first;
                    for (Step rr : first.requires()) if (!done.containsKey(rr)) { first = rr; break; }
                    if (prev == first) break;
                }
                throw new ModelworkException("Step " + step.key() + " cannot run yet: " + r.key() + " has not run",
                        step.key(), "run " + first.key() + " first" + (first != r ? " (then the steps up to " + r.key() + ")" : ""));
            }
        }
    }

    private StepReport run(Step step, Args a, java.util.function.Supplier<StepReport> body) {
        require(step);
        if (workflow == null && step != Step.ARTIFACTS && step != Step.SAVE_CHECKPOINT)
            throw new ModelworkException("No dataset is attached", step.key(), "run attach_dataset first");
        if (step != Step.SAVE_CHECKPOINT && step != Step.ARTIFACTS && workflow != null) a.check(step, workflow.keys(step));
        logStart(step, a);
        long t0 = System.nanoTime();
        int attempts = context.retries() + 1;
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                StepReport r = withTimeout(step, body);
                record(step, a, r, (System.nanoTime() - t0) / 1e9);
                return r;
            } catch (ModelworkException e) {
                logFailure(step, e, t0);
                throw e; // bad input: retrying cannot help
            } catch (RuntimeException e) {
                last = e;
                if (attempt < attempts) {
                    ObjectNode ev = Json.object();
                    ev.put("step", step.key());
                    ev.put("outcome", "retry");
                    ev.put("attempt", attempt);
                    ev.put("error", String.valueOf(e));
                    context.log().write(ev);
                }
            }
        }
        logFailure(step, last, t0);
        throw last;
    }

    private StepReport withTimeout(Step step, java.util.function.Supplier<StepReport> body) {
        long timeout = context.timeoutSeconds();
        if (timeout <= 0) return body.get();
        Thread caller = Thread.currentThread();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "modelwork-timeout");
            t.setDaemon(true);
            return t;
        });
        boolean[] fired = {false};
        ScheduledFuture<?> f = watchdog.schedule(() -> { fired[0] = true; caller.interrupt(); }, timeout, TimeUnit.SECONDS);
        try {
            return body.get();
        } catch (ModelworkException e) {
            if (fired[0])
                throw new ModelworkException("Step " + step.key() + " exceeded its timeout of " + timeout + " s",
                        step.key(), "raise timeout_s in configure, or reduce the work (rounds, trials)", e);
            throw e;
        } finally {
            f.cancel(false);
            watchdog.shutdownNow();
            if (fired[0]) Thread.interrupted();
        }
    }

    private void logStart(Step step, Args a) {
        ObjectNode ev = Json.object();
        ev.put("step", step.key());
        ev.put("event", "start");
        ev.set("args", Json.args(a.asMap()));
        context.log().write(ev);
    }

    private void logFailure(Step step, RuntimeException e, long t0) {
        ObjectNode ev = Json.object();
        ev.put("step", step.key());
        ev.put("event", "end");
        ev.put("outcome", "error");
        ev.put("seconds", (System.nanoTime() - t0) / 1e9);
        ev.put("error", e.getMessage());
        context.log().write(ev);
    }

    private void record(Step step, Args a, StepReport r, double seconds) {
        done.put(step, a);
        reports.put(step, r);
        r.body().put("seconds", seconds);
        AtomicFiles.writeStringFast(context.runDir().resolve("reports").resolve(step.key() + ".json"), Json.write(r.toJson()));
        ObjectNode ev = Json.object();
        ev.put("step", step.key());
        ev.put("event", "end");
        ev.put("outcome", "ok");
        ev.put("seconds", seconds);
        context.log().write(ev);
    }

    /** Generic dispatch by step (used by the recipe runner and the magics). */
    public StepReport run(Step step, Args a) {
        return switch (step) {
            case CONFIGURE -> configure(a);
            case ATTACH_DATASET -> attachDataset(a);
            case PREPARE_DATA -> prepareData(a);
            case SPLIT -> split(a);
            case BUILD -> build(a);
            case FIT -> fit(a);
            case EVALUATE -> evaluate(a);
            case TUNE -> tune(a);
            case BACKTEST -> backtest(a);
            case CALIBRATE -> calibrate(a);
            case SAVE_CHECKPOINT -> saveCheckpoint(a);
            case RESUME -> resume(a);
            case EXPORT -> export(a);
            case REGISTER -> register(a);
            case ARTIFACTS -> artifacts(a);
            case CLOSE -> { close(); StepReport r = new StepReport("close", "Session closed"); yield r; }
        };
    }

    static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
