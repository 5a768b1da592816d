package io.modelwork.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BestCheckpoint;
import io.modelwork.shared.BundleWriter;
import io.modelwork.shared.StateStore;
import io.modelwork.spi.Categories;
import io.modelwork.spi.Category;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.*;

/**
 * One experiment: the 15 lifecycle steps of SPEC.md as methods, in order.
 *
 * <p>The session enforces step order (an out-of-order call names the step to run first), checks every step's
 * arguments against the keys its category declares ({@link Options}), writes a structured run log and one JSON report
 * per step under the run directory, applies the retry and timeout set by {@code configure}, and packages checkpoints
 * (through the shared {@link BundleWriter} and {@link StateStore}). What each step means for the data is the
 * {@link Category}'s, chosen at attach_dataset by {@link Categories#choose}; a step the category declares not
 * applicable is reported as such. A session is {@link AutoCloseable}; using a closed session is an error.
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
    public static final String CHECKPOINT_FORMAT = BestCheckpoint.FORMAT;

    /** The keys of the session's own steps, declared once. */
    public static final Options SAVE_CHECKPOINT_OPTIONS = Options.of(
            Option.text("tag", "manual", "checkpoint name stem (letters, digits, '.', '_', '-'); the id is <tag>-NNN"));
    public static final Options RESUME_OPTIONS = Options.of(
            Option.text("id", null, "checkpoint id under run_dir/checkpoints, e.g. after-fit-001"),
            Option.path("run_dir", "the run directory that holds checkpoints/"),
            Option.path("path", "the checkpoint folder itself (instead of id + run_dir)"),
            Option.path("out", "the resumed session's own new run directory (default: a fresh runs/run-<time>); "
                    + "the checkpoint's run directory is never written"));

    private RunContext context;
    private Category<CategoryState> category;
    private CategoryState state;
    private final Ctx ctx = new Ctx();
    private Progress progress = Progress.console();
    private final StepHeartbeat.Clock clock = new StepHeartbeat.Clock();
    private volatile StepHeartbeat heartbeat;
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
        RunContext.OPTIONS.check(Step.CONFIGURE, a, null);
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
        StepLog.start(context, Step.CONFIGURE, a);
        record(Step.CONFIGURE, a, r, 0);
        return r;
    }

    public StepReport configure(String line) { return configure(Args.parse(line)); }

    /** Step 2: connect and validate a dataset: fingerprint, profile, validation report. Chooses the category. */
    public StepReport attachDataset(Args a) {
        require(Step.ATTACH_DATASET);
        boolean fresh = category == null;
        if (fresh) choose(a, null);
        try {
            return runCategoryStep(Step.ATTACH_DATASET, a);
        } catch (RuntimeException e) {
            if (fresh && !done.containsKey(Step.ATTACH_DATASET)) { // a failed first attach does not pin the category
                closeState();
                category = null;
            }
            throw e;
        }
    }

    public StepReport attachDataset(String line) { return attachDataset(Args.parse(line)); }

    /** Step 3: declare the preprocessing pipeline (fitted on the training rows at split, then frozen). */
    public StepReport prepareData(Args a) { return runCategoryStep(Step.PREPARE_DATA, a); }

    public StepReport prepareData(String line) { return prepareData(Args.parse(line)); }

    /** Step 4: train/validation/test, K-fold, group or time split, without leakage. */
    public StepReport split(Args a) { return runCategoryStep(Step.SPLIT, a); }

    public StepReport split(String line) { return split(Args.parse(line)); }

    /** Step 5: choose and initialise the model from its spec. */
    public StepReport build(Args a) { return runCategoryStep(Step.BUILD, a); }

    public StepReport build(String line) { return build(Args.parse(line)); }

    /** Step 6: train with early stopping; per-iteration metrics; checkpoint at the best iteration. */
    public StepReport fit(Args a) { return runCategoryStep(Step.FIT, a); }

    public StepReport fit(String line) { return fit(Args.parse(line)); }

    /** Step 7: the field's standard metrics on validation and test, curves, confusion matrix, worst cases. */
    public StepReport evaluate(Args a) { return runCategoryStep(Step.EVALUATE, a); }

    public StepReport evaluate(String line) { return evaluate(Args.parse(line)); }

    /** Step 8: hyper-parameter search (grid, random, TPE, ASHA). */
    public StepReport tune(Args a) { return runCategoryStep(Step.TUNE, a); }

    public StepReport tune(String line) { return tune(Args.parse(line)); }

    /** Step 9: time- or order-preserving replay with per-window metrics and drift signals. */
    public StepReport backtest(Args a) { return runCategoryStep(Step.BACKTEST, a); }

    public StepReport backtest(String line) { return backtest(Args.parse(line)); }

    /** Step 10: operating threshold, probability calibration, or conformal intervals. */
    public StepReport calibrate(Args a) { return runCategoryStep(Step.CALIBRATE, a); }

    public StepReport calibrate(String line) { return calibrate(Args.parse(line)); }

    /** Step 12: the deployment bundle (native + ONNX model, preprocessing, signature, manifest). */
    public StepReport export(Args a) { return runCategoryStep(Step.EXPORT, a); }

    public StepReport export(String line) { return export(Args.parse(line)); }

    /** Step 13: register the exported bundle in the model registry. */
    public StepReport register(Args a) { return runCategoryStep(Step.REGISTER, a); }

    public StepReport register(String line) { return register(Args.parse(line)); }

    /** Step 14: the standard artifact map with paths. */
    public StepReport artifacts(Args a) { return runCategoryStep(Step.ARTIFACTS, a); }

    public StepReport artifacts() { return artifacts(Args.empty()); }

    private StepReport emptyArtifacts() {
        StepReport r = new StepReport("artifacts", "Artifacts");
        r.body().putObject("artifacts").put("training_log", context.log().file().toString());
        return r;
    }

    // ---------------------------------------------------------------- step 11: checkpoints

    /**
     * Step 11: saves everything needed to continue (session state, the category's state, reports) under
     * {@code run_dir/checkpoints/<id>}, through the shared {@link BundleWriter}: written under a temporary name,
     * published with one rename, with a SHA-256 manifest that {@link #resume} checks, so a half-written or damaged
     * checkpoint is refused.
     */
    public StepReport saveCheckpoint(Args a) {
        require(Step.SAVE_CHECKPOINT);
        SAVE_CHECKPOINT_OPTIONS.check(Step.SAVE_CHECKPOINT, a, null);
        String tag = a.getString("tag", "manual");
        if (!tag.matches("[A-Za-z0-9._-]+"))
            throw new ModelworkException("Bad checkpoint tag '" + tag + "'", "save_checkpoint tag",
                    "use letters, digits, '.', '_' or '-'");
        return runTimed(Step.SAVE_CHECKPOINT, a, () -> writeCheckpoint(tag));
    }

    public StepReport saveCheckpoint(String tag) { return saveCheckpoint(Args.of("tag", tag)); }

    private StepReport writeCheckpoint(String tag) {
        return Checkpoints.write(context, category == null ? null : category.name(), done, reports, state, tag);
    }

    /**
     * Step 11 (resume): restores a checkpoint into this (fresh) session: the run context, the category's state (which
     * re-reads the dataset and checks it against the saved fingerprint), and the reports. Arguments: {@code id} (a
     * checkpoint id under {@code run_dir/checkpoints}) and {@code run_dir}, or {@code path}; {@code out}: the resumed
     * session's own new run directory (default a fresh {@code run-<time>} under this session's runs root). The
     * checkpoint's run directory is never written (an {@code out} inside it is refused).
     */
    public StepReport resume(Args a) {
        checkOpen(Step.RESUME);
        RESUME_OPTIONS.check(Step.RESUME, a, null);
        if (!done.isEmpty())
            throw new ModelworkException("resume needs a fresh session", "resume",
                    "create a new session (or %close first), then resume");
        Checkpoints.Loaded l = Checkpoints.read(a);
        context = RunContext.configure(Args.from(l.contextArgs()), defaultRoot);
        try {
            if (!l.category().isEmpty()) {
                setCategory(Categories.byName(l.category()));
                Checkpoints.restoreState(l, state);
            }
        } catch (RuntimeException e) {
            closeState();
            category = null;
            context = null;
            throw e;
        }
        done.clear();
        for (Step step : l.steps()) done.put(step, l.stepArgs().get(step));
        StepReport r = Checkpoints.restore(l, context, reports);
        StepLog.start(context, Step.RESUME, a);
        record(Step.RESUME, a, r, 0);
        return r;
    }

    public StepReport resume(String line) { return resume(Args.parse(line)); }

    // ---------------------------------------------------------------- state

    /** What has run and the current state (for {@code %session}). */
    public StepReport status() { return SessionSteps.of(done, context, category == null ? null : category.name(), closed); }

    public boolean hasRun(Step s) { return done.containsKey(s); }

    public Optional<StepReport> report(Step s) { return Optional.ofNullable(reports.get(s)); }

    /** The arguments {@code s} last ran with in this session (resumed sessions: those of the checkpoint). */
    public Optional<Args> arguments(Step s) { return Optional.ofNullable(done.get(s)); }

    /**
     * Fits each of {@code specs} on this session's data and split, each in a run of its own, and ranks them with this
     * session's evaluated model ({@link SpecComparison}); this session is not changed.
     */
    public StepReport compareSpecs(List<String> specs, String by, String set, int limit, String curve) {
        checkOpen(Step.EVALUATE);
        return SpecComparison.run(this, specs, by, set, limit, curve);
    }

    public Map<Step, StepReport> reports() { return Collections.unmodifiableMap(reports); }

    public RunContext context() {
        if (context == null) throw new ModelworkException("The session is not configured", "session",
                "run configure first, e.g. %configure seed=42");
        return context;
    }

    /** The category chosen at attach_dataset (null before). */
    public Category<?> category() { return category; }

    /** The category's state (null before attach_dataset). */
    public CategoryState state() { return state; }

    /** The category's state as its type, e.g. {@code s.state(TabularState.class)}. */
    public <S extends CategoryState> S state(Class<S> type) {
        if (!type.isInstance(state))
            throw new ModelworkException("The session's state is " + (state == null ? "empty" : state.getClass().getSimpleName())
                    + ", not " + type.getSimpleName(), "session", "attach a dataset of that category first");
        return type.cast(state);
    }

    /** The step context handlers see (for categories composing other handlers). */
    public StepContext stepContext() { return ctx; }

    public Progress progress() { return progress; }

    /** Replaces the progress display (the kernel installs one that updates in place). */
    public Session progress(Progress p) { this.progress = p == null ? Progress.silent() : p; return this; }

    public boolean isClosed() { return closed; }

    /** Step 15: releases native handles (boosters, datasets, ONNX sessions) and files. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeState();
        if (context != null) {
            ObjectNode ev = Json.object();
            ev.put("step", "close");
            ev.put("outcome", "ok");
            context.log().write(ev);
        }
    }

    private void closeState() {
        if (state != null) {
            try { state.close(); } finally { state = null; }
        }
    }

    // ---------------------------------------------------------------- machinery

    /**
     * The declared keys of a step for this session: the session's own steps (configure, save_checkpoint, resume,
     * close) whatever the category, else the category's (for build and fit, those of {@code spec}); null when no
     * category is chosen yet and the step is the category's.
     */
    public Options options(Step step, String spec) {
        Options own = ownOptions(step);
        if (own != null) return own;
        return category == null ? null : category.options(step, spec != null ? spec : specOfBuild());
    }

    /** The keys of the session's own steps (configure, save_checkpoint, resume, close), else null. */
    public static Options ownOptions(Step step) {
        return switch (step) {
            case CONFIGURE -> RunContext.OPTIONS;
            case SAVE_CHECKPOINT -> SAVE_CHECKPOINT_OPTIONS;
            case RESUME -> RESUME_OPTIONS;
            case CLOSE -> Options.none();
            default -> null;
        };
    }

    /** Names of the keys of the session's own steps (configure, save_checkpoint, resume, close), else null. */
    public static Collection<String> ownKeys(Step step) {
        Options o = ownOptions(step);
        return o == null ? null : o.names();
    }

    private String specOfBuild() {
        Args b = done.get(Step.BUILD);
        return b == null ? null : b.getString("spec", null);
    }

    @SuppressWarnings("unchecked")
    private void choose(Args attachArgs, String spec) {
        setCategory((Category<CategoryState>) Categories.choose(attachArgs, spec));
    }

    @SuppressWarnings("unchecked")
    private void setCategory(Category<?> c) {
        category = (Category<CategoryState>) c;
        state = category.newState(ctx);
    }

    private void checkOpen(Step step) {
        if (closed)
            throw new ModelworkException("The session is closed", step.key(),
                    "create a new session (in the kernel: %configure starts one after %close)");
    }

    private void require(Step step) {
        checkOpen(step);
        SessionSteps.requireDone(step, done);
    }

    private StepReport runCategoryStep(Step step, Args a) {
        require(step);
        if (category == null) {
            if (step == Step.ARTIFACTS) return runTimed(step, a, this::emptyArtifacts);
            throw new ModelworkException("No dataset is attached", step.key(), "run attach_dataset first");
        }
        StepHandler<CategoryState> h = category.handler(step);
        Options opts = category.options(step, step == Step.BUILD ? a.getString("spec", null) : specOfBuild());
        if (h == null) {
            (opts == null ? Options.none() : opts).check(step, a, null);
            String why = category.notApplicable(step);
            return runTimed(step, a, () -> SessionSteps.notApplicable(step, category.name(), why));
        }
        if (opts != null) opts.check(step, a, null);
        return runTimed(step, a, () -> h.run(state, a, ctx));
    }

    /** Runs a step's body with the heartbeat, configure's timeout and retries ({@link StepLog#withRetries}), then records it. */
    private StepReport runTimed(Step step, Args a, java.util.function.Supplier<StepReport> body) {
        StepLog.start(context, step, a);
        long t0 = System.nanoTime();
        return StepLog.withRetries(context, step, t0, () -> {
            StepReport r;
            try (StepHeartbeat hb = heartbeat = clock.start(progress, step)) {
                r = StepLog.withTimeout(context, step, body);
            } finally {
                heartbeat = null;
            }
            record(step, a, r, (System.nanoTime() - t0) / 1e9);
            return r;
        });
    }

    private void record(Step step, Args a, StepReport r, double seconds) {
        r.body().put("seconds", seconds);
        // the report is written first: a failed write (full disk) leaves the step not done, and no temporary file
        AtomicFiles.writeStringFast(context.runDir().resolve("reports").resolve(step.key() + ".json"), Json.write(r.toJson()));
        done.put(step, a);
        reports.put(step, r);
        StepLog.end(context, step, seconds);
    }

    /** Generic dispatch by step (used by the recipe runner and the magics). */
    public StepReport run(Step step, Args a) {
        return switch (step) {
            case CONFIGURE -> configure(a);
            case ATTACH_DATASET -> attachDataset(a);
            case SAVE_CHECKPOINT -> saveCheckpoint(a);
            case RESUME -> resume(a);
            case CLOSE -> { close(); yield new StepReport("close", "Session closed"); }
            default -> runCategoryStep(step, a);
        };
    }

    /** What handlers see of this session. */
    final class Ctx implements StepContext {
        @Override public RunContext run() { return context(); }
        @Override public Progress progress() { StepHeartbeat hb = heartbeat; return hb != null ? hb : progress; }
        @Override public Optional<StepReport> report(Step step) { return Session.this.report(step); }
        @Override public Optional<Args> args(Step step) { return Optional.ofNullable(done.get(step)); }
        @Override public boolean hasRun(Step step) { return done.containsKey(step); }
        @Override public String category() { return category == null ? "" : category.name(); }
        @Override public void invalidate(Step step) { reports.remove(step); }
        Session session() { return Session.this; }
    }
}
