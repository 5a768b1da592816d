package io.modelwork.asr.whisper;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The decoding loop held token for token to Hugging Face transformers' own Whisper {@code generate()} (greedy,
 * temperature 0, its SuppressTokens / SuppressTokensAtBegin / WhisperTimeStamp logits processors) on the real Whisper
 * architecture: a randomly initialised tiny WhisperForConditionalGeneration (2+2 layers, 2 heads, d=32), exported to
 * ONNX with optimum's names ({@code decoder_model.onnx} with {@code present.*}, {@code decoder_with_past_model.onnx}
 * with {@code past_key_values.*}, and the two merged under one {@code If} as {@code decoder_model_merged.onnx}), fixtures written by {@code src/test/resources/asr/hf_whisper_reference.py}. Random
 * weights make the model babble — timestamps in pairs up to the last one the vocabulary has, then a repeated token
 * until the 200-token limit — which exercises every rule. Not Whisper's weights: its transcription quality stays untested.
 */
class WhisperHfParityTest {
    static Path fixture(Path tmp, String kind, String... decoders) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(kind));
        List<String> files = new ArrayList<>(List.of("encoder_model.onnx", "config.json", "generation_config.json"));
        files.addAll(List.of(decoders));
        for (String f : files)
            try (InputStream in = WhisperHfParityTest.class.getResourceAsStream("/asr/hf_whisper/" + f)) {
                Files.copy(in, d.resolve(f));
            }
        TinyWhisper.writeTokenizer(d.resolve("tokenizer.json"));
        return d;
    }

    /** The script's input: f[m][t] = 1.5·sin(0.013·(t+1)·(m+1)) − 0.4 for the first 1100 frames, 0 after. */
    static float[][] features() {
        float[][] f = new float[80][WhisperEngine.N_FRAMES];
        for (int m = 0; m < 80; m++) for (int t = 0; t < 1100; t++) f[m][t] = (float) (1.5 * Math.sin(0.013 * (t + 1) * (m + 1)) - 0.4);
        return f;
    }

    @Test void greedyEqualsTransformersGenerate(@TempDir Path tmp) throws Exception {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/asr/hf_whisper/reference.json")) { ref = Json.MAPPER.readTree(in); }
        float[][] x = features();
        String[][] layouts = {{"merged", "decoder_model_merged.onnx"}, {"with_past", "decoder_model.onnx", "decoder_with_past_model.onnx"},
                {"no_cache", "decoder_model.onnx"}};
        for (String[] layout : layouts) {
            Path dir = fixture(tmp, layout[0], Arrays.copyOfRange(layout, 1, layout.length));
            for (String key : new String[]{"en_timestamps", "de_timestamps", "en_no_timestamps"}) {
                String lang = key.substring(0, 2);
                boolean ts = !key.endsWith("no_timestamps");
                try (WhisperEngine e = WhisperEngine.open(dir, new WhisperEngine.Options(lang, false, 1, 1.0, ts, null, true, "cpu", 1))) {
                    assertEquals(layout[0], e.decoderKind());
                    int[] got = e.decodeWindow(x, lang).tokens();
                    int[] want = new int[ref.get(key).size()];
                    for (int i = 0; i < want.length; i++) want[i] = ref.get(key).get(i).asInt();
                    assertArrayEquals(want, got, e.decoderKind() + " " + key + ": " + Arrays.toString(got));
                    assertEquals(ref.get("detected_language_token").asInt() == TinyWhisper.EN ? "en" : "de", e.detectLanguage(x),
                            "transformers' detect_language");
                }
            }
        }
    }
}
