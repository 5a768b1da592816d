package io.modelwork.asr;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.asr.whisper.TinyWhisper;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code build spec=asr.whisper model=DIR} through the steps, on the generated Whisper-shaped model (no Whisper weights
 * can be had here, so the WER says nothing about Whisper): the engine settings reach the decoder, are exported and
 * survive a checkpoint; and Vosk's beam is settable.
 */
class WhisperSessionTest {
    @TempDir Path tmp;

    @Test void whisperThroughTheSteps() throws Exception {
        Path model = TinyWhisper.english(tmp.resolve("whisper"), io.modelwork.audio.AudioDecoder.decode(Assets.data("asr/jfk.wav")).samples());
        Path data = Files.createDirectories(tmp.resolve("speech"));
        Files.copy(Assets.data("asr/jfk.wav"), data.resolve("jfk.wav"));
        Files.writeString(data.resolve("jfk.txt"), "hello there");
        String ckpt, run;
        try (Session s = Session.create(tmp)) {
            s.configure("run_dir=" + tmp.resolve("run"));
            s.attachDataset("path=" + data);
            s.prepareData("vad=off");
            s.split("test_fraction=1.0");
            StepReport b = s.build("spec=asr.whisper model=" + model + " beam=2 lang=en threads=1");
            assertEquals("merged", b.body().get("model").get("decoder").asText());
            assertEquals(64, b.body().get("model").get("sha256").get("encoder_model.onnx").asText().length());
            assertTrue(b.notes().stream().anyMatch(n -> n.contains("untested here")), b.notes().toString());
            s.fit("");
            StepReport ev = s.evaluate("");
            assertEquals(0.0, ev.body().get("wer").asDouble(), "beam 2 reads the generated model's 'Hello there'");
            Path ex = Path.of(s.export("").body().get("dir").asText());
            JsonNode ref = Json.MAPPER.readTree(ex.resolve("model.json").toFile());
            assertEquals(2, ref.get("options").get("beam").asInt());
            assertEquals(2.0, Json.MAPPER.readTree(ex.resolve("pipeline.json").toFile()).get("engine").get("beam").asDouble());
            ckpt = s.saveCheckpoint("whisper").body().get("checkpoint_id").asText();
            run = s.context().runDir().toString();
        }
        try (Session s = Session.create(tmp)) {
            s.resume(io.modelwork.core.Args.of("id", ckpt, "run_dir", run));
            assertEquals(2.0, s.state(AsrState.class).beam());
            s.state(AsrState.class).cache.clear();
            assertEquals(0.0, s.evaluate("").body().get("wer").asDouble(), "the engine is rebuilt with beam 2 after resume");
        }
    }

    @Test void tuneTriesBeams() throws Exception {
        Path model = TinyWhisper.english(tmp.resolve("whisper"), io.modelwork.audio.AudioDecoder.decode(Assets.data("asr/jfk.wav")).samples());
        Path data = Files.createDirectories(tmp.resolve("speech"));
        Files.copy(Assets.data("asr/jfk.wav"), data.resolve("jfk.wav"));
        Files.writeString(data.resolve("jfk.txt"), "hello there");
        try (Session s = Session.create(tmp)) {
            s.configure("run_dir=" + tmp.resolve("run"));
            s.attachDataset("path=" + data);
            s.prepareData("vad=off");
            s.split("test_fraction=0.0");
            s.build("spec=asr.whisper model=" + model + " lang=en threads=1 fallback=false"); // greedy reads "Hello world"
            s.fit("");
            StepReport t = s.tune("vad_threshold=0.5 seg_len=30 beam=1,2");
            assertEquals(0.5, t.body().get("baseline_wer").asDouble(), 1e-12, t.toText());
            assertEquals(0.0, t.body().get("best_wer").asDouble(), 1e-12, "beam 2 reads 'Hello there'");
            assertEquals(2.0, t.body().get("beam").asDouble());
            assertEquals(2.0, s.state(AsrState.class).beam(), "the better beam is applied");
        }
    }

    @Test void voskBeamIsAModelConfVariant() throws Exception {
        Path dir = VoskEngine.modelDir(6);
        assertNotEquals(VoskEngine.modelDir(), dir);
        assertTrue(Files.readString(dir.resolve("conf/model.conf")).contains("--beam=6\n"));
        assertTrue(Files.readString(VoskEngine.modelDir().resolve("conf/model.conf")).contains("--beam=10.0"), "the pinned model is untouched");
        try (VoskEngine v = new VoskEngine(dir, 0)) {
            Transcript t = v.transcribe(io.modelwork.audio.AudioDecoder.decode(Assets.data("asr/jfk.wav")));
            String ref = Files.readString(Assets.data("asr/jfk.ref.txt")).strip();
            double wer = io.modelwork.metrics.WordErrorRate.corpus(java.util.List.of(ref), java.util.List.of(t.text()),
                    io.modelwork.metrics.WordErrorRate.Normalize.BASIC).wer();
            assertTrue(wer <= 1.0 / 22, "beam 6 on jfk: " + t.text()); // beam 10 reads it word for word
        }
    }
}
