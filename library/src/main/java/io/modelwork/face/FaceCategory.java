package io.modelwork.face;

import io.modelwork.core.Args;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.shared.ArtifactsHandler;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.spi.Category;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Face recognition ({@code face.arcface}): identity folders (one sub-folder per person), detection with five
 * landmarks, ArcFace alignment, embeddings, enrolment as the trained state, identification and verification metrics,
 * a calibrated threshold and an optionally encrypted template bundle. Chosen with {@code task=face}, or by itself when
 * an LFW-style {@code pairs=} file is given.
 */
public final class FaceCategory implements Category<FaceState> {
    static final Options ATTACH = Options.of(
            Option.path("path", "folder with one sub-folder of images per person (person_id = folder name); loose images are detection-only"),
            Option.path("pairs", "LFW-style pairs file: 'name i j' (same) / 'name1 i name2 j' (different), i 1-based in natural name order"),
            Option.integer("identities", 0, 0, 1_000_000, "use only the first N people (natural name order); 0 = all"),
            Option.path("photos", "a folder of (group) photos: evaluate finds every face in them and names it from the enrolled gallery (or 'unknown')"),
            Option.bool("detect", true, "profile and validate with YuNet (faces per image, sizes; no face / several faces / tiny faces named)"),
            Option.number("min_score", 0.7, 0.0, 1.0, "detector score for the profile"),
            Option.text("task", null, "face (face_recognition)"));
    static final Options PREPARE = Options.of(
            Option.number("min_score", 0.7, 0.0, 1.0, "detector score threshold"),
            Option.bool("align", true, "align the five landmarks to the ArcFace 112×112 template (false: box resized)"),
            Option.bool("flip", true, "average the embeddings of each crop and its mirror"),
            Option.bool("crop_fallback", true, "an image without a detected face is taken as an already-cropped face (named); false = left out"),
            Option.integer("min_face", 20, 1, 10000, "faces smaller than this (px) are named as tiny"));
    static final Options SPLIT = Options.of(
            Option.number("validation", 0.3, 0.0, 0.9, "share of the people kept apart for calibrate and open-set non-mated probes"),
            Option.integer("gallery", 5, 1, 100_000, "images enrolled per evaluation person (the first N, natural name order); the rest are probes"));
    static final Options BUILD = Options.of(
            Option.text("spec", FaceModel.SPEC, "model spec"),
            Option.text("embedding", "fr512", "fr512 (faceplugin 512-d), mobilefacenet (128-d) or the path of your own ArcFace .onnx"),
            Option.text("detector", "yunet", "yunet, none (images are face crops) or the path of a YuNet-format .onnx"),
            Option.integer("max_side", 1920, 64, 8192, "images with a longer side are downscaled before detection"));
    static final Options EVALUATE = Options.of(Option.integer("gallery", 4, 0, 100, "highest impostor and lowest genuine pairs shown"));
    static final Options CALIBRATE = Options.of(
            Option.number("target_far", 0.001, 1e-6, 0.5, "false-accept rate on validation impostor pairs"));
    static final Options EXPORT = Options.of(
            Option.path("target", "bundle folder (default <run_dir>/export)"),
            Option.bool("encrypt", false, "encrypt the index (templates, embeddings, names) with AES-GCM"),
            Option.text("key_env", FaceExport.DEFAULT_KEY_ENV, "environment variable holding the base64 AES key"));

    @Override public String name() { return "face"; }

    @Override public String description() { return "face recognition: detection, alignment, ArcFace-style embeddings, identification and verification"; }

    @Override public Set<String> tasks() { return Set.of("face", "face_recognition"); }

    @Override public Map<String, String> specs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FaceModel.SPEC, "YuNet 5-landmark detection → ArcFace 112×112 alignment → fr512 / MobileFaceNet / own ONNX embedding, cosine");
        return m;
    }

    @Override public int recognise(Args a) {
        String t = a.getString("task", null);
        if (t != null && tasks().contains(t)) return EXPLICIT;
        return a.has("pairs") && a.has("path") ? RECOGNISED : 0;
    }

    @Override public FaceState newState(StepContext ctx) {
        FaceState s = new FaceState();
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
            case CALIBRATE -> CALIBRATE;
            case TUNE -> FaceTune.OPTIONS;
            case EXPORT -> EXPORT;
            case REGISTER -> RegisterHandler.OPTIONS;
            default -> Options.none();
        };
    }

    @Override public StepHandler<FaceState> handler(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> FaceData::attach;
            case PREPARE_DATA -> FaceData::prepare;
            case SPLIT -> FaceData::split;
            case BUILD -> FaceModel::build;
            case FIT -> FaceModel::fit;
            case EVALUATE -> FaceEvaluate::evaluate;
            case CALIBRATE -> FaceEvaluate::calibrate;
            case TUNE -> FaceTune::tune;
            case EXPORT -> FaceExport::export;
            case REGISTER -> new RegisterHandler<>();
            case ARTIFACTS -> new ArtifactsHandler<>();
            default -> null;
        };
    }

    @Override public String notApplicable(Step step) {
        return switch (step) {
            case BACKTEST -> "backtest does not apply to face recognition: the images have no time order";
            default -> step.key() + " is not applicable to face";
        };
    }

    @Override public LinkedHashMap<Step, Args> example(Path assets) {
        LinkedHashMap<Step, Args> m = new LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", assets.resolve("data/face/att_faces").toString(), "task", "face", "identities", 8));
        m.put(Step.PREPARE_DATA, Args.empty());
        m.put(Step.SPLIT, Args.of("validation", 0.25, "gallery", 5));
        m.put(Step.BUILD, Args.of("spec", FaceModel.SPEC, "embedding", "mobilefacenet"));
        m.put(Step.FIT, Args.empty());
        m.put(Step.EVALUATE, Args.of("gallery", 2));
        m.put(Step.TUNE, Args.of("strategy", "grid", "trials", 2, "space", "flip=true|false"));
        m.put(Step.CALIBRATE, Args.of("target_far", 0.01));
        m.put(Step.EXPORT, Args.empty());
        m.put(Step.ARTIFACTS, Args.empty());
        return m;
    }
}
