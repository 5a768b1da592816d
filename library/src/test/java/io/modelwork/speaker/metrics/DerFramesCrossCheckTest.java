package io.modelwork.speaker.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Three synthetic meetings (2–4 speakers, overlaps, missed turns, confusions, an extra speaker, false alarms) scored
 * with collar 0 / 0.25 / 0.5 and with and without skip_overlap, without a UEM and with a two-region UEM, against {@code der_frames.py}: the same definitions
 * counted independently on a 1 ms grid (exact, since every time in the files is a whole millisecond).
 */
class DerFramesCrossCheckTest {
    @Test
    void segmentAlgebraAgreesWithMillisecondCounting() throws Exception {
        Path dir = Path.of(getClass().getResource("/speaker/metrics/ref.rttm").toURI()).getParent();
        Map<String, List<Rttm.Turn>> ref = Rttm.read(dir.resolve("ref.rttm"));
        Map<String, List<Rttm.Turn>> hyp = Rttm.read(dir.resolve("hyp.rttm"));
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/speaker/metrics/expected.json")) {
            cases = Json.MAPPER.readTree(in);
        }
        int n = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = cases.fields(); it.hasNext(); n++) {
            Map.Entry<String, JsonNode> c = it.next();
            JsonNode e = c.getValue();
            Map<String, List<double[]>> uem = e.has("uem") ? Rttm.readUem(dir.resolve(e.get("uem").asText())) : null;
            DiarizationMetrics.Result r = DiarizationMetrics.evaluate(ref, hyp, uem, e.get("collar").asDouble(),
                    e.get("skip_overlap").asBoolean());
            String k = c.getKey();
            assertEquals(e.get("total").asDouble(), r.total(), 1e-9, k + " total");
            assertEquals(e.get("missed").asDouble(), r.missed(), 1e-9, k + " missed");
            assertEquals(e.get("false_alarm").asDouble(), r.falseAlarm(), 1e-9, k + " false alarm");
            assertEquals(e.get("confusion").asDouble(), r.confusion(), 1e-9, k + " confusion");
            assertEquals(e.get("der").asDouble(), r.der(), 1e-9, k + " der");
            assertEquals(e.get("jer").asDouble(), r.jer(), 1e-9, k + " jer");
        }
        assertEquals(10, n);
    }
}
