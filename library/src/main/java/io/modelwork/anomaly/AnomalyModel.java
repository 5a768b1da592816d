package io.modelwork.anomaly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.assets.ModelAssets;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Progress;
import io.modelwork.core.Step;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.vision.ImageDataset.Item;
import io.modelwork.vision.Images;

import java.nio.file.Path;
import java.util.*;

/** build and fit of {@code anomaly.patchcore}, and the feature extraction / scoring every later step uses. */
final class AnomalyModel {
    static final String DEFAULT_BACKBONE = "backbone/mobilenetv2-12-int8-features.onnx";
    static final String DEFAULT_LAYERS = "features_stride8,features_stride16";

    private AnomalyModel() { }

    static StepReport build(AnomalyState s, Args a, StepContext ctx) {
        String spec = a.getString("spec", "anomaly.patchcore");
        if (!spec.equals("anomaly.patchcore"))
            throw new ModelworkException("Unknown anomaly spec '" + spec + "'", "build spec", "use spec=anomaly.patchcore");
        String name = a.getString("backbone", DEFAULT_BACKBONE);
        Path file = ModelAssets.resolve(name);
        List<String> layers = a.has("layers") ? a.getList("layers") : List.of(DEFAULT_LAYERS.split(","));
        if (layers.isEmpty()) throw new ModelworkException("No feature layers named", "build layers", "use layers=" + DEFAULT_LAYERS);
        s.close();
        s.threads = ctx.run().threads();
        OnnxModel m = OnnxModel.load(file, ModelAssets.pin(name), ctx.run().requestedDevice(), s.threads);
        try {
            String input = a.getString("input", m.inputs().keySet().iterator().next());
            int size = s.pre.size();
            m.expectInput(input, -1, 3, size, size);
            m.expectOutputs(layers.toArray(String[]::new));
            // one probe image gives the map sizes and channels
            PatchCore.Maps probe = PatchCore.maps(m, input, new float[3 * size * size], 1, size, layers.toArray(String[]::new));
            int grid = probe.heights()[0];
            for (int l = 0; l < layers.size(); l++) {
                if (probe.heights()[l] != probe.widths()[l] || grid % probe.heights()[l] != 0)
                    throw new ModelworkException("Feature map '" + layers.get(l) + "' is " + probe.heights()[l] + "×" + probe.widths()[l]
                            + "; PatchCore needs square maps whose side divides the first layer's (" + grid + ")", file.toString(),
                            "list the layer with the finest map first, e.g. layers=" + DEFAULT_LAYERS);
            }
            if (size % grid != 0)
                throw new ModelworkException("Input size " + size + " is not a multiple of the patch grid " + grid, "prepare_data resize",
                        "use a resize (or crop) that is a multiple of " + grid);
            s.backbone = m;
            s.backbonePath = file;
            s.backboneSha = m.sha256();
            s.input = input;
            s.layers = layers.toArray(String[]::new);
            s.heights = probe.heights();
            s.channels = Arrays.stream(probe.channels()).sum();
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        s.coresetRatio = a.getDouble("coreset_ratio", 0.1);
        s.k = a.getInt("k", 9);
        s.batch = a.getInt("batch", 16);
        s.bank = null;
        s.imageThreshold = null;
        s.modelChanged();
        StepReport r = new StepReport("build", "PatchCore on " + file.getFileName());
        ObjectNode b = r.body();
        b.put("spec", spec).put("backbone", file.toString()).put("backbone_sha256", s.backboneSha).put("input", s.input)
                .put("layers", String.join(",", s.layers)).put("embedding_dim", s.channels).put("patch_grid", s.grid())
                .put("coreset_ratio", s.coresetRatio).put("k", s.k).put("resolution", s.pre.size()).put("device", m.device());
        r.table(Tables.keyValues("Model", Map.of("backbone", file.getFileName(), "sha256", s.backboneSha.substring(0, 12),
                "layers", String.join(",", s.layers), "embedding", s.channels + " channels on a " + s.grid() + "×" + s.grid() + " grid",
                "coreset_ratio", s.coresetRatio, "k", s.k, "device", m.device())));
        if (!m.deviceNote().isEmpty()) r.note(m.deviceNote());
        return r;
    }

    static StepReport fit(AnomalyState s, Args a, StepContext ctx) {
        long t0 = System.nanoTime();
        List<Item> train = s.train;
        if (train.isEmpty()) throw new ModelworkException("No training images", "fit", "attach a dataset with normal images in train/good");
        float[] emb = embed(s, train, s.flips, ctx.progress(), "fit");
        long t1 = System.nanoTime();
        int c = s.channels, n = emb.length / c;
        PatchCore.Coreset cs = PatchCore.coreset(emb, n, c, s.coresetRatio, ctx.run().seedFor("coreset"), s.threads, ctx.progress());
        long t2 = System.nanoTime();
        float[] bank = new float[cs.indices().length * c];
        for (int i = 0; i < cs.indices().length; i++) System.arraycopy(emb, cs.indices()[i] * c, bank, i * c, c);
        s.bank = bank;
        s.trainPatches = n;
        s.imageThreshold = null;
        s.modelChanged();
        ObjectNode f = s.fitStats = io.modelwork.core.Json.object();
        f.put("train_images", train.size()).put("train_patches", n).put("bank_rows", cs.indices().length)
                .put("embedding_dim", c).put("projected_dim", cs.projectedDim()).put("coverage_radius", cs.coverageRadius())
                .put("features_s", (t1 - t0) / 1e9).put("coreset_s", (t2 - t1) / 1e9)
                .put("images_per_s", train.size() * (s.flips ? 2 : 1) / Math.max(1e-9, (t1 - t0) / 1e9))
                .put("bank_mb", bank.length * 4 / 1e6);
        ctx.progress().finished("fit", "memory bank " + cs.indices().length + " × " + c);
        StepReport r = new StepReport("fit", "Memory bank: " + cs.indices().length + " patches of " + n);
        r.body().setAll(f);
        Map<String, Object> t = new LinkedHashMap<>();
        f.fields().forEachRemaining(e -> t.put(e.getKey(), e.getValue().isDouble() ? String.format(Locale.ROOT, "%.4g", e.getValue().asDouble()) : e.getValue().asText()));
        r.table(Tables.keyValues("Fit", t));
        if (cs.projectedDim() == c)
            r.note("coreset distances on the exact " + c + "-d features: the Johnson–Lindenstrauss dimension for " + n
                    + " patches (" + PatchCore.jlDimension(n, 0.9) + ") is not below it");
        ctx.invalidate(Step.EVALUATE);
        return r;
    }

    /** Patch embeddings of {@code items} ({@code [n·grid², C]}, n doubled with flips), batched, with progress. */
    static float[] embed(AnomalyState s, List<Item> items, boolean flips, Progress progress, String step) {
        int size = s.pre.size(), plane = 3 * size * size, p = s.grid() * s.grid(), c = s.channels;
        int per = flips ? 2 : 1;
        float[] out = new float[items.size() * per * p * c];
        long t0 = System.nanoTime();
        int done = 0;
        for (int start = 0; start < items.size(); start += s.batch) {
            int nb = Math.min(s.batch, items.size() - start);
            float[] x = new float[nb * per * plane];
            for (int i = 0; i < nb; i++) {
                s.pre.tensor(Images.read(items.get(start + i).path()).rgb(), x, i * per * plane);
                if (flips) {
                    System.arraycopy(x, i * per * plane, x, (i * per + 1) * plane, plane);
                    s.pre.flip(x, (i * per + 1) * plane);
                }
            }
            float[] e = PatchCore.embed(PatchCore.maps(s.backbone, s.input, x, nb * per, size, s.layers));
            System.arraycopy(e, 0, out, start * per * p * c, e.length);
            done += nb;
            if (progress != null) {
                double el = (System.nanoTime() - t0) / 1e9;
                progress.update(step, done, items.size(), String.format(Locale.ROOT, "features %d/%d, ETA %.0f s", done, items.size(),
                        el / done * (items.size() - done)));
            }
            if (Thread.currentThread().isInterrupted())
                throw new ModelworkException("Feature extraction was interrupted", step, "run " + step + " again");
        }
        return out;
    }

    /** Scores a set (cached per name until the model changes): image scores, maps and masks at model resolution. */
    static AnomalyState.Scored score(AnomalyState s, String name, List<Item> items, Progress progress, String step) {
        AnomalyState.Scored hit = s.scored.get(name);
        if (hit != null && hit.items().equals(items)) return hit;
        Scorer scorer = s.scorer();
        int size = s.pre.size(), n = items.size();
        float[] scores = new float[n];
        float[][] maps = new float[n][];
        boolean[][] masks = new boolean[n][];
        int chunk = Math.max(1, s.batch);
        for (int start = 0; start < n; start += chunk) {
            List<Item> part = items.subList(start, Math.min(n, start + chunk));
            Scorer.Result r = scorer.score(embed(s, part, false, null, step), part.size());
            for (int i = 0; i < part.size(); i++) {
                scores[start + i] = r.scores()[i];
                maps[start + i] = Arrays.copyOfRange(r.maps(), i * size * size, (i + 1) * size * size);
                Item it = part.get(i);
                masks[start + i] = it.mask() != null ? s.pre.mask(Images.read(it.mask()).rgb()) : it.normal() ? new boolean[size * size] : null;
            }
            if (progress != null) progress.update(step, Math.min(n, start + chunk), n, "scoring " + name);
        }
        AnomalyState.Scored out = new AnomalyState.Scored(items, scores, maps, masks);
        s.scored.put(name, out);
        return out;
    }
}
