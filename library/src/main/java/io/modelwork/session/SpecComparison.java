package io.modelwork.session;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.runs.RunComparison;
import io.modelwork.spi.Categories;
import io.modelwork.spi.Category;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code %compare specs=a,b}: PyCaret's {@code compare_models} on the session's own data. Each spec is fitted in a
 * session of its own (its own run directory beside the session's, {@code <run>-vs-<spec>}) that replays the
 * session's configure, attach_dataset, prepare_data and split with the same arguments — so the same data, the same
 * seed and the same split — then builds the spec with its defaults, fits with the session's fit keys that the spec
 * also declares, and evaluates; the leaderboard ranks them with the session's own evaluated model. The session's model,
 * state and run directory are not touched; a spec that fails is named with its error and the others still run.
 */
final class SpecComparison {
    private SpecComparison() {}

    static StepReport run(Session s, List<String> specs, String by, String set, int limit, String curve) {
        if (!s.hasRun(Step.SPLIT))
            throw new ModelworkException("compare specs= needs the session's split", "compare specs=" + String.join(",", specs),
                    "run the steps up to split first (%configure, %attach_dataset, %prepare_data, %split), then %compare specs=...");
        if (specs.isEmpty())
            throw new ModelworkException("No spec to compare", "compare specs=", "give specs=a,b, e.g. " + example(s));
        Category<?> own = s.category();
        for (String spec : specs) {
            Category<?> c = Categories.forSpec(spec);
            if (c != own)
                throw new ModelworkException("The spec '" + spec + "' is of the " + c.name() + " category, not this session's " + own.name(),
                        "compare specs=" + String.join(",", specs), "compare specs of this session's category, e.g. " + example(s));
        }
        Path runDir = s.context().runDir();
        List<RunComparison.Run> runs = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String spec : specs) {
            Path dir = unique(runDir.resolveSibling(runDir.getFileName() + "-vs-" + spec.replaceAll("[^A-Za-z0-9._-]", "_")));
            try (Session child = Session.create(runDir.getParent())) {
                child.progress(s.progress());
                child.configure(s.arguments(Step.CONFIGURE).orElse(Args.empty()).with("run_dir", dir.toString()));
                child.attachDataset(s.arguments(Step.ATTACH_DATASET).orElseThrow());
                s.arguments(Step.PREPARE_DATA).ifPresent(child::prepareData);
                child.split(s.arguments(Step.SPLIT).orElse(Args.empty()));
                child.build(Args.of("spec", spec));
                child.fit(keep(s.arguments(Step.FIT).orElse(Args.empty()), own.options(Step.FIT, spec)));
                child.evaluate(keep(s.arguments(Step.EVALUATE).orElse(Args.empty()), own.options(Step.EVALUATE, spec)));
            } catch (ModelworkException e) {
                failed.add(spec + ": " + e.getMessage());
                continue;
            }
            RunComparison.Run r = RunComparison.read(dir, set);
            if (r != null) runs.add(r);
        }
        boolean ownEvaluated = s.hasRun(Step.EVALUATE);
        if (ownEvaluated) {
            RunComparison.Run r = RunComparison.read(runDir, set);
            if (r != null) runs.add(new RunComparison.Run(r.id() + " (this session)", r.dir(), r.spec(), r.metrics(), r.params(), r.seconds()));
        }
        if (runs.isEmpty())
            throw new ModelworkException("No spec could be fitted: " + String.join("; ", failed), "compare specs=" + String.join(",", specs),
                    "fix the first error above, or compare other specs (" + example(s) + ")");
        StepReport rep = RunComparison.compare(runs, by, set, limit, curve,
                "Specs compared on this session's split: " + String.join(", ", specs));
        failed.forEach(f -> rep.note("not compared — " + f));
        rep.note("each spec ran in its own run directory beside " + runDir.getFileName() + " (<run>-vs-<spec>) with the same data, seed and split; "
                + (ownEvaluated ? "this session's model is ranked with them and was not changed" : "this session's own model was not changed"));
        return rep;
    }

    /** The keys of {@code a} that {@code valid} declares (a key of one spec's fit, e.g. rounds=, is dropped for another). */
    private static Args keep(Args a, Options valid) {
        if (valid == null) return Args.empty();
        List<String> drop = a.keys().stream().filter(k -> !valid.names().contains(k)).toList();
        return a.without(drop);
    }

    private static Path unique(Path p) {
        Path out = p;
        for (int i = 2; Files.exists(out); i++) out = p.resolveSibling(p.getFileName() + "-" + i);
        return out;
    }

    private static String example(Session s) {
        List<String> specs = new ArrayList<>(s.category().specs().keySet());
        return "specs=" + String.join(",", specs.subList(0, Math.min(2, specs.size()))).toLowerCase(Locale.ROOT);
    }
}
