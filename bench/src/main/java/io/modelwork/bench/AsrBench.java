package io.modelwork.bench;

import io.modelwork.asr.Transcript;
import io.modelwork.asr.Transcripts;
import io.modelwork.asr.VoskEngine;
import io.modelwork.audio.Audio;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.audio.SileroVad;
import io.modelwork.core.Assets;
import io.modelwork.metrics.WordErrorRate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Speech recognition speed and quality on the LibriVox utterances and jfk.wav: real-time factor (processing time /
 * audio duration) of Vosk with 1 and 2 threads (2 recognisers sharing one model, one utterance each at a time), of Vosk
 * at Kaldi beams 6 and 14 beside the model's 10 (one thread), and of
 * Silero VAD; Debian's {@code pocketsphinx_continuous} (en-us acoustic model, language model and dictionary of the
 * pocketsphinx-en-us package) on the same files in the same run, with WER and time, and the ratios printed.
 * Usage: bench/run.sh AsrBench [--repeat N]
 */
public final class AsrBench {
    private AsrBench() {}

    record Utt(String id, Path wav, String ref) {}

    public static void main(String[] args) throws Exception {
        int repeat = args.length >= 2 && args[0].equals("--repeat") ? Integer.parseInt(args[1]) : 2;
        Path dir = Assets.data("asr/librivox");
        List<Utt> us = new ArrayList<>();
        for (Transcripts.Entry e : Transcripts.read(dir.resolve("transcription")).values())
            us.add(new Utt(e.id(), dir.resolve(e.id() + ".wav"), e.text()));
        us.add(new Utt("jfk", Assets.data("asr/jfk.wav"), Files.readString(Assets.data("asr/jfk.ref.txt")).strip()));
        List<Audio> audio = us.stream().map(u -> AudioDecoder.decode(u.wav())).toList();
        double seconds = audio.stream().mapToDouble(Audio::durationSeconds).sum();
        System.out.printf("audio: %d files, %.1f s%n", us.size(), seconds);
        List<String> refs = us.stream().map(Utt::ref).toList();

        try (VoskEngine vosk = new VoskEngine(VoskEngine.modelDir(), 0)) {
            vosk.transcribe(audio.get(0)); // warm-up
            for (int threads : new int[]{1, 2}) {
                double best = Double.MAX_VALUE;
                List<String> hyps = null;
                for (int r = 0; r < repeat; r++) {
                    long t0 = System.nanoTime();
                    hyps = transcribeAll(vosk, audio, threads);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                WordErrorRate.Result res = WordErrorRate.corpus(refs, hyps, WordErrorRate.Normalize.BASIC);
                System.out.printf("vosk     threads=%d  time %.2f s  RTF %.3f  WER %.4f  CER %.4f%n", threads, best, best / seconds, res.wer(), res.cer());
                if (threads == 1) voskTime = best;
                if (threads == 1) voskWer = res.wer();
            }
        }
        // Kaldi's decoding beam (build beam=, tune beam=): 10 is the model's own setting
        for (double beam : new double[]{6, 14}) {
            try (VoskEngine vosk = new VoskEngine(VoskEngine.modelDir(beam), 0)) {
                vosk.transcribe(audio.get(0));
                double best = Double.MAX_VALUE;
                List<String> hyps = null;
                for (int r = 0; r < repeat; r++) {
                    long t0 = System.nanoTime();
                    hyps = transcribeAll(vosk, audio, 1);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
                WordErrorRate.Result res = WordErrorRate.corpus(refs, hyps, WordErrorRate.Normalize.BASIC);
                System.out.printf("vosk     beam=%-4s threads=1  time %.2f s  RTF %.3f  WER %.4f  CER %.4f  (time ratio to beam 10: %.2f)%n",
                        (int) beam, best, best / seconds, res.wer(), res.cer(), best / voskTime);
            }
        }
        try (SileroVad vad = SileroVad.load()) {
            vad.probabilities(audio.get(0).samples());
            long t0 = System.nanoTime();
            for (int r = 0; r < repeat; r++) for (Audio a : audio) vad.speech(a.samples(), SileroVad.Config.defaults());
            double t = (System.nanoTime() - t0) / 1e9 / repeat;
            System.out.printf("silero   threads=1  time %.2f s  RTF %.4f%n", t, t / seconds);
        }
        pocketsphinx(us, refs, seconds);
    }

    static double voskTime, voskWer;

    static List<String> transcribeAll(VoskEngine vosk, List<Audio> audio, int threads) throws Exception {
        if (threads == 1) return audio.stream().map(a -> vosk.transcribe(a).text()).toList();
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Transcript>> fs = new ArrayList<>();
            for (Audio a : audio) fs.add(ex.submit(() -> vosk.transcribe(a)));
            List<String> out = new ArrayList<>();
            for (Future<Transcript> f : fs) out.add(f.get().text());
            return out;
        } finally {
            ex.shutdown();
        }
    }

    static void pocketsphinx(List<Utt> us, List<String> refs, double seconds) throws Exception {
        Path model = Path.of("/usr/share/pocketsphinx/model/en-us");
        if (!Files.isDirectory(model) || !Files.isExecutable(Path.of("/usr/bin/pocketsphinx_continuous"))) {
            System.out.println("pocketsphinx: not installed (apt-get install pocketsphinx pocketsphinx-en-us)");
            return;
        }
        List<String> hyps = new ArrayList<>();
        long t0 = System.nanoTime();
        for (Utt u : us) {
            Process p = new ProcessBuilder("pocketsphinx_continuous", "-infile", u.wav().toString(),
                    "-hmm", model.resolve("en-us").toString(), "-lm", model.resolve("en-us.lm.bin").toString(),
                    "-dict", model.resolve("cmudict-en-us.dict").toString(), "-logfn", "/dev/null").redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes()).strip().replaceAll("\\s+", " ");
            p.waitFor();
            hyps.add(out);
        }
        double t = (System.nanoTime() - t0) / 1e9;
        WordErrorRate.Result res = WordErrorRate.corpus(refs, hyps, WordErrorRate.Normalize.BASIC);
        System.out.printf("pocketsphinx         time %.2f s  RTF %.3f  WER %.4f  CER %.4f%n", t, t / seconds, res.wer(), res.cer());
        System.out.printf("ratio vosk/pocketsphinx: time %.2f, WER %.2f%n", voskTime / t, res.wer() == 0 ? Double.NaN : voskWer / res.wer());
        System.out.println("(LibriVox only, as ASSETS.md quotes: pocketsphinx WER " + String.format("%.4f",
                WordErrorRate.corpus(refs.subList(0, 5), hyps.subList(0, 5), WordErrorRate.Normalize.BASIC).wer()) + "; reference figure 0.366)");
        for (int i = 0; i < us.size(); i++) System.out.println("  " + us.get(i).id() + ": " + hyps.get(i));
    }
}
