package io.modelwork.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class MetricsCliTest {
    @TempDir Path tmp;

    private static int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test void werOfTwoTsvFiles() throws Exception {
        Path ref = Files.writeString(tmp.resolve("ref.tsv"), "u1\tspk\tThe cat sat on the mat\nu2\tspk\thello world\n");
        Path hyp = Files.writeString(tmp.resolve("hyp.tsv"), "u2\thello big world\nu1\tthe cat sit on mat\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        assertEquals(0, run(out, err, "metrics", "wer", "--ref", ref.toString(), "--hyp", hyp.toString()));
        JsonNode j = Json.MAPPER.readTree(out.toString());
        // jiwer default: "The" ≠ "the": u1 has 2 substitutions (The, sat) and 1 deletion; u2 one insertion; N = 8
        assertEquals(2, j.get("substitutions").asInt());
        assertEquals(1, j.get("deletions").asInt());
        assertEquals(1, j.get("insertions").asInt());
        assertEquals(8, j.get("ref_words").asInt());
        assertEquals(0.5, j.get("wer").asDouble(), 1e-15);
        assertTrue(j.has("cer"));
        out.reset();
        assertEquals(0, run(out, err, "metrics", "wer", "--ref", ref.toString(), "--hyp", hyp.toString(), "--normalize", "lower"));
        assertEquals(3.0 / 8, Json.MAPPER.readTree(out.toString()).get("wer").asDouble(), 1e-15);
    }

    @Test void missingHypothesisAndBadLinesAreErrors() throws Exception {
        Path ref = Files.writeString(tmp.resolve("ref.tsv"), "u1\ta b\nu2\tc d\n");
        Path hyp = Files.writeString(tmp.resolve("hyp.tsv"), "u1\ta b\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        assertEquals(1, run(out, err, "metrics", "wer", "--ref", ref.toString(), "--hyp", hyp.toString()));
        assertTrue(err.toString().contains("No hypothesis for utterance 'u2'"), err.toString());
        Path bad = Files.writeString(tmp.resolve("bad.tsv"), "u1\ta b\nu2 c d\n");
        err.reset();
        assertEquals(1, run(out, err, "metrics", "wer", "--ref", bad.toString(), "--hyp", hyp.toString()));
        assertTrue(err.toString().contains("bad.tsv:2"), err.toString());
    }
}
