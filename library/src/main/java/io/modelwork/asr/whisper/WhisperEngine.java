package io.modelwork.asr.whisper;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.asr.AsrEngine;
import io.modelwork.asr.Transcript;
import io.modelwork.audio.Audio;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.onnx.OnnxModel.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * {@code asr.whisper}: Whisper as Hugging Face optimum exports it to ONNX — {@code encoder_model.onnx}, the decoder
 * ({@code decoder_model_merged.onnx}, or {@code decoder_model.onnx} with or without {@code decoder_with_past_model.onnx};
 * see {@link WhisperDecoder}), {@code tokenizer.json}, and {@code config.json} / {@code generation_config.json} when
 * present. Long audio is transcribed as OpenAI's {@code transcribe.py} does: the log-mel of the whole
 * clip ({@link LogMel}, 30 s of zeros appended), a 30-s window at {@code seek}, the window's text from the
 * {@link WhisperSearch}, segments cut at consecutive timestamp tokens, {@code seek} moved to the last complete segment's
 * end, the previous text as the prompt ({@code condition_on_previous_text}), windows whose no-speech probability is
 * above 0.6 with an average log-probability below −1 skipped, and the temperature fallback (a window whose text
 * compresses more than 2.4× or whose mean log-probability is below −1 is decoded again by sampling at the next
 * temperature of {@link Options#temperatures}, one sample each, as {@code transcribe()} without {@code best_of}). Not
 * built: word timestamps from cross-attention (optimum's graphs do not output attention): word times here are the
 * segment's span shared by character count, word confidence the mean token probability.
 *
 * <p>No Whisper weights can be obtained on the machines this project is built on: greedy decoding is held token for
 * token to transformers' {@code generate()} on a randomly initialised tiny Whisper ({@code WhisperHfParityTest}), the
 * rest is tested on Whisper-shaped graphs generated in the test ({@code WhisperEngineTest}); Whisper's own
 * transcription quality is untested here.
 */
public final class WhisperEngine implements AsrEngine {
    public static final String ENV = "MODELWORK_WHISPER";
    static final int N_FRAMES = LogMel.CHUNK_SAMPLES / LogMel.HOP; // 3000 mel frames = 30 s

    /** OpenAI's temperature schedule for the fallback ({@code transcribe.py}: 0, 0.2, …, 1.0). */
    public static final List<Double> FALLBACK = List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0);
    /** transcribe()'s defaults: compression_ratio_threshold, logprob_threshold, no_speech_threshold. */
    static final double MAX_COMPRESSION = 2.4, MIN_LOGPROB = -1.0, NO_SPEECH = 0.6;

    /**
     * Decoding options: {@code lang} a code or "auto", translate instead of transcribe, beam size (1 = greedy),
     * patience; {@code temperatures} the fallback schedule (a window is decoded again at the next temperature, by
     * sampling, while its text compresses more than 2.4× with zlib or its mean log-probability is below −1 — unless it is
     * silence), {@code seed} for the sampling.
     */
    public record Options(String lang, boolean translate, int beam, double patience, boolean timestamps, String prompt,
                          boolean conditionOnPrevious, String device, int threads, List<Double> temperatures, long seed) {
        public Options {
            temperatures = temperatures == null || temperatures.isEmpty() ? List.of(0.0) : List.copyOf(temperatures);
        }

        /** Temperature 0 only (no fallback). */
        public Options(String lang, boolean translate, int beam, double patience, boolean timestamps, String prompt,
                       boolean conditionOnPrevious, String device, int threads) {
            this(lang, translate, beam, patience, timestamps, prompt, conditionOnPrevious, device, threads, List.of(0.0), 0);
        }

        public static Options defaults() { return new Options("auto", false, 1, 1.0, true, null, true, "cpu", 2, FALLBACK, 0); }

        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("lang", lang).put("task", translate ? "translate" : "transcribe").put("beam", beam).put("patience", patience)
                    .put("timestamps", timestamps).put("prompt", prompt).put("condition_on_previous_text", conditionOnPrevious)
                    .put("device", device).put("seed", seed);
            temperatures.forEach(o.putArray("temperatures")::add);
            o.put("compression_ratio_threshold", MAX_COMPRESSION).put("logprob_threshold", MIN_LOGPROB).put("no_speech_threshold", NO_SPEECH);
            return o;
        }
    }

    private final Path dir;
    private final Options opts;
    private final OnnxModel encoder;
    private final WhisperDecoder decoder;
    private final WhisperTokenizer tokenizer;
    private final WhisperConfig cfg;
    private final WhisperSearch search;
    private final String encoderInput, encoderOutput;
    private String lastLanguage;
    private final List<Double> lastTemperatures = new ArrayList<>();
    private final java.util.Random rng;

    private WhisperEngine(Path dir, Options opts, OnnxModel encoder, WhisperTokenizer tokenizer, WhisperConfig cfg, WhisperDecoder decoder) {
        this.dir = dir;
        this.opts = opts;
        this.encoder = encoder;
        this.tokenizer = tokenizer;
        this.cfg = cfg;
        this.decoder = decoder;
        this.search = new WhisperSearch(decoder, cfg);
        this.encoderInput = encoder.inputs().keySet().iterator().next();
        this.encoderOutput = encoder.outputs().keySet().iterator().next();
        this.rng = new java.util.Random(opts.seed());
    }

    /** Opens the export in {@code dir} (or $MODELWORK_WHISPER) with default options. */
    public static WhisperEngine open(Path dir) { return open(dir, Options.defaults()); }

    /** Opens the export in {@code dir} (or $MODELWORK_WHISPER); an error naming what is missing, where and how to get it. */
    public static WhisperEngine open(Path dir, Options opts) {
        Path d = dir != null ? dir : System.getenv(ENV) != null ? Path.of(System.getenv(ENV)) : null;
        String how = "export a Whisper checkpoint with Hugging Face optimum (optimum-cli export onnx --model openai/whisper-tiny DIR) "
                + "on a machine that has the weights, copy DIR here and run build spec=asr.whisper model=DIR "
                + "(or set " + ENV + "=DIR); spec=asr.vosk works without any download";
        if (d == null)
            throw new ModelworkException("No Whisper weights given: asr.whisper needs an ONNX export of a Whisper model",
                    "build model= (not set) and $" + ENV + " (not set)", how);
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(d.resolve("encoder_model.onnx"))) missing.add("encoder_model.onnx");
        if (!List.of("decoder_model_merged.onnx", "decoder_model.onnx").stream().anyMatch(f -> Files.isRegularFile(d.resolve(f))))
            missing.add("decoder_model.onnx (or decoder_model_merged.onnx)");
        if (!Files.isRegularFile(d.resolve("tokenizer.json"))) missing.add("tokenizer.json");
        if (!missing.isEmpty())
            throw new ModelworkException("Whisper weights incomplete: missing " + String.join(", ", missing),
                    d.toAbsolutePath().toString(), how);
        if (opts.beam() < 1 || opts.patience() <= 0)
            throw new ModelworkException("beam must be ≥ 1 and patience > 0 (beam " + opts.beam() + ", patience " + opts.patience() + ")",
                    "build beam=", "use beam=1 (greedy) or beam=5 (OpenAI's default for beam search)");
        WhisperTokenizer tok = new WhisperTokenizer(d.resolve("tokenizer.json"));
        OnnxModel enc = null;
        try {
            enc = OnnxModel.load(d.resolve("encoder_model.onnx"), null, opts.device(), opts.threads());
            long[] in = enc.inputs().values().iterator().next();
            if (in.length != 3)
                throw new ModelworkException("The Whisper encoder's input has shape " + Arrays.toString(in) + ", expected [batch, mels, 3000]",
                        enc.file().toString(), "give encoder_model.onnx from an optimum export of a Whisper model");
            WhisperConfig cfg = WhisperConfig.read(d, tok, in[1]);
            if (!opts.lang().equals("auto") && cfg.multilingual()) cfg.sotSequence(opts.lang(), false); // unknown language: fail now
            WhisperDecoder dec = WhisperDecoder.open(d, cfg, opts.device(), opts.threads());
            return new WhisperEngine(d, opts, enc, tok, cfg, dec);
        } catch (RuntimeException e) {
            if (enc != null) enc.close();
            tok.close();
            throw e;
        }
    }

    /** The temperature each window of the last clip was decoded at (above 0: the fallback sampled it). */
    public List<Double> lastTemperatures() { return List.copyOf(lastTemperatures); }

    /** The language of the last clip (detected with lang=auto). */
    public String lastLanguage() { return lastLanguage; }

    /** The decoder graphs in use: merged, with_past or no_cache. */
    public String decoderKind() { return decoder.kind().name().toLowerCase(Locale.ROOT); }

    @Override public Transcript transcribe(Audio clip) {
        if (clip.sampleRate() != LogMel.RATE)
            throw new ModelworkException("Whisper takes 16 kHz audio, this clip is " + clip.sampleRate() + " Hz",
                    String.valueOf(clip.source()), "decode it with AudioDecoder (it resamples to 16 kHz)");
        float[][] mel = LogMel.compute(clip.samples(), cfg.nMels(), LogMel.CHUNK_SAMPLES);
        int content = mel[0].length - N_FRAMES;
        String lang = opts.lang();
        if (!cfg.multilingual()) lang = "en";
        else if (lang.equals("auto")) lang = search.detectLanguage(encode(mel, 0, N_FRAMES)).getKey(); // the first 30 s of the padded log-mel
        lastLanguage = lang;
        int[] sotSeq = cfg.sotSequence(lang, opts.translate());
        List<Integer> all = new ArrayList<>();
        if (opts.prompt() != null && !opts.prompt().isBlank()) for (int t : tokenizer.encode(" " + opts.prompt().strip())) all.add(t);
        int promptResetSince = 0;
        List<Segment> segments = new ArrayList<>();
        List<Transcript.Alternative> alternatives = new ArrayList<>();
        int seek = 0, windows = 0;
        lastTemperatures.clear();
        while (seek < content) {
            int size = Math.min(N_FRAMES, content - seek);
            double offset = seek * (double) LogMel.HOP / LogMel.RATE;
            Tensor enc = encode(mel, seek, size);
            int[] initial = initialTokens(all.subList(promptResetSince, all.size()), sotSeq);
            WhisperSearch.Result r = null;
            double used = 0;
            for (double t : opts.temperatures()) { // transcribe.py's decode_with_fallback
                used = t;
                r = search.decode(enc, initial, indexOf(initial, cfg.sot()), opts.timestamps(), t > 0 ? 1 : opts.beam(), opts.patience(), t, rng);
                boolean again = compressionRatio(text(r.tokens())) > MAX_COMPRESSION || r.avgLogprob() < MIN_LOGPROB;
                if (r.noSpeechProb() > NO_SPEECH && r.avgLogprob() < MIN_LOGPROB) again = false; // silence: no retry
                if (!again) break;
            }
            lastTemperatures.add(used);
            windows++;
            if (r.noSpeechProb() > NO_SPEECH && !(r.avgLogprob() > MIN_LOGPROB)) { seek += size; continue; } // silence: skip the window
            if (windows == 1) for (WhisperSearch.Result a : r.alternatives())
                alternatives.add(new Transcript.Alternative(text(a.tokens()), Math.exp(a.avgLogprob())));
            List<Segment> cur = segments(r, offset, size * (double) LogMel.HOP / LogMel.RATE);
            segments.addAll(cur);
            for (Segment s : cur) for (int t : s.tokens) all.add(t);
            if (!opts.conditionOnPrevious() || used > 0.5) promptResetSince = all.size(); // a hot sample is not a good prompt
            seek += advance(r.tokens(), size);
        }
        return toTranscript(segments, alternatives);
    }

    /** One window's decoding from given log-mel features [nMels][3000], no prompt (tests hold it to transformers'). */
    WhisperSearch.Result decodeWindow(float[][] window, String lang) {
        int[] initial = initialTokens(List.of(), cfg.sotSequence(lang, opts.translate()));
        return search.decode(encode(window, 0, N_FRAMES), initial, indexOf(initial, cfg.sot()), opts.timestamps(), opts.beam(), opts.patience(), 0, rng);
    }

    /** The language detected from given log-mel features [nMels][3000] (tests hold it to transformers'). */
    String detectLanguage(float[][] window) { return search.detectLanguage(encode(window, 0, N_FRAMES)).getKey(); }

    private int[] initialTokens(List<Integer> previous, int[] sotSeq) {
        List<Integer> init = new ArrayList<>();
        if (!previous.isEmpty() && cfg.sotPrev() >= 0) {
            int keep = cfg.nTextCtx() / 2 - 1;
            init.add(cfg.sotPrev());
            init.addAll(previous.subList(Math.max(0, previous.size() - keep), previous.size()));
        }
        for (int t : sotSeq) init.add(t);
        if (!opts.timestamps() && cfg.noTimestamps() >= 0) init.add(cfg.noTimestamps());
        return init.stream().mapToInt(Integer::intValue).toArray();
    }

    private Tensor encode(float[][] mel, int from, int size) {
        int n = cfg.nMels();
        float[] x = new float[n * N_FRAMES]; // pad_or_trim: frames past the content are 0
        for (int m = 0; m < n; m++) System.arraycopy(mel[m], from, x, m * N_FRAMES, Math.min(size, mel[m].length - from));
        return encoder.run(encoderInput, new Tensor(x, new long[]{1, n, N_FRAMES}), encoderOutput).get(encoderOutput);
    }

    /** A span of text between two timestamps, its tokens (timestamps included) and their log-probabilities. */
    record Segment(double start, double end, int[] tokens, float[] logprobs) {}

    /** transcribe.py's segmentation of one window's tokens at consecutive timestamps. */
    List<Segment> segments(WhisperSearch.Result r, double offset, double windowSeconds) {
        int[] t = r.tokens();
        int tb = cfg.timestampBegin();
        List<Segment> out = new ArrayList<>();
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < t.length; i++) if (t[i - 1] >= tb && t[i] >= tb) cuts.add(i);
        boolean singleEnding = t.length >= 2 && t[t.length - 2] < tb && t[t.length - 1] >= tb;
        if (!cuts.isEmpty()) {
            if (singleEnding) cuts.add(t.length);
            int last = 0;
            for (int cut : cuts) {
                int[] slice = Arrays.copyOfRange(t, last, cut);
                out.add(new Segment(offset + (slice[0] - tb) * WhisperConfig.TIME_PRECISION,
                        offset + (slice[slice.length - 1] - tb) * WhisperConfig.TIME_PRECISION, slice,
                        Arrays.copyOfRange(r.logprobs(), last, cut)));
                last = cut;
            }
        } else {
            double duration = windowSeconds;
            int lastTs = -1;
            for (int x : t) if (x >= tb) lastTs = x;
            if (lastTs > tb) duration = (lastTs - tb) * WhisperConfig.TIME_PRECISION;
            if (t.length > 0) out.add(new Segment(offset, offset + duration, t, r.logprobs()));
        }
        return out;
    }

    /** How far seek moves: the whole window, or up to the last complete segment's closing timestamp. */
    int advance(int[] t, int size) {
        int tb = cfg.timestampBegin();
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < t.length; i++) if (t[i - 1] >= tb && t[i] >= tb) cuts.add(i);
        boolean singleEnding = t.length >= 2 && t[t.length - 2] < tb && t[t.length - 1] >= tb;
        if (cuts.isEmpty() || singleEnding) return size;
        int lastPos = t[cuts.get(cuts.size() - 1) - 1] - tb;
        return Math.max(1, Math.min(size, lastPos * 2)); // input_stride: 2 mel frames per encoder position
    }

    /** transcribe.py's {@code get_compression_ratio}: UTF-8 length over its zlib-compressed length (default level). */
    static double compressionRatio(String text) {
        byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.zip.Deflater d = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION);
        d.setInput(b);
        d.finish();
        byte[] buf = new byte[b.length + 64];
        int n = 0;
        while (!d.finished()) n += d.deflate(buf, n, buf.length - n);
        d.end();
        return b.length / (double) n;
    }

    private String text(int[] tokens) {
        return tokenizer.decode(Arrays.stream(tokens).filter(x -> x < cfg.eot()).toArray()).strip();
    }

    private Transcript toTranscript(List<Segment> segments, List<Transcript.Alternative> alternatives) {
        StringBuilder sb = new StringBuilder();
        List<Transcript.Word> words = new ArrayList<>();
        for (Segment s : segments) {
            String text = text(s.tokens);
            if (text.isEmpty()) continue;
            sb.append(sb.isEmpty() ? "" : " ").append(text);
            words.addAll(words(s));
        }
        return new Transcript(sb.toString(), words, alternatives);
    }

    /** A segment's words: tokens grouped at leading spaces; times shared by character count; confidence exp(mean log p). */
    private List<Transcript.Word> words(Segment s) {
        List<int[]> groups = new ArrayList<>();
        List<double[]> lps = new ArrayList<>();
        List<Integer> cur = new ArrayList<>();
        double lpSum = 0;
        for (int i = 0; i < s.tokens.length; i++) {
            int tok = s.tokens[i];
            if (tok >= cfg.eot()) continue;
            String piece = tokenizer.decode(new int[]{tok});
            if (piece.startsWith(" ") && !cur.isEmpty()) {
                groups.add(cur.stream().mapToInt(Integer::intValue).toArray());
                lps.add(new double[]{lpSum, cur.size()});
                cur.clear();
                lpSum = 0;
            }
            cur.add(tok);
            lpSum += i < s.logprobs.length ? s.logprobs[i] : 0;
        }
        if (!cur.isEmpty()) { groups.add(cur.stream().mapToInt(Integer::intValue).toArray()); lps.add(new double[]{lpSum, cur.size()}); }
        List<String> texts = new ArrayList<>();
        int chars = 0;
        for (int[] g : groups) { String w = tokenizer.decode(g).strip(); texts.add(w); chars += Math.max(1, w.length()); }
        List<Transcript.Word> out = new ArrayList<>();
        double t = s.start, span = Math.max(0, s.end - s.start);
        for (int i = 0; i < groups.size(); i++) {
            String w = texts.get(i);
            if (w.isEmpty()) continue;
            double d = span * Math.max(1, w.length()) / chars;
            out.add(new Transcript.Word(w, t, t + d, Math.exp(lps.get(i)[0] / lps.get(i)[1])));
            t += d;
        }
        return out;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }

    @Override public ObjectNode modelReference() {
        ObjectNode o = Json.object();
        o.put("name", "whisper").put("engine", "onnxruntime").put("dir", dir.toAbsolutePath().toString())
                .put("decoder", decoderKind()).put("mel_bins", cfg.nMels()).put("multilingual", cfg.multilingual());
        ObjectNode files = o.putObject("sha256");
        files.put(encoder.file().getFileName().toString(), encoder.sha256());
        decoder.hashes().forEach(files::put);
        try {
            files.put("tokenizer.json", AtomicFiles.sha256(tokenizer.file()));
        } catch (IOException e) {
            files.put("tokenizer.json", "unreadable: " + e.getMessage());
        }
        o.set("options", opts.toJson());
        if (!encoder.deviceNote().isEmpty()) o.put("device_note", encoder.deviceNote());
        return o;
    }

    @Override public void close() {
        encoder.close();
        decoder.close();
        tokenizer.close();
    }
}
