package io.modelwork.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.recipe.Recipe;
import io.modelwork.registry.RegistryCli;
import io.modelwork.report.StepReport;
import io.modelwork.spi.Categories;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The Java side of {@code bin/modelwork}: {@code pipeline}, {@code registry}, {@code specs}.
 *
 * <p>No input prints a Java stack trace: a {@link ModelworkException} is printed as what / where / fix; any other
 * failure is printed as one line with where its trace went (the run log of the pipeline's run directory, else a
 * crash file in the temporary folder).
 */
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
            printError(e, err, null);
            return 1;
        } catch (RuntimeException | Error e) {
            printCrash(e, err, null);
            return 1;
        }
    }

    /** {@code runs compare [ROOT] [--by METRIC] [--set test] [--limit N] [--curve NAME] [--registry HOME [--name N]]}. */
    static int runs(String[] args, PrintStream out, PrintStream err) {
        String usage = "usage: modelwork runs compare [ROOT (default runs)] [--by METRIC] [--set test|validation] [--limit N] [--curve roc|pr|learning_curve|...]\n"
                + "       modelwork runs compare --registry HOME [--name MODEL] [--by METRIC] [--limit N]   (registered versions by their test metrics)";
        if (args.length == 0 || !args[0].equals("compare")) { err.println(usage); return 2; }
        Path root = Path.of("runs"), registry = null;
        String by = null, set = "test", curve = null, name = null;
        int limit = 20;
        for (int i = 1; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help")) { out.println(usage); return 0; }
            if (flag.startsWith("--") && i + 1 >= args.length) { err.println(flag + " needs a value\n" + usage); return 2; }
            switch (flag) {
                case "--by" -> by = args[++i];
                case "--set" -> set = args[++i];
                case "--curve" -> curve = args[++i];
                case "--registry" -> registry = Path.of(args[++i]);
                case "--name" -> name = args[++i];
                case "--limit" -> {
                    try {
                        limit = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        err.println("--limit needs a whole number, not '" + args[i] + "'\n" + usage);
                        return 2;
                    }
                }
                default -> {
                    if (flag.startsWith("--")) { err.println("unknown option " + flag + "\n" + usage); return 2; }
                    root = Path.of(flag);
                }
            }
        }
        if (registry != null) {
            var runs = io.modelwork.runs.RegistryRuns.read(registry, name);
            out.print(io.modelwork.runs.RunComparison.compare(runs, by, set, limit, null,
                    "Registered versions compared: " + runs.size() + " in " + registry).toText());
        } else {
            out.print(io.modelwork.runs.RunComparison.compare(root, by, set, limit, curve).toText());
        }
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
                out.println("usage: modelwork pipeline RECIPE.yaml --out DIR\n  runs the recipe's steps; one JSON report per step in DIR/reports/<step>.json"
                        + "\n  a recipe with resume: writes into DIR (or a fresh runs/run-<time>), never into the checkpoint's run directory");
                return 0;
            } else if (recipe == null) recipe = args[i];
            else { err.println("unexpected argument '" + args[i] + "'"); return 2; }
        }
        if (recipe == null) { err.println("usage: modelwork pipeline RECIPE.yaml --out DIR"); return 2; }
        Recipe r = Recipe.load(Path.of(recipe));
        Session s = Session.create(outDir == null ? Path.of("runs") : outDir.getParent() == null ? Path.of(".") : outDir.getParent());
        try {
            r.run(s, outDir == null ? null : outDir.toAbsolutePath(), rep -> {
                out.println("✓ " + rep.step() + ": " + rep.title());
                for (String w : warnings(rep)) out.println("  ! " + w);
            });
            out.println("run directory: " + s.context().runDir());
            return 0;
        } catch (ModelworkException e) {
            printError(e, err, runLog(s));
            return 1;
        } catch (RuntimeException | Error e) {
            printCrash(e, err, runLog(s));
            return 1;
        } finally {
            try { s.close(); } catch (RuntimeException ignored) { }
        }
    }

    /** What a headless run prints under a step: its notes (the data warnings of attach_dataset among them). */
    static List<String> warnings(StepReport rep) {
        return rep.notes();
    }

    private static Path runLog(Session s) {
        try {
            return s.context().log().file();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static void printError(ModelworkException e, PrintStream err, Path log) {
        err.println("error: " + e.what());
        if (!e.where().isEmpty()) err.println("  where: " + e.where());
        if (!e.fix().isEmpty()) err.println("  fix:   " + e.fix());
        if (e.getCause() != null) {
            Path to = writeTrace(e, log);
            if (to != null) err.println("  (details of the cause: " + to + ")");
        }
    }

    /** An unexpected failure: one line on the console, the trace in the run log (or a crash file). */
    public static void printCrash(Throwable e, PrintStream err, Path log) {
        Path to = writeTrace(e, log);
        err.println("error: unexpected failure: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        err.println("  where: " + (to == null ? "(the trace could not be written)" : "the trace is in " + to));
        err.println("  fix:   this is a Modelwork bug or an environment problem (memory, disk); please report it with that trace");
    }

    private static Path writeTrace(Throwable e, Path log) {
        StringWriter sw = new StringWriter();
        e.printStackTrace(new PrintWriter(sw));
        try {
            if (log != null && Files.isDirectory(log.getParent())) {
                ObjectNode ev = Json.object();
                ev.put("event", "crash");
                ev.put("error", String.valueOf(e));
                ev.put("trace", sw.toString());
                ev.put("ts", java.time.Instant.now().toString());
                Files.writeString(log, Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(ev) + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                return log;
            }
            Path f = Files.createTempFile("modelwork-crash-", ".log");
            Files.writeString(f, sw.toString());
            return f;
        } catch (IOException | RuntimeException ex) {
            return null;
        }
    }
}
