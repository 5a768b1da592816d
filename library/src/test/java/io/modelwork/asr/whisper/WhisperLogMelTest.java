package io.modelwork.asr.whisper;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Against Whisper's own audio.py and mel_filters.npz (fixture from src/test/resources/asr/whisper_mel_reference.py). */
class WhisperLogMelTest {
    static JsonNode ref() throws Exception {
        try (InputStream in = WhisperLogMelTest.class.getResourceAsStream("/asr/whisper_mel_reference.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    @Test void filtersAreWhispers() throws Exception {
        JsonNode r = ref();
        float[][] f = LogMel.filters(80);
        for (int m = 0; m < 80; m++)
            for (int k = 0; k < LogMel.BINS; k++) assertEquals(r.get("filters_80").get(m).get(k).asDouble(), f[m][k], 2e-8, m + "," + k);
        float[][] g = LogMel.filters(128);
        for (int m = 0; m < 128; m++) {
            double s = 0;
            for (float v : g[m]) s += v;
            assertEquals(r.get("filters_128_row_sums").get(m).asDouble(), s, 1e-6, "row " + m);
        }
    }

    @Test void logMelEqualsWhispers() throws Exception {
        JsonNode r = ref();
        float[] x = new float[r.get("signal").size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.get("signal").get(i).asDouble();
        for (int n : new int[]{80, 128}) {
            float[][] mel = LogMel.compute(x, n, 0);
            JsonNode want = r.get("mel_" + n);
            assertEquals(want.size(), mel.length);
            assertEquals(want.get(0).size(), mel[0].length, "frames");
            double maxErr = 0;
            for (int m = 0; m < n; m++)
                for (int t = 0; t < mel[0].length; t++) maxErr = Math.max(maxErr, Math.abs(want.get(m).get(t).asDouble() - mel[m][t]));
            assertTrue(maxErr < 2e-5, n + " mel bins: max error " + maxErr);
        }
    }

    @Test void buildWithoutWeightsSaysWhatIsMissing(@TempDir Path tmp) throws Exception {
        ModelworkException none = assertThrows(ModelworkException.class, () -> WhisperEngine.open(null));
        if (System.getenv(WhisperEngine.ENV) == null) {
            assertTrue(none.what().contains("No Whisper weights"), none.getMessage());
            assertTrue(none.where().contains("model=") && none.fix().contains("optimum"), none.getMessage());
        }
        Files.writeString(tmp.resolve("tokenizer.json"), "{}");
        ModelworkException part = assertThrows(ModelworkException.class, () -> WhisperEngine.open(tmp));
        assertTrue(part.what().contains("encoder_model.onnx") && part.what().contains("decoder_model.onnx"), part.getMessage());
        assertFalse(part.what().contains("tokenizer.json"));
        assertEquals(tmp.toAbsolutePath().toString(), part.where());
    }
}
