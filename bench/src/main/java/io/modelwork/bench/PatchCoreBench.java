package io.modelwork.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.assets.ModelAssets;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.anomaly.PatchCore;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import io.modelwork.vision.ImageDataset;
import io.modelwork.vision.Images;
import io.modelwork.vision.Preprocessing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.modelwork.bench.BenchSupport.*;

/**
 * PatchCore ({@code anomaly.patchcore}) on the full shared magnetic-tile set through the Session, on
 * {@value BenchSupport#THREADS} threads: fit time on the 400 train/good images (feature extraction and coreset
 * separately), evaluate throughput (images/s, Java scorer incl. decoding), images/s of the exported end-to-end
 * {@code patchcore.onnx} in ONNX Runtime, the ONNX-vs-Java parity, the quality figures (validation/test image and
 * pixel AUROC, AUPRO), coreset time as the bank grows (train subsets at {@code --scaling-ratio}), and peak heap.
 *
 * <pre>bench/run.sh PatchCoreBench [--quick] [--ratio=0.1] [--k=9] [--scaling-ratio=0.01] [--scaling-sizes=50,100,200,400] [--only-scaling] [--tune=TRIALS]</pre>
 */
public final class PatchCoreBench {
    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        double ratio = Double.parseDouble(fl.get("ratio", fl.quick ? "0.01" : "0.1"));
        int k = fl.getInt("k", 9, 9);
        double scalingRatio = Double.parseDouble(fl.get("scaling-ratio", "0.01"));
        Path data = Assets.data("anomaly/magnetic-tile");
        int[] sizes = java.util.Arrays.stream(fl.get("scaling-sizes", fl.quick ? "25,50" : "50,100,200,400").split(","))
                .mapToInt(Integer::parseInt).toArray();
        if (fl.values.containsKey("only-scaling")) {
            scaling(data, scalingRatio, sizes);
            return;
        }
        Path tmp = tempDir("patchcore-bench");
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 42, "threads", THREADS, "run_dir", tmp.resolve("run").toString(), "progress", false));
            s.attachDataset(Args.of("path", data.toString()));
            s.prepareData(Args.of("resize", 224));
            s.split(Args.of("validation", 0.5));
            s.build(Args.of("coreset_ratio", ratio, "k", k));
            Time fitT = time(() -> s.fit(Args.empty()));
            StepReport fit = s.report(io.modelwork.core.Step.FIT).orElseThrow();
            StepReport[] ev = new StepReport[1];
            Time evT = time(() -> ev[0] = s.evaluate(Args.of("gallery", 0)));
            JsonNode m = ev[0].body().get("metrics");
            int evImages = m.get("validation").get("images").asInt() + m.get("test").get("images").asInt();
            StepReport ex = s.export(Args.of("target", tmp.resolve("bundle").toString(), "parity", 16));
            double onnxIps = onnxThroughput(tmp.resolve("bundle/patchcore.onnx"), data, fl.quick ? 16 : 64);
            System.out.println("| measure | value |\n|---|---|");
            row("train images / patches", fit.body().get("train_images").asInt() + " / " + fit.body().get("train_patches").asInt());
            row("memory bank rows (coreset_ratio " + ratio + ")", fit.body().get("bank_rows").asText());
            row("fit wall s (features + coreset)", f(fitT.wall(), 1) + " (" + f(fit.body().get("features_s").asDouble(), 1) + " + "
                    + f(fit.body().get("coreset_s").asDouble(), 1) + "), CPU s " + f(fitT.cpu(), 1));
            row("feature extraction images/s", f(fit.body().get("images_per_s").asDouble(), 1));
            row("evaluate images/s (Java scorer, decode + backbone + NN + map, " + evImages + " images)", f(evImages / evT.wall(), 2));
            row("patchcore.onnx images/s (ONNX Runtime, batch 8, tensors prepared)", f(onnxIps, 2));
            row("ONNX vs Java max |Δscore| / |Δmap| (16 images)", String.format("%.2e / %.2e",
                    ex.body().get("parity_max_abs_score").asDouble(), ex.body().get("parity_max_abs_map").asDouble()));
            for (String set : List.of("validation", "test"))
                row(set + " image AUROC / pixel AUROC / AUPRO", f(m.get(set).get("image_auroc").asDouble(), 4) + " / "
                        + f(m.get(set).get("pixel_auroc").asDouble(), 4) + " / " + f(m.get(set).get("aupro").asDouble(), 4));
            row("peak heap MB", f(peakHeapMb(), 0));
            int trials = fl.getInt("tune", 0, 0);  // --tune=N
            if (trials > 0) {
                // tune through the shared tuner, default space (layers × resolution × coreset_ratio × k), grid subset
                StepReport[] tu = new StepReport[1];
                Time tuT = time(() -> tu[0] = s.tune(Args.of("trials", trials)));
                JsonNode b = tu[0].body();
                StepReport after = s.evaluate(Args.of("gallery", 0));
                JsonNode am = after.body().get("metrics");
                System.out.println("\n| tune (" + trials + " trials, default space) | value |\n|---|---|");
                row("tune wall s / CPU s", f(tuT.wall(), 1) + " / " + f(tuT.cpu(), 1));
                row("backbone passes / feature sets / coreset selections", b.get("feature_passes").asInt() + " / "
                        + b.get("feature_sets").asInt() + " / " + b.get("coresets").asInt());
                row("trials on other layers or resolution", b.get("trials_other_features").asText());
                row("validation image AUROC: current / best trial", f(b.get("default_validation_score").asDouble(), 4) + " / "
                        + f(b.get("best_validation_score").asDouble(), 4));
                row("best configuration / applied", b.get("best_config").toString().replace('|', '/') + " / " + b.get("applied").asBoolean());
                row("after tune: validation / test image AUROC", f(am.get("validation").get("image_auroc").asDouble(), 4) + " / "
                        + f(am.get("test").get("image_auroc").asDouble(), 4));
                for (JsonNode t : b.get("tuning_report").get("trials"))
                    row("trial " + t.get("id").asInt() + " " + t.get("params"), (t.path("value").isNumber() ? f(t.get("value").asDouble(), 4)
                            : t.path("status").asText()) + " in " + f(t.get("seconds").asDouble(), 1) + " s");
            }
        }
        scaling(data, scalingRatio, sizes);
        deleteTree(tmp);
    }

    private static void row(String k, String v) { System.out.println("| " + k + " | " + v + " |"); }

    /** Coreset seconds for growing train subsets (embeddings computed once per subset). */
    static void scaling(Path data, double ratio, int[] sizes) throws Exception {
        ImageDataset ds = ImageDataset.open(data, "mvtec");
        List<ImageDataset.Item> train = ds.split("train");
        Preprocessing pre = Preprocessing.imagenet(224, 0);
        String[] layers = {"features_stride8", "features_stride16"};
        System.out.println("\n| train images | patches | bank rows (ratio " + ratio + ") | coreset s |\n|---|---|---|---|");
        try (OnnxModel m = OnnxModel.load(ModelAssets.resolve("backbone/mobilenetv2-12-int8-features.onnx"), THREADS)) {
            float[] all = embed(m, pre, train.subList(0, Math.min(train.size(), sizes[sizes.length - 1])), layers);
            for (int n : sizes) {
                int patches = n * 784;
                float[] emb = java.util.Arrays.copyOf(all, patches * 128);
                long t0 = System.nanoTime();
                PatchCore.Coreset c = PatchCore.coreset(emb, patches, 128, ratio, 1, THREADS, null);
                System.out.println("| " + n + " | " + patches + " | " + c.indices().length + " | " + f(sec(System.nanoTime() - t0), 2) + " |");
            }
        }
    }

    static float[] embed(OnnxModel m, Preprocessing pre, List<ImageDataset.Item> items, String[] layers) {
        int S = 224, bs = 16;
        float[] out = new float[items.size() * 784 * 128];
        for (int s = 0; s < items.size(); s += bs) {
            int nb = Math.min(bs, items.size() - s);
            float[] x = new float[nb * 3 * S * S];
            for (int i = 0; i < nb; i++) pre.tensor(Images.read(items.get(s + i).path()).rgb(), x, i * 3 * S * S);
            float[] e = PatchCore.embed(PatchCore.maps(m, "input", x, nb, S, layers));
            System.arraycopy(e, 0, out, s * 784 * 128, e.length);
        }
        return out;
    }

    static double onnxThroughput(Path onnx, Path data, int n) throws Exception {
        List<ImageDataset.Item> test = new ArrayList<>(ImageDataset.open(data, "mvtec").split("test"));
        test = test.subList(0, Math.min(n, test.size()));
        Preprocessing pre = Preprocessing.imagenet(224, 0);
        float[] x = new float[test.size() * 3 * 224 * 224];
        for (int i = 0; i < test.size(); i++) pre.tensor(Images.read(test.get(i).path()).rgb(), x, i * 3 * 224 * 224);
        try (OnnxModel m = OnnxModel.load(onnx, THREADS)) {
            OnnxModel.Tensor t = new OnnxModel.Tensor(x, new long[]{test.size(), 3, 224, 224});
            m.runBatched("input", new OnnxModel.Tensor(java.util.Arrays.copyOf(x, 8 * 3 * 224 * 224), new long[]{8, 3, 224, 224}), 8); // warm-up
            long t0 = System.nanoTime();
            m.runBatched("input", t, 8);
            return test.size() / sec(System.nanoTime() - t0);
        }
    }

    static double peakHeapMb() {
        double s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) s += p.getPeakUsage().getUsed();
        return s / 1e6;
    }
}
