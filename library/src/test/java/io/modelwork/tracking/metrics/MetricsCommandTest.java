package io.modelwork.tracking.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.cli.Main;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code bin/modelwork metrics mot|der}: one JSON object on stdout, errors as what/where/fix with exit 1. */
class MetricsCommandTest {
    private record Run(int rc, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(rc, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void motPrintsOneJsonObject() throws Exception {
        Path gt = Path.of(getClass().getResource("/tracking/metrics/pets200_gt.txt").toURI());
        Path pred = gt.resolveSibling("pets200_switches.txt");
        Run r = run("metrics", "mot", "--gt", gt.toString(), "--pred", pred.toString());
        assertEquals(0, r.rc(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        for (String k : new String[] {"hota", "deta", "assa", "loca", "mota", "motp", "idf1", "idsw", "idp", "idr",
                "mt", "ml", "fp", "fn", "frag"})
            assertTrue(j.has(k), k);
        assertEquals(7, j.get("idsw").asInt());
        assertEquals(19, j.get("per_alpha").get("hota").size());
    }

    @Test
    void derPrintsOneJsonObject() throws Exception {
        Path rttm = Assets.data("speaker/pyannote_sample/sample.rttm");
        Run r = run("metrics", "der", "--ref", rttm.toString(), "--hyp", rttm.toString(), "--collar", "0.5",
                "--skip-overlap");
        assertEquals(0, r.rc(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        for (String k : new String[] {"der", "jer", "false_alarm", "missed", "confusion", "total"}) assertTrue(j.has(k), k);
        assertEquals(0.0, j.get("der").asDouble());
        assertEquals(0.5, j.get("collar").asDouble());
    }

    @Test
    void badInputIsAnErrorWithTheLine(@TempDir Path dir) throws Exception {
        Path gt = dir.resolve("gt.txt");
        Files.writeString(gt, "1,1,0,0,10,10,1,1,1\n2,1,0,0,ten,10,1,1,1\n");
        Run r = run("metrics", "mot", "--gt", gt.toString(), "--pred", gt.toString());
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("gt.txt:2"), r.err());
        Path rttm = dir.resolve("r.rttm");
        Files.writeString(rttm, "SPEAKER f 1 0.0 1.0 <NA> <NA> A <NA> <NA>\nSPEAKER f 1 1.0\n");
        r = run("metrics", "der", "--ref", rttm.toString(), "--hyp", rttm.toString());
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("r.rttm:2"), r.err());
        assertEquals(1, run("metrics", "der", "--ref", rttm.toString(), "--collar", "-1").rc());
        assertEquals(1, run("metrics", "mot", "--gt", gt.toString()).rc());
        assertEquals(2, run("metrics").rc());
        assertEquals(2, run("metrics", "bleu").rc());
        assertEquals(0, run("metrics", "mot", "--help").rc());
    }
}
