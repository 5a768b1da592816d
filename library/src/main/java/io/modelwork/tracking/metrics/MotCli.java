package io.modelwork.tracking.metrics;

import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code modelwork metrics mot --gt GT.txt --pred PRED.txt [--frames N]}: prints {@link MotMetrics#toJson()}. */
public final class MotCli {
    private MotCli() {}

    public static final String USAGE = "usage: modelwork metrics mot --gt GT.txt --pred PRED.txt [--frames N]\n"
            + "  scores a tracker's MOTChallenge output as TrackEval does (HOTA, CLEAR, Identity); prints one JSON object\n"
            + "  --frames N  the sequence length (seqinfo.ini's seqLength); default: the last frame in either file";

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path gt = null, pred = null;
        int frames = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> { out.println(USAGE); return 0; }
                case "--gt" -> gt = Path.of(value(args, ++i, a));
                case "--pred" -> pred = Path.of(value(args, ++i, a));
                case "--frames" -> {
                    String v = value(args, ++i, a);
                    try {
                        frames = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        frames = -1;
                    }
                    if (frames < 1)
                        throw new ModelworkException("--frames must be a positive integer, got '" + v + "'",
                                "metrics mot --frames", "pass the sequence length");
                }
                default -> throw new ModelworkException("unknown argument '" + a + "'", "metrics mot", USAGE);
            }
        }
        if (gt == null || pred == null)
            throw new ModelworkException("metrics mot needs --gt and --pred", "metrics mot", USAGE);
        out.println(Json.write(MotMetrics.evaluate(gt, pred, frames).toJson()));
        return 0;
    }

    static String value(String[] args, int i, String flag) {
        if (i >= args.length)
            throw new ModelworkException(flag + " needs a value", "metrics mot " + flag, USAGE);
        return args[i];
    }
}
