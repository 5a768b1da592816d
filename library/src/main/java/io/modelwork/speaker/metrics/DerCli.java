package io.modelwork.speaker.metrics;

import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code modelwork metrics der --ref REF.rttm --hyp HYP.rttm [--uem UEM] [--collar 0.5] [--skip-overlap]}: prints
 * {@link DiarizationMetrics.Result#toJson()} (components in seconds, summed over files).
 */
public final class DerCli {
    private DerCli() {}

    public static final String USAGE = "usage: modelwork metrics der --ref REF.rttm --hyp HYP.rttm [--uem UEM] "
            + "[--collar SECONDS] [--skip-overlap]\n"
            + "  scores a diarization as pyannote.metrics does (DER, JER, false alarm / missed / confusion / total in seconds)\n"
            + "  --collar  total width removed around each reference boundary (pyannote's definition: 0.5 = ±0.25 s); default 0\n"
            + "  --uem     evaluated regions 'uri channel start end'; default: per file, the union extent of reference and hypothesis";

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path ref = null, hyp = null, uem = null;
        double collar = 0.0;
        boolean skip = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> { out.println(USAGE); return 0; }
                case "--ref" -> ref = Path.of(value(args, ++i, a));
                case "--hyp" -> hyp = Path.of(value(args, ++i, a));
                case "--uem" -> uem = Path.of(value(args, ++i, a));
                case "--skip-overlap" -> skip = true;
                case "--collar" -> {
                    String v = value(args, ++i, a);
                    try {
                        collar = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        collar = Double.NaN;
                    }
                    if (!(collar >= 0) || Double.isInfinite(collar))
                        throw new ModelworkException("--collar must be a non-negative number of seconds, got '" + v + "'",
                                "metrics der --collar", "e.g. --collar 0.5 (removes ±0.25 s around reference boundaries)");
                }
                default -> throw new ModelworkException("unknown argument '" + a + "'", "metrics der", USAGE);
            }
        }
        if (ref == null || hyp == null)
            throw new ModelworkException("metrics der needs --ref and --hyp", "metrics der", USAGE);
        DiarizationMetrics.Result r = DiarizationMetrics.evaluate(Rttm.read(ref), Rttm.read(hyp),
                uem == null ? null : Rttm.readUem(uem), collar, skip);
        for (String w : r.warnings()) err.println("warning: " + w);
        out.println(Json.write(r.toJson()));
        return 0;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) throw new ModelworkException(flag + " needs a value", "metrics der " + flag, USAGE);
        return args[i];
    }
}
