package io.modelwork.cli;

import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.recipe.Recipe;
import io.modelwork.registry.RegistryCli;
import io.modelwork.report.StepReport;
import io.modelwork.spi.Categories;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The Java side of {@code bin/modelwork}: {@code pipeline}, {@code registry}, {@code specs}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println("usage: modelwork pipeline RECIPE --out DIR | registry ... | runs compare [ROOT] | metrics KIND ... | specs");
            return args.length == 0 ? 2 : 0;
        }
        try {
            switch (args[0]) {
                case "pipeline": return pipeline(Arrays.copyOfRange(args, 1, args.length), out, err);
                case "registry": return RegistryCli.run(Arrays.copyOfRange(args, 1, args.length), out, err);
                case "runs": return runs(Arrays.copyOfRange(args, 1, args.length), out, err);
                case "metrics": return metrics(Arrays.copyOfRange(args, 1, args.length), out, err);
                case "specs":
                    Categories.specs().forEach((s, d) -> out.println(d.isEmpty() || d.equals(s) ? s : s + ": " + d));
                    return 0;
                default:
                    err.println("unknown command '" + args[0] + "'; try --help");
                    return 2;
            }
        } catch (ModelworkException e) {
            err.println("error: " + e.what());
            if (!e.where().isEmpty()) err.println("  where: " + e.where());
            if (!e.fix().isEmpty()) err.println("  fix:   " + e.fix());
            return 1;
        }
    }

    /** {@code runs compare [ROOT] [--by METRIC] [--set test] [--limit N]}: the leaderboard of a run root. */
    static int runs(String[] args, PrintStream out, PrintStream err) {
        String usage = "usage: modelwork runs compare [ROOT (default runs)] [--by METRIC] [--set test|validation] [--limit N]";
        if (args.length == 0 || !args[0].equals("compare")) { err.println(usage); return 2; }
        Path root = Path.of("runs");
        String by = null, set = "test";
        int limit = 20;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--by" -> by = args[++i];
                case "--set" -> set = args[++i];
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--help" -> { out.println(usage); return 0; }
                default -> root = Path.of(args[i]);
            }
        }
        out.print(io.modelwork.runs.RunComparison.compare(root, by, set, limit).toText());
        return 0;
    }

    /** {@code metrics <kind> ...}: scoring commands for outputs made anywhere (one JSON object on stdout). */
    static int metrics(String[] args, PrintStream out, PrintStream err) {
        String usage = "usage: modelwork metrics wer --ref REF.tsv --hyp HYP.tsv [--normalize none|lower|basic] | metrics mot --gt GT.txt --pred PRED.txt | metrics der --ref REF.rttm --hyp HYP.rttm"
                + " [--uem UEM] [--collar 0.5] [--skip-overlap]";
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(usage);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "wer": return MetricsCli.run(args, out, err);
            case "mot": return io.modelwork.tracking.metrics.MotCli.run(rest, out, err);
            case "der": return io.modelwork.speaker.metrics.DerCli.run(rest, out, err);
            default:
                err.println("unknown metrics kind '" + args[0] + "'; " + usage);
                return 2;
        }
    }

    static int pipeline(String[] args, PrintStream out, PrintStream err) {
        String recipe = null;
        Path outDir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) outDir = Path.of(args[++i]);
            else if (args[i].equals("--help")) {
                out.println("usage: modelwork pipeline RECIPE.yaml --out DIR\n  runs the recipe's steps; one JSON report per step in DIR/reports/<step>.json");
                return 0;
            } else if (recipe == null) recipe = args[i];
            else { err.println("unexpected argument '" + args[i] + "'"); return 2; }
        }
        if (recipe == null) { err.println("usage: modelwork pipeline RECIPE.yaml --out DIR"); return 2; }
        Recipe r = Recipe.load(Path.of(recipe));
        try (Session s = Session.create(outDir == null ? Path.of("runs") : outDir.getParent() == null ? Path.of(".") : outDir.getParent())) {
            List<StepReport> reports = r.run(s, outDir == null ? null : outDir.toAbsolutePath());
            for (StepReport rep : reports) out.println("✓ " + rep.step() + ": " + rep.title());
            out.println("run directory: " + s.context().runDir());
        }
        return 0;
    }
}
