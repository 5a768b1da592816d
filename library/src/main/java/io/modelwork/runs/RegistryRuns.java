package io.modelwork.runs;

import io.modelwork.core.ModelworkException;
import io.modelwork.registry.ModelRegistry;
import io.modelwork.registry.ModelVersion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registered versions as rows of the leaderboard: a version's test metrics are the {@code test_<metric>} tags the
 * register step wrote (the metrics of the evaluate that describes the registered model), its parameters the other
 * tags but the spec and fingerprints, its id {@code name:version}. Registry versions have no step reports, so no
 * curve is overlaid for them and their time column is empty.
 */
public final class RegistryRuns {
    private RegistryRuns() {}

    /** The versions of {@code name} (null: every model) in the registry at {@code home}, oldest first. */
    public static List<RunComparison.Run> read(Path home, String name) {
        List<RunComparison.Run> out = new ArrayList<>();
        if (!java.nio.file.Files.isRegularFile(home.resolve(ModelRegistry.DB_FILE)))   // comparing never creates a registry
            throw new ModelworkException("No model registry at " + home.toAbsolutePath() + " (no " + ModelRegistry.DB_FILE + ")",
                    "compare registry=" + home, "give registry= the folder you registered into (the register step's home=, default ~/.modelwork)");
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            List<ModelVersion> versions = reg.list(name);
            if (versions.isEmpty())
                throw new ModelworkException("The registry at " + home + " has no " + (name == null ? "registered model" : "version of '" + name + "'"),
                        "compare registry=" + home + (name == null ? "" : " name=" + name),
                        "register a model first (%register), or give registry= the folder you registered into (see bin/modelwork registry list)");
            for (ModelVersion v : versions) {
                Map<String, Double> metrics = metrics(v.tags());
                if (metrics.isEmpty()) continue;
                List<String> params = new ArrayList<>();
                new TreeMap<>(v.tags()).forEach((k, val) -> {
                    if (!k.startsWith("test_") && !k.equals("spec") && !k.endsWith("fingerprint")) params.add(k + "=" + val);
                });
                params.add("stage=" + v.stage().text());
                out.add(new RunComparison.Run(v.name() + ":" + v.version(), null, v.tags().getOrDefault("spec", ""),
                        metrics, String.join(", ", params), Double.NaN));
            }
        }
        return out;
    }

    /** The numeric {@code test_<metric>} tags of a version, in tag order, without the prefix. */
    public static Map<String, Double> metrics(Map<String, String> tags) {
        Map<String, Double> m = new LinkedHashMap<>();
        new TreeMap<>(tags).forEach((k, v) -> {
            if (!k.startsWith("test_")) return;
            try {
                m.put(k.substring(5), Double.parseDouble(v));
            } catch (NumberFormatException e) {
                // a user's non-numeric test_ tag is a parameter, not a metric
            }
        });
        return m;
    }
}
