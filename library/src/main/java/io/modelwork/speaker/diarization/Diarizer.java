package io.modelwork.speaker.diarization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.audio.SileroVad;
import io.modelwork.core.Json;
import io.modelwork.speaker.metrics.Rttm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The diarization pipeline: Silero VAD → speech regions → sliding windows ({@code window} seconds every {@code hop};
 * a region shorter than a window is one window) → one x-vector per window ({@link XVectors}) → the back end
 * ({@link Backend}) → clustering ({@link Clustering}: agglomerative with a distance threshold or spectral with the
 * eigengap) → every 10 ms frame of speech takes the label of the window whose centre is nearest → turns shorter than
 * {@code min_turn} are given to their longer neighbour (boundary smoothing) → RTTM turns.
 *
 * <p>Overlapped speech is not assigned a second speaker (one label per frame); its share of the reference is reported by
 * the category. The expensive part ({@link #embed}) depends only on the VAD and window settings and is cached by the
 * category; {@link #label} (back end, clustering, smoothing) is cheap, so fit and tune search over it.
 */
public final class Diarizer {
    private Diarizer() {}

    public static final double FRAME = 0.01;

    /** The pipeline's parameters. */
    public record Config(double vadThreshold, double window, double hop, String method, double threshold,
                         Clustering.Bounds bounds, double minTurn) {
        public static Config defaults() { return new Config(0.5, 1.5, 0.75, "ahc", 0.75, Clustering.Bounds.none(), 0.5); }

        /** The part of the config {@link #embed} depends on. */
        public String embedKey() { return vadThreshold + "/" + window + "/" + hop; }

        public Config withThreshold(double t) { return new Config(vadThreshold, window, hop, method, t, bounds, minTurn); }

        public Config withMethod(String m) { return new Config(vadThreshold, window, hop, m, threshold, bounds, minTurn); }

        public Config withBounds(Clustering.Bounds b) { return new Config(vadThreshold, window, hop, method, threshold, b, minTurn); }

        public Config withVad(double v, double w, double h) { return new Config(v, w, h, method, threshold, bounds, minTurn); }

        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("vad_threshold", vadThreshold).put("window", window).put("hop", hop).put("method", method).put("threshold", threshold)
                    .put("num_speakers", bounds.num()).put("min_speakers", bounds.min()).put("max_speakers", bounds.max()).put("min_turn", minTurn);
            return o;
        }

        public static Config fromJson(JsonNode o) {
            Config d = defaults();
            return new Config(o.path("vad_threshold").asDouble(d.vadThreshold), o.path("window").asDouble(d.window), o.path("hop").asDouble(d.hop),
                    o.path("method").asText(d.method), o.path("threshold").asDouble(d.threshold),
                    new Clustering.Bounds(o.path("num_speakers").asInt(0), o.path("min_speakers").asInt(1), o.path("max_speakers").asInt(0)),
                    o.path("min_turn").asDouble(d.minTurn));
        }
    }

    /** A window with its raw x-vector. */
    public record Window(double start, double end, double[] x) {
        double centre() { return (start + end) / 2; }
    }

    /** VAD regions and window embeddings of one recording (what {@link #label} needs). */
    public record Embedded(String uri, double duration, List<double[]> speech, List<Window> windows) {
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("uri", uri).put("duration", duration);
            ArrayNode s = o.putArray("speech");
            for (double[] r : speech) s.addArray().add(r[0]).add(r[1]);
            ArrayNode w = o.putArray("windows");
            for (Window x : windows) {
                ObjectNode j = w.addObject().put("start", x.start).put("end", x.end);
                ArrayNode v = j.putArray("x");
                for (double d : x.x) v.add((float) d);
            }
            return o;
        }

        public static Embedded fromJson(JsonNode o) {
            List<double[]> sp = new ArrayList<>();
            o.path("speech").forEach(r -> sp.add(new double[]{r.get(0).asDouble(), r.get(1).asDouble()}));
            List<Window> ws = new ArrayList<>();
            o.path("windows").forEach(j -> {
                double[] x = new double[j.get("x").size()];
                for (int i = 0; i < x.length; i++) x[i] = j.get("x").get(i).asDouble();
                ws.add(new Window(j.get("start").asDouble(), j.get("end").asDouble(), x));
            });
            return new Embedded(o.get("uri").asText(), o.path("duration").asDouble(), sp, ws);
        }
    }

    /** Window spans {@code [start, end]} in seconds over the speech regions. */
    static List<double[]> windows(List<double[]> speech, double window, double hop) {
        List<double[]> out = new ArrayList<>();
        for (double[] r : speech) {
            double len = r[1] - r[0];
            if (len <= window) { out.add(new double[]{r[0], r[1]}); continue; }
            double t = r[0];
            for (; t + window < r[1] - 1e-9; t += hop) out.add(new double[]{t, t + window});
            out.add(new double[]{r[1] - window, r[1]});
        }
        return out;
    }

    /** VAD and x-vectors of a 16 kHz recording. */
    public static Embedded embed(String uri, float[] samples, SileroVad vad, XVectors xv, Config c) {
        double duration = samples.length / (double) SileroVad.RATE;
        SileroVad.Config vc = SileroVad.Config.defaults().withThreshold(c.vadThreshold());
        List<double[]> speech = new ArrayList<>();
        for (SileroVad.Segment s : vad.speech(samples, vc)) speech.add(new double[]{s.startSeconds(), s.endSeconds()});
        List<Window> ws = new ArrayList<>();
        xv.newRecording();
        for (double[] w : windows(speech, c.window(), c.hop())) {
            double[] x = xv.embed(samples, (int) Math.round(w[0] * XVectors.RATE), (int) Math.round(w[1] * XVectors.RATE), null);
            if (x != null) ws.add(new Window(w[0], w[1], x));
        }
        return new Embedded(uri, duration, speech, ws);
    }

    /** Clusters the windows and turns the labels into smoothed RTTM turns. */
    public static List<Rttm.Turn> label(Embedded e, Backend backend, Config c) {
        List<Window> ws = e.windows();
        if (ws.isEmpty()) return List.of();
        List<double[]> x = backend.apply(ws.stream().map(Window::x).toList());
        int[] lab = "spectral".equals(c.method()) ? Clustering.spectral(x, c.bounds(), 0) : Clustering.agglomerative(x, c.threshold(), c.bounds());
        // frames of speech → label of the nearest window centre (the first window on a tie), by binary search
        Integer[] order = new Integer[ws.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> ws.get(i).centre()).thenComparingInt(i -> i));
        double[] centres = new double[order.length];
        for (int i = 0; i < order.length; i++) centres[i] = ws.get(order[i]).centre();
        List<double[]> turns = new ArrayList<>(); // {start, end, label}
        for (double[] r : e.speech()) {
            int prev = -1;
            double start = r[0];
            for (double t = r[0]; t < r[1] - 1e-9; t += FRAME) {
                double mid = Math.min(t + FRAME / 2, r[1]);
                int l = lab[nearest(order, centres, mid)];
                if (prev >= 0 && l != prev) { turns.add(new double[]{start, t, prev}); start = t; }
                prev = l;
            }
            if (prev >= 0) turns.add(new double[]{start, r[1], prev});
        }
        smooth(turns, c.minTurn());
        List<Rttm.Turn> out = new ArrayList<>();
        for (double[] t : turns) out.add(new Rttm.Turn(e.uri(), t[0], t[1], "spk" + (int) t[2], 0));
        return out;
    }

    /** The window whose centre is nearest {@code t}; the lowest index among equally near ones. */
    static int nearest(Integer[] order, double[] centres, double t) {
        int lo = 0, hi = centres.length;
        while (lo < hi) { int m = (lo + hi) >>> 1; if (centres[m] < t) lo = m + 1; else hi = m; }
        double bd = Double.POSITIVE_INFINITY;
        int best = -1;
        // the candidates: the run of equal centres just below t and the run at or above it
        for (int k = lo - 1; k >= 0 && (k == lo - 1 || centres[k] == centres[lo - 1]); k--) {
            double dd = Math.abs(centres[k] - t);
            if (dd < bd || (dd == bd && order[k] < best)) { bd = dd; best = order[k]; }
        }
        for (int k = lo; k < centres.length && (k == lo || centres[k] == centres[lo]); k++) {
            double dd = Math.abs(centres[k] - t);
            if (dd < bd || (dd == bd && order[k] < best)) { bd = dd; best = order[k]; }
        }
        return best;
    }

    /** Turns shorter than {@code minTurn} touching a neighbour take the longer touching neighbour's label; then merges. */
    static void smooth(List<double[]> turns, double minTurn) {
        boolean changed = true;
        while (changed) {
            changed = false;
            merge(turns);
            int idx = -1;
            double shortest = minTurn;
            for (int i = 0; i < turns.size(); i++) {
                double[] t = turns.get(i);
                boolean touch = (i > 0 && turns.get(i - 1)[1] >= t[0] - 1e-6) || (i + 1 < turns.size() && turns.get(i + 1)[0] <= t[1] + 1e-6);
                if (touch && t[1] - t[0] < shortest) { shortest = t[1] - t[0]; idx = i; }
            }
            if (idx >= 0) {
                double[] t = turns.get(idx);
                double[] a = idx > 0 && turns.get(idx - 1)[1] >= t[0] - 1e-6 ? turns.get(idx - 1) : null;
                double[] b = idx + 1 < turns.size() && turns.get(idx + 1)[0] <= t[1] + 1e-6 ? turns.get(idx + 1) : null;
                double[] n = a == null ? b : b == null ? a : (a[1] - a[0] >= b[1] - b[0] ? a : b);
                t[2] = n[2];
                changed = true;
            }
        }
        turns.sort(Comparator.comparingDouble(t -> t[0]));
    }

    private static void merge(List<double[]> turns) {
        for (int i = turns.size() - 1; i > 0; i--) {
            double[] a = turns.get(i - 1), b = turns.get(i);
            if (a[2] == b[2] && b[0] <= a[1] + 1e-6) { a[1] = Math.max(a[1], b[1]); turns.remove(i); }
        }
    }
}
