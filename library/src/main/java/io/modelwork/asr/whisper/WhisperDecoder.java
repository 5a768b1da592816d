package io.modelwork.asr.whisper;

import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.onnx.OnnxModel.Flag;
import io.modelwork.onnx.OnnxModel.LongTensor;
import io.modelwork.onnx.OnnxModel.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Whisper's text decoder in the three shapes Hugging Face optimum exports it, chosen by the files present:
 * <ul>
 *   <li>{@code decoder_model_merged.onnx}: one graph with {@code use_cache_branch}; the first call feeds empty
 *       {@code past_key_values.*} (sequence length 0) and {@code false}, later calls the cache and {@code true};</li>
 *   <li>{@code decoder_model.onnx} + {@code decoder_with_past_model.onnx}: the first for the initial tokens (its
 *       {@code present.*} outputs start the cache), the second for each new token;</li>
 *   <li>{@code decoder_model.onnx} alone: no cache, the whole sequence every step (slower, same result).</li>
 * </ul>
 * The input and output names are read from the graphs ({@code input_ids}, {@code encoder_hidden_states},
 * {@code past_key_values.N.decoder|encoder.key|value} ↔ {@code present.N.…}). The cache is kept as plain float
 * tensors per hypothesis, so beam search reorders it by handing a hypothesis its source's cache. float32 graphs only.
 */
final class WhisperDecoder implements AutoCloseable {
    enum Kind { MERGED, WITH_PAST, NO_CACHE }

    /** A hypothesis' cache: the past key/values by input name, covering the first {@code length} tokens. */
    record Cache(Map<String, Tensor> values, int length) {}

    /** What one call gives: logits [seq][vocab] of the positions fed, and the cache after them (null without cache). */
    record Output(float[][] logits, Cache cache) {
        float[] last() { return logits[logits.length - 1]; }
    }

    private final Kind kind;
    private final OnnxModel first, withPast;
    private final List<String> pastInputs;
    private final int heads, headDim;

    private WhisperDecoder(Kind kind, OnnxModel first, OnnxModel withPast, int heads, int headDim) {
        this.kind = kind;
        this.first = first;
        this.withPast = withPast;
        OnnxModel cached = withPast != null ? withPast : first;
        this.pastInputs = cached.inputs().keySet().stream().filter(n -> n.startsWith("past_key_values.")).toList();
        first.expectInput("input_ids", -1, -1);
        if (!first.inputs().containsKey("encoder_hidden_states"))
            throw new ModelworkException("The Whisper decoder has no input 'encoder_hidden_states'", first.file().toString(),
                    "give a decoder exported by Hugging Face optimum (its inputs are " + first.inputs().keySet() + ")");
        if (kind != Kind.NO_CACHE && pastInputs.isEmpty())
            throw new ModelworkException("The Whisper decoder has no past_key_values inputs", cached.file().toString(),
                    "export with optimum's default task (automatic-speech-recognition-with-past), or keep only decoder_model.onnx");
        if (kind != Kind.NO_CACHE && pastInputs.stream().noneMatch(n -> n.contains(".encoder.")))
            throw new ModelworkException("The Whisper decoder's cache has no cross-attention entries (past_key_values.N.encoder.key/value)",
                    cached.file().toString(), "export it again with optimum (a decoder without them cannot see the audio), or keep only decoder_model.onnx");
        if (kind == Kind.MERGED && !first.inputs().containsKey("use_cache_branch"))
            throw new ModelworkException("The merged Whisper decoder has no input 'use_cache_branch'", first.file().toString(),
                    "give decoder_model_merged.onnx as optimum exports it, or decoder_model.onnx + decoder_with_past_model.onnx");
        long[] s = pastInputs.isEmpty() ? null : cached.inputs().get(pastInputs.get(0));
        this.heads = s != null && s.length == 4 && s[1] > 0 ? (int) s[1] : heads;
        this.headDim = s != null && s.length == 4 && s[3] > 0 ? (int) s[3] : headDim;
        if (kind == Kind.MERGED && (this.heads <= 0 || this.headDim <= 0))
            throw new ModelworkException("Cannot tell the merged decoder's attention shape (heads, head size) for its empty first cache",
                    first.file().toString(), "put the model's config.json (decoder_attention_heads, d_model) beside it");
    }

    /** Opens the decoder files in {@code dir}, preferring the merged graph, then the pair, then the cache-less graph. */
    static WhisperDecoder open(Path dir, WhisperConfig cfg, String device, int threads) {
        Path merged = dir.resolve("decoder_model_merged.onnx"), plain = dir.resolve("decoder_model.onnx"),
                past = dir.resolve("decoder_with_past_model.onnx");
        if (Files.isRegularFile(merged))
            return new WhisperDecoder(Kind.MERGED, OnnxModel.load(merged, null, device, threads), null, cfg.heads(), cfg.headDim());
        if (Files.isRegularFile(plain) && Files.isRegularFile(past)) {
            OnnxModel a = OnnxModel.load(plain, null, device, threads);
            try {
                return new WhisperDecoder(Kind.WITH_PAST, a, OnnxModel.load(past, null, device, threads), cfg.heads(), cfg.headDim());
            } catch (RuntimeException e) {
                a.close();
                throw e;
            }
        }
        if (Files.isRegularFile(plain))
            return new WhisperDecoder(Kind.NO_CACHE, OnnxModel.load(plain, null, device, threads), null, cfg.heads(), cfg.headDim());
        throw new ModelworkException("No Whisper decoder graph", dir.toString(),
                "give decoder_model_merged.onnx, or decoder_model.onnx (+ decoder_with_past_model.onnx) from an optimum export");
    }

    Kind kind() { return kind; }

    /** The SHA-256 of each graph, for the model reference. */
    Map<String, String> hashes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(first.file().getFileName().toString(), first.sha256());
        if (withPast != null) m.put(withPast.file().getFileName().toString(), withPast.sha256());
        return m;
    }

    /**
     * Feeds {@code tokens} after what {@code cache} covers (all of them when it is null) and returns their logits and
     * the new cache. Without a cache the whole sequence is fed every time and only the logits of the new positions
     * are returned.
     */
    Output next(Tensor encoder, int[] tokens, Cache cache) {
        if (kind == Kind.NO_CACHE) {
            Map<String, Tensor> out = first.runFeeds(feeds(ids(tokens, 0), encoder, null, null), "logits");
            return new Output(rows(out.get("logits"), cache == null ? 0 : cache.length()), new Cache(Map.of(), tokens.length));
        }
        if (cache == null) {
            Map<String, Object> f = feeds(ids(tokens, 0), encoder, null, null);
            if (kind == Kind.MERGED) {
                for (String n : pastInputs) f.put(n, new Tensor(new float[0], new long[]{1, heads, 0, headDim}));
                f.put("use_cache_branch", new Flag(false));
            }
            Map<String, Tensor> out = first.runFeeds(f);
            return new Output(rows(out.get("logits"), 0), cacheOf(out, null, tokens.length));
        }
        OnnxModel m = kind == Kind.MERGED ? first : withPast;
        Map<String, Object> f = feeds(ids(tokens, cache.length()), m.inputs().containsKey("encoder_hidden_states") ? encoder : null,
                cache, m);
        if (kind == Kind.MERGED) f.put("use_cache_branch", new Flag(true));
        Map<String, Tensor> out = m.runFeeds(f);
        return new Output(rows(out.get("logits"), 0), cacheOf(out, cache, tokens.length));
    }

    private static LongTensor ids(int[] tokens, int from) {
        long[] d = new long[tokens.length - from];
        for (int i = from; i < tokens.length; i++) d[i - from] = tokens[i];
        return new LongTensor(d, new long[]{1, d.length});
    }

    private Map<String, Object> feeds(LongTensor ids, Tensor encoder, Cache cache, OnnxModel m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("input_ids", ids);
        if (encoder != null) f.put("encoder_hidden_states", encoder);
        if (cache != null) for (String n : pastInputs) {
            Tensor t = cache.values().get(n);
            if (t == null) throw new ModelworkException("The Whisper decoder's cache has no " + n, m.file().toString(),
                    "the decoder graphs come from different exports: export the model again with optimum");
            f.put(n, t);
        }
        return f;
    }

    /** present.N.x.y outputs → past_key_values.N.x.y; encoder entries the new call does not give are kept. */
    private Cache cacheOf(Map<String, Tensor> out, Cache prev, int length) {
        Map<String, Tensor> c = new HashMap<>(prev == null ? Map.of() : prev.values());
        for (Map.Entry<String, Tensor> e : out.entrySet()) {
            if (!e.getKey().startsWith("present.")) continue;
            String name = "past_key_values." + e.getKey().substring("present.".length());
            boolean encoderEntry = name.contains(".encoder.");
            if (encoderEntry && prev != null && prev.values().containsKey(name)) continue; // cross-attention keys never change
            c.put(name, e.getValue());
        }
        return new Cache(c, length);
    }

    /** The logits rows of positions {@code from}… (the cache-less graph recomputes the earlier ones every step). */
    private static float[][] rows(Tensor logits, int from) {
        long[] s = logits.shape();
        int seq = (int) s[s.length - 2], v = (int) s[s.length - 1];
        float[][] r = new float[seq - from][];
        for (int i = from; i < seq; i++) r[i - from] = Arrays.copyOfRange(logits.data(), i * v, (i + 1) * v);
        return r;
    }

    @Override public void close() {
        first.close();
        if (withPast != null) withPast.close();
    }
}
