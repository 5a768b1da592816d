package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.speaker.metrics.Rttm;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Overlapped speech of a reference against a hypothesis on a 10 ms grid (the whole recording, no collar, identical
 * reference lines counted once): the reference's overlap (frames with ≥ 2 speakers), the speech missed inside it
 * (reference speakers − hypothesis speakers, where positive — what a one-label-per-frame pipeline must miss), and the
 * hypothesis's own overlap with its precision and recall against the reference's.
 */
record SpeakerOverlap(double speech, double overlap, double missedInOverlap, double detected, double detectedCorrect) {
    static final double FRAME = 0.01;

    static SpeakerOverlap of(List<Rttm.Turn> ref, List<Rttm.Turn> hyp, double duration) {
        int n = (int) Math.ceil(duration / FRAME) + 1;
        int[] r = count(ref, n), h = count(hyp, n);
        double speech = 0, ov = 0, miss = 0, det = 0, ok = 0;
        for (int i = 0; i < n; i++) {
            if (r[i] > 0) speech += FRAME;
            if (r[i] > 1) { ov += FRAME; miss += Math.max(0, r[i] - h[i]) * FRAME; }
            if (h[i] > 1) { det += FRAME; if (r[i] > 1) ok += FRAME; }
        }
        return new SpeakerOverlap(speech, ov, miss, det, ok);
    }

    private static int[] count(List<Rttm.Turn> ts, int n) {
        int[] g = new int[n];
        Set<String> seen = new HashSet<>();
        for (Rttm.Turn t : ts) {
            if (!seen.add(t.speaker() + "/" + t.start() + "/" + t.end())) continue;
            for (int k = Math.max(0, (int) Math.round(t.start() / FRAME)); k < Math.min(n, (int) Math.round(t.end() / FRAME)); k++) g[k]++;
        }
        return g;
    }

    SpeakerOverlap plus(SpeakerOverlap o) {
        return new SpeakerOverlap(speech + o.speech, overlap + o.overlap, missedInOverlap + o.missedInOverlap, detected + o.detected,
                detectedCorrect + o.detectedCorrect);
    }

    static SpeakerOverlap zero() { return new SpeakerOverlap(0, 0, 0, 0, 0); }

    ObjectNode toJson(double missedTotal) {
        ObjectNode o = Json.object();
        o.put("reference_speech_s", speech).put("reference_overlap_s", overlap).put("share_of_speech", speech == 0 ? 0 : overlap / speech)
                .put("missed_in_overlap_s", missedInOverlap).put("share_of_missed", missedTotal <= 0 ? 0 : Math.min(1, missedInOverlap / missedTotal))
                .put("hypothesis_overlap_s", detected).put("recall", overlap == 0 ? 0 : detectedCorrect / overlap)
                .put("precision", detected == 0 ? 0 : detectedCorrect / detected);
        return o;
    }
}
