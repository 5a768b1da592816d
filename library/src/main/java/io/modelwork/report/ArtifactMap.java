package io.modelwork.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The report of the artifacts step (SPEC step 14), shared by the workflows: name → path, and whether it exists. */
public final class ArtifactMap {
    private ArtifactMap() { }

    /**
     * The artifacts report: {@code body.artifacts} maps each name to its path (as text) and the "Artifact map" table
     * adds whether each path exists. {@code registered} (the register step's model_version, nullable) adds
     * {@code registry_model_id} as {@code name:version}.
     */
    public static StepReport report(Map<String, Object> artifacts, JsonNode registered) {
        Map<String, Object> m = new LinkedHashMap<>(artifacts);
        if (registered != null) m.put("registry_model_id", registered.get("name").asText() + ":" + registered.get("version").asInt());
        StepReport r = new StepReport("artifacts", "Artifacts");
        ObjectNode o = r.body().putObject("artifacts");
        Table t = Table.create("Artifact map");
        StringColumn k = StringColumn.create("artifact"), p = StringColumn.create("path"), ex = StringColumn.create("exists");
        m.forEach((key, v) -> {
            o.put(key, v.toString());
            k.append(key);
            p.append(v.toString());
            ex.append(v instanceof Path path ? (Files.exists(path) ? "yes" : "no") : "");
        });
        t.addColumns(k, p, ex);
        r.table(t);
        return r;
    }
}
