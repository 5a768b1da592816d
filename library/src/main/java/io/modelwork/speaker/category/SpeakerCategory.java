package io.modelwork.speaker.category;

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
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Speaker diarization ({@code speaker.diarization}): Silero VAD, Vosk/Kaldi x-vectors over sliding windows,
 * agglomerative or spectral clustering, scored by pyannote-exact DER/JER. Data: audio files named by URI plus
 * {@code rttm=} (and optional {@code uem=}, {@code list=}). Speaker verification ({@code speaker.verification},
 * {@code task=verification}): utterances labelled by speaker, cosine trials, EER/minDCF ({@link SpeakerVerify}).
 */
public final class SpeakerCategory implements Category<SpeakerState> {
    static final Options ATTACH = Options.of(
            Option.path("path", "a folder of audio files named <uri>.<ext> (two levels deep), or one audio file"),
            Option.list("rttm", null, "reference RTTM file(s), comma-separated"),
            Option.path("uem", "UEM file: the scored regions per URI (default: pyannote's extent of reference ∪ hypothesis)"),
            Option.path("list", "file of URIs, one a line (default: the URIs of the RTTM)"),
            Option.path("labels", "verification: file of <file><TAB or comma><speaker> lines (default: sub-folder or <speaker>_<n> file names)"),
            Option.text("task", "diarization", "diarization, or verification (utterances labelled by speaker)"));
    static final Options PREPARE = Options.of(
            Option.number("vad_threshold", 0.5, 0.01, 0.99, "Silero VAD speech probability threshold"),
            Option.number("window", 1.5, 0.5, 10.0, "x-vector window length in seconds"),
            Option.number("hop", 0.75, 0.1, 10.0, "step between windows in seconds (≤ window)"));
    static final Options SPLIT = Options.of(
            Option.number("test_fraction", 0.5, 0.0, 1.0, "share of recordings (whole sessions), or for verification of speakers, in the test set"),
            Option.number("validation_fraction", 0.0, 0.0, 1.0, "diarization: share of recordings in a validation set (tune scores there; default none: tune uses the training sessions)"));
    static final Options BUILD = Options.of(
            Option.text("spec", "speaker.diarization", "speaker.diarization or speaker.verification"),
            Option.choice("method", "ahc", List.of("ahc", "spectral"), "agglomerative (distance threshold) or spectral (eigengap) clustering"),
            Option.number("threshold", 0.75, 0.0, 2.0, "agglomerative: cosine distance at which merging stops (fit learns it)"),
            Option.integer("num_speakers", 0, 0, 100, "known number of speakers (0 = estimate)"),
            Option.integer("min_speakers", 1, 1, 100, "at least this many speakers"),
            Option.integer("max_speakers", 0, 0, 100, "at most this many speakers (0 = no bound)"),
            Option.number("min_turn", 0.5, 0.0, 10.0, "turns shorter than this (s) go to their longer neighbour"));
    static final Options FIT = Options.of(
            Option.number("shrink", 1.0, 0.0, 100.0, "whitening shrinkage (λ = shrink · mean eigenvalue)"),
            Option.bool("lda", true, "add LDA when the training sessions have ≥ 5 speakers"),
            Option.choice("backend", "auto", List.of("auto", "none", "mean", "whitening", "lda"),
                    "verification back end: auto = the best by speaker-held-out cross-validation; none = length normalisation only"));
    static final Options EVALUATE = Options.of(
            Option.choice("on", "test", List.of("test", "train", "validation", "all"), "which recordings (verification: speakers) to score"),
            Option.number("collar", null, 0.0, 5.0, "pyannote's collar: total width (s) around reference boundaries not scored (default: calibrate's, else 0)"),
            Option.bool("skip_overlap", false, "do not score overlapped reference speech"),
            Option.integer("worst", 3, 0, 100, "worst reference turns (least covered by their speaker's label) kept as audio clips"),
            Option.number("p_target", 0.01, 1e-6, 0.5, "verification: prior of a target trial in the detection cost (NIST SRE: 0.01)"),
            Option.number("c_miss", 1.0, 0.0, 1e6, "verification: cost of a missed target"),
            Option.number("c_fa", 1.0, 0.0, 1e6, "verification: cost of a false acceptance"));
    static final Options TUNE = SpeakerTune.OPTIONS;
    static final Options CALIBRATE = Options.of(
            Option.number("max_der_gap", 0.01, 0.0, 1.0, "collar policy: the smallest collar whose DER is within this of the 0.5 s one"),
            Option.number("target_far", 0.01, 0.0, 1.0, "verification: the score threshold's false-acceptance rate on the training speakers' trials"));
    static final Options EXPORT = Options.of(Option.path("dir", "export folder (default <run>/export)"));

    @Override public String name() { return "speaker"; }

    @Override public String description() { return "speaker diarization (Silero VAD, Vosk x-vectors, clustering; pyannote-exact DER/JER) and verification (EER, minDCF)"; }

    @Override public Set<String> tasks() { return Set.of("diarization", "speaker_diarization", "verification", "speaker_verification"); }

    static final Map<String, String> SPECS = new LinkedHashMap<>();
    static {
        SPECS.put("speaker.diarization", "Silero VAD → sliding-window Kaldi x-vectors (Vosk) → agglomerative/spectral clustering → RTTM");
        SPECS.put("speaker.verification", "whole-utterance Kaldi x-vectors (Vosk) → mean/whitening/LDA back end → cosine scores, EER/minDCF");
    }

    @Override public Map<String, String> specs() { return new LinkedHashMap<>(SPECS); }

    @Override public int recognise(Args a) {
        // above RECOGNISED: a reference RTTM is more specific than a folder of audio (which asr recognises too)
        if (a.has("rttm")) return RECOGNISED + 5;
        return 0;
    }

    @Override public SpeakerState newState(StepContext ctx) { return new SpeakerState(); }

    @Override public Options options(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> ATTACH;
            case PREPARE_DATA -> PREPARE;
            case SPLIT -> SPLIT;
            case BUILD -> BUILD;
            case FIT -> FIT;
            case EVALUATE -> EVALUATE;
            case TUNE -> TUNE;
            case CALIBRATE -> CALIBRATE;
            case BACKTEST -> SpeakerBacktest.OPTIONS;
            case EXPORT -> EXPORT;
            case REGISTER -> RegisterHandler.OPTIONS;
            default -> Options.none();
        };
    }

    @Override public StepHandler<SpeakerState> handler(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> (s, a, c) -> SpeakerVerify.asked(a) ? SpeakerVerify.attach(s, a, c) : SpeakerSteps.attach(s, a, c);
            case PREPARE_DATA -> (s, a, c) -> s.verification() ? SpeakerVerify.prepare(s, a, c) : SpeakerSteps.prepare(s, a, c);
            case SPLIT -> (s, a, c) -> s.verification() ? SpeakerVerify.split(s, a, c) : SpeakerSteps.split(s, a, c);
            case BUILD -> SpeakerSteps::build;
            case FIT -> (s, a, c) -> s.verification() ? SpeakerVerify.fit(s, a, c) : SpeakerSteps.fit(s, a, c);
            case EVALUATE -> (s, a, c) -> s.verification() ? SpeakerVerify.evaluate(s, a, c) : SpeakerScoring.evaluate(s, a, c);
            case TUNE -> (s, a, c) -> {
                if (s.verification()) throw new io.modelwork.core.ModelworkException("tune is not built for speaker.verification yet", "tune",
                        "fit (back end) and calibrate (threshold for a target FAR) are its learnt parameters; tune applies to speaker.diarization");
                return SpeakerTune.tune(s, a, c);
            };
            case CALIBRATE -> (s, a, c) -> s.verification() ? SpeakerVerify.calibrate(s, a, c) : SpeakerScoring.calibrate(s, a, c);
            case EXPORT -> SpeakerScoring::export;
            case BACKTEST -> SpeakerBacktest::backtest;
            case REGISTER -> new RegisterHandler<>();
            case ARTIFACTS -> new ArtifactsHandler<>();
            default -> null;
        };
    }

    @Override public String notApplicable(Step step) {
        return switch (step) {
            default -> step.key() + " is not applicable to speaker";
        };
    }

    /** The synthetic two-speaker mix (22 s, exact RTTM) through every step. */
    @Override public LinkedHashMap<Step, Args> example(Path assets) {
        Path d = assets.resolve("data/speaker/synth_mix");
        LinkedHashMap<Step, Args> m = new LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", d.toString(), "rttm", d.resolve("mix.rttm").toString()));
        m.put(Step.PREPARE_DATA, Args.empty());
        m.put(Step.SPLIT, Args.empty());
        m.put(Step.BUILD, Args.of("spec", "speaker.diarization"));
        m.put(Step.FIT, Args.empty());
        m.put(Step.EVALUATE, Args.empty());
        m.put(Step.TUNE, Args.of("threshold", "0.6,0.75,0.9", "method", "ahc,spectral"));
        m.put(Step.CALIBRATE, Args.empty());
        m.put(Step.EXPORT, Args.empty());
        m.put(Step.ARTIFACTS, Args.empty());
        return m;
    }
}
