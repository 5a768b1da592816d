package io.modelwork.bench;

import io.modelwork.audio.AudioDecoder;
import io.modelwork.audio.SileroVad;
import io.modelwork.core.Assets;
import io.modelwork.speaker.diarization.Backend;
import io.modelwork.speaker.diarization.Diarizer;
import io.modelwork.speaker.diarization.XVectors;
import io.modelwork.speaker.metrics.DiarizationMetrics;
import io.modelwork.speaker.metrics.Rttm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.modelwork.bench.BenchSupport.*;

/**
 * Diarization speed on CPU: the real-time factor (seconds of compute per second of audio) of the {@code
 * speaker.diarization} pipeline on {@code pyannote_sample} (30 s) and {@code synth_mix} (22 s), split into decode,
 * Silero VAD + Vosk x-vectors (window 1.5 s, hop 0.75 s) and clustering + smoothing; with the DER of each. For
 * comparison, pyannote 3.1 is reported at about 31 s per hour of audio on a GPU (RTF ≈ 0.009) and many times slower on
 * CPU; it is not installable here, so there is no baseline column. One thread. Measured 2026-12-02 on the shared
 * 2-core machine (other jobs running): RTF 0.27 on the sample (≈ 970 s per hour of audio; 97 % of it Vosk), 0.24 on the mix.
 *
 * <p>{@code --long=MIN}: one long recording instead, the mix and the sample alternated until it lasts MIN minutes
 * (their RTTMs shifted; the same four voices recur all through), diarized once (decode, VAD + x-vectors, clustering
 * timed apart, agglomerative with the default threshold and spectral) and scored by {@code metrics der} (its time too).
 * Measured 2026-12-03 at 60 min: RTF 0.132 (476 s per hour, 96 % Vosk), AHC 0.9 s, DER 17.8 %; spectral 440 s, one speaker.
 *
 * <pre>bench/run.sh SpeakerBench [--reps=3] [--long=10 [--methods=ahc,spectral]]</pre>
 */
public final class SpeakerBench {
    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        int reps = fl.getInt("reps", 3, 1);
        machine();
        if (fl.getInt("long", 0, 0) > 0) { longRecording(fl.getInt("long", 0, 0), List.of(fl.get("methods", "ahc,spectral").split(","))); return; }
        Path d = Assets.data("speaker");
        List<List<String>> rows = new ArrayList<>();
        Diarizer.Config c = Diarizer.Config.defaults();
        try (SileroVad vad = SileroVad.load(); XVectors xv = XVectors.load()) {
            for (String[] f : new String[][]{{"pyannote_sample/sample.wav", "pyannote_sample/sample.rttm", "sample"},
                    {"synth_mix/mix.wav", "synth_mix/mix.rttm", "mix"}}) {
                List<Double> dec = new ArrayList<>(), emb = new ArrayList<>(), clu = new ArrayList<>();
                double len = 0, der = 0;
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    float[] s = AudioDecoder.decode(d.resolve(f[0])).samples();
                    long t1 = System.nanoTime();
                    Diarizer.Embedded e = Diarizer.embed(f[2], s, vad, xv, c);
                    long t2 = System.nanoTime();
                    List<Rttm.Turn> hyp = Diarizer.label(e, Backend.identity(), c);
                    long t3 = System.nanoTime();
                    dec.add(sec(t1 - t0)); emb.add(sec(t2 - t1)); clu.add(sec(t3 - t2));
                    len = s.length / 16_000.0;
                    der = DiarizationMetrics.evaluate(Rttm.read(d.resolve(f[1])), Map.of(f[2], hyp), null, 0, false).der();
                }
                double total = median(dec) + median(emb) + median(clu);
                rows.add(List.of(f[2] + String.format(Locale.ROOT, " (%.1f s)", len), f(median(dec), 3), f(median(emb), 3), f(median(clu), 4),
                        f(total / len, 3), f(3600 * total / len, 0), f(100 * der, 2) + " %"));
            }
        }
        table("speaker.diarization on CPU (median of " + reps + ")", List.of("recording", "decode s", "VAD + x-vectors s",
                "clustering + smoothing s", "RTF", "s per hour of audio", "DER (threshold " + c.threshold() + ")"), rows);
    }

    static void longRecording(int minutes, List<String> methods) throws Exception {
        Path d = Assets.data("speaker");
        float[] mix = AudioDecoder.decode(d.resolve("synth_mix/mix.wav")).samples(), sample = AudioDecoder.decode(d.resolve("pyannote_sample/sample.wav")).samples();
        List<Rttm.Turn> mixRef = Rttm.read(d.resolve("synth_mix/mix.rttm")).get("mix"), sampleRef = Rttm.read(d.resolve("pyannote_sample/sample.rttm")).get("sample");
        List<float[]> parts = new ArrayList<>();
        List<Rttm.Turn> ref = new ArrayList<>();
        int n = 0;
        double t = 0;
        while (t < minutes * 60.0) {
            boolean m = parts.size() % 2 == 0;
            float[] a = m ? mix : sample;
            for (Rttm.Turn x : m ? mixRef : sampleRef) ref.add(new Rttm.Turn("long", x.start() + t, x.end() + t, x.speaker(), 0));
            parts.add(a);
            n += a.length;
            t += a.length / 16_000.0;
        }
        float[] all = new float[n];
        int o = 0;
        for (float[] a : parts) { System.arraycopy(a, 0, all, o, a.length); o += a.length; }
        Path wav = tempDir("speaker-long").resolve("long.wav");
        java.nio.file.Files.write(wav, new io.modelwork.audio.Audio(all, 16_000, null).wav());
        List<List<String>> rows = new ArrayList<>();
        Diarizer.Config c = Diarizer.Config.defaults();
        try (SileroVad vad = SileroVad.load(); XVectors xv = XVectors.load()) {
            long t0 = System.nanoTime();
            float[] s = AudioDecoder.decode(wav).samples();
            long t1 = System.nanoTime();
            Diarizer.Embedded e = Diarizer.embed("long", s, vad, xv, c);
            long t2 = System.nanoTime();
            double len = s.length / 16_000.0;
            for (String method : methods) {
                Diarizer.Config cm = c.withMethod(method);
                long t3 = System.nanoTime();
                List<Rttm.Turn> hyp = Diarizer.label(e, Backend.identity(), cm);
                long t4 = System.nanoTime();
                var res = DiarizationMetrics.evaluate(Map.of("long", ref), Map.of("long", hyp), null, 0, false);
                long t5 = System.nanoTime();
                double total = sec(t1 - t0) + sec(t2 - t1) + sec(t4 - t3);
                rows.add(List.of(String.format(Locale.ROOT, "%.1f min, %d windows", len / 60, e.windows().size()), method, f(sec(t1 - t0), 2), f(sec(t2 - t1), 1),
                        f(sec(t4 - t3), 2), f(total / len, 3), f(3600 * total / len, 0),
                        f(100 * res.der(), 2) + " %", hyp.stream().map(Rttm.Turn::speaker).distinct().count() + "", f(sec(t5 - t4), 3)));
            }
        }
        deleteTree(wav.getParent());
        table("speaker.diarization on one long recording (CPU, one thread; 4 voices recurring)", List.of("recording", "method", "decode s",
                "VAD + x-vectors s", "clustering + smoothing s", "RTF", "s per hour of audio", "DER", "speakers found", "metrics der s"), rows);
    }
}
