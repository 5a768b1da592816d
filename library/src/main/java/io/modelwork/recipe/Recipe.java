package io.modelwork.recipe;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Options;
import io.modelwork.session.Session;
import io.modelwork.spi.Categories;
import io.modelwork.spi.Category;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.registry.ModelRegistry;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * A recipe: the 15 steps as a YAML (or JSON) document whose top-level keys are the step names in snake_case, each
 * holding that step's arguments, the same keys as the magics and the Java {@link Args}. The whole recipe is checked
 * before any work (unknown step, unknown key, wrong value type, missing data file), with errors that name the key
 * and the line. Steps run in lifecycle order whatever their order in the file; left-out steps are skipped where
 * SPEC.md allows it (tune, backtest, calibrate, save_checkpoint, export, register, artifacts) and run with defaults
 * otherwise (configure, prepare_data, split, build, fit, evaluate).
 */
public final class Recipe {
    private final LinkedHashMap<Step, Args> steps;
    private final String source;

    private Recipe(LinkedHashMap<Step, Args> steps, String source) {
        this.steps = steps;
        this.source = source;
    }

    static final Set<Step> DEFAULTED = EnumSet.of(Step.CONFIGURE, Step.PREPARE_DATA, Step.SPLIT, Step.BUILD, Step.FIT, Step.EVALUATE);
    static final List<Step> ORDER = List.of(Step.CONFIGURE, Step.RESUME, Step.ATTACH_DATASET, Step.PREPARE_DATA, Step.SPLIT,
            Step.BUILD, Step.FIT, Step.EVALUATE, Step.TUNE, Step.BACKTEST, Step.CALIBRATE, Step.SAVE_CHECKPOINT,
            Step.EXPORT, Step.REGISTER, Step.ARTIFACTS, Step.CLOSE);

    public static Recipe load(Path file) {
        if (!Files.isRegularFile(file))
            throw new ModelworkException("The recipe file does not exist", file.toString(), "check the path");
        try {
            return parse(Files.readString(file), file.toString(), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the recipe: " + e.getMessage(), file.toString(), "check the file");
        }
    }

    /** Parses and checks a recipe; relative data paths resolve against {@code baseDir} (may be null). */
    public static Recipe parse(String text, String source, Path baseDir) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            throw new ModelworkException("The recipe is not valid YAML/JSON: " + e.getMessage().replace('\n', ' '), source,
                    "fix the syntax at the line shown");
        }
        if (root == null) throw new ModelworkException("The recipe is empty", source, "add at least attach_dataset: {path: ..., target: ...}");
        if (!(root instanceof MappingNode map))
            throw new ModelworkException("The recipe must be a mapping of step names to arguments", source + ":" + line(root),
                    "write e.g. 'fit: {rounds: 300}' at the top level");
        checkStructure(map, source);
        LinkedHashMap<Step, Args> steps = new LinkedHashMap<>();
        Map<Step, Integer> lines = new HashMap<>();
        Map<String, Integer> argLines = new HashMap<>();
        Map<?, ?> plain;
        try {
            plain = new Yaml(new LoaderOptions()).load(text);
        } catch (RuntimeException e) {
            throw new ModelworkException("The recipe is not valid YAML/JSON: " + String.valueOf(e.getMessage()).replace('\n', ' '),
                    source, "fix the syntax at the line shown");
        }
        // the category that will take the dataset checks keys, value types and ranges now, before any work
        Category<?> category = chooseCategory(plain, baseDir, source);
        for (NodeTuple t : map.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            int ln = line(t.getKeyNode());
            Step step;
            try {
                step = Step.of(key);
            } catch (ModelworkException e) {
                throw new ModelworkException("Unknown step '" + key + "' in the recipe", source + ":" + ln, e.fix());
            }
            Object value = plain.get(key);
            Map<String, Object> args = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> m) m.forEach((k, v) -> args.put(String.valueOf(k), v));
            else if (value != null && !(value instanceof Boolean b && b))
                throw new ModelworkException("The arguments of step '" + key + "' must be a mapping", source + ":" + ln,
                        "write '" + key + ": {key: value, ...}' (or leave it empty for defaults)");
            steps.put(step, Args.from(args));
            lines.put(step, ln);
            // check keys and value types now, before any work
            if (t.getValueNode() instanceof MappingNode am) {
                Options opts = options(category, step, buildSpec(plain));
                for (NodeTuple at : am.getValue()) {
                    String ak = ((ScalarNode) at.getKeyNode()).getValue();
                    String where = source + ":" + line(at.getKeyNode());
                    argLines.put(step.key() + "." + ak, line(at.getValueNode()));
                    if (opts != null && !opts.has(ak))
                        throw new ModelworkException("Unknown key '" + ak + "' in step " + step.key(), where,
                                opts.unknown(step, ak, where).fix());
                    if (opts != null) {
                        try {
                            opts.get(ak).check(args.get(ak), source + ":" + line(at.getValueNode()));
                        } catch (ModelworkException e) {
                            throw new ModelworkException(e.what() + " (" + step.key() + "." + ak + ")", e.where(), e.fix());
                        }
                    }
                }
            }
        }
        if (!steps.containsKey(Step.ATTACH_DATASET) && !steps.containsKey(Step.RESUME))
            throw new ModelworkException("The recipe has no attach_dataset step", source,
                    "add attach_dataset: {path: data.csv, target: <column>}");
        Args attach = steps.get(Step.ATTACH_DATASET);
        if (attach != null) {
            String p = attach.getString("path", null);
            if (p == null)
                throw new ModelworkException("attach_dataset needs a path", source + ":" + lines.get(Step.ATTACH_DATASET),
                        "add path: data.csv (or a jdbc: URL with query)");
            if (!p.startsWith("jdbc:")) {
                Path dp = baseDir == null || Path.of(p).isAbsolute() ? Path.of(p) : baseDir.resolve(p).normalize();
                if (!Files.exists(dp))
                    throw new ModelworkException("The data file does not exist: " + dp, source + ":" + lines.get(Step.ATTACH_DATASET),
                            "fix attach_dataset.path (relative paths resolve against the recipe's folder)");
                attach = attach.with("path", dp.toString());
                if (attach.has("test_path")) {
                    String tp = attach.getString("test_path", null);
                    Path tpp = baseDir == null || Path.of(tp).isAbsolute() ? Path.of(tp) : baseDir.resolve(tp).normalize();
                    if (!Files.exists(tpp))
                        throw new ModelworkException("The test data file does not exist: " + tpp,
                                source + ":" + argLines.getOrDefault("attach_dataset.test_path", lines.get(Step.ATTACH_DATASET)),
                                "fix attach_dataset.test_path (relative paths resolve against the recipe's folder)");
                    attach = attach.with("test_path", tpp.toString());
                }
                steps.put(Step.ATTACH_DATASET, attach);
            }
        }
        checkValues(steps, lines, argLines, source, category);
        return new Recipe(steps, source);
    }

    /**
     * The shape of the document: step names and argument keys are plain scalars (a YAML sequence or mapping used as
     * a key is refused) and none appears twice (YAML would silently keep the second).
     */
    private static void checkStructure(MappingNode map, String source) {
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode sk))
                throw new ModelworkException("A step name must be a plain word, not a " + kind(k), source + ":" + line(k),
                        "write the step name (e.g. 'fit:') as the key; its arguments go in the mapping below it");
            if (!seen.add(sk.getValue()))
                throw new ModelworkException("Step '" + sk.getValue() + "' appears twice in the recipe", source + ":" + line(k),
                        "merge the two '" + sk.getValue() + ":' blocks into one (YAML would silently keep only the second)");
            if (t.getValueNode() instanceof MappingNode am) {
                Set<String> keys = new HashSet<>();
                for (NodeTuple at : am.getValue()) {
                    Node ak = at.getKeyNode();
                    if (!(ak instanceof ScalarNode sak))
                        throw new ModelworkException("A key of step '" + sk.getValue() + "' must be a plain word, not a "
                                + kind(ak), source + ":" + line(ak), "write 'key: value' (a list goes on the value side: 'key: [a, b]')");
                    if (!keys.add(sak.getValue()))
                        throw new ModelworkException("Key '" + sak.getValue() + "' appears twice in step '" + sk.getValue() + "'",
                                source + ":" + line(ak), "keep one '" + sak.getValue() + ":' line");
                }
            }
        }
    }

    private static String kind(Node n) {
        return n instanceof MappingNode ? "mapping" : n instanceof org.yaml.snakeyaml.nodes.SequenceNode ? "sequence (list)" : "complex value";
    }

    /**
     * Value checks that need more than one key's declaration, done before any work: the model spec exists, the
     * register name is valid for the registry, split ratios sum to 1.
     */
    private static void checkValues(Map<Step, Args> steps, Map<Step, Integer> lines, Map<String, Integer> argLines, String source,
                                    Category<?> category) {
        Args build = steps.get(Step.BUILD);
        if (build != null && build.has("spec")) {
            String where = source + ":" + argLines.getOrDefault("build.spec", lines.get(Step.BUILD)) + " (build.spec)";
            String spec = build.getString("spec", null);
            try {
                Categories.forSpec(spec);
            } catch (ModelworkException e) {
                throw new ModelworkException(e.what(), where, e.fix());
            }
        }
        Args reg = steps.get(Step.REGISTER);
        if (reg != null && reg.has("name"))
            ModelRegistry.checkModelName(reg.getString("name", null),
                    source + ":" + argLines.getOrDefault("register.name", lines.get(Step.REGISTER)) + " (register.name)");
        Args split = steps.get(Step.SPLIT);
        if (split != null && split.has("ratios")) {
            String where = source + ":" + argLines.getOrDefault("split.ratios", lines.get(Step.SPLIT)) + " (split.ratios)";
            double[] r;
            try {
                r = split.getDoubles("ratios", null);
            } catch (ModelworkException e) {
                throw new ModelworkException(e.what(), where, e.fix());
            }
            if (r == null) r = new double[0];
            double sum = 0;
            for (double v : r) sum += v;
            if (r.length < 2 || r.length > 3 || Arrays.stream(r).anyMatch(v -> v < 0 || !Double.isFinite(v)) || Math.abs(sum - 1) > 1e-6)
                throw new ModelworkException("Split ratios must be two or three non-negative numbers that sum to 1, got "
                        + Arrays.toString(r) + " (sum " + sum + ")", where, "e.g. ratios: [0.7, 0.15, 0.15] (train, validation, test)");
        }
    }

    /** The category a recipe's data goes to (null when none recognises it: the session reports that at attach). */
    private static Category<?> chooseCategory(Map<?, ?> plain, Path baseDir, String source) {
        try {
            return Categories.choose(attachArgs(plain, baseDir), buildSpec(plain));
        } catch (ModelworkException e) {
            if (e.what().startsWith("No category")) return null;
            throw new ModelworkException(e.what(), source + " attach_dataset", e.fix());
        }
    }

    private static String buildSpec(Map<?, ?> plain) {
        Object b = plain == null ? null : plain.get("build");
        return b instanceof Map<?, ?> m && m.get("spec") != null ? String.valueOf(m.get("spec")) : null;
    }

    /** The declared keys of a step in a recipe: the session's own steps, else the category's (null: unknown yet). */
    private static Options options(Category<?> category, Step step, String spec) {
        Options own = Session.ownOptions(step);
        if (own != null) return own;
        if (category == null) return null;
        return category.options(step, spec);
    }

    /** attach_dataset's arguments with a relative path resolved against the recipe's folder (what the session will see). */
    private static Args attachArgs(Map<?, ?> plain, Path baseDir) {
        Object attach = plain == null ? null : plain.containsKey("attach_dataset") ? plain.get("attach_dataset") : plain.get("attach");
        Map<String, Object> a = new LinkedHashMap<>();
        if (attach instanceof Map<?, ?> m) m.forEach((k, v) -> a.put(String.valueOf(k), v));
        Object p = a.get("path");
        if (p != null && baseDir != null && !String.valueOf(p).startsWith("jdbc:") && !Path.of(String.valueOf(p)).isAbsolute())
            a.put("path", baseDir.resolve(String.valueOf(p)).normalize().toString());
        return Args.from(a);
    }

    private static int line(Node n) { return n.getStartMark().getLine() + 1; }

    public Map<Step, Args> steps() { return Collections.unmodifiableMap(steps); }

    /** Runs the recipe in the given session; {@code runDir} (nullable) overrides configure.run_dir. */
    public List<StepReport> run(Session session, Path runDir) {
        return run(session, runDir, r -> { });
    }

    /** As {@link #run(Session, Path)}, handing each step's report to {@code onStep} as soon as the step is done. */
    public List<StepReport> run(Session session, Path runDir, java.util.function.Consumer<StepReport> onStep) {
        List<StepReport> out = new ArrayList<>() {
            @Override public boolean add(StepReport r) { onStep.accept(r); return super.add(r); }
        };
        for (Step s : ORDER) {
            Args a = steps.get(s);
            if (a == null && !DEFAULTED.contains(s)) continue;
            if (a == null) a = Args.empty();
            if (s == Step.CONFIGURE && runDir != null) a = a.with("run_dir", runDir.toString());
            if (s == Step.CONFIGURE && steps.containsKey(Step.RESUME)) continue;
            // a resumed run writes into its own new run directory (--out), never the checkpoint's
            if (s == Step.RESUME && !a.has("out")) {
                Args conf = steps.get(Step.CONFIGURE);
                if (runDir != null) a = a.with("out", runDir.toString());
                else if (conf != null && conf.has("run_dir")) a = a.with("out", conf.getString("run_dir", null));
            }
            if (steps.containsKey(Step.RESUME) && s.number() <= Step.FIT.number() && s != Step.RESUME && !steps.containsKey(s)) continue;
            if (s == Step.CLOSE) { session.close(); break; }
            out.add(session.run(s, a));
        }
        session.close();
        return out;
    }

    /**
     * Runs YAML text in an existing session (the kernel's {@code %%recipe}): unlike a headless run, only the steps the
     * text names are run, in lifecycle order, so a cell can continue a session that earlier cells started.
     */
    public static List<StepReport> run(Session session, String yamlText) {
        Recipe r = parse(yamlText, "%%recipe cell", Path.of("").toAbsolutePath());
        List<StepReport> out = new ArrayList<>();
        for (Step s : ORDER) {
            Args a = r.steps.get(s);
            if (a == null) continue;
            if (s == Step.CLOSE) { session.close(); break; }
            out.add(session.run(s, a));
        }
        return out;
    }

    public String source() { return source; }
}
