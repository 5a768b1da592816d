package io.modelwork.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.metrics.WordErrorRate.Normalize;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WordErrorRateTest {

    @Test void handCheckedPairs() {
        // one substitution (sat→sit) and one deletion (the) over 6 words
        var r = WordErrorRate.corpus(List.of("the cat sat on the mat"), List.of("the cat sit on mat"), Normalize.NONE);
        assertEquals(1, r.words().substitutions());
        assertEquals(1, r.words().deletions());
        assertEquals(0, r.words().insertions());
        assertEquals(2.0 / 6, r.wer(), 1e-15);
        // characters: "sat"→"sit" one substitution, "the " deleted = 4 deletions, over 22 characters (spaces count)
        assertEquals(5.0 / 22, r.cer(), 1e-15);
        assertEquals("REF: the cat SAT on THE mat\nHYP: the cat SIT on *** mat", r.utterances().get(0).text());

        assertEquals(0.5, WordErrorRate.wer("hello world", "hello  big   world "), 1e-15); // one insertion
        // jiwer's default keeps case and punctuation: both words differ
        assertEquals(1.0, WordErrorRate.wer("Hello, World!", "hello world"), 1e-15);
        var basic = WordErrorRate.corpus(List.of("Hello, World!"), List.of("hello   world"), Normalize.BASIC);
        assertEquals(0.0, basic.wer());
        assertEquals(0.0, basic.cer());
        assertEquals(0.5, WordErrorRate.corpus(List.of("Hello, World!"), List.of("hello world!"), Normalize.LOWER).wer(), 1e-15);
    }

    @Test void emptyReferenceAndHypothesis() {
        // jiwer: an empty reference corpus gives WER = number of insertions
        assertEquals(2.0, WordErrorRate.wer("", "some words"));
        assertEquals(0.0, WordErrorRate.wer("", ""));
        assertEquals(10.0, WordErrorRate.cer("", "some words"));
        // empty hypothesis: every reference word deleted
        var r = WordErrorRate.corpus(List.of("a b c"), List.of(""), Normalize.NONE);
        assertEquals(3, r.words().deletions());
        assertEquals(1.0, r.wer());
        // an empty reference among others: its insertions count over the corpus's reference words
        var m = WordErrorRate.corpus(List.of("one two three", ""), List.of("one too three four", "extra"), Normalize.NONE);
        assertEquals(1, m.words().substitutions());
        assertEquals(2, m.words().insertions());
        assertEquals(1.0, m.wer(), 1e-15);
        assertThrows(ModelworkException.class, () -> WordErrorRate.corpus(List.of("a"), List.of(), Normalize.NONE));
    }

    /** Counts (not only their sum) equal those of jiwer 4.0's process_words on rapidfuzz, per utterance and in total. */
    @Test void matchesRapidfuzzAlignments() throws Exception {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("/metrics/wer_reference.json")) {
            cases = Json.MAPPER.readTree(in);
        }
        assertTrue(cases.size() >= 50);
        for (JsonNode c : cases) {
            List<String> refs = new ArrayList<>(), hyps = new ArrayList<>();
            c.get("refs").forEach(x -> refs.add(x.asText()));
            c.get("hyps").forEach(x -> hyps.add(x.asText()));
            var r = WordErrorRate.corpus(refs, hyps, Normalize.NONE);
            check(c.get("words"), r.words(), r.utterances(), refs + " / " + hyps);
            check(c.get("chars"), r.chars(), r.charUtterances(), "chars " + refs + " / " + hyps);
            assertEquals(c.get("words").get("rate").asDouble(), r.wer(), 1e-12);
            assertEquals(c.get("chars").get("rate").asDouble(), r.cer(), 1e-12);
        }
    }

    private static void check(JsonNode want, WordErrorRate.Counts got, List<WordErrorRate.Alignment> per, String what) {
        assertEquals(want.get("hits").asInt(), got.hits(), what);
        assertEquals(want.get("substitutions").asInt(), got.substitutions(), what);
        assertEquals(want.get("deletions").asInt(), got.deletions(), what);
        assertEquals(want.get("insertions").asInt(), got.insertions(), what);
        for (int i = 0; i < per.size(); i++) {
            JsonNode p = want.get("per").get(i);
            var a = per.get(i);
            assertArrayEquals(new int[]{p.get(0).asInt(), p.get(1).asInt(), p.get(2).asInt(), p.get(3).asInt()},
                    new int[]{a.hits(), a.substitutions(), a.deletions(), a.insertions()}, what + " utterance " + i);
            assertEquals(a.ops().size(), a.hits() + a.substitutions() + a.deletions() + a.insertions());
        }
    }
}
