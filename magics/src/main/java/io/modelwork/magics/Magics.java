package io.modelwork.magics;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Progress;
import io.modelwork.session.Session;
import io.modelwork.recipe.Recipe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle magics: one line magic per step ({@code %configure key=value …} … {@code %close}), {@code %session},
 * {@code %help} and the cell magic {@code %%recipe}. All of them act on the kernel's one
 * {@code io.modelwork.session.Session}, which notebook code reaches with {@link #session()} (the kernel imports it, so
 * {@code session().evaluate(Args.of(...))} works in a cell) — magics and code can be mixed freely.
 *
 * <p>Arguments are parsed with {@link Args#parse(String)}; the session's steps check the keys, so a mistyped key gives
 * a {@link ModelworkException} listing the valid ones.
 *
 * <p>{@code %%recipe} runs {@link Recipe#run(Session, String)} on the same session.
 */
public final class Magics implements MagicSet {

    /** magic name → Session method (taking Args), with one line of help. */
    static final Map<String, String[]> STEPS = new LinkedHashMap<>();

    static {
        step("configure", "configure", "1 runtime: device, seed, log/checkpoint dirs, retries (e.g. %configure device=cpu seed=42)");
        step("attach", "attachDataset", "2 attach a dataset and validate its schema: fingerprint, profile, validation report");
        step("prepare", "prepareData", "3 fit and freeze the preprocessing pipeline");
        step("split", "split", "4 train/validation/test or k-fold split (stratified, group, time)");
        step("build", "build", "5 choose and initialise the model (e.g. %build model=xgboost)");
        step("fit", "fit", "6 train with early stopping; learning curve");
        step("evaluate", "evaluate", "7 metrics, curves, confusion matrix, error gallery");
        step("tune", "tune", "8 hyper-parameter search (grid, random, tpe, asha)");
        step("backtest", "backtest", "9 time-ordered evaluation by window");
        step("calibrate", "calibrate", "10 operating threshold / probability calibration");
        step("checkpoint", "saveCheckpoint", "11 save a checkpoint (tag=...)");
        step("resume", "resume", "11 resume from a checkpoint (id=...)");
        step("export", "export", "12 deployment bundle: model, preprocessing, signature, manifest");
        step("register", "register", "13 register in the model registry (name, version, stage)");
        step("artifacts", "artifacts", "14 the standard artifact map");
    }

    private static void step(String magic, String method, String help) {
        STEPS.put(magic, new String[]{method, help});
    }

    private static final Object LOCK = new Object();
    private static Session session;
    private static volatile Progress progress;

    /** The kernel's session, created on first use. */
    public static Session session() {
        synchronized (LOCK) {
            if (session == null) {
                session = Session.create();
                if (progress != null) session.progress(progress);
            }
            return session;
        }
    }

    /** Replaces the kernel's session (e.g. one built in Java code); {@code null} discards it. */
    public static void useSession(Session s) {
        synchronized (LOCK) {
            session = s;
            if (s != null && progress != null) s.progress(progress);
        }
    }

    /** Whether a session is open. */
    public static boolean hasSession() {
        synchronized (LOCK) { return session != null; }
    }

    /** The progress sink installed in every session (the kernel installs one that updates a display in place). */
    public static void progress(Progress p) {
        synchronized (LOCK) {
            progress = p;
            if (session != null && p != null) session.progress(p);
        }
    }

    /** Runs step {@code magic} (e.g. {@code fit}) with a magic line of {@code key=value} arguments. */
    public static Object runStep(String magic, String line) {
        String[] spec = STEPS.get(magic);
        if (spec == null)
            throw new ModelworkException("Unknown step magic %" + magic, "%" + magic, "use one of " + STEPS.keySet());
        Args args = Args.parse(line == null ? "" : line.trim());
        Session s = session();
        return switch (spec[0]) {
            case "configure" -> s.configure(args);
            case "attachDataset" -> s.attachDataset(args);
            case "prepareData" -> s.prepareData(args);
            case "split" -> s.split(args);
            case "build" -> s.build(args);
            case "fit" -> s.fit(args);
            case "evaluate" -> s.evaluate(args);
            case "tune" -> s.tune(args);
            case "backtest" -> s.backtest(args);
            case "calibrate" -> s.calibrate(args);
            case "saveCheckpoint" -> s.saveCheckpoint(args);
            case "resume" -> s.resume(args);
            case "export" -> s.export(args);
            case "register" -> s.register(args);
            case "artifacts" -> s.artifacts(args);
            default -> throw new IllegalStateException(spec[0]);
        };
    }

    /** {@code %close}: closes the session and forgets it; the next step magic opens a new one. */
    public static Object close(String line) {
        if (line != null && !line.isBlank())
            throw new ModelworkException("%close takes no arguments", "%close " + line.trim(), "write %close alone");
        Session s;
        synchronized (LOCK) {
            s = session;
            session = null;
        }
        if (s == null) return "No session is open.";
        s.close();
        return "Session closed: resources released. The next step magic opens a new session.";
    }

    /** {@code %session}: what has run and the current state. */
    public static Object status(String line) {
        if (line != null && !line.isBlank())
            throw new ModelworkException("%session takes no arguments", "%session " + line.trim(), "write %session alone");
        return session().status();
    }

    /** {@code %%recipe}: runs the YAML recipe in the cell body on the kernel's session; returns the step reports. */
    public static Object recipe(String line, String yaml) {
        if (yaml == null || yaml.isBlank())
            throw new ModelworkException("%%recipe needs a YAML recipe in the cell", "%%recipe",
                    "put the recipe below the %%recipe line, e.g. configure: {seed: 42} on one line, attach_dataset: ... on the next");
        if (line != null && !line.isBlank())
            throw new ModelworkException("%%recipe takes no arguments on its line", "%%recipe " + line.trim(),
                    "put every step and its keys in the cell body");
        Session s = session();
        try {
            return Recipe.run(s, yaml);
        } finally {
            synchronized (LOCK) {
                if (session == s && s.isClosed()) session = null; // the recipe had a close step
            }
        }
    }

    /** {@code %help}: one line per magic. */
    public static String helpText(Map<String, String> help) {
        StringBuilder sb = new StringBuilder("Modelwork magics (arguments are key=value; a mistyped key lists the valid ones)\n");
        int w = help.keySet().stream().mapToInt(String::length).max().orElse(10);
        help.forEach((k, v) -> sb.append(String.format("  %-" + w + "s  %s%n", k, v)));
        return sb.toString();
    }

    @Override
    public Map<String, LineMagic> lineMagics() {
        Map<String, LineMagic> m = new LinkedHashMap<>();
        for (String name : STEPS.keySet()) m.put(name, line -> runStep(name, line));
        m.put("close", Magics::close);
        m.put("session", Magics::status);
        m.put("help", line -> helpText(help()));
        return m;
    }

    @Override
    public Map<String, CellMagic> cellMagics() {
        return Map.of("recipe", Magics::recipe);
    }

    @Override
    public Map<String, String> help() {
        Map<String, String> h = new LinkedHashMap<>();
        STEPS.forEach((k, v) -> h.put("%" + k, v[1]));
        h.put("%close", "15 release the session's resources; the next step opens a new session");
        h.put("%session", "what has run and the current state");
        h.put("%help", "this list");
        h.put("%%recipe", "run the YAML recipe in the cell on this session (same keys as bin/modelwork pipeline)");
        return h;
    }

}
