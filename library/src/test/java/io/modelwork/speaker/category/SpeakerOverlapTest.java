package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.speaker.metrics.Rttm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The overlap figures of evaluate on hand-checked turns. */
class SpeakerOverlapTest {
    static Rttm.Turn t(double a, double b, String s) { return new Rttm.Turn("f", a, b, s, 0); }

    @Test void overlapMissedAndDetected() {
        // reference A 0–2, B 1–3 (and A 0–2 again: an identical line, counted once): 3 s of speech, 1 s overlapped
        List<Rttm.Turn> ref = List.of(t(0, 2, "A"), t(1, 3, "B"), t(0, 2, "A"));
        SpeakerOverlap one = SpeakerOverlap.of(ref, List.of(t(0, 1.5, "x"), t(1.5, 3, "y")), 4);
        assertEquals(3.0, one.speech(), 1e-9);
        assertEquals(1.0, one.overlap(), 1e-9);
        assertEquals(1.0, one.missedInOverlap(), 1e-9, "one label per frame misses the second speaker of every overlapped frame");
        assertEquals(0.0, one.detected(), 1e-9);
        // a hypothesis overlapping 1.2–2: recall 0.8, precision 1, 0.2 s still missed
        SpeakerOverlap two = SpeakerOverlap.of(ref, List.of(t(0, 2, "x"), t(1.2, 3, "y")), 4);
        assertEquals(0.2, two.missedInOverlap(), 1e-9);
        JsonNode j = two.toJson(0.4);
        assertEquals(0.8, j.get("recall").asDouble(), 1e-9);
        assertEquals(1.0, j.get("precision").asDouble(), 1e-9);
        assertEquals(0.5, j.get("share_of_missed").asDouble(), 1e-9);
        assertEquals(1 / 3.0, j.get("share_of_speech").asDouble(), 1e-9);
    }
}
