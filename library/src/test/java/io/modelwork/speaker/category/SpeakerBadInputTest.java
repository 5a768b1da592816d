package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.audio.Audio;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bad inputs of issue 14: an RTTM URI with no audio, a 1-second file, silence only (no speech is a result), 8 kHz
 * audio, a UEM that does not cover the RTTM, overlapping identical lines, a turn after the end of the audio, a malformed
 * line (its line number in the error).
 */
class SpeakerBadInputTest {
    @Test void badInputsAreReportedAndScored(@TempDir Path tmp) throws Exception {
        Path mix = Assets.data("speaker/synth_mix");
        Path dir = Files.createDirectories(tmp.resolve("audio"));
        Audio at8k = AudioDecoder.decode(mix.resolve("mix.wav"), 8000);
        Files.write(dir.resolve("mix.wav"), at8k.wav());
        Audio full = AudioDecoder.decode(mix.resolve("mix.wav"));
        Files.write(dir.resolve("short.wav"), full.slice(0, 16_000).wav());
        Files.write(dir.resolve("silent.wav"), new Audio(new float[3 * 16_000], 16_000, null).wav());
        List<String> rttm = new java.util.ArrayList<>(Files.readAllLines(mix.resolve("mix.rttm")));
        rttm.add(rttm.get(0)); // an identical, overlapping line
        rttm.add("SPEAKER short 1 0.000 0.870 <NA> <NA> spk1 <NA> <NA>");
        rttm.add("SPEAKER short 1 0.500 2.000 <NA> <NA> spk1 <NA> <NA>"); // ends after the 1-s audio
        rttm.add("SPEAKER ghost 1 0.000 1.000 <NA> <NA> spkX <NA> <NA>"); // no audio
        Path ref = tmp.resolve("ref.rttm");
        Files.write(ref, rttm);
        Path uem = tmp.resolve("ref.uem");
        Files.writeString(uem, "mix 1 0.000 10.000\n"); // leaves most of mix unscored
        Path list = tmp.resolve("uris.txt");
        Files.writeString(list, "mix\nshort\nsilent\nghost\n");
        try (Session s = Session.create(tmp)) {
            s.configure("seed=7 run_dir=" + tmp.resolve("run"));
            StepReport at = s.attachDataset(Args.of("path", dir.toString(), "rttm", ref.toString(), "uem", uem.toString(), "list", list.toString()));
            JsonNode v = at.body().get("validation");
            assertEquals("ghost", v.get("uris_without_audio").get(0).asText());
            assertTrue(v.get("turns_outside_audio").get(0).asText().contains("short line " + (rttm.size() - 1)), v.toString());
            String w = v.get("warnings").toString();
            assertTrue(w.contains("8000 Hz"), w);
            assertTrue(w.contains("silence only"), w);
            assertTrue(w.contains("identical RTTM line"), w);
            assertTrue(w.contains("unscored"), w);
            assertTrue(w.contains("no line for 'short'"), w);
            assertEquals(3, at.body().get("recordings").asInt());
            s.prepareData(Args.empty());
            s.split(Args.of("test_fraction", 0.0));
            s.build(Args.of("spec", "speaker.diarization", "threshold", 0.75));
            System.out.println(s.fit(Args.empty()).title());
            StepReport ev = s.evaluate(Args.of("on", "all"));
            System.out.println(ev.toText());
            JsonNode hyp = ev.body().get("hypothesis");
            assertEquals(0, hyp.get("silent").size(), "silence only: no speech is the result");
            assertTrue(Double.isFinite(ev.body().get("der").asDouble()));
            double conf = -1, missed = -1;
            for (var t : ev.tables()) if (t.name().equals("per file"))
                for (int i = 0; i < t.rowCount(); i++) if (t.stringColumn("uri").get(i).equals("mix")) {
                    conf = t.doubleColumn("confusion_s").get(i);
                    missed = t.doubleColumn("missed_s").get(i);
                }
            // 8 kHz mix in the UEM's 0–10 s: no confusion; missed = the duplicated 2.87 s line (a self-overlap) + VAD edges
            assertEquals(0, conf, 1e-9);
            assertTrue(missed > 2.87 && missed < 2.87 + 0.5, "missed " + missed);
        }
        Path bad = tmp.resolve("bad.rttm");
        Files.writeString(bad, "SPEAKER mix 1 0.0 1.0 <NA> <NA> a <NA> <NA>\nSPEAKER mix 1 zero 1.0 <NA> <NA> a <NA> <NA>\n");
        try (Session s = Session.create(tmp.resolve("b"))) {
            s.configure("seed=7 run_dir=" + tmp.resolve("run2"));
            ModelworkException e = assertThrows(ModelworkException.class,
                    () -> s.attachDataset(Args.of("path", dir.toString(), "rttm", bad.toString())));
            assertTrue(e.where().endsWith("bad.rttm:2"), e.where());
            ModelworkException none = assertThrows(ModelworkException.class,
                    () -> s.attachDataset(Args.of("path", tmp.resolve("nothing").toString(), "rttm", ref.toString())));
            assertFalse(none.fix().isBlank());
        }
    }
}
