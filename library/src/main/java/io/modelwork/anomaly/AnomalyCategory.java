package io.modelwork.anomaly;

import io.modelwork.core.Args;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.shared.ArtifactsHandler;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.spi.Category;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import io.modelwork.vision.ImageDataset;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unsupervised visual anomaly detection: {@code anomaly.patchcore} (PatchCore as anomalib implements it) on image
 * datasets in MVTec layout, plain folders or CSV manifests. Recognises an MVTec-layout folder by itself; a folder or
 * manifest with {@code task=anomaly}.
 */
public final class AnomalyCategory implements Category<AnomalyState> {
    static final Options ATTACH = Options.of(
            Option.path("path", "MVTec-layout folder (train/good, test/<class>, ground_truth), image folder or CSV manifest path,label[,mask]"),
            Option.choice("format", "auto", List.of("auto", "mvtec", "folder", "csv"), "dataset layout"),
            Option.integer("sample", 0, 0, null, "at most this many images per split and class, evenly spaced by name (0 = all)"),
            Option.bool("strict", false, "unreadable images are an error (default: named in the report and left out)"),
            Option.text("task", null, "anomaly (needed for a plain folder or a CSV manifest)"));
    static final Options PREPARE = Options.of(
            Option.integer("resize", 224, 8, 4096, "resize images to resize×resize (bilinear); must match the backbone input"),
            Option.integer("crop", 0, 0, 4096, "centre crop after resize (0 = none)"),
            Option.bool("flips", false, "add each training image's left–right mirror to the memory bank"));
    static final Options SPLIT = Options.of(
            Option.number("validation", 0.5, 0.0, 0.95, "fraction of the test images (stratified by class) used for calibrate/tune; 0 = all test"),
            Option.number("test_normals", 0.2, 0.0, 0.9, "for layouts without train/test: fraction of the normal images held out for testing"));
    static final Options BUILD = Options.of(
            Option.text("spec", "anomaly.patchcore", "model spec"),
            Option.text("backbone", AnomalyModel.DEFAULT_BACKBONE, "ONNX backbone: an asset name (SHA-256 pinned) or the path of your own model"),
            Option.list("layers", AnomalyModel.DEFAULT_LAYERS, "backbone outputs used as features, finest map first"),
            Option.text("input", null, "backbone input name (default: its first input)"),
            Option.number("coreset_ratio", 0.1, 1e-6, 1.0, "fraction of training patches kept in the memory bank"),
            Option.integer("k", 9, 1, 1000, "bank neighbours of the image-score re-weighting (1 = max patch distance)"),
            Option.integer("batch", 16, 1, 4096, "images per backbone run"));
    static final Options EVALUATE = Options.of(Option.integer("gallery", 4, 0, 100, "worst false positives and false negatives shown"));
    static final Options TUNE = AnomalyTune.OPTIONS;
    static final Options BACKTEST = Options.of(
            Option.integer("windows", 4, 1, 1000, "replay windows"),
            Option.choice("order", "name", List.of("name", "mtime"), "production order: file name or modification time"));
    static final Options CALIBRATE = Options.of(
            Option.number("target_fpr", AnomalyEvaluate.DEFAULT_FPR, 0.0, 0.999, "largest false-positive rate on validation normals"));
    static final Options EXPORT = Options.of(
            Option.path("target", "bundle folder (default <run_dir>/export)"),
            Option.integer("parity", 8, 0, 10000, "test images on which ONNX Runtime must match the Java scorer to 1e-4"));

    @Override public String name() { return "anomaly"; }

    @Override public String description() { return "unsupervised visual anomaly detection (PatchCore on ONNX Runtime)"; }

    @Override public Set<String> tasks() { return Set.of("anomaly", "anomaly_detection"); }

    @Override public Map<String, String> specs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("anomaly.patchcore", "PatchCore (anomalib): memory bank of backbone patch features, k-center coreset, NN distance; ONNX export");
        return m;
    }

    @Override public int recognise(Args a) {
        String p = a.getString("path", null);
        if (p == null) return 0;
        String kind = ImageDataset.detect(Path.of(p));
        if ("mvtec".equals(kind)) return RECOGNISED;
        return "folder".equals(kind) ? RECOGNISED / 2 : 0;
    }

    /** The contract's example: a 30-per-class sample of the shared magnetic-tile set, every step. */
    @Override public LinkedHashMap<Step, Args> example(Path assets) {
        LinkedHashMap<Step, Args> m = new LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", assets.resolve("data/anomaly/magnetic-tile").toString(), "sample", 30));
        m.put(Step.PREPARE_DATA, Args.of("resize", 224));
        m.put(Step.SPLIT, Args.of("validation", 0.5));
        m.put(Step.BUILD, Args.of("spec", "anomaly.patchcore", "coreset_ratio", 0.05, "k", 9));
        m.put(Step.FIT, Args.empty());
        m.put(Step.EVALUATE, Args.of("gallery", 1));
        m.put(Step.TUNE, Args.of("trials", 2, "space", "k=1|9"));
        m.put(Step.BACKTEST, Args.of("windows", 2));
        m.put(Step.CALIBRATE, Args.of("target_fpr", 0.1));
        m.put(Step.EXPORT, Args.of("parity", 2));
        m.put(Step.ARTIFACTS, Args.empty());
        return m;
    }

    @Override public AnomalyState newState(StepContext ctx) {
        AnomalyState s = new AnomalyState();
        s.threads = ctx.run().threads();
        return s;
    }

    @Override public Options options(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> ATTACH;
            case PREPARE_DATA -> PREPARE;
            case SPLIT -> SPLIT;
            case BUILD -> BUILD;
            case EVALUATE -> EVALUATE;
            case TUNE -> TUNE;
            case BACKTEST -> BACKTEST;
            case CALIBRATE -> CALIBRATE;
            case EXPORT -> EXPORT;
            case REGISTER -> RegisterHandler.OPTIONS;
            default -> Options.none();
        };
    }

    @Override public StepHandler<AnomalyState> handler(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> AnomalyData::attach;
            case PREPARE_DATA -> AnomalyData::prepare;
            case SPLIT -> AnomalyData::split;
            case BUILD -> AnomalyModel::build;
            case FIT -> AnomalyModel::fit;
            case EVALUATE -> AnomalyEvaluate::evaluate;
            case TUNE -> AnomalyTune::tune;
            case BACKTEST -> AnomalyBacktest::backtest;
            case CALIBRATE -> AnomalyEvaluate::calibrate;
            case EXPORT -> AnomalyExport::export;
            case REGISTER -> new RegisterHandler<>();
            case ARTIFACTS -> new ArtifactsHandler<>();
            default -> null;
        };
    }
}
