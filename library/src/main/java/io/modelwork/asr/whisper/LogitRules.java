package io.modelwork.asr.whisper;

import java.util.Set;

/**
 * The logit filters of OpenAI Whisper's {@code decoding.py}, applied in its order to the next-token logits of one
 * hypothesis: {@code SuppressBlank} (at the first sampled position: the blank and end-of-text), {@code SuppressTokens}
 * (the non-speech symbols and the task/start tokens), and with timestamps {@code ApplyTimestampRules}: no
 * {@code <|notimestamps|>}; timestamps come in pairs (after a lone timestamp a timestamp or end-of-text, after a
 * pair text); timestamps never go back; the first token is a timestamp no later than {@code max_initial_timestamp};
 * and when the timestamps' total probability beats every text token, a timestamp is forced.
 */
final class LogitRules {
    private final WhisperConfig c;
    private final boolean timestamps;
    private final int sampleBegin;

    LogitRules(WhisperConfig c, boolean timestamps, int sampleBegin) {
        this.c = c;
        this.timestamps = timestamps;
        this.sampleBegin = sampleBegin;
    }

    /** Filters {@code logits} in place for the hypothesis {@code tokens} (initial tokens included). */
    void apply(float[] logits, int[] tokens) {
        int n = logits.length;
        if (tokens.length == sampleBegin) suppress(logits, c.beginSuppress());
        suppress(logits, c.suppress());
        if (!timestamps) return;
        int tb = c.timestampBegin();
        if (c.noTimestamps() >= 0 && c.noTimestamps() < n) logits[c.noTimestamps()] = Float.NEGATIVE_INFINITY;
        int len = tokens.length - sampleBegin;
        boolean lastTs = len >= 1 && tokens[tokens.length - 1] >= tb;
        boolean penultimateTs = len < 2 || tokens[tokens.length - 2] >= tb;
        if (lastTs) {
            if (penultimateTs) fill(logits, tb, n); // a pair closed: text next
            else fill(logits, 0, c.eot());          // a lone timestamp: another timestamp or end-of-text
        }
        int lastTimestamp = -1;
        for (int i = sampleBegin; i < tokens.length; i++) if (tokens[i] >= tb) lastTimestamp = tokens[i];
        if (lastTimestamp >= 0) {
            // timestamps never decrease; after a lone timestamp the next one may repeat it, else it must be later
            int from = lastTs && !penultimateTs ? lastTimestamp : lastTimestamp + 1;
            fill(logits, tb, Math.min(from, n));
        }
        if (len == 0) {
            fill(logits, 0, tb); // the first token is a timestamp
            if (c.maxInitialTimestampIndex() >= 0) fill(logits, tb + c.maxInitialTimestampIndex() + 1, n);
        }
        // if the timestamps' summed probability beats the best text token, sample a timestamp
        float[] lp = logSoftmax(logits);
        double maxText = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < tb && i < n; i++) maxText = Math.max(maxText, lp[i]);
        if (logSumExp(lp, tb, n) > maxText) fill(logits, 0, tb);
    }

    private static void suppress(float[] logits, Set<Integer> ids) {
        for (int t : ids) if (t >= 0 && t < logits.length) logits[t] = Float.NEGATIVE_INFINITY;
    }

    private static void fill(float[] logits, int from, int to) {
        for (int i = Math.max(0, from); i < Math.min(to, logits.length); i++) logits[i] = Float.NEGATIVE_INFINITY;
    }

    /** log_softmax in double precision (−∞ stays −∞). */
    static float[] logSoftmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        double s = 0;
        for (float v : x) s += Math.exp(v - max);
        double lse = max + Math.log(s);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) (x[i] - lse);
        return out;
    }

    static double logSumExp(float[] x, int from, int to) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) max = Math.max(max, x[i]);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double s = 0;
        for (int i = from; i < to; i++) s += Math.exp(x[i] - max);
        return max + Math.log(s);
    }
}
