package io.modelwork.audio;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Against silero-vad's own OnnxWrapper + get_speech_timestamps (fixture from src/test/resources/audio/silero_reference.py). */
class SileroVadTest {
    static SileroVad vad;
    static JsonNode ref;

    @BeforeAll static void load() throws Exception {
        vad = SileroVad.load();
        try (InputStream in = SileroVadTest.class.getResourceAsStream("/audio/silero_reference.json")) {
            ref = Json.MAPPER.readTree(in);
        }
    }

    @AfterAll static void close() { vad.close(); }

    static float[] joined() {
        float[] a = AudioDecoder.decode(Assets.data("asr/librivox/sense_and_sensibility_01_austen_64kb-0870.wav")).samples();
        float[] b = AudioDecoder.decode(Assets.data("asr/librivox/sense_and_sensibility_01_austen_64kb-0880.wav")).samples();
        float[] x = new float[4800 + a.length + 24000 + b.length];
        System.arraycopy(a, 0, x, 4800, a.length);
        System.arraycopy(b, 0, x, 4800 + a.length + 24000, b.length);
        return x;
    }

    private static void assertSegments(JsonNode want, List<SileroVad.Segment> got, String name) {
        assertEquals(want.size(), got.size(), name + ": " + got);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(want.get(i).get(0).asInt(), got.get(i).start(), name + " segment " + i);
            assertEquals(want.get(i).get(1).asInt(), got.get(i).end(), name + " segment " + i);
        }
    }

    @Test void probabilitiesAndTimestampsMatchTheReference() {
        float[] jfk = AudioDecoder.decode(Assets.data("asr/jfk.wav")).samples();
        float[] pj = vad.probabilities(jfk);
        JsonNode want = ref.get("jfk").get("probabilities");
        assertEquals(want.size(), pj.length);
        for (int i = 0; i < pj.length; i++) assertEquals(want.get(i).asDouble(), pj[i], 1e-4, "window " + i);
        assertSegments(ref.get("jfk").get("timestamps"), SileroVad.timestamps(pj, jfk.length, SileroVad.Config.defaults()), "jfk");
        assertSegments(ref.get("jfk_t07_sil300_pad100").get("timestamps"),
                SileroVad.timestamps(pj, jfk.length, new SileroVad.Config(0.7, Double.NaN, 250, 300, 100, Double.POSITIVE_INFINITY)), "jfk t0.7");

        float[] x = joined();
        float[] px = vad.probabilities(x);
        JsonNode wx = ref.get("joined").get("probabilities");
        for (int i = 0; i < px.length; i++) assertEquals(wx.get(i).asDouble(), px[i], 1e-4, "joined window " + i);
        assertSegments(ref.get("joined").get("timestamps"), SileroVad.timestamps(px, x.length, SileroVad.Config.defaults()), "joined");
        // long speech split at pauses (max_speech_duration_s = 3)
        assertSegments(ref.get("joined_max3s").get("timestamps"),
                SileroVad.timestamps(px, x.length, SileroVad.Config.defaults().withMaxSpeech(3.0)), "joined max 3 s");
    }

    @Test void silenceHasNoSpeech() {
        assertTrue(vad.speech(new float[16_000 * 3], SileroVad.Config.defaults()).isEmpty());
    }
}
