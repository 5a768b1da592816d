package io.modelwork.asr.whisper;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.asr.AsrEngine;
import io.modelwork.asr.Transcript;
import io.modelwork.audio.Audio;
import io.modelwork.core.ModelworkException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code asr.whisper}: Whisper as Hugging Face optimum exports it to ONNX ({@code encoder_model.onnx}, a decoder
 * {@code decoder_model.onnx} / {@code decoder_model_merged.onnx} / {@code decoder_with_past_model.onnx},
 * {@code tokenizer.json}). No Whisper weights can be obtained on the machines this project is built on, so this
 * build checks what is given and says what is missing; the front end ({@link LogMel}) is implemented and tested, the
 * encoder/decoder loop is not part of this build (open a session with Vosk, {@code spec=asr.vosk}, meanwhile).
 */
public final class WhisperEngine implements AsrEngine {
    public static final String ENV = "MODELWORK_WHISPER";

    private WhisperEngine() {}

    /** Checks {@code dir} (or $MODELWORK_WHISPER) for the exported files; an error naming what is missing otherwise. */
    public static WhisperEngine open(Path dir) {
        Path d = dir != null ? dir : System.getenv(ENV) != null ? Path.of(System.getenv(ENV)) : null;
        String how = "export a Whisper checkpoint with Hugging Face optimum (optimum-cli export onnx --model openai/whisper-tiny DIR) "
                + "on a machine that has the weights, copy DIR here and run build spec=asr.whisper model=DIR "
                + "(or set " + ENV + "=DIR); spec=asr.vosk works without any download";
        if (d == null)
            throw new ModelworkException("No Whisper weights given: asr.whisper needs an ONNX export of a Whisper model",
                    "build model= (not set) and $" + ENV + " (not set)", how);
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(d.resolve("encoder_model.onnx"))) missing.add("encoder_model.onnx");
        if (!List.of("decoder_model_merged.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx").stream().anyMatch(f -> Files.isRegularFile(d.resolve(f))))
            missing.add("decoder_model.onnx (or decoder_model_merged.onnx)");
        if (!Files.isRegularFile(d.resolve("tokenizer.json"))) missing.add("tokenizer.json");
        if (!missing.isEmpty())
            throw new ModelworkException("Whisper weights incomplete: missing " + String.join(", ", missing),
                    d.toAbsolutePath().toString(), how);
        throw new ModelworkException("The Whisper encoder/decoder loop is not part of this build (only its log-mel front end is)",
                d.toAbsolutePath().toString(), "use spec=asr.vosk; Whisper decoding is tracked in issue 13");
    }

    @Override public Transcript transcribe(Audio clip) { throw new IllegalStateException("not reachable"); }

    @Override public ObjectNode modelReference() { throw new IllegalStateException("not reachable"); }

    @Override public void close() { }
}
