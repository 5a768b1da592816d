package io.modelwork.asr;

import io.modelwork.audio.AudioDecoder;
import io.modelwork.core.Assets;
import io.modelwork.metrics.WordErrorRate;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class VoskEngineTest {
    @Test void librivoxAndJfkAgainstTheirReferences() throws Exception {
        Path dir = Assets.data("asr/librivox");
        Map<String, Transcripts.Entry> refs = Transcripts.read(dir.resolve("transcription"));
        assertEquals(5, refs.size());
        List<String> r = new ArrayList<>(), h = new ArrayList<>();
        try (VoskEngine vosk = new VoskEngine(VoskEngine.modelDir(), 0)) {
            for (Transcripts.Entry e : refs.values()) {
                Transcript t = vosk.transcribe(AudioDecoder.decode(dir.resolve(e.id() + ".wav")));
                r.add(e.text());
                h.add(t.text());
                assertFalse(t.words().isEmpty());
                for (Transcript.Word w : t.words()) assertTrue(w.end() >= w.start() && w.conf() > 0 && w.conf() <= 1.0, w.toString());
                if (e.id().endsWith("0870")) assertEquals(e.text(), t.text(), "Vosk reads 0870 word for word");
            }
            WordErrorRate.Result res = WordErrorRate.corpus(r, h, WordErrorRate.Normalize.NONE);
            System.out.println("Vosk LibriVox WER " + res.wer() + " CER " + res.cer() + " " + h);
            assertEquals(71, res.words().refLength());
            // measured: 4 errors in 71 words (0.0563); pocketsphinx en-us reaches 0.366 on the same five utterances
            assertTrue(res.wer() <= 0.06, "Vosk " + res.wer());

            String jfkRef = Files.readString(Assets.data("asr/jfk.ref.txt")).strip();
            Transcript jfk = vosk.transcribe(AudioDecoder.decode(Assets.data("asr/jfk.wav")));
            double wer = WordErrorRate.corpus(List.of(jfkRef), List.of(jfk.text()), WordErrorRate.Normalize.BASIC).wer();
            System.out.println("Vosk jfk WER " + wer + ": " + jfk.text());
            assertEquals(0.0, wer, "jfk: " + jfk.text());
        }
        // n-best: alternatives with confidences, the best first
        try (VoskEngine nbest = new VoskEngine(VoskEngine.modelDir(), 3)) {
            Transcript t = nbest.transcribe(AudioDecoder.decode(dir.resolve("sense_and_sensibility_01_austen_64kb-0880.wav")));
            assertTrue(t.alternatives().size() >= 2 && t.alternatives().size() <= 3, t.alternatives().toString());
            assertTrue(t.alternatives().get(0).confidence() >= t.alternatives().get(1).confidence());
            assertEquals(t.text(), t.alternatives().get(0).text());
        }
    }
}
