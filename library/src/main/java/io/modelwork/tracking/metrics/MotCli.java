package io.modelwork.tracking.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code modelwork metrics mot --gt GT --pred PRED [--frames N]}: prints {@link MotMetrics#toJson()}.
 *
 * <p>GT and PRED are either two MOTChallenge files, or a benchmark split folder laid out as TrackEval expects
 * ({@code GT/<SEQ>/gt/gt.txt} and {@code GT/<SEQ>/seqinfo.ini}) and a tracker folder ({@code PRED/<SEQ>.txt}): then
 * every sequence is scored, the top-level keys are TrackEval's combined row and {@code sequences} holds each one. The
 * sequence length is {@code seqinfo.ini}'s {@code seqLength} when there is one next to {@code gt/gt.txt}.
 */
public final class MotCli {
    private MotCli() {}

    public static final String USAGE = "usage: modelwork metrics mot --gt GT.txt --pred PRED.txt [--frames N]\n"
            + "       modelwork metrics mot --gt SPLIT_DIR --pred TRACKER_DIR   (SPLIT_DIR/<SEQ>/gt/gt.txt, TRACKER_DIR/<SEQ>.txt)\n"
            + "  scores MOTChallenge tracker output as TrackEval does (HOTA, CLEAR, Identity); prints one JSON object\n"
            + "  --frames N  the sequence length; default: seqinfo.ini's seqLength, else the last frame in either file";

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
        if (!Files.isDirectory(gt)) {
            out.println(Json.write(MotMetrics.evaluate(gt, pred, frames > 0 ? frames : seqLength(gt)).toJson()));
            return 0;
        }
        if (!Files.isDirectory(pred))
            throw new ModelworkException("--gt is a folder of sequences, so --pred must be a folder of <SEQ>.txt files",
                    pred.toString(), USAGE);
        out.println(Json.write(split(gt, pred)));
        return 0;
    }

    /** Every {@code <SEQ>/gt/gt.txt} under {@code split} against {@code tracker/<SEQ>.txt}; combined + per sequence. */
    static ObjectNode split(Path split, Path tracker) {
        List<Path> seqs;
        try (Stream<Path> s = Files.list(split)) {
            seqs = s.filter(p -> Files.isRegularFile(p.resolve("gt/gt.txt"))).sorted().toList();
        } catch (IOException e) {
            throw new ModelworkException("cannot list " + split + " (" + e.getMessage() + ")", split.toString(),
                    "check the path", e);
        }
        if (seqs.isEmpty())
            throw new ModelworkException("no sequence folder with gt/gt.txt", split.toString(),
                    "point --gt at a split folder such as MOT17/train (MOT17-02-FRCNN/gt/gt.txt, …) or at one gt.txt");
        List<String> missing = new ArrayList<>();
        for (Path s : seqs)
            if (!Files.isRegularFile(tracker.resolve(s.getFileName() + ".txt"))) missing.add(s.getFileName() + ".txt");
        if (!missing.isEmpty())
            throw new ModelworkException("the tracker folder lacks " + missing.size() + " sequence file(s): "
                    + String.join(", ", missing), tracker.toString(),
                    "write one MOTChallenge file per sequence (an empty file for a sequence with no output)");
        List<MotMetrics> all = new ArrayList<>();
        ObjectNode per = Json.object();
        for (Path s : seqs) {
            Path g = s.resolve("gt/gt.txt");
            MotMetrics m = MotMetrics.evaluate(g, tracker.resolve(s.getFileName() + ".txt"), seqLength(g));
            all.add(m);
            per.set(s.getFileName().toString(), m.toJson());
        }
        ObjectNode o = MotMetrics.combine(all).toJson();
        o.set("sequences", per);
        return o;
    }

    /** {@code seqLength} of the {@code seqinfo.ini} beside {@code <SEQ>/gt/gt.txt}; 0 when there is none. */
    static int seqLength(Path gtFile) {
        Path dir = gtFile.toAbsolutePath().getParent();
        if (dir == null || dir.getFileName() == null || !dir.getFileName().toString().equals("gt")) return 0;
        Path ini = dir.getParent().resolve("seqinfo.ini");
        if (!Files.isRegularFile(ini)) return 0;
        try {
            for (String l : Files.readAllLines(ini)) {
                String[] kv = l.split("=", 2);
                if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("seqLength")) return Integer.parseInt(kv[1].strip());
            }
        } catch (IOException | NumberFormatException e) {
            throw new ModelworkException("cannot read seqLength from " + ini + " (" + e.getMessage() + ")",
                    ini.toString(), "write 'seqLength=<frames>' under [Sequence], or pass --frames");
        }
        return 0;
    }

    static String value(String[] args, int i, String flag) {
        if (i >= args.length)
            throw new ModelworkException(flag + " needs a value", "metrics mot " + flag, USAGE);
        return args[i];
    }
}
