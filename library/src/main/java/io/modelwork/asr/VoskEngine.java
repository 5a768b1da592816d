package io.modelwork.asr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.audio.Audio;
import io.modelwork.assets.PackageAssets;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Vosk 0.3.45 (Kaldi) with the English model of Maven {@code com.alphacephei:vosk-model-en:0.3.45} (its aar's
 * {@code assets/model-en-us/}, unpacked into the asset cache after a SHA-256 check). A recogniser per clip with word
 * times and confidences ({@code setWords}); with {@code alternatives > 0} a second pass gives the n-best list
 * ({@code setMaxAlternatives}; Vosk's n-best results carry no per-word confidences, hence two passes).
 */
public final class VoskEngine implements AsrEngine {
    public static final String GROUP = "com.alphacephei", ARTIFACT = "vosk-model-en", VERSION = "0.3.45";
    public static final String AAR_SHA256 = "8a5792fccaf873b4745dbd1b3fe19d8a77a15898e806674020eea820424771cd";
    /**
     * Bytes fed per acceptWaveForm call: 30 s. Vosk's endpointer cuts at the end of a call when it has seen a pause, and
     * small calls (0.25 s) let it cut inside a phrase ("ask not" in jfk.wav becomes "as not"); whole segments (the VAD
     * splits long audio at pauses, see {@code seg_len}) keep the language-model context.
     */
    private static final int CHUNK = 30 * 16_000 * 2;

    private final Model model;
    private final Path modelDir;
    private final int alternatives;
    private boolean closed;

    static {
        loadOrToolsFirst();
        LibVosk.setLogLevel(LogLevel.WARNINGS);
    }

    /**
     * Loads OR-Tools' native libraries (also on the library's class path, for optimization) before libvosk when they are
     * present: once libvosk.so is in the process, loading OR-Tools' abseil crashes the JVM (SIGSEGV in
     * {@code absl::flags_internal::FlagRegistry::RegisterFlag}); in the other order both work (seen with OR-Tools
     * 9.14 and Vosk 0.3.45; {@code CategoryContractTest} runs asr before optimization in one JVM).
     */
    private static void loadOrToolsFirst() {
        try {
            Class.forName("com.google.ortools.Loader").getMethod("loadNativeLibraries").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            // OR-Tools absent or unloadable: nothing to protect
        }
    }

    /** The cached model folder (unpacked on first use). */
    public static Path modelDir() {
        return PackageAssets.mavenFolder(GROUP, ARTIFACT, VERSION, "aar", "assets/model-en-us", AAR_SHA256);
    }

    /** Kaldi's decoding beam of the pinned model ({@code conf/model.conf}). */
    public static final double DEFAULT_BEAM = 10.0;

    /**
     * The model folder decoding with {@code beam} (Kaldi's lattice-decoder beam, {@code --beam} in {@code conf/model.conf};
     * ≤ 0 or 10 = the pinned model as it is). Vosk's Java API has no beam setting, so another beam is a linked copy
     * of the cached model with its own {@code model.conf} ({@link PackageAssets#variant}).
     */
    public static Path modelDir(double beam) {
        if (beam <= 0 || beam == DEFAULT_BEAM) return modelDir();
        String b = java.math.BigDecimal.valueOf(beam).stripTrailingZeros().toPlainString();
        return PackageAssets.variant(modelDir(), "beam" + b, "conf/model.conf",
                text -> text.replaceAll("(?m)^--beam=.*$", "--beam=" + b));
    }

    public VoskEngine(Path modelDir, int alternatives) {
        this.modelDir = modelDir;
        this.alternatives = alternatives;
        try {
            this.model = new Model(modelDir.toString());
        } catch (LinkageError e) {
            throw new ModelworkException("The Vosk native library cannot be loaded: " + e.getMessage(), "libvosk (com.alphacephei:vosk:0.3.45, linux-x86-64)",
                    "run on Linux x86-64 with glibc, or use another engine");
        } catch (IOException | RuntimeException e) {
            throw new ModelworkException("Vosk cannot load its model: " + e.getMessage(), modelDir.toString(),
                    "delete the folder (it is unpacked again from " + GROUP + ":" + ARTIFACT + ":" + VERSION + ")");
        }
    }

    @Override public Transcript transcribe(Audio clip) {
        if (closed) throw new ModelworkException("The Vosk recogniser is closed", "asr.vosk", "build the model again");
        byte[] pcm = clip.pcm16();
        List<Transcript.Word> words = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        try (Recognizer r = new Recognizer(model, clip.sampleRate())) {
            r.setWords(true);
            for (int i = 0; i < pcm.length; i += CHUNK) {
                int n = Math.min(CHUNK, pcm.length - i);
                byte[] buf = i == 0 && n == pcm.length ? pcm : java.util.Arrays.copyOfRange(pcm, i, i + n);
                if (r.acceptWaveForm(buf, n)) collect(r.getResult(), words, text);
            }
            collect(r.getFinalResult(), words, text);
        } catch (IOException e) {
            throw new ModelworkException("Vosk cannot create a recogniser: " + e.getMessage(), "asr.vosk", "check the model folder " + modelDir);
        }
        List<Transcript.Alternative> alts = new ArrayList<>();
        if (alternatives > 0) {
            try (Recognizer r = new Recognizer(model, clip.sampleRate())) {
                r.setMaxAlternatives(alternatives);
                r.acceptWaveForm(pcm, pcm.length);
                JsonNode j = Json.MAPPER.readTree(r.getFinalResult());
                j.path("alternatives").forEach(a -> alts.add(new Transcript.Alternative(a.path("text").asText(""), a.path("confidence").asDouble())));
            } catch (IOException e) {
                throw new ModelworkException("Vosk n-best failed: " + e.getMessage(), "asr.vosk", "use alternatives=0");
            }
        }
        return new Transcript(text.toString(), words, alts);
    }

    private static void collect(String json, List<Transcript.Word> words, StringBuilder text) {
        try {
            JsonNode j = Json.MAPPER.readTree(json);
            String t = j.path("text").asText("");
            if (!t.isBlank()) text.append(text.isEmpty() ? "" : " ").append(t.strip());
            j.path("result").forEach(w -> words.add(new Transcript.Word(w.path("word").asText(), w.path("start").asDouble(),
                    w.path("end").asDouble(), w.path("conf").asDouble())));
        } catch (IOException e) {
            throw new IllegalStateException("Vosk returned invalid JSON: " + json, e);
        }
    }

    @Override public ObjectNode modelReference() {
        ObjectNode o = Json.object();
        o.put("engine", "vosk").put("engine_version", "0.3.45").put("name", GROUP + ":" + ARTIFACT).put("version", VERSION)
                .put("type", "aar").put("folder_in_artifact", "assets/model-en-us").put("sha256", AAR_SHA256)
                .put("license", "Apache-2.0").put("sample_rate", 16000).put("alternatives", alternatives);
        return o;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        model.close();
    }
}
