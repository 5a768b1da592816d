package io.modelwork.asr;

import io.modelwork.asr.whisper.WhisperEngine;
import io.modelwork.core.Args;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.shared.ArtifactsHandler;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.spi.Category;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Speech recognition: {@code asr.vosk} (Vosk/Kaldi, English model from a Maven artifact; what tests and the template
 * notebook run) and {@code asr.whisper} (for user-supplied Whisper ONNX weights; none can be obtained here). Data: a
 * folder of audio with {@code <name>.txt} transcripts, {@code transcripts=FILE} (TSV or Sphinx), or one audio file.
 */
public final class AsrCategory implements Category<AsrState> {

    static final Options ATTACH = Options.of(
            Option.path("path", "a folder of audio files (transcripts as <name>.txt, or a Sphinx 'transcription' file) or one audio file"),
            Option.path("transcripts", "TSV: id (file name without extension) <TAB> [metadata, e.g. speaker…] <TAB> text; or Sphinx format"),
            Option.text("task", "asr", "asr (speech recognition)"),
            Option.integer("gallery", 12, 0, 1000, "utterances shown with an audio player"));
    static final Options PREPARE = Options.of(
            Option.choice("vad", "auto", List.of("auto", "on", "off"), "split audio at pauses with Silero VAD (auto: clips longer than seg_len)"),
            Option.number("vad_threshold", 0.5, 0.01, 0.99, "speech probability threshold"),
            Option.integer("min_speech_ms", 250, 0, 60_000, "drop speech segments shorter than this"),
            Option.integer("min_silence_ms", 100, 0, 60_000, "pause that ends a segment"),
            Option.integer("speech_pad_ms", 30, 0, 10_000, "padding added to each side of a segment"),
            Option.number("seg_len", 30.0, 1.0, 3600.0, "longest segment in seconds (longer speech is split at its longest pause)"),
            Option.choice("lang", "en", List.of("en"), "language of the speech (the Vosk model is English; asr.whisper: build lang=)"));
    static final Options SPLIT = Options.of(
            Option.number("test_fraction", 0.5, 0.0, 1.0, "share of utterances (whole speakers when known) in the test set"),
            Option.choice("by", "auto", List.of("auto", "speaker", "utterance"), "auto: by speaker when speaker ids are known (never one speaker in two sets)"));
    static final Options BUILD = Options.of(
            Option.text("spec", "asr.vosk", "asr.vosk or asr.whisper"),
            Option.integer("alternatives", 0, 0, 20, "n-best alternatives per utterance (Vosk)"),
            Option.path("model", "asr.whisper: folder with encoder_model.onnx, decoder_model*.onnx, tokenizer.json (Hugging Face optimum export)"),
            Option.number("beam", 0.0, 0.0, 100.0, "search beam, 0 = the engine's default. asr.vosk: Kaldi's decoding beam (default 10; 14 reads LibriVox a little better at 1.5× the time, "
                    + "see bench/README); asr.whisper: beam size (default 1 = greedy; OpenAI uses 5)"),
            Option.number("patience", 1.0, 0.1, 10.0, "asr.whisper beam search: finished candidates collected = round(beam × patience)"),
            Option.text("lang", "auto", "asr.whisper: language code (en, de, …) or auto (detected on the first 30 s of each clip)"),
            Option.choice("task", "transcribe", List.of("transcribe", "translate"), "asr.whisper: transcribe, or translate to English"),
            Option.bool("timestamps", true, "asr.whisper: predict timestamp tokens (segments; long audio moves on at the last one)"),
            Option.text("prompt", "", "asr.whisper: initial prompt (vocabulary, spelling) given as previous text"),
            Option.integer("threads", 2, 1, 64, "asr.whisper: ONNX Runtime intra-op threads"),
            Option.bool("fallback", true, "asr.whisper: decode a window again by sampling at temperatures 0.2…1.0 (seeded by the run) "
                    + "while its text compresses > 2.4× or its mean log-probability < −1, as OpenAI's transcribe does"));
    static final Options FIT = Options.none();
    static final Options EVALUATE = Options.of(
            Option.choice("on", "test", List.of("test", "train", "all"), "which utterances to score"),
            Option.choice("normalize", "basic", List.of("none", "lower", "basic"), "text normalisation before WER (basic: lower-case, no punctuation, single spaces)"),
            Option.integer("worst", 5, 0, 100, "worst utterances shown with audio players"));
    static final Options CALIBRATE = Options.of(
            Option.number("target_precision", 0.95, 0.0, 1.0, "wanted share of correct words among the words kept"),
            Option.choice("normalize", "basic", List.of("none", "lower", "basic"), "text normalisation before aligning"));
    static final Options TUNE = Options.of(
            Option.numbers("vad_threshold", "0.35,0.5,0.65", 0.01, 0.99, "VAD thresholds to try"),
            Option.numbers("seg_len", "10,30", 1.0, 3600.0, "segment lengths (s) to try"),
            Option.numbers("beam", null, 0.0, 100.0, "beams to try (asr.vosk: Kaldi beam, e.g. 6,10,14; asr.whisper: beam sizes, e.g. 1,5); default: the built one"),
            Option.choice("normalize", "basic", List.of("none", "lower", "basic"), "text normalisation of the WER"));
    static final Options EXPORT = Options.of(Option.path("dir", "export folder (default <run>/export)"));

    @Override public String name() { return "asr"; }

    @Override public String description() { return "speech recognition (Vosk; Whisper with your weights), scored by WER/CER"; }

    @Override public Set<String> tasks() { return Set.of("asr", "speech_recognition", "transcription"); }

    @Override public Map<String, String> specs() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("asr.vosk", "Vosk 0.3.45 (Kaldi) English recogniser with word times and confidences");
        m.put("asr.whisper", "Whisper ONNX encoder/decoder from your own weights (model=DIR); front end tested, quality untested here");
        return m;
    }

    @Override public int recognise(Args a) {
        try {
            if (a.has("transcripts")) return RECOGNISED;
            String p = a.getString("path", null);
            if (p == null) return 0;
            Path path = Path.of(p);
            if (Files.isRegularFile(path)) return AsrDataset.isAudio(path) ? RECOGNISED : 0;
            if (Files.isDirectory(path)) {
                try (var s = Files.list(path)) {
                    List<Path> files = s.filter(Files::isRegularFile).toList();
                    long audio = files.stream().filter(AsrDataset::isAudio).count();
                    return audio > 0 && audio * 2 >= files.stream().filter(f -> !f.getFileName().toString().endsWith(".txt")).count() ? RECOGNISED : 0;
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }

    @Override public AsrState newState(StepContext ctx) { return new AsrState(); }

    @Override public Options options(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> ATTACH;
            case PREPARE_DATA -> PREPARE;
            case SPLIT -> SPLIT;
            case BUILD -> BUILD;
            case FIT -> FIT;
            case EVALUATE -> EVALUATE;
            case CALIBRATE -> CALIBRATE;
            case TUNE -> TUNE;
            case EXPORT -> EXPORT;
            case REGISTER -> RegisterHandler.OPTIONS;
            default -> Options.none();
        };
    }

    @Override public StepHandler<AsrState> handler(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> AsrSteps::attach;
            case PREPARE_DATA -> AsrSteps::prepare;
            case SPLIT -> AsrSteps::split;
            case BUILD -> AsrSteps::build;
            case FIT -> AsrSteps::fit;
            case EVALUATE -> AsrScoring::evaluate;
            case CALIBRATE -> AsrScoring::calibrate;
            case TUNE -> AsrTuning::tune;
            case EXPORT -> AsrExport::export;
            case REGISTER -> new RegisterHandler<>();
            case ARTIFACTS -> new ArtifactsHandler<>();
            default -> null;
        };
    }

    @Override public String notApplicable(Step step) {
        return switch (step) {
            case BACKTEST -> "backtest is not applicable to asr: utterances have no time order";
            default -> step.key() + " is not applicable to asr";
        };
    }

    /** The five LibriVox utterances (Sphinx transcription file) with Vosk: WER 4/71 over all of them. */
    @Override public java.util.LinkedHashMap<Step, Args> example(Path assets) {
        java.util.LinkedHashMap<Step, Args> m = new java.util.LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", assets.resolve("data/asr/librivox").toString()));
        m.put(Step.PREPARE_DATA, Args.of("vad", "auto", "seg_len", 30));
        m.put(Step.SPLIT, Args.of("test_fraction", 0.4));
        m.put(Step.BUILD, Args.of("spec", "asr.vosk"));
        m.put(Step.FIT, Args.empty());
        m.put(Step.EVALUATE, Args.of("on", "all"));
        m.put(Step.CALIBRATE, Args.of("target_precision", 0.95));
        m.put(Step.EXPORT, Args.empty());
        return m;
    }

    /** The engine of {@code spec} with build's engine settings ({@link AsrState#engineArgs}). */
    static AsrEngine createEngine(String spec, int alternatives, String model, com.fasterxml.jackson.databind.JsonNode o) {
        double beam = o.path("beam").asDouble(0);
        if ("asr.whisper".equals(spec))
            return WhisperEngine.open(model == null ? null : Path.of(model), new WhisperEngine.Options(o.path("lang").asText("auto"),
                    o.path("task").asText("transcribe").equals("translate"), beam <= 0 ? 1 : (int) Math.round(beam),
                    o.path("patience").asDouble(1.0), o.path("timestamps").asBoolean(true),
                    o.path("prompt").asText("").isBlank() ? null : o.path("prompt").asText(), true, "cpu", o.path("threads").asInt(2),
                    o.path("fallback").asBoolean(true) ? WhisperEngine.FALLBACK : List.of(0.0), o.path("seed").asLong(0)));
        return new VoskEngine(VoskEngine.modelDir(beam), alternatives);
    }
}
