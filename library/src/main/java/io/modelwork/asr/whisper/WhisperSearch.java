package io.modelwork.asr.whisper;

import io.modelwork.onnx.OnnxModel.Tensor;

import java.util.*;

/**
 * The decoding loop of OpenAI Whisper's {@code decoding.py} for one 30-s window: greedy ({@code beam=1}: the
 * arg-max after the {@link LogitRules}; above temperature 0 a sample from softmax(logits / T)) or beam search ({@code BeamSearchDecoder}: each
 * hypothesis proposes its {@code beam+1} best tokens, the {@code beam} best unfinished continuations go on, finished
 * ones are collected until {@code round(beam·patience)}; then {@code MaximumLikelihoodRanker} without length penalty
 * picks the best sum of log-probabilities divided by its length). At most {@code n_text_ctx/2} tokens are sampled. Also
 * language detection ({@code detect_language}: the language token with the highest logit after {@code <|startoftranscript|>})
 * and the no-speech probability at the start token.
 */
final class WhisperSearch {

    /** One decoded window: the sampled tokens (no end-of-text), each one's log-probability, and the scores. */
    record Result(int[] tokens, float[] logprobs, double sumLogprob, double avgLogprob, double noSpeechProb,
                  List<Result> alternatives) {}

    private final WhisperDecoder decoder;
    private final WhisperConfig c;

    WhisperSearch(WhisperDecoder decoder, WhisperConfig c) {
        this.decoder = decoder;
        this.c = c;
    }

    /** The language code with the highest probability for this window, and that probability. */
    Map.Entry<String, Double> detectLanguage(Tensor encoder) {
        float[] logits = decoder.next(encoder, new int[]{c.sot()}, null).last();
        float[] masked = new float[logits.length];
        Arrays.fill(masked, Float.NEGATIVE_INFINITY);
        for (int id : c.languages().values()) if (id < logits.length) masked[id] = logits[id];
        float[] lp = LogitRules.logSoftmax(masked);
        String best = null;
        double bestP = -1;
        for (Map.Entry<String, Integer> e : c.languages().entrySet()) {
            if (e.getValue() >= lp.length) continue;
            double p = Math.exp(lp[e.getValue()]);
            if (p > bestP) { bestP = p; best = e.getKey(); }
        }
        return Map.entry(best == null ? "en" : best, bestP);
    }

    /** Decodes one window from {@code initial} tokens (prompt + start sequence). */
    Result decode(Tensor encoder, int[] initial, int sotIndex, boolean timestamps, int beam, double patience, double temperature, Random rng) {
        LogitRules rules = new LogitRules(c, timestamps, initial.length);
        int sampleLen = c.nTextCtx() / 2;
        return beam <= 1 || temperature > 0 ? greedy(encoder, initial, sotIndex, rules, sampleLen, temperature, rng)
                : beam(encoder, initial, sotIndex, rules, sampleLen, beam, patience);
    }

    /** A token drawn from softmax(logits / temperature) (OpenAI's {@code Categorical(logits=logits / T).sample()}). */
    static int sample(float[] logits, double temperature, Random rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v / temperature);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] / temperature - max);
        double u = rng.nextDouble() * sum, acc = 0;
        for (int i = 0; i < p.length; i++) if ((acc += p[i]) >= u && p[i] > 0) return i;
        return argmax(logits);
    }

    private double noSpeech(float[][] rows, int sotIndex) {
        if (c.noSpeech() < 0 || sotIndex < 0 || sotIndex >= rows.length || c.noSpeech() >= rows[sotIndex].length) return Double.NaN;
        return Math.exp(LogitRules.logSoftmax(rows[sotIndex])[c.noSpeech()]);
    }

    private Result greedy(Tensor enc, int[] initial, int sotIndex, LogitRules rules, int sampleLen, double temperature, Random rng) {
        int[] tokens = initial;
        WhisperDecoder.Cache cache = null;
        List<Float> lps = new ArrayList<>();
        double sum = 0, noSpeech = Double.NaN;
        for (int i = 0; i < sampleLen && tokens.length < c.nTextCtx(); i++) {
            WhisperDecoder.Output o = decoder.next(enc, tokens, cache);
            if (i == 0) noSpeech = noSpeech(o.logits(), sotIndex);
            cache = o.cache();
            float[] logits = o.last();
            rules.apply(logits, tokens);
            float[] lp = LogitRules.logSoftmax(logits);
            int next = temperature > 0 ? sample(logits, temperature, rng) : argmax(logits);
            sum += lp[next];
            if (next == c.eot()) break;
            tokens = append(tokens, next);
            lps.add(lp[next]);
        }
        int[] sampled = Arrays.copyOfRange(tokens, initial.length, tokens.length);
        return new Result(sampled, toArray(lps), sum, sum / (sampled.length + 1), noSpeech, List.of());
    }

    private record Hyp(int[] tokens, float[] logprobs, double sum, WhisperDecoder.Cache cache) {}

    private Result beam(Tensor enc, int[] initial, int sotIndex, LogitRules rules, int sampleLen, int beamSize, double patience) {
        int maxCandidates = (int) Math.round(beamSize * patience);
        List<Hyp> beams = List.of(new Hyp(initial, new float[0], 0, null)); // the copies OpenAI starts with collapse into one
        Map<List<Integer>, Hyp> finished = new LinkedHashMap<>();
        double noSpeech = Double.NaN;
        for (int step = 0; step < sampleLen && !beams.isEmpty(); step++) {
            record Cand(Hyp source, int token, float lp, double score, WhisperDecoder.Cache cache) {}
            Map<List<Integer>, Cand> cands = new LinkedHashMap<>();
            for (Hyp h : beams) {
                WhisperDecoder.Output o = decoder.next(enc, h.tokens, h.cache);
                if (step == 0) noSpeech = noSpeech(o.logits(), sotIndex);
                float[] logits = o.last();
                rules.apply(logits, h.tokens);
                float[] lp = LogitRules.logSoftmax(logits);
                for (int t : topK(lp, beamSize + 1)) {
                    List<Integer> seq = asList(append(h.tokens, t));
                    cands.put(seq, new Cand(h, t, lp[t], h.sum + lp[t], o.cache()));
                }
            }
            List<Map.Entry<List<Integer>, Cand>> sorted = new ArrayList<>(cands.entrySet());
            sorted.sort((a, b) -> Double.compare(b.getValue().score, a.getValue().score));
            List<Hyp> next = new ArrayList<>();
            Map<List<Integer>, Hyp> newlyFinished = new LinkedHashMap<>();
            for (Map.Entry<List<Integer>, Cand> e : sorted) {
                Cand x = e.getValue();
                float[] lps = Arrays.copyOf(x.source.logprobs, x.source.logprobs.length + 1);
                lps[lps.length - 1] = x.lp;
                if (x.token == c.eot()) newlyFinished.put(e.getKey(), new Hyp(x.source.tokens, x.source.logprobs, x.score, null));
                else {
                    next.add(new Hyp(append(x.source.tokens, x.token), lps, x.score, x.cache));
                    if (next.size() == beamSize) break;
                }
            }
            for (Map.Entry<List<Integer>, Hyp> e : newlyFinished.entrySet()) {
                if (finished.size() >= maxCandidates) break;
                finished.put(e.getKey(), e.getValue());
            }
            beams = next;
            if (finished.size() >= maxCandidates || beams.stream().anyMatch(h -> h.tokens.length >= c.nTextCtx())) break;
        }
        List<Hyp> all = new ArrayList<>(finished.values());
        if (all.size() < beamSize) { // OpenAI's finalize: the best unfinished ones, as if they ended here
            List<Hyp> rest = new ArrayList<>(beams);
            rest.sort((a, b) -> Double.compare(b.sum, a.sum));
            for (Hyp h : rest) {
                if (all.size() >= beamSize) break;
                all.add(h);
            }
        }
        List<Result> ranked = new ArrayList<>();
        for (Hyp h : all) {
            int[] sampled = Arrays.copyOfRange(h.tokens, initial.length, h.tokens.length);
            ranked.add(new Result(sampled, h.logprobs, h.sum, h.sum / (sampled.length + 1), noSpeech, List.of()));
        }
        // MaximumLikelihoodRanker, length_penalty=None: sum_logprob / length (stable: the first of equals wins)
        List<Result> order = new ArrayList<>(ranked);
        order.sort((a, b) -> Double.compare(b.sumLogprob / Math.max(1, b.tokens.length), a.sumLogprob / Math.max(1, a.tokens.length)));
        Result best = order.get(0);
        return new Result(best.tokens, best.logprobs, best.sumLogprob, best.avgLogprob, noSpeech, order.subList(1, order.size()));
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    /** Indices of the k largest values, largest first (ties: lower index first); k passes, as k is a beam width. */
    static int[] topK(float[] x, int k) {
        int n = Math.min(k, x.length);
        int[] out = new int[n];
        boolean[] taken = new boolean[x.length];
        for (int j = 0; j < n; j++) {
            int best = -1;
            for (int i = 0; i < x.length; i++) if (!taken[i] && (best < 0 || x[i] > x[best])) best = i;
            taken[best] = true;
            out[j] = best;
        }
        return out;
    }

    private static int[] append(int[] a, int t) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = t;
        return b;
    }

    private static List<Integer> asList(int[] a) {
        List<Integer> l = new ArrayList<>(a.length);
        for (int v : a) l.add(v);
        return l;
    }

    private static float[] toArray(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = l.get(i);
        return a;
    }
}
