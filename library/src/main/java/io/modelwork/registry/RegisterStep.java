package io.modelwork.registry;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The register step shared by every workflow: puts an exported bundle into the {@link ModelRegistry} named by
 * {@code home} (default {@link ModelRegistry#defaultHome()}) and reports the new version. The arguments are the same
 * for all categories: {@code name}, {@code stage}, {@code tags}, {@code actor}, {@code home}; a workflow only adds
 * its default name and its own tags.
 */
public final class RegisterStep {
    private RegisterStep() { }

    /** The argument keys the register step takes. */
    public static final java.util.List<String> KEYS = java.util.List.of("name", "stage", "tags", "home", "actor");

    /** A registry-safe model name stem from a file name or problem name: extension dropped, odd characters to '_'. */
    public static String stem(String fileOrName) {
        String s = Path.of(fileOrName).getFileName().toString().replaceAll("\\..*$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        if (s.isEmpty()) s = "model";
        return s.length() > ModelRegistry.MAX_NAME_LENGTH ? s.substring(0, ModelRegistry.MAX_NAME_LENGTH) : s;
    }

    /** Adds {@code test_<metric>} tags from the evaluate step's test-set metrics, when evaluate ran (numbers only). */
    public static void addTestMetricTags(Session session, Map<String, String> tags) {
        session.report(Step.EVALUATE).ifPresent(ev -> ev.body().path("metrics").path("test").fields()
                .forEachRemaining(e -> {
                    if (e.getValue().isNumber()) tags.putIfAbsent("test_" + e.getKey(), String.valueOf(e.getValue().asDouble()));
                }));
    }

    /**
     * Registers {@code exportDir}. The user's {@code tags} come first; {@code workflowTags} fill in what the user did
     * not set. {@code hint} is a note on how to use the entry.
     */
    public static StepReport run(Path exportDir, Args a, String defaultName, Map<String, String> workflowTags, String hint) {
        if (exportDir == null || !Files.isDirectory(exportDir))
            throw new ModelworkException("Nothing exported to register", "register", "run export first");
        String name = a.getString("name", defaultName);
        Path home = a.has("home") ? Path.of(a.getString("home", null)) : ModelRegistry.defaultHome();
        Map<String, String> tags = new LinkedHashMap<>();
        a.getMap("tags").forEach((k, v) -> tags.put(k, String.valueOf(v)));
        workflowTags.forEach(tags::putIfAbsent);
        String actor = a.getString("actor", System.getProperty("user.name", "unknown"));
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            ModelVersion v = reg.register(name, exportDir, a.getString("stage", "none"), tags, actor);
            StepReport r = new StepReport("register", "Registered " + v.modelId());
            r.body().put("model_id", v.modelId());
            r.body().set("model_version", v.toJson());
            r.body().put("registry", home.toString());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model_id", v.modelId());
            row.put("stage", v.stage().toString().toLowerCase(Locale.ROOT));
            row.put("content id", v.contentId());
            row.put("files", v.manifest().size());
            row.put("registry", home);
            row.putAll(tags);
            r.table(Tables.keyValues("Registry entry", row));
            r.note("refer to it by its key: " + v.modelId() + " (or " + v.name() + "/<stage>, " + v.name() + "@<alias>)"
                    + (hint == null || hint.isEmpty() ? "" : "; " + hint));
            return r;
        }
    }
}
