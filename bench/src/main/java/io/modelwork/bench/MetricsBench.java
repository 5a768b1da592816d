package io.modelwork.bench;

import io.modelwork.core.Assets;
import io.modelwork.speaker.metrics.DiarizationMetrics;
import io.modelwork.speaker.metrics.Rttm;
import io.modelwork.tracking.metrics.MotMetrics;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static io.modelwork.bench.BenchSupport.*;

/**
 * {@code metrics mot} and {@code metrics der} speed.
 *
 * <ul>
 *   <li>MOT: PETS2009 S2.L1 {@code gt.txt} (795 frames, 4,650 boxes) against a perturbed copy (jitter, 10 % dropped
 *       boxes, false positives, an id change every 60 frames for every third person): parse + TrackEval
 *       pre-processing + HOTA + CLEAR + Identity, median of the repetitions after a warm-up. Baseline in the same run:
 *       {@code library/src/test/resources/tracking/metrics/trackeval_transcription.py --time} (TrackEval's
 *       eval_sequence code in numpy/SciPy) on the same files, when {@code python3} has numpy and SciPy.</li>
 *   <li>DER: a synthetic meeting of {@code --hours} (default 10) with 4 speakers and 15 % overlapped turns against a
 *       perturbed hypothesis, collar 0.5 with and without skip_overlap: DER + JER, median; reported as hours of audio
 *       scored per second. No baseline (pyannote.metrics is not installable here).</li>
 * </ul>
 *
 * <pre>bench/run.sh MetricsBench [--quick] [--reps=5] [--hours=10] [--no-python]</pre>
 */
public final class MetricsBench {
    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        int reps = fl.getInt("reps", 5, 2);
        int hours = fl.getInt("hours", 10, 1);
        machine();
        Path tmp = tempDir("modelwork-bench-metrics");
        try {
            Path gt = Assets.data("tracking/gt.txt");
            Path pred = tmp.resolve("pred.txt");
            perturbMot(gt, pred, new Random(11));
            MotMetrics.evaluate(gt, pred, 0); // warm-up
            double[] t = new double[reps];
            MotMetrics m = null;
            for (int i = 0; i < reps; i++) {
                long t0 = System.nanoTime();
                m = MotMetrics.evaluate(gt, pred, 0);
                t[i] = sec(System.nanoTime() - t0);
            }
            double java = median(t);
            String py = fl.values.containsKey("no-python") ? null : python(gt, pred, reps);
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("metrics mot, PETS S2.L1 (795 frames, 4,650 gt boxes, " + m.sequence().numTrackerDets()
                    + " tracker boxes)", f(java, 3), py == null ? "-" : py,
                    py == null ? "-" : f(Double.parseDouble(py) / java, 1) + "×",
                    String.format(Locale.ROOT, "HOTA %.3f MOTA %.3f IDF1 %.3f IDSW %d", m.hotaValue(), m.mota(), m.idf1(),
                            m.clear().idsw())));

            Path ref = tmp.resolve("ref.rttm"), hyp = tmp.resolve("hyp.rttm");
            int turns = synthRttm(ref, hyp, hours, new Random(5));
            Map<String, List<Rttm.Turn>> r = Rttm.read(ref), h = Rttm.read(hyp);
            for (boolean skip : new boolean[] {false, true}) {
                DiarizationMetrics.evaluate(r, h, null, 0.5, skip);
                DiarizationMetrics.Result res = null;
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    res = DiarizationMetrics.evaluate(r, h, null, 0.5, skip);
                    t[i] = sec(System.nanoTime() - t0);
                }
                double s = median(t);
                rows.add(List.of("metrics der, " + hours + " h synthetic, " + turns + " reference turns, collar 0.5"
                        + (skip ? ", skip_overlap" : ""), f(s, 3), "-", "-",
                        String.format(Locale.ROOT, "DER %.3f JER %.3f; %.0f h of audio per second", res.der(), res.jer(),
                                hours / s)));
            }
            table("metrics mot / metrics der", List.of("what", "Java s (median of " + reps + ")", "numpy/SciPy transcription s", "ratio", "result"),
                    rows);
        } finally {
            deleteTree(tmp);
        }
    }

    private static double median(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static void perturbMot(Path gt, Path out, Random rnd) throws Exception {
        List<String> lines = new ArrayList<>();
        int lastFrame = 0;
        for (String l : Files.readAllLines(gt)) {
            String[] f = l.split(",");
            int frame = Integer.parseInt(f[0]), id = Integer.parseInt(f[1]);
            lastFrame = Math.max(lastFrame, frame);
            if (rnd.nextDouble() < 0.10) continue;
            if (id % 3 == 0) id += 100 * (frame / 60);
            double x = Double.parseDouble(f[2]) + rnd.nextGaussian() * 3, y = Double.parseDouble(f[3]) + rnd.nextGaussian() * 3;
            double w = Double.parseDouble(f[4]) * (1 + rnd.nextGaussian() * 0.05);
            double h = Double.parseDouble(f[5]) * (1 + rnd.nextGaussian() * 0.05);
            lines.add(String.format(Locale.ROOT, "%d,%d,%.2f,%.2f,%.2f,%.2f,1,-1,-1,-1", frame, id, x, y, Math.max(1, w), Math.max(1, h)));
        }
        for (int frame = 1; frame <= lastFrame; frame++)
            if (rnd.nextDouble() < 0.5)
                lines.add(String.format(Locale.ROOT, "%d,%d,%.2f,%.2f,%.2f,%.2f,1,-1,-1,-1", frame, 900, rnd.nextDouble() * 700,
                        rnd.nextDouble() * 500, 20 + rnd.nextDouble() * 30, 50 + rnd.nextDouble() * 50));
        Files.write(out, lines);
    }

    private static int synthRttm(Path ref, Path hyp, int hours, Random rnd) throws Exception {
        List<String> r = new ArrayList<>(), h = new ArrayList<>();
        double t = 0, end = hours * 3600.0;
        int n = 0;
        while (t < end) {
            int spk = rnd.nextInt(4);
            double d = 0.3 + rnd.nextDouble() * 6;
            r.add(line(t, d, "spk" + spk));
            n++;
            if (rnd.nextDouble() < 0.15) {
                r.add(line(t + rnd.nextDouble() * d, 0.3 + rnd.nextDouble() * 1.5, "spk" + ((spk + 1) % 4)));
                n++;
            }
            double hs = Math.max(0, t + rnd.nextGaussian() * 0.2), hd = Math.max(0.05, d + rnd.nextGaussian() * 0.3);
            int hspk = rnd.nextDouble() < 0.1 ? rnd.nextInt(5) : spk;
            if (rnd.nextDouble() > 0.05) h.add(line(hs, hd, "h" + hspk));
            t += d + rnd.nextDouble() * 1.0 - 0.1;
        }
        Files.write(ref, r);
        Files.write(hyp, h);
        return n;
    }

    private static String line(double start, double dur, String spk) {
        return String.format(Locale.ROOT, "SPEAKER long 1 %.3f %.3f <NA> <NA> %s <NA> <NA>", start, dur, spk);
    }

    private static String python(Path gt, Path pred, int reps) {
        Path script = Path.of("library/src/test/resources/tracking/metrics/trackeval_transcription.py");
        if (!Files.exists(script)) return null;
        try {
            Process p = new ProcessBuilder("python3", script.toString(), "--time", gt.toString(), pred.toString(), "795",
                    Integer.toString(reps)).redirectErrorStream(true).start();
            String out;
            try (BufferedReader b = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                out = b.lines().reduce("", (a, c) -> c);
            }
            if (p.waitFor() != 0) {
                System.out.println("python baseline skipped: " + out);
                return null;
            }
            return f(Double.parseDouble(out.strip()), 3);
        } catch (Exception e) {
            System.out.println("python baseline skipped: " + e.getMessage());
            return null;
        }
    }
}
