package io.modelwork.anomaly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StepContext;
import io.modelwork.vision.ImageDataset.Item;
import io.modelwork.vision.Images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * export of the anomaly category: a bundle (through {@link BundleWriter}) with {@code patchcore.onnx} (image tensor →
 * score, anomaly map, memory bank inside), the backbone, the memory bank as little-endian float32, the preprocessing,
 * the thresholds and {@code model.json}. Before publishing, the ONNX graph is run with ONNX Runtime on test images
 * and compared with the Java scorer; a difference above {@link #TOLERANCE} fails the export (nothing is published).
 */
final class AnomalyExport {
    static final double TOLERANCE = 1e-4;

    private AnomalyExport() { }

    /** Max |ONNX − Java| of scores and maps on {@code items}: {score diff, map diff}. */
    static double[] parity(AnomalyState s, Path onnx, List<Item> items) {
        if (items.isEmpty()) return new double[]{0, 0};
        int size = s.pre.size(), plane = 3 * size * size;
        float[] x = new float[items.size() * plane];
        for (int i = 0; i < items.size(); i++) s.pre.tensor(Images.read(items.get(i).path()).rgb(), x, i * plane);
        Scorer.Result java = s.scorer().score(PatchCore.embed(PatchCore.maps(s.backbone, s.input, x, items.size(), size, s.layers)), items.size());
        try (OnnxModel m = OnnxModel.load(onnx, s.threads)) {
            m.expectInput(s.input, -1, 3, size, size).expectOutput(PatchCoreOnnx.SCORE, -1).expectOutput(PatchCoreOnnx.MAP, -1, 1, size, size);
            var out = m.runBatched(s.input, new OnnxModel.Tensor(x, new long[]{items.size(), 3, size, size}), Math.max(1, s.batch));
            float[] sc = out.get(PatchCoreOnnx.SCORE).data(), mp = out.get(PatchCoreOnnx.MAP).data();
            double ds = 0, dm = 0;
            for (int i = 0; i < sc.length; i++) ds = Math.max(ds, Math.abs(sc[i] - java.scores()[i]));
            for (int i = 0; i < mp.length; i++) dm = Math.max(dm, Math.abs(mp[i] - java.maps()[i]));
            return new double[]{ds, dm};
        }
    }

    static StepReport export(AnomalyState s, Args a, StepContext ctx) {
        s.ensureFitted("export");
        Path target = a.has("target") ? Path.of(a.getString("target", null)) : ctx.run().runDir().resolve("export");
        if (Files.exists(target) && a.has("target") == false) target = ctx.run().runDir().resolve("export-" + System.currentTimeMillis());
        int nParity = a.getInt("parity", 8);
        double th = AnomalyEvaluate.threshold(s, ctx);
        double[] diff;
        ObjectNode model = Json.object();
        try (BundleWriter b = BundleWriter.create(target, "export")) {
            byte[] graph = PatchCoreOnnx.build(s.backbonePath, s.input, s.layers, s.heights, s.bank, s.channels, s.k, s.pre.size());
            Path onnx = b.file("patchcore.onnx");
            Files.write(onnx, graph);
            List<Item> check = new ArrayList<>(s.test.isEmpty() ? s.validation : s.test);
            check = check.subList(0, Math.min(nParity, check.size()));
            diff = parity(s, onnx, check);
            if (diff[0] > TOLERANCE || diff[1] > TOLERANCE)
                throw new ModelworkException("The exported ONNX graph disagrees with the Java scorer: max |Δscore| " + diff[0]
                        + ", max |Δmap| " + diff[1] + " (tolerance " + TOLERANCE + ")", target.toString(),
                        "report this with the backbone file; nothing was published");
            b.copy(s.backbonePath, "backbone.onnx");
            b.bytes("memory_bank.f32", AnomalyState.floats(s.bank));
            b.json("preprocessing.json", s.pre.toJson());
            ObjectNode t = Json.object();
            t.put("image_threshold", th).put("pixel_threshold", s.pixelThreshold == null ? null : s.pixelThreshold)
                    .put("target_fpr", s.targetFpr == null ? AnomalyEvaluate.DEFAULT_FPR : s.targetFpr)
                    .put("source", s.imageThreshold != null ? "calibrate" : "FPR 5% on validation normals (calibrate not run)")
                    .put("rule", "anomalous when score > image_threshold");
            b.json("thresholds.json", t);
            model.put("spec", "anomaly.patchcore").put("input", s.input).put("input_shape", "[N,3," + s.pre.size() + "," + s.pre.size() + "]")
                    .put("outputs", "score [N], anomaly_map [N,1," + s.pre.size() + "," + s.pre.size() + "]")
                    .put("layers", String.join(",", s.layers)).put("k", s.k).put("coreset_ratio", s.coresetRatio)
                    .put("bank_rows", s.bankRows()).put("embedding_dim", s.channels).put("patch_grid", s.grid())
                    .put("backbone_sha256", s.backboneSha).put("data_fingerprint", s.fingerprint)
                    .put("parity_images", check.size()).put("parity_max_abs_score", diff[0]).put("parity_max_abs_map", diff[1])
                    .put("memory_bank_format", "float32 little-endian, row-major [bank_rows, embedding_dim], coreset selection order");
            model.set("fit", s.fitStats);
            b.json("model.json", model);
            b.manifest().put("format", "modelwork-anomaly-patchcore").put("model", "patchcore.onnx");
            b.publish();
        } catch (java.io.IOException e) {
            throw new ModelworkException("Cannot write the export: " + e.getMessage(), target.toString(), "check free disk space and permissions");
        }
        s.exportDir = target;
        StepReport r = new StepReport("export", "Exported PatchCore bundle");
        r.body().put("target", target.toString()).put("parity_max_abs_score", diff[0]).put("parity_max_abs_map", diff[1])
                .put("parity_images", model.get("parity_images").asInt());
        r.body().set("model", model);
        r.table(Tables.keyValues("Bundle", Map.of("folder", target, "end-to-end graph", "patchcore.onnx (memory bank inside)",
                "ONNX vs Java", String.format(Locale.ROOT, "max |Δscore| %.2e, max |Δmap| %.2e on %d images", diff[0], diff[1],
                        model.get("parity_images").asInt()))));
        return r;
    }
}
