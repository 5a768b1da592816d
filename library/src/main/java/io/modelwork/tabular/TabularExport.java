package io.modelwork.tabular;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.data.Dataset;
import io.modelwork.export.onnx.*;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.*;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Step 12 for tabular models: the deployment bundle, written through the shared {@link BundleWriter} (staging folder,
 * SHA-256 manifest, atomic publish): native model, ONNX-ML tree ensemble with the numeric preprocessing inside the
 * graph where ONNX can express it, preprocessor JSON, signature, label map, thresholds, metrics, requirements,
 * training log and data fingerprint. {@code metrics.json} holds the metrics of the model in the bundle: those of the
 * last evaluate when it ran on this model, else evaluated now (tune, calibrate and fit make an earlier evaluate stale).
 */
final class TabularExport {
    private TabularExport() {}

    static final String MODELWORK_VERSION = "0.1.0-SNAPSHOT";

    static final Options OPTIONS = Options.of(
            Option.path("target", "bundle folder (default run_dir/export); must not exist"),
            Option.list("formats", "native,onnx", "native and/or onnx"));

    static StepReport run(TabularState w, Args a, StepContext ctx) {
        Path target = (a.has("target") ? Path.of(a.getString("target", null)) : ctx.run().runDir().resolve("export")).toAbsolutePath().normalize();
        List<String> formats = a.getList("formats").isEmpty() ? List.of("native", "onnx") : a.getList("formats");
        for (String f : formats)
            if (!List.of("native", "onnx").contains(f))
                throw new ModelworkException("Unknown export format '" + f + "'", "export formats", "use native and/or onnx");
        TabularModel model = w.model();
        Preprocessor prep = w.preprocessor();
        StepReport r = new StepReport("export", "Export bundle");
        try (BundleWriter b = BundleWriter.create(target, "export")) {
            if (formats.contains("native")) b.bytes("model." + model.nativeExtension(), model.saveNative());
            b.json("preprocessor.json", prep.toJson());
            b.json("label_map.json", w.labels().toJson());
            ObjectNode thr = w.decision.json() != null ? w.decision.json().deepCopy() : Json.object().put("method", "none")
                    .put("threshold", w.dataset().task() == Dataset.Task.CLASSIFICATION ? 0.5 : Double.NaN);
            b.json("thresholds.json", thr);
            ObjectNode metrics = Json.object();
            Optional<JsonNode> evaluated = ctx.report(Step.EVALUATE).map(ev -> ev.body().get("metrics"));
            if (evaluated.isPresent()) metrics.set("metrics", evaluated.get());
            else {
                metrics.set("metrics", EvaluateStep.metrics(w, List.of("validation", "test")));
                metrics.put("evaluated_by", "export (evaluate had not run on this model)");
                r.note("metrics.json: evaluated now on validation and test (the model changed since the last evaluate, or evaluate did not run)");
            }
            metrics.put("model", w.spec().toString());
            b.json("metrics.json", metrics);
            b.text("data_fingerprint.txt", w.dataset().fingerprint() + "\n");
            b.copy(ctx.run().log().file(), "training_log.jsonl");
            b.text("requirements.txt", requirements(model));
            boolean inGraph = prep.allNumeric();
            b.json("signature.json", signature(w, prep, inGraph));
            if (formats.contains("onnx")) {
                String text = new String(model.saveNative(), java.nio.charset.StandardCharsets.UTF_8);
                TreeEnsemble ens = w.spec().algorithm().equals("xgboost") ? XgboostTrees.parse(text) : LightGbmTrees.parse(text);
                Preprocessing prefix = inGraph ? prefix(prep) : null;
                var proto = OnnxTreeExporter.toOnnx(ens, prefix, OnnxTreeExporter.DEFAULT_INPUT,
                        Map.of("modelwork.spec", w.spec().toString(), "modelwork.data_fingerprint", w.dataset().fingerprint()));
                Path onnx = b.file("model.onnx");
                OnnxTreeExporter.write(proto, onnx);
                Matrix test = w.matrix("test") != null ? w.matrix("test") : w.matrix("validation");
                double[] diff = parity(onnx, w, test, inGraph);
                r.body().put("onnx_parity_max_abs_diff", diff[0]);
                r.body().put("onnx_parity_max_rel_diff", diff[1]);
                r.body().put("onnx_parity_rows", test.rows());
                r.note(String.format(Locale.ROOT, "ONNX Runtime vs native on %d rows: max |diff| %.2e (relative %.2e)",
                        test.rows(), diff[0], diff[1]));
            }
            b.manifest().put("format", "modelwork.bundle/1").put("model", w.spec().toString()).put("engine", model.engine())
                    .put("data_fingerprint", w.dataset().fingerprint()).put("preprocessor_id", prep.id());
            b.publish();
            w.exportDir = target;
            w.exportedMetrics = metrics;
        }
        JsonNode manifest = Json.MAPPER.valueToTree(Map.of());
        try {
            manifest = Json.MAPPER.readTree(target.resolve(BundleWriter.MANIFEST).toFile());
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the export manifest: " + e.getMessage(), target.toString(), "check permissions");
        }
        r.body().put("path", target.toString());
        r.body().set("manifest", manifest);
        Table t = Table.create("Artifact manifest (" + target + ")");
        StringColumn f = StringColumn.create("file"), h = StringColumn.create("sha256");
        LongColumn sz = LongColumn.create("bytes");
        for (var e : manifest.get("files")) { f.append(e.get("path").asText()); h.append(e.get("sha256").asText().substring(0, 16) + "…"); sz.append(e.get("size").asLong()); }
        t.addColumns(f, sz, h);
        r.table(t);
        return r;
    }

    private static ObjectNode signature(TabularState w, Preprocessor prep, boolean inGraph) {
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
        return sig;
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
    static float[] rawInputs(TabularState w, Matrix m) {
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
    static double[] parity(Path onnx, TabularState w, Matrix m, boolean rawInput) {
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
}
