package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Step 12 for optimization: the bundle, through the shared {@link BundleWriter} (staging folder, SHA-256 manifest,
 * atomic publish): the model files of the formulation (LP + MPS for MIPs, CP-SAT proto text for job-shop, CP-SAT proto
 * binary + text for optimization.cpsat, the scaled integer data + routing search parameters for routing), the
 * solution JSON, the solver log, metrics, calibration, the instance fingerprint, the run log, requirements and the
 * signature. Register and artifacts are the shared handlers.
 */
final class OptimizationExport {
    private OptimizationExport() { }

    static StepReport export(OptimizationState st, Args a, StepContext ctx) {
        if (st.solution == null) throw new ModelworkException("Nothing to export", "export", "run fit first");
        Path target = (a.has("target") ? Path.of(a.getString("target", null)) : ctx.run().runDir().resolve("export")).toAbsolutePath().normalize();
        Formulation model = st.model;
        Solution s = st.best();
        try (BundleWriter b = BundleWriter.create(target, "export")) {
            List<String> modelFiles = model.exportModel(b, st.scaling, st.params(Args.empty()));
            ObjectNode sol = s == null ? Json.object().put("status", "none") : s.toJson();
            model.exportSolution(sol, s);
            sol.put("instance", st.problem.name());
            sol.put("spec", model.spec());
            if (st.lastCheck != null) {
                sol.put("validated_objective", st.lastCheck.objective());
                sol.put("violations", st.lastCheck.violations());
            }
            b.json("solution.json", sol);
            b.text("solver.log", s == null || s.log() == null ? "" : s.log());
            ObjectNode metrics = Json.object();
            ctx.report(Step.EVALUATE).ifPresent(ev -> metrics.set("metrics", ev.body().get("metrics")));
            metrics.put("model", model.spec());
            b.json("metrics.json", metrics);
            if (st.calibration != null) b.json("calibration.json", st.calibration);
            b.text("data_fingerprint.txt", st.file == null ? "none  (no dataset: the model is model.cpsat.pb, sha256 "
                    + model.modelFingerprint() + ")\n" : st.fingerprint + "  " + st.file.getFileName() + "\n");
            b.copy(ctx.run().log().file(), "training_log.jsonl");
            b.text("requirements.txt", "# exact runtime dependencies of this bundle\njava>=17\n"
                    + "io.modelwork:modelwork-library:0.1.0-SNAPSHOT\ncom.google.ortools:ortools-java:" + OrTools.version() + "\n");
            ObjectNode sig = Json.object();
            sig.put("model", model.spec());
            sig.put("task", "optimization");
            sig.put("instance_format", st.problem.format());
            if (model.modelFingerprint() != null) sig.put("model_fingerprint", model.modelFingerprint());
            sig.set("model_files", Json.MAPPER.valueToTree(modelFiles));
            sig.put("scale", st.scaling.factor());
            sig.put("precision", st.scaling.precision());
            b.json("signature.json", sig);
            b.manifest().put("format", "modelwork.bundle/1").put("model", model.spec()).put("engine", "OR-Tools " + OrTools.version())
                    .put("data_fingerprint", st.fingerprint);
            st.exportDir = b.publish();
        }
        return report(st.exportDir);
    }

    private static StepReport report(Path dir) {
        StepReport r = new StepReport("export", "Export bundle");
        r.body().put("path", dir.toString());
        try {
            r.body().set("manifest", Json.MAPPER.readTree(dir.resolve(BundleWriter.MANIFEST).toFile()));
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the manifest just written", dir.toString(), "check the disk");
        }
        Table t = Table.create("Artifact manifest (" + dir + ")");
        StringColumn f = StringColumn.create("file"), h = StringColumn.create("sha256"), s = StringColumn.create("bytes");
        for (JsonNode e : r.body().get("manifest").get("files")) {
            f.append(e.get("path").asText()); h.append(e.get("sha256").asText().substring(0, 16) + "…"); s.append(e.get("size").asText());
        }
        t.addColumns(f, s, h);
        r.table(t);
        return r;
    }
}
