package io.modelwork.asr;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** The 15 steps on real speech: LibriVox (Sphinx transcription file) and jfk (a .txt beside the audio), with Vosk. */
class AsrLifecycleTest {
    @TempDir Path tmp;

    @Test void librivoxWithVosk() throws Exception {
        try (Session s = Session.create(tmp)) {
            s.configure("seed=7 run_dir=" + tmp.resolve("run"));
            StepReport att = s.attachDataset("path=" + Assets.data("asr/librivox"));
            assertEquals("asr", s.category().name());
            assertEquals(5, att.body().get("with_transcript").asInt());
            s.prepareData("vad=auto");
            s.split("test_fraction=0.4");
            assertEquals(2, s.report(io.modelwork.core.Step.SPLIT).orElseThrow().body().get("test").asInt());
            s.build("spec=asr.vosk");
            StepReport fit = s.fit("");
            assertFalse(fit.body().get("trained").asBoolean());
            StepReport ev = s.evaluate("on=all normalize=none");
            // measured: 4 errors in the 71 reference words; pocketsphinx en-us reaches 0.366 on these five utterances
            assertEquals(71, ev.body().get("ref_words").asInt());
            assertEquals(4.0 / 71, ev.body().get("wer").asDouble(), 1e-12, ev.title());
            assertTrue(ev.body().get("cer").asDouble() < 0.03);
            JsonNode per = ev.body().get("per_utterance");
            for (JsonNode u : per) if (u.get("id").asText().endsWith("0870")) assertEquals(0.0, u.get("wer").asDouble());
            assertFalse(ev.gallery().isEmpty());
            assertEquals("audio/wav", ev.gallery().get(0).mediaType());
            StepReport tune = s.tune("vad_threshold=0.5 seg_len=30");
            // the training clips are short: VAD on changes little; applied only when strictly better than the current
            assertTrue(tune.body().get("best_wer").asDouble() <= tune.body().get("baseline_wer").asDouble());
            assertEquals(2, tune.tables().get(0).rowCount());
            StepReport cal = s.calibrate("target_precision=0.95");
            double thr = cal.body().get("word_confidence_threshold").asDouble();
            assertTrue(thr >= 0 && thr <= 1);
            assertTrue(Files.isRegularFile(tmp.resolve("run/thresholds.json")));
            StepReport ex = s.export("");
            Path dir = Path.of(ex.body().get("dir").asText());
            for (String f : new String[]{"pipeline.json", "model.json", "vad.json", "signature.json", "thresholds.json", "metrics.json", "artifact_manifest.json"})
                assertTrue(Files.isRegularFile(dir.resolve(f)), f);
            assertEquals(VoskEngine.AAR_SHA256, Json.MAPPER.readTree(dir.resolve("model.json").toFile()).get("sha256").asText());
            assertEquals(4.0 / 71, Json.MAPPER.readTree(dir.resolve("metrics.json").toFile()).get("wer").asDouble(), 1e-12);
            assertTrue(s.state(AsrState.class).engineOpen());
            ckpt = s.saveCheckpoint("calibrated").body().get("checkpoint_id").asText();
            runDir = s.context().runDir().toString();
            s.artifacts();
        }
        // resume in a fresh session: split, cached transcripts and the threshold come back; the engine is rebuilt
        AsrState st;
        try (Session s = Session.create(tmp)) {
            s.resume(io.modelwork.core.Args.of("id", ckpt, "run_dir", runDir));
            st = s.state(AsrState.class);
            assertEquals(3, st.train.size());
            assertEquals(5, st.cache.size());
            assertFalse(st.engineOpen());
            assertEquals(4.0 / 71, s.evaluate("on=all normalize=none").body().get("wer").asDouble(), 1e-12); // from the cache
            assertTrue(Files.isRegularFile(Path.of(s.export("").body().get("dir").asText()).resolve("thresholds.json")));
            assertTrue(st.engineOpen());
        }
        assertFalse(st.engineOpen(), "close releases the recogniser");
    }

    private String ckpt, runDir;

    @Test void jfkTxtTranscriptWithVadAndBadInput() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("speech"));
        Files.copy(Assets.data("asr/jfk.wav"), data.resolve("jfk.wav"));
        Files.copy(Assets.data("asr/jfk.ref.txt"), data.resolve("jfk.txt"));
        byte[] junk = new byte[2000];
        for (int i = 0; i < junk.length; i++) junk[i] = (byte) (i * 31 + 7);
        Files.write(data.resolve("broken.wav"), junk);        // a corrupt header: named in validation, left out
        Files.copy(Assets.data("asr/jfk.wav"), data.resolve("untranscribed.wav")); // no transcript: left out of WER
        try (Session s = Session.create(tmp)) {
            s.configure("run_dir=" + tmp.resolve("run2"));
            StepReport att = s.attachDataset("path=" + data);
            assertTrue(att.body().get("validation").get("excluded").has("broken"), att.body().toString());
            assertTrue(att.body().get("validation").get("without_transcript").toString().contains("untranscribed"));
            s.prepareData("vad=on seg_len=5");
            s.split("test_fraction=1.0");
            ModelworkException w = assertThrows(ModelworkException.class, () -> s.build("spec=asr.whisper"));
            assertTrue(w.fix().contains("model=") || w.fix().contains("MODELWORK_WHISPER"), w.getMessage());
            s.build("spec=asr.vosk");
            s.fit("");
            StepReport ev = s.evaluate("");
            assertEquals(1, ev.body().get("utterances").asInt());
            // VAD-split at pauses into segments of at most 5 s
            System.out.println("jfk vad seg_len=5: " + ev.title() + " " + ev.body().get("per_utterance").get(0).get("hypothesis"));
            assertTrue(ev.body().get("wer").asDouble() <= 1.0 / 22, ev.title()); // measured: one deletion
            s.prepareData("vad=on seg_len=30");
            s.split("test_fraction=1.0");
            s.build("spec=asr.vosk");
            s.fit("");
            assertEquals(0.0, s.evaluate("").body().get("wer").asDouble(), "one VAD segment of 11 s: word for word");
            ModelworkException noTrain = assertThrows(ModelworkException.class, () -> s.calibrate(""));
            assertTrue(noTrain.fix().contains("test_fraction"));
        }
    }

    @Test void transcriptTsvWithSpeakersSplitsBySpeaker() throws Exception {
        Path dir = Assets.data("asr/librivox");
        String[] ids = {"0870", "0880", "0890", "0920", "0930"}, spk = {"ann", "ann", "bob", "bob", "cy"};
        StringBuilder tsv = new StringBuilder("# id\tspeaker\ttext\n");
        for (int i = 0; i < ids.length; i++)
            tsv.append("sense_and_sensibility_01_austen_64kb-").append(ids[i]).append('\t').append(spk[i]).append("\tsome words\n");
        Path file = Files.writeString(tmp.resolve("speakers.tsv"), tsv);
        for (long seed = 1; seed <= 5; seed++) {
            try (Session s = Session.create(tmp)) {
                s.configure("seed=" + seed + " run_dir=" + tmp.resolve("run3-" + seed));
                s.attachDataset("path=" + dir + " transcripts=" + file);
                s.prepareData("");
                StepReport sp = s.split("test_fraction=0.4");
                assertEquals("speaker", sp.body().get("by").asText());
                AsrState st = s.state(AsrState.class);
                for (String a : st.train) for (String b : st.test)
                    assertNotEquals(st.dataset.byId(a).speaker(), st.dataset.byId(b).speaker(), "one speaker in both sets");
            }
        }
    }

    @Test void transcriptTsvWithMissingColumnNamesTheLine() throws Exception {
        Path tsv = tmp.resolve("t.tsv");
        Files.writeString(tsv, "jfk\tspk1\tand so my fellow americans\njfk2 only one column\n");
        ModelworkException e = assertThrows(ModelworkException.class, () -> Transcripts.read(tsv));
        assertTrue(e.where().endsWith("t.tsv:2"), e.getMessage());
        assertTrue(e.what().contains("Line 2"));
        var ok = Transcripts.read(Assets.data("asr/librivox/transcription"));
        assertEquals("he was not an ill disposed young man", ok.get("sense_and_sensibility_01_austen_64kb-0880").text());
    }
}
