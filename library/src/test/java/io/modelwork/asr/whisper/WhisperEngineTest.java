package io.modelwork.asr.whisper;

import io.modelwork.asr.Transcript;
import io.modelwork.audio.Audio;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.modelwork.asr.whisper.TinyWhisper.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The Whisper decoding loop on {@link TinyWhisper}, a Whisper-shaped model generated here (no Whisper weights can be
 * had on this machine): its bigram "script" makes every rule of OpenAI's decoding visible — the first token must be a
 * timestamp no later than 1 s, the timestamps' total probability forces a timestamp, beam search finds the sequence
 * greedy misses — and the three decoder shapes of optimum (merged, with past, without cache) must agree to the
 * log-probability. The audio is real (jfk.wav); what it says does not matter to this model.
 */
class WhisperEngineTest {
    static Audio jfk;
    static float meanMel;

    @BeforeAll static void audio() {
        jfk = AudioDecoder.decode(Assets.data("asr/jfk.wav"));
        meanMel = TinyWhisper.meanLogMel(jfk.samples());
    }

    static WhisperEngine.Options opts(String lang, int beam, boolean timestamps) {
        return new WhisperEngine.Options(lang, false, beam, 1.0, timestamps, null, true, "cpu", 1);
    }

    /** A model whose audio looks English (mean log-mel above c) or German. */
    static Path model(Path dir, boolean english, boolean silent) throws Exception {
        return TinyWhisper.write(dir, english ? meanMel - 0.5f : meanMel + 0.5f, silent);
    }

    /** Only the decoder files of one optimum layout. */
    static Path layout(Path model, Path dir, String... decoders) throws Exception {
        Files.createDirectories(dir);
        for (String f : new String[]{"encoder_model.onnx", "tokenizer.json", "config.json"}) Files.copy(model.resolve(f), dir.resolve(f));
        for (String f : decoders) Files.copy(model.resolve(f), dir.resolve(f));
        return dir;
    }

    @Test void greedyFollowsOpenAisTimestampRules(@TempDir Path tmp) throws Exception {
        try (WhisperEngine e = WhisperEngine.open(model(tmp.resolve("m"), true, false), opts("auto", 1, true))) {
            assertEquals("merged", e.decoderKind());
            Transcript t = e.transcribe(jfk);
            assertEquals("en", e.lastLanguage(), "detected from the encoder output");
            assertEquals("Hello world", t.text());
            assertEquals(2, t.words().size());
            Transcript.Word hello = t.words().get(0), world = t.words().get(1);
            assertEquals("Hello", hello.word());
            assertEquals(0.0, hello.start(), 1e-9, "no consecutive timestamps: the segment starts at the window");
            assertTrue(hello.end() <= world.start() + 1e-9 && world.end() <= 5.0 + 1e-9);
            assertTrue(hello.conf() > 0.95, "a sure token: " + hello.conf());
            assertTrue(world.conf() < 0.75, "' world' at ~0.73, then a timestamp picked out of 200: " + world.conf());
            assertTrue(t.alternatives().isEmpty());
        }
    }

    @Test void theThreeDecoderLayoutsAgree(@TempDir Path tmp) throws Exception {
        Path m = model(tmp.resolve("m"), true, false);
        String[] kinds = {"merged", "with_past", "no_cache"};
        Path[] dirs = {layout(m, tmp.resolve("a"), "decoder_model_merged.onnx"),
                layout(m, tmp.resolve("b"), "decoder_model.onnx", "decoder_with_past_model.onnx"),
                layout(m, tmp.resolve("c"), "decoder_model.onnx")};
        Transcript first = null;
        for (int i = 0; i < 3; i++)
            for (int beam : new int[]{1, 2})
                try (WhisperEngine e = WhisperEngine.open(dirs[i], opts("en", beam, true))) {
                    assertEquals(kinds[i], e.decoderKind());
                    Transcript t = e.transcribe(jfk);
                    if (beam == 1) {
                        if (first == null) first = t;
                        assertEquals(first.text(), t.text(), kinds[i]);
                        for (int w = 0; w < t.words().size(); w++)
                            assertEquals(first.words().get(w).conf(), t.words().get(w).conf(), 1e-5, kinds[i] + " word " + w);
                    } else assertEquals("Hello there", t.text(), kinds[i] + " beam 2");
                }
    }

    @Test void beamSearchFindsWhatGreedyMisses(@TempDir Path tmp) throws Exception {
        try (WhisperEngine e = WhisperEngine.open(model(tmp.resolve("m"), true, false), opts("en", 2, true))) {
            Transcript t = e.transcribe(jfk);
            // " there" (p 0.27) ends surely at <|1.50|>; " world" (p 0.73) is followed by a timestamp of p ≈ 1/200
            assertEquals("Hello there", t.text());
            assertEquals(1, t.alternatives().size());
            assertEquals("Hello world", t.alternatives().get(0).text());
            assertEquals(1.5, t.words().get(t.words().size() - 1).end(), 1e-9, "the segment ends at its timestamp");
        }
    }

    @Test void languageTaskAndNoTimestamps(@TempDir Path tmp) throws Exception {
        Path m = model(tmp.resolve("m"), false, false);
        try (WhisperEngine e = WhisperEngine.open(m, opts("auto", 1, false))) {
            assertEquals("Hello world", e.transcribe(jfk).text());
            assertEquals("de", e.lastLanguage());
        }
        ModelworkException bad = assertThrows(ModelworkException.class, () -> WhisperEngine.open(m, opts("xx", 1, true)));
        assertTrue(bad.what().contains("no language 'xx'") && bad.fix().contains("en, de"), bad.getMessage());
    }

    @Test void silenceIsSkippedAndLongAudioIsWindowed(@TempDir Path tmp) throws Exception {
        try (WhisperEngine e = WhisperEngine.open(model(tmp.resolve("s"), true, true), opts("en", 1, true))) {
            Transcript t = e.transcribe(jfk);
            assertEquals("", t.text(), "no-speech probability > 0.6 and average log-probability < -1: skipped");
        }
        float[] four = new float[jfk.samples().length * 4]; // 44 s: two windows
        for (int i = 0; i < 4; i++) System.arraycopy(jfk.samples(), 0, four, i * jfk.samples().length, jfk.samples().length);
        try (WhisperEngine e = WhisperEngine.open(model(tmp.resolve("m"), true, false), opts("en", 1, true))) {
            Transcript t = e.transcribe(new Audio(four, 16_000, null));
            assertEquals("Hello world Hello world", t.text());
            assertEquals(30.0, t.words().get(2).start(), 1e-9, "the second window starts at seek 3000 = 30 s");
        }
    }

    @Test void temperatureFallbackResamplesUnsureWindows(@TempDir Path tmp) throws Exception {
        Path m = model(tmp.resolve("m"), true, false);
        WhisperEngine.Options fb = new WhisperEngine.Options("en", false, 1, 1.0, true, null, true, "cpu", 1, WhisperEngine.FALLBACK, 11);
        String first;
        java.util.List<Double> temps;
        try (WhisperEngine e = WhisperEngine.open(m, fb)) {
            // greedy's "Hello world" has a mean log-probability of -1.18 (< -1): decoded again by sampling
            first = e.transcribe(jfk).text();
            temps = e.lastTemperatures();
            assertEquals(1, temps.size());
            assertTrue(temps.get(0) > 0, "fell back: " + temps);
            assertTrue(first.equals("Hello world") || first.equals("Hello there"), first);
        }
        try (WhisperEngine e = WhisperEngine.open(m, fb)) {
            assertEquals(first, e.transcribe(jfk).text(), "seeded: the same sample again");
            assertEquals(temps, e.lastTemperatures());
        }
        try (WhisperEngine e = WhisperEngine.open(m, opts("en", 2, true))) {
            e.transcribe(jfk);
            assertEquals(java.util.List.of(0.0), e.lastTemperatures(), "no fallback when not asked");
        }
        assertTrue(WhisperEngine.compressionRatio("hello ".repeat(20)) > 2.4, "a repetition loop compresses well");
        assertTrue(WhisperEngine.compressionRatio("Hello there") < 2.4);
    }

    @Test void segmentsAreCutAtConsecutiveTimestamps(@TempDir Path tmp) throws Exception {
        try (WhisperEngine e = WhisperEngine.open(model(tmp.resolve("m"), true, false), opts("en", 1, true))) {
            int[] single = {ts(0), HELLO, ts(1.0), ts(1.0), WORLD, ts(2.0)};
            float[] lp = new float[single.length];
            var segs = e.segments(new WhisperSearch.Result(single, lp, 0, 0, 0, java.util.List.of()), 10.0, 30.0);
            assertEquals(2, segs.size());
            assertEquals(10.0, segs.get(0).start(), 1e-9);
            assertEquals(11.0, segs.get(0).end(), 1e-9);
            assertEquals(11.0, segs.get(1).start(), 1e-9);
            assertEquals(12.0, segs.get(1).end(), 1e-9);
            assertEquals(3000, e.advance(single, 3000), "ends on a single timestamp: the whole window is done");
            int[] open = Arrays.copyOf(single, 5); // the last segment is not closed: decode it again from 1.0 s
            assertEquals(1, e.segments(new WhisperSearch.Result(open, new float[5], 0, 0, 0, java.util.List.of()), 0, 30).size());
            assertEquals(100, e.advance(open, 3000), "seek moves to the last closing timestamp (1.0 s = 100 frames)");
        }
    }

    @Test void tokenizerIsTheHuggingFaceOne(@TempDir Path tmp) throws Exception {
        Path m = model(tmp.resolve("m"), true, false);
        try (WhisperTokenizer tok = new WhisperTokenizer(m.resolve("tokenizer.json"))) {
            assertArrayEquals(new int[]{HELLO, WORLD}, tok.encode("Hello world"));
            assertEquals("Hello there", tok.decode(new int[]{ts(0.4), HELLO, THERE, EOT}));
            assertEquals(SOT, tok.special("<|startoftranscript|>"));
            assertEquals(java.util.List.of("en", "de"), java.util.List.copyOf(tok.languages().keySet()));
            assertTrue(tok.nonSpeechTokens().contains((int) '#'), "'#' is a byte token of its own: suppressed");
        }
    }
}
