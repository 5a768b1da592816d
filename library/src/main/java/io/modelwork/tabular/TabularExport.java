package io.modelwork.tabular;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.data.Dataset;
import io.modelwork.export.onnx.*;
import io.modelwork.registry.RegisterStep;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.*;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Steps 12–14 for tabular models: the deployment bundle (native model, ONNX-ML tree ensemble with the numeric
 * preprocessing inside the graph where ONNX can express it, preprocessor JSON, signature, label map, thresholds,
 * metrics, requirements, training log, data fingerprint, manifest), registration, and the artifact map.
 */
final class TabularExport {
    private TabularExport() {}

    static final String MODELWORK_VERSION = "0.1.0-SNAPSHOT";

    static StepReport export(TabularWorkflow w, Path target, List<String> formatsArg) {
        List<String> formats = formatsArg.isEmpty() ? List.of("native", "onnx") : formatsArg;
        for (String f : formats)
            if (!List.of("native", "onnx").contains(f))
                throw new ModelworkException("Unknown export format '" + f + "'", "export formats", "use native and/or onnx");
        if (Files.exists(target))
            throw new ModelworkException("The export target already exists", target.toString(),
                    "choose a new target=... (bundles are immutable once written) or delete the old one");
        TabularModel model = w.model();
        Preprocessor prep = w.preprocessor();
        Path staging = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        StepReport r = new StepReport("export", "Export bundle");
        try {
            AtomicFiles.deleteTree(staging);
            Files.createDirectories(staging);
            if (formats.contains("native")) Files.write(staging.resolve("model." + model.nativeExtension()), model.saveNative());
            Files.writeString(staging.resolve("preprocessor.json"), Json.write(prep.toJson()));
            Files.writeString(staging.resolve("label_map.json"), Json.write(w.labels().toJson()));
            ObjectNode thr = w.calibrationJson() != null ? w.calibrationJson().deepCopy() : Json.object().put("method", "none")
                    .put("threshold", w.dataset().task() == Dataset.Task.CLASSIFICATION ? 0.5 : Double.NaN);
            Files.writeString(staging.resolve("thresholds.json"), Json.write(thr));
            ObjectNode metrics = Json.object();
            w.session().report(Step.EVALUATE).ifPresent(ev -> metrics.set("metrics", ev.body().get("metrics")));
            metrics.put("model", w.spec().toString());
            Files.writeString(staging.resolve("metrics.json"), Json.write(metrics));
            Files.writeString(staging.resolve("data_fingerprint.txt"), w.dataset().fingerprint() + "\n");
            Path log = w.session().context().log().file();
            if (Files.exists(log)) Files.copy(log, staging.resolve("training_log.jsonl"));
            Files.writeString(staging.resolve("requirements.txt"), requirements(model));

            boolean inGraph = prep.allNumeric();
            ObjectNode sig = Json.object();
            sig.put("model", w.spec().toString());
            sig.put("task", w.dataset().task().name().toLowerCase(Locale.ROOT));
            ArrayNode inputs = sig.putArray("inputs");
            ObjectNode in = inputs.addObject();
            in.put("name", OnnxTreeExporter.DEFAULT_INPUT).put("type", "float32");
            in.putArray("shape").add(-1).add(prep.outputNames().size());
            ArrayNode cols = in.putArray("columns");
            prep.outputNames().forEach(cols::add);
            in.put("preprocessing", inGraph ? "inside the ONNX graph (Imputer + Scaler): feed raw column values"
                    : "outside the graph: apply preprocessor.json first (categorical encoding)");
            ArrayNode outputs = sig.putArray("outputs");
            if (w.dataset().task() != Dataset.Task.CLASSIFICATION)
                outputs.addObject().put("name", OnnxTreeExporter.REGRESSION_OUTPUT).put("type", "float32").set("shape", Json.MAPPER.valueToTree(List.of(-1, 1)));
            else {
                outputs.addObject().put("name", OnnxTreeExporter.LABEL_OUTPUT).put("type", "int64").set("shape", Json.MAPPER.valueToTree(List.of(-1)));
                outputs.addObject().put("name", OnnxTreeExporter.PROBABILITIES_OUTPUT).put("type", "float32")
                        .set("shape", Json.MAPPER.valueToTree(List.of(-1, w.labels().numClasses())));
            }
            Files.writeString(staging.resolve("signature.json"), Json.write(sig));

            if (formats.contains("onnx")) {
                String text = new String(model.saveNative(), java.nio.charset.StandardCharsets.UTF_8);
                TreeEnsemble ens = w.spec().algorithm().equals("xgboost") ? XgboostTrees.parse(text) : LightGbmTrees.parse(text);
                Preprocessing prefix = inGraph ? prefix(prep) : null;
                var proto = OnnxTreeExporter.toOnnx(ens, prefix, OnnxTreeExporter.DEFAULT_INPUT,
                        Map.of("modelwork.spec", w.spec().toString(), "modelwork.data_fingerprint", w.dataset().fingerprint()));
                OnnxTreeExporter.write(proto, staging.resolve("model.onnx"));
                Matrix test = w.matrix("test") != null ? w.matrix("test") : w.matrix("validation");
                double[] diff = parity(staging.resolve("model.onnx"), w, test, inGraph);
                r.body().put("onnx_parity_max_abs_diff", diff[0]);
                r.body().put("onnx_parity_max_rel_diff", diff[1]);
                r.body().put("onnx_parity_rows", test.rows());
                r.note(String.format(Locale.ROOT, "ONNX Runtime vs native on %d rows: max |diff| %.2e (relative %.2e)",
                        test.rows(), diff[0], diff[1]));
            }
            ObjectNode manifest = manifest(staging, w);
            Files.writeString(staging.resolve("artifact_manifest.json"), Json.write(manifest));
            AtomicFiles.publishDirectory(staging, target);
            w.exported(target);
            r.body().put("path", target.toString());
            r.body().set("manifest", manifest);
            Table t = Table.create("Artifact manifest (" + target + ")");
            StringColumn f = StringColumn.create("file"), h = StringColumn.create("sha256");
            LongColumn sz = LongColumn.create("bytes");
            for (var e : manifest.get("files")) { f.append(e.get("path").asText()); h.append(e.get("sha256").asText().substring(0, 16) + "…"); sz.append(e.get("size").asLong()); }
            t.addColumns(f, sz, h);
            r.table(t);
            return r;
        } catch (IOException e) {
            AtomicFiles.deleteTree(staging);
            throw new ModelworkException("Cannot write the export bundle: " + e.getMessage(), target.toString(),
                    "check free disk space and permissions");
        } catch (RuntimeException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
    }

    static Preprocessing prefix(Preprocessor prep) {
        double[][] p = prep.numericParameters();
        boolean[] keep = prep.kept();
        int n = 0;
        for (boolean b : keep) if (b) n++;
        double[] fill = new double[n], off = new double[n], sc = new double[n];
        for (int i = 0, k = 0; i < p.length; i++) if (keep[i]) { fill[k] = p[i][0]; off[k] = p[i][1]; sc[k] = p[i][2]; k++; }
        return new Preprocessing(fill, off, sc);
    }

    /** Raw (unpreprocessed) values of the kept numeric columns for the rows of {@code m}. */
    static float[] rawInputs(TabularWorkflow w, Matrix m) {
        Preprocessor prep = w.preprocessor();
        boolean external = m == w.matrix("test") && w.plan().externalTest();
        Table t = external ? w.dataset().testTable() : w.dataset().table();
        List<String> names = prep.outputNames();
        float[] x = new float[m.rows() * names.size()];
        for (int c = 0; c < names.size(); c++) {
            double[] col = Dataset.numeric(t, names.get(c), w.dataset().ref());
            for (int i = 0; i < m.rows(); i++) x[i * names.size() + c] = (float) col[m.rowIds()[i]];
        }
        return x;
    }

    /** Max absolute and relative difference between ONNX Runtime and the native model on {@code m}. */
    static double[] parity(Path onnx, TabularWorkflow w, Matrix m, boolean rawInput) {
        double[][] nat = w.model().predict(m);
        float[] x = rawInput ? rawInputs(w, m) : m.x();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(1);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession s = env.createSession(onnx.toString(), so);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{m.rows(), m.cols()});
                 OrtSession.Result res = s.run(Map.of(OnnxTreeExporter.DEFAULT_INPUT, in))) {
                boolean reg = w.dataset().task() != Dataset.Task.CLASSIFICATION;
                float[][] out = (float[][]) res.get(reg ? OnnxTreeExporter.REGRESSION_OUTPUT : OnnxTreeExporter.PROBABILITIES_OUTPUT)
                        .get().getValue();
                double abs = 0, rel = 0;
                for (int i = 0; i < m.rows(); i++)
                    for (int k = 0; k < nat[i].length; k++) {
                        double d = Math.abs(out[i][k] - nat[i][k]);
                        abs = Math.max(abs, d);
                        rel = Math.max(rel, d / Math.max(1, Math.abs(nat[i][k])));
                    }
                return new double[]{abs, rel};
            }
        } catch (ai.onnxruntime.OrtException e) {
            throw new ModelworkException("ONNX Runtime could not run the exported model: " + e.getMessage(), onnx.toString(),
                    "report this; export formats=native still works");
        }
    }

    static String requirements(TabularModel model) {
        StringBuilder sb = new StringBuilder("# exact runtime dependencies of this bundle\n");
        sb.append("java>=17\n");
        sb.append("io.modelwork:modelwork-library:").append(MODELWORK_VERSION).append('\n');
        sb.append("com.microsoft.onnxruntime:onnxruntime:1.23.2  # model.onnx\n");
        if (model.engine().startsWith("xgboost")) sb.append("ml.dmlc:xgboost4j_2.12:3.4.0  # model.json\n");
        else sb.append("io.github.metarank:lightgbm4j:4.1.0-1  # model.txt (LightGBM 4.1.0)\n");
        sb.append("tech.tablesaw:tablesaw-core:0.44.4  # preprocessor.json applied by Modelwork\n");
        return sb.toString();
    }

    static ObjectNode manifest(Path dir, TabularWorkflow w) throws IOException {
        ObjectNode m = Json.object();
        m.put("format", "modelwork.bundle/1");
        m.put("model", w.spec().toString());
        m.put("engine", w.model().engine());
        m.put("data_fingerprint", w.dataset().fingerprint());
        m.put("preprocessor_id", w.preprocessor().id());
        io.modelwork.core.Bundles.addFiles(m, dir);
        return m;
    }

    static StepReport register(TabularWorkflow w, Args a) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("spec", w.spec().toString());
        tags.put("data_fingerprint", w.dataset().fingerprint());
        RegisterStep.addTestMetricTags(w.session(), tags);
        return RegisterStep.run(w.exportDir(), a, RegisterStep.stem(w.dataset().ref()) + "-" + w.spec().algorithm(), tags, "");
    }

    static StepReport artifacts(TabularWorkflow w, ObjectNode registered) {
        RunContext c = w.session().context();
        Map<String, Object> m = new LinkedHashMap<>();
        Path e = w.exportDir();
        if (e != null) {
            m.put("model", e.resolve("model." + w.model().nativeExtension()));
            m.put("model_onnx", e.resolve("model.onnx"));
            m.put("preprocessor", e.resolve("preprocessor.json"));
            m.put("label_map", e.resolve("label_map.json"));
            m.put("metrics.json", e.resolve("metrics.json"));
            m.put("thresholds.json", e.resolve("thresholds.json"));
            m.put("signature.json", e.resolve("signature.json"));
            m.put("training_log", e.resolve("training_log.jsonl"));
            m.put("requirements", e.resolve("requirements.txt"));
            m.put("data_fingerprint", e.resolve("data_fingerprint.txt"));
            m.put("artifact_manifest", e.resolve("artifact_manifest.json"));
        } else {
            m.put("training_log", c.log().file());
            Path t = c.runDir().resolve("artifacts/thresholds.json");
            if (Files.exists(t)) m.put("thresholds.json", t);
        }
        m.put("best_checkpoint", c.runDir().resolve("checkpoints/fit-best"));
        m.put("reports", c.runDir().resolve("reports"));
        StepReport r = io.modelwork.report.ArtifactMap.report(m, registered);
        return r;
    }
}
