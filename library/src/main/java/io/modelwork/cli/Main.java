package io.modelwork.cli;

import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.recipe.Recipe;
import io.modelwork.registry.RegistryCli;
import io.modelwork.report.StepReport;
import io.modelwork.spi.Providers;

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
            out.println("usage: modelwork pipeline RECIPE --out DIR | registry ... | metrics wer ... | specs");
            return args.length == 0 ? 2 : 0;
        }
        try {
            switch (args[0]) {
                case "pipeline": return pipeline(Arrays.copyOfRange(args, 1, args.length), out, err);
                case "registry": return RegistryCli.run(Arrays.copyOfRange(args, 1, args.length), out, err);
                case "metrics": return MetricsCli.run(Arrays.copyOfRange(args, 1, args.length), out, err);
                case "specs":
                    Providers.all().forEach((s, p) -> out.println(p.describe(s)));
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
