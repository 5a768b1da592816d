package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.audio.Audio;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import io.modelwork.speaker.metrics.Rttm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code speaker.verification} through the lifecycle on real audio: a folder of utterances labelled by speaker
 * (sub-folder per speaker) made from the shared data — four human voices (the two speakers of the pyannote sample, cut
 * at their RTTM turns of ≥ 1.5 s; the LibriVox reader of data/asr/librivox, its three shortest utterances; JFK, data/asr/jfk.wav in three pieces) and
 * the four espeak voices of data/speaker/espeak_voices: 8 speakers, 24 utterances, 74 s.
 */
class SpeakerVerificationTest {
    static final Path DATA = Assets.data("speaker"), ASR = Assets.data("asr");

    /** The labelled folder: root/<speaker>/<n>.wav. */
    static Path corpus(Path root) throws Exception {
        Audio sample = AudioDecoder.decode(DATA.resolve("pyannote_sample/sample.wav"));
        int n = 0;
        for (Rttm.Turn t : Rttm.read(DATA.resolve("pyannote_sample/sample.rttm")).get("sample"))
            if (t.end() - t.start() >= 1.5)
                write(root.resolve("pyannote_" + t.speaker()).resolve(n++ + ".wav"), sample.slice((int) (t.start() * 16_000), (int) (t.end() * 16_000)));
        try (var s = Files.list(ASR.resolve("librivox"))) {
            for (Path f : s.filter(p -> p.toString().matches(".*-0(88|89|93)0\\.wav")).sorted().toList()) // the three shortest
                Files.copy(f, Files.createDirectories(root.resolve("librivox_reader")).resolve(f.getFileName()));
        }
        Audio jfk = AudioDecoder.decode(ASR.resolve("jfk.wav"));
        int third = jfk.samples().length / 3;
        for (int k = 0; k < 3; k++) write(root.resolve("jfk").resolve(k + ".wav"), jfk.slice(k * third, (k + 1) * third));
        try (var s = Files.list(DATA.resolve("espeak_voices"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".wav")).sorted().toList()) {
                String id = f.getFileName().toString();
                Files.copy(f, Files.createDirectories(root.resolve("espeak_" + id.substring(0, id.lastIndexOf('_')))).resolve(id));
            }
        }
        return root;
    }

    static void write(Path f, Audio a) throws Exception {
        Files.createDirectories(f.getParent());
        Files.write(f, a.wav());
    }

    @Test void lifecycleOnRealVoices(@TempDir Path tmp) throws Exception {
        Path root = corpus(tmp.resolve("voices"));
        String ckpt, runDir;
        double far;
        try (Session s = Session.create(tmp)) {
            s.configure("seed=1 run_dir=" + tmp.resolve("run"));
            StepReport at = s.attachDataset(Args.of("path", root.toString(), "task", "verification"));
            assertEquals("speaker", s.category().name());
            assertEquals(8, at.body().get("speakers").asInt(), at.toText());
            assertEquals(24, at.body().get("utterances").asInt());
            s.prepareData(Args.empty());
            StepReport sp = s.split(Args.of("test_fraction", 0.5));
            System.out.println(sp.toText());
            JsonNode train = sp.body().get("train_speakers"), test = sp.body().get("test_speakers");
            for (JsonNode x : train) for (JsonNode y : test) assertNotEquals(x.asText(), y.asText(), "a speaker in both sets");
            assertEquals("[\"espeak_en-gb\",\"espeak_en-us\",\"jfk\",\"pyannote_speaker90\"]", test.toString(), "the seed's test speakers");
            s.build(Args.of("spec", "speaker.verification"));
            StepReport fit = s.fit(Args.empty());
            System.out.println(fit.toText());
            StepReport ev = s.evaluate(Args.empty());
            System.out.println(ev.toText());
            double eer = ev.body().get("eer").asDouble();
            // measured: EER 13.8 % over 78 trials (15 target); minDCF 1.0 (63 non-target trials cannot resolve p_target
            // 0.01). The errors: espeak's en-gb and en-us voices score 0.90–0.97 against each other (one synthesised voice,
            // two accents) and the pyannote speaker's short turns (targets at 0.30–0.46). fit's cross-validation keeps
            // Vosk's own x-vector (backend none): whitening learnt from 4 speakers does not help it
            assertTrue(eer < 0.16, "test EER " + eer);
            assertEquals("none", fit.body().get("backend").asText(), fit.toText());
            assertEquals(0.01, ev.body().get("dcf").get("p_target").asDouble());
            assertFalse(ev.charts().isEmpty(), "the DET curve");
            StepReport cal = s.calibrate(Args.of("target_far", 0.05));
            System.out.println(cal.toText());
            assertTrue(cal.body().get("thresholds").get("train_far").asDouble() <= 0.05 + 1e-12);
            StepReport ev2 = s.evaluate(Args.empty());
            assertTrue(ev2.body().has("far"), ev2.toText());
            StepReport ex = s.export(Args.empty());
            Path dir = Path.of(ex.body().get("dir").asText());
            JsonNode th = Json.MAPPER.readTree(dir.resolve("thresholds.json").toFile());
            assertEquals(0.05, th.get("target_far").asDouble());
            assertEquals("speaker.verification", Json.MAPPER.readTree(dir.resolve("pipeline.json").toFile()).get("spec").asText());
            s.register(Args.of("home", tmp.resolve("registry").toString()));
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.tune(Args.empty()));
            assertFalse(e.fix().isBlank());
            ckpt = s.saveCheckpoint("calibrated").body().get("checkpoint_id").asText();
            runDir = s.context().runDir().toString();
            far = ev2.body().get("far").asDouble();
        }
        // resume in a fresh session: utterances, split, x-vectors, back end and threshold come back (no x-vector recomputed)
        try (Session s = Session.create(tmp)) {
            s.resume(Args.of("id", ckpt, "run_dir", runDir));
            SpeakerState st = s.state(SpeakerState.class);
            assertTrue(st.verification());
            assertEquals(24, st.utteranceX.size());
            StepReport ev = s.evaluate(Args.empty());
            assertEquals(0.138, ev.body().get("eer").asDouble(), 0.001);
            assertEquals(far, ev.body().get("far").asDouble(), 1e-12);
        }
    }

    @Test void labelsFileAndTooFewSpeakers(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("flat"));
        try (var s = Files.list(DATA.resolve("espeak_voices"))) {
            for (Path f : s.sorted().toList()) Files.copy(f, root.resolve(f.getFileName()));
        }
        Files.writeString(tmp.resolve("labels.tsv"), "# file\tspeaker\nen-gb_4.wav\tA\nen-gb_5.wav\tA\nen-us_1.wav\tB\n");
        try (Session s = Session.create(tmp)) {
            s.configure("seed=7 run_dir=" + tmp.resolve("run"));
            ModelworkException few = assertThrows(ModelworkException.class,
                    () -> s.attachDataset(Args.of("path", root.toString(), "task", "verification", "labels", tmp.resolve("labels.tsv").toString())));
            assertTrue(few.what().contains("at least 3 speakers"), few.what());
            StepReport at = s.attachDataset(Args.of("path", root.toString(), "task", "speaker_verification"));
            assertEquals(4, at.body().get("speakers").asInt(), "speaker = file name up to the last '_'");
        }
        SpeakerUtterances u = SpeakerUtterances.read(root, tmp.resolve("labels.tsv"));
        assertEquals(Map.of("A", List.of("en-gb_4", "en-gb_5"), "B", List.of("en-us_1")), u.bySpeaker());
        Files.writeString(tmp.resolve("bad.tsv"), "en-gb_4.wav\tA\nen-gb_5.wav\n");
        ModelworkException bad = assertThrows(ModelworkException.class, () -> SpeakerUtterances.read(root, tmp.resolve("bad.tsv")));
        assertTrue(bad.where().endsWith("bad.tsv:2"), bad.where());
    }

    /** Silence only and empty files are left out, an 8 kHz file, a 0.5 s file and a one-utterance speaker are named. */
    @Test void badUtterances(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("v"));
        try (var s = Files.list(DATA.resolve("espeak_voices"))) {
            for (Path f : s.filter(p -> p.toString().matches(".*en-(gb|us)_[0-9]+\\.wav")).sorted().toList()) Files.copy(f, root.resolve(f.getFileName()));
        }
        Audio a = AudioDecoder.decode(DATA.resolve("espeak_voices/en-us_f3_7.wav"));
        Files.write(root.resolve("en-us_f3_7.wav"), AudioDecoder.decode(DATA.resolve("espeak_voices/en-us_f3_7.wav"), 8000).wav());
        Files.write(root.resolve("en-us_f3_8.wav"), a.slice(0, 8000).wav());
        Files.write(root.resolve("silent_1.wav"), new Audio(new float[32_000], 16_000, null).wav());
        Files.write(root.resolve("silent_2.wav"), new Audio(new float[0], 16_000, null).wav());
        Files.copy(DATA.resolve("espeak_voices/en-gb_m3_10.wav"), root.resolve("en-gb_m3_10.wav"));
        try (Session s = Session.create(tmp)) {
            s.configure("seed=7 run_dir=" + tmp.resolve("run"));
            StepReport at = s.attachDataset(Args.of("path", root.toString(), "task", "verification"));
            System.out.println(at.toText());
            JsonNode v = at.body().get("validation");
            assertTrue(v.get("excluded").get("silent_1").asText().contains("silence only"), v.toString());
            assertTrue(v.get("excluded").has("silent_2"), v.toString());
            String w = v.get("warnings").toString();
            assertTrue(w.contains("8000 Hz"), w);
            assertTrue(w.contains("0.50 s"), w);
            assertTrue(w.contains("en-gb_m3: one utterance"), w);
            assertEquals(4, at.body().get("speakers").asInt(), "en-gb, en-us, en-us_f3, en-gb_m3; silent has no usable utterance");
        }
    }
}
