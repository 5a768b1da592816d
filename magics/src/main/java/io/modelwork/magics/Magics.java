package io.modelwork.magics;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Progress;
import io.modelwork.core.Step;
import io.modelwork.session.Session;
import io.modelwork.recipe.Recipe;

import java.util.EnumMap;
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

    /**
     * One line of help per step; the magics themselves come from {@link Step#values()} ({@link #magicName}), and
     * each runs through {@link Session#run(Step, Args)}: the step table of the session is the magics' table.
     */
    private static final Map<Step, String> STEP_HELP = new EnumMap<>(Step.class);

    static {
        STEP_HELP.put(Step.CONFIGURE, "runtime: device, seed, log/checkpoint dirs, retries (e.g. %configure device=cpu seed=42)");
        STEP_HELP.put(Step.ATTACH_DATASET, "attach a dataset and validate its schema: fingerprint, profile, validation report");
        STEP_HELP.put(Step.PREPARE_DATA, "fit and freeze the preprocessing pipeline");
        STEP_HELP.put(Step.SPLIT, "train/validation/test or k-fold split (stratified, group, time)");
        STEP_HELP.put(Step.BUILD, "choose and initialise the model (e.g. %build spec=regression.xgboost)");
        STEP_HELP.put(Step.FIT, "train with early stopping; learning curve");
        STEP_HELP.put(Step.EVALUATE, "metrics, curves, confusion matrix, error gallery");
        STEP_HELP.put(Step.TUNE, "hyper-parameter search (grid, random, tpe, asha)");
        STEP_HELP.put(Step.BACKTEST, "time-ordered evaluation by window");
        STEP_HELP.put(Step.CALIBRATE, "operating threshold / probability calibration");
        STEP_HELP.put(Step.SAVE_CHECKPOINT, "save a checkpoint (tag=...)");
        STEP_HELP.put(Step.RESUME, "resume from a checkpoint (id=...)");
        STEP_HELP.put(Step.EXPORT, "deployment bundle: model, preprocessing, signature, manifest");
        STEP_HELP.put(Step.REGISTER, "register in the model registry (name, version, stage)");
        STEP_HELP.put(Step.ARTIFACTS, "the standard artifact map");
        STEP_HELP.put(Step.CLOSE, "release the session's resources; the next step opens a new session");
    }

    /** The magic of a step: its key, with the short names attach, prepare and checkpoint. */
    public static String magicName(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> "attach";
            case PREPARE_DATA -> "prepare";
            case SAVE_CHECKPOINT -> "checkpoint";
            default -> step.key();
        };
    }

    /** The step of a magic name ({@code fit}, {@code attach}, …), or null when it is not a step magic. */
    public static Step stepOf(String magic) {
        if (magic == null) return null;
        String m = magic.startsWith("%") ? magic.substring(1) : magic;
        for (Step s : Step.values()) if (magicName(s).equals(m)) return s;
        return null;
    }

    /** One line of help of a step. */
    public static String stepHelp(Step step) {
        return step.number() + " " + STEP_HELP.getOrDefault(step, step.key());
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
        Step step = stepOf(magic);
        if (step == null)
            throw new ModelworkException("Unknown step magic %" + magic, "%" + magic, "use one of "
                    + java.util.Arrays.stream(Step.values()).map(s -> "%" + magicName(s)).toList());
        if (step == Step.CLOSE) return close(line);
        Args args = Args.parse(expand(line == null ? "" : line.trim(), "%" + magic));
        return session().run(step, args);
    }

    /**
     * Expands {@code ${NAME}} and {@code ${NAME:-default}} in a magic line, as a shell does: NAME is an environment
     * variable, or {@code run_dir} (the session's run directory, after configure); the default may itself hold
     * {@code ${...}}. The templates register with {@code home=${MODELWORK_HOME:-${run_dir}/registry}}: the run's own
     * registry unless the user set a home. An unset NAME without a default is an error naming it.
     */
    static String expand(String line, String where) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            int at = line.indexOf("${", i);
            if (at < 0) { out.append(line, i, line.length()); break; }
            out.append(line, i, at);
            int depth = 0, end = -1;
            for (int k = at; k < line.length(); k++) {
                if (line.startsWith("${", k)) { depth++; k++; }
                else if (line.charAt(k) == '}' && --depth == 0) { end = k; break; }
            }
            if (end < 0) throw new ModelworkException("Unclosed ${ in the magic line", where + " " + line, "write ${NAME} or ${NAME:-default}");
            String body = line.substring(at + 2, end);
            int dash = body.indexOf(":-");
            String name = dash < 0 ? body : body.substring(0, dash);
            String value = variable(name);
            if (value == null || value.isEmpty()) {
                if (dash < 0) throw new ModelworkException("${" + name + "} is not set", where + " " + line,
                        "set the environment variable " + name + ", or give a default: ${" + name + ":-VALUE}");
                value = expand(body.substring(dash + 2), where);
            }
            out.append(value);
            i = end + 1;
        }
        return out.toString();
    }

    private static String variable(String name) {
        if (name.equals("run_dir")) return hasSession() && session().hasRun(Step.CONFIGURE) ? session().context().runDir().toString() : null;
        return System.getenv(name);
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

    /** The keys of {@code %compare}. */
    static final io.modelwork.core.Options COMPARE = io.modelwork.core.Options.of(
            io.modelwork.core.Option.path("root", "run root whose runs are ranked (default: the session's, else runs/)"),
            io.modelwork.core.Option.text("by", null, "metric to rank by (default: the first metric of the newest run)"),
            io.modelwork.core.Option.choice("set", "test", java.util.List.of("test", "validation", "train"), "which evaluated set's metrics"),
            io.modelwork.core.Option.integer("limit", 20, 1, 100_000, "rows of the leaderboard"),
            io.modelwork.core.Option.text("curve", null, "a chart every run has, drawn overlaid: learning_curve, roc, pr, calibration, tuning_history, …"),
            io.modelwork.core.Option.list("specs", null, "fit these specs on this session's data, seed and split and rank them with its model"),
            io.modelwork.core.Option.path("registry", "rank the versions registered in this registry folder instead"),
            io.modelwork.core.Option.text("name", null, "with registry=: only this model's versions"));
    static final java.util.List<String> COMPARE_KEYS = java.util.List.copyOf(COMPARE.names());

    /**
     * {@code %compare [root=DIR] [by=METRIC] [set=test] [limit=20] [curve=roc]}: the leaderboard of the runs under the
     * run root (the session's, else {@code runs/}), best first, with {@code curve} of every run overlaid
     * ({@link io.modelwork.runs.RunComparison}); {@code specs=a,b} fits those specs on the session's data and split and
     * ranks them with the session's model (the session is not changed); {@code registry=HOME [name=NAME]} ranks
     * registered versions by the test metrics they were registered with.
     */
    public static Object compare(String line) {
        Args a = Args.parse(line == null ? "" : line.trim());
        for (String k : a.keys())
            if (!COMPARE_KEYS.contains(k)) {
                String close = io.modelwork.core.Options.closest(k, COMPARE_KEYS);
                throw new ModelworkException("Unknown argument '" + k + "' for %compare", "%compare " + line.trim(),
                        (close != null ? "did you mean '" + close + "'? " : "") + "valid keys: " + COMPARE_KEYS);
            }
        String by = a.getString("by", null), set = a.getString("set", "test"), curve = a.getString("curve", null);
        int limit = a.getInt("limit", 20);
        if (a.has("specs") && a.has("registry"))
            throw new ModelworkException("%compare takes specs= or registry=, not both", "%compare " + line.trim(),
                    "run one %compare for the specs and another for the registry versions");
        if (a.has("specs")) {
            if (!hasSession())
                throw new ModelworkException("%compare specs= needs a session with a split", "%compare " + line.trim(),
                        "run %configure, %attach_dataset, %prepare_data and %split first");
            return session().compareSpecs(a.getList("specs"), by, set, limit, curve);
        }
        if (a.has("registry")) {
            java.nio.file.Path home = java.nio.file.Path.of(a.getString("registry", null));
            var runs = io.modelwork.runs.RegistryRuns.read(home, a.getString("name", null));
            return io.modelwork.runs.RunComparison.compare(runs, by, set, limit, null,
                    "Registered versions compared: " + runs.size() + " in " + home);
        }
        if (a.has("name"))
            throw new ModelworkException("name= selects registry versions", "%compare " + line.trim(),
                    "add registry=HOME (the registry folder, e.g. the run's registry/), or drop name=");
        java.nio.file.Path root;
        if (a.has("root")) root = java.nio.file.Path.of(a.getString("root", "runs"));
        else if (hasSession() && session().hasRun(Step.CONFIGURE)) root = session().context().runDir().getParent();
        else root = java.nio.file.Path.of("runs");
        return io.modelwork.runs.RunComparison.compare(root, by, set, limit, curve);
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
        StringBuilder sb = new StringBuilder("Modelwork magics (arguments are key=value; a mistyped key lists the valid ones;"
                + " %help STEP lists a step's keys; Tab completes keys, Shift-Tab shows them)\n");
        int w = help.keySet().stream().mapToInt(String::length).max().orElse(10);
        help.forEach((k, v) -> sb.append(String.format("  %-" + w + "s  %s%n", k, v)));
        return sb.toString();
    }

    /**
     * {@code %help} alone: the list of {@code all} magics; {@code %help fit} (or {@code %help %fit}): the step's
     * keys with type, default, range and help ({@link MagicOptions#helpText}); another magic: its line of help.
     */
    public static String help(String line, Map<String, String> all) {
        String name = line == null ? "" : line.trim();
        if (name.isEmpty()) return helpText(all);
        String bare = name.replaceFirst("^%+", "");
        Step step = stepOf(bare);
        if (step == null) {
            try { step = Step.of(bare); } catch (ModelworkException ignored) { /* not a step */ }
        }
        if (step != null) return MagicOptions.helpText(step);
        if (bare.equals("compare")) return MagicOptions.inspect("compare");
        for (Map.Entry<String, String> e : all.entrySet())
            if (e.getKey().replaceFirst("^%+", "").equals(bare)) return e.getKey() + "  " + e.getValue() + "\n";
        String close = io.modelwork.core.Options.closest(bare, all.keySet().stream().map(k -> k.replaceFirst("^%+", "")).toList());
        throw new ModelworkException("No magic or step named '" + name + "'", "%help " + name,
                (close != null ? "did you mean '" + close + "'? " : "") + "%help alone lists them all");
    }

    @Override
    public Map<String, LineMagic> lineMagics() {
        Map<String, LineMagic> m = new LinkedHashMap<>();
        for (Step step : Step.values()) {
            String name = magicName(step);
            m.put(name, line -> runStep(name, line));
        }
        m.put("session", Magics::status);
        m.put("compare", Magics::compare);
        m.put("help", line -> help(line, help()));
        return m;
    }

    @Override
    public Map<String, CellMagic> cellMagics() {
        return Map.of("recipe", Magics::recipe);
    }

    @Override
    public Map<String, String> help() {
        Map<String, String> h = new LinkedHashMap<>();
        for (Step step : Step.values()) h.put("%" + magicName(step), stepHelp(step));
        h.put("%session", "what has run and the current state");
        h.put("%compare", "leaderboard of the runs under the run root: test metrics, spec, params, time (by=METRIC set=test root=DIR limit=20 curve=roc); "
                + "specs=a,b fits those specs on this session's split and ranks them; registry=HOME [name=NAME] ranks registered versions");
        h.put("%help", "this list; %help STEP: the keys of a step");
        h.put("%%recipe", "run the YAML recipe in the cell on this session (same keys as bin/modelwork pipeline)");
        return h;
    }

}
