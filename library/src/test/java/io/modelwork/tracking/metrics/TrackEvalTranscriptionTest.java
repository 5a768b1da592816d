package io.modelwork.tracking.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * PETS2009 S2.L1 (first 200 frames) against three perturbed trackers (jitter; ID switches and drops; heavy noise
 * around the 0.5 threshold), compared with the numbers of {@code trackeval_transcription.py}: TrackEval's
 * eval_sequence code transcribed in numpy and run with SciPy's solver (TrackEval itself could not be installed here).
 */
class TrackEvalTranscriptionTest {
    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TrackEvalTranscriptionTest.class.getResource("/tracking/metrics/" + name).toURI());
    }

    @Test
    void perturbedPetsSequencesMatchTheTranscription() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/tracking/metrics/expected.json")) {
            root = Json.MAPPER.readTree(in);
        }
        int frames = root.get("frames").asInt();
        int cases = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("cases").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            MotMetrics m = MotMetrics.evaluate(resource("pets200_gt.txt"), resource("pets200_" + c.getKey() + ".txt"),
                    frames);
            JsonNode got = m.toJson();
            for (Iterator<Map.Entry<String, JsonNode>> f = c.getValue().fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> e = f.next();
                assertTrue(got.has(e.getKey()), e.getKey());
                if (e.getValue().isIntegralNumber())
                    assertEquals(e.getValue().asInt(), got.get(e.getKey()).asInt(), c.getKey() + "." + e.getKey());
                else
                    assertEquals(e.getValue().asDouble(), got.get(e.getKey()).asDouble(), 1e-12,
                            c.getKey() + "." + e.getKey());
            }
            cases++;
        }
        assertEquals(3, cases);
    }

    /** The three trackers as three sequences of a MOTChallenge split folder: TrackEval's combined row. */
    @Test
    void combinedOverSequencesInTheMotChallengeLayout(@TempDir Path dir) throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/tracking/metrics/expected.json")) {
            root = Json.MAPPER.readTree(in);
        }
        Path split = dir.resolve("train"), tracker = dir.resolve("tracker");
        Files.createDirectories(tracker);
        for (String seq : new String[] {"jitter", "switches", "noisy"}) {
            Files.createDirectories(split.resolve(seq + "/gt"));
            Files.copy(resource("pets200_gt.txt"), split.resolve(seq + "/gt/gt.txt"));
            Files.writeString(split.resolve(seq + "/seqinfo.ini"), "[Sequence]\nname=" + seq + "\nseqLength=200\n");
            Files.copy(resource("pets200_" + seq + ".txt"), tracker.resolve(seq + ".txt"));
        }
        JsonNode got = MotCli.split(split, tracker);
        for (Iterator<Map.Entry<String, JsonNode>> f = root.get("combined").fields(); f.hasNext(); ) {
            Map.Entry<String, JsonNode> e = f.next();
            if (e.getValue().isIntegralNumber())
                assertEquals(e.getValue().asInt(), got.get(e.getKey()).asInt(), "combined." + e.getKey());
            else
                assertEquals(e.getValue().asDouble(), got.get(e.getKey()).asDouble(), 1e-12, "combined." + e.getKey());
        }
        assertEquals(600, got.get("frames").asInt());
        assertEquals(root.get("cases").get("noisy").get("hota").asDouble(),
                got.get("sequences").get("noisy").get("hota").asDouble(), 1e-12);
        Files.delete(tracker.resolve("noisy.txt"));
        io.modelwork.core.ModelworkException ex = assertThrows(io.modelwork.core.ModelworkException.class,
                () -> MotCli.split(split, tracker));
        assertTrue(ex.what().contains("noisy.txt"), ex.what());
    }
}
