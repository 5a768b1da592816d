package io.modelwork.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The leaderboard of the runs under a run root (what PyCaret's {@code compare_models} and MLflow's run comparison
 * show): one row per run that has an evaluate report, with its spec, the metrics of one set (test by default), the
 * build parameters and the time its steps took, best first by one metric (lower is better for errors and losses,
 * higher for scores), and a bar chart of that metric.
 */
public final class RunComparison {
    /** Metrics where lower is better (errors, losses, objective values, gaps). */
    static final Pattern LOWER_IS_BETTER = Pattern.compile(
            "(?i).*(rmse|mse|mae|mape|smape|mase|loss|brier|error|objective|gap|violations|aic|bic|ece|seconds|psi).*");

    /** One run's row. */
    public record Run(String id, Path dir, String spec, Map<String, Double> metrics, String params, double seconds) {}

    private RunComparison() {}

    /** Every run under {@code root} with an evaluate report (its metrics of {@code set}), in the order of their ids. */
    public static List<Run> runs(Path root, String set) {
        if (!Files.isDirectory(root))
            throw new ModelworkException("No run root at " + root.toAbsolutePath(), "compare root=" + root,
                    "give root= the folder that holds the run-… folders (the session's runs/ by default)");
        List<Run> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                Run r = read(d, set);
                if (r != null) out.add(r);
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the runs under " + root + ": " + e.getMessage(), "compare root=" + root,
                    "check that the run folders are readable");
        }
        return out;
    }

    /** One run folder's row (its evaluate metrics of {@code set}, spec, build parameters, step time), or null without an evaluate report. */
    public static Run read(Path d, String set) {
        Path reports = d.resolve("reports");
        Path eval = reports.resolve("evaluate.json");
        if (!Files.isRegularFile(eval)) return null;
        try {
            JsonNode ev = Json.MAPPER.readTree(eval.toFile());
            JsonNode m = ev.path("metrics");
            JsonNode chosen = m.has(set) ? m.get(set) : m;
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = chosen.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isNumber()) metrics.put(e.getKey(), e.getValue().asDouble());
            }
            if (metrics.isEmpty()) return null;
            String spec = "", params = "";
            double seconds = 0;
            Path build = reports.resolve("build.json");
            if (Files.isRegularFile(build)) {
                JsonNode b = Json.MAPPER.readTree(build.toFile());
                spec = b.path("spec").asText("");
                List<String> p = new ArrayList<>();
                b.path("params").fields().forEachRemaining(e -> p.add(e.getKey() + "=" + e.getValue().asText()));
                params = String.join(", ", p);
            }
            try (Stream<Path> files = Files.list(reports)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList())
                    seconds += Json.MAPPER.readTree(f.toFile()).path("seconds").asDouble(0);
            }
            return new Run(d.getFileName().toString(), d, spec, metrics, params, seconds);
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the run " + d + ": " + e.getMessage(), "compare " + d,
                    "check that the run folder's reports/ are readable JSON");
        }
    }

    /** Whether a lower value of {@code metric} is better. */
    public static boolean lowerIsBetter(String metric) { return LOWER_IS_BETTER.matcher(metric).matches(); }

    /**
     * The leaderboard of the runs under {@code root}: {@code by} names the metric to rank by (null: the first metric
     * of the newest run), {@code set} the evaluated set (test, validation), at most {@code limit} rows.
     */
    public static StepReport compare(Path root, String by, String set, int limit) {
        return compare(root, by, set, limit, null);
    }

    /** As {@link #compare(Path, String, String, int)}, with the chart named {@code curve} of every run overlaid (null: none). */
    public static StepReport compare(Path root, String by, String set, int limit, String curve) {
        List<Run> runs = runs(root, set);
        if (runs.isEmpty())
            throw new ModelworkException("No run under " + root.toAbsolutePath() + " has an evaluate report", "compare root=" + root,
                    "run the steps up to evaluate first (each run writes reports/evaluate.json), or give root= another run root");
        return compare(runs, by, set, limit, curve, "Runs compared: " + runs.size() + " under " + root);
    }

    /**
     * The leaderboard of {@code runs} (from {@link #runs}, {@link #read} or {@link RegistryRuns}), ranked by {@code by}
     * (null: the first metric of the last run); {@code curve} names a chart every run's reports hold (e.g.
     * {@code learning_curve}, {@code roc}, {@code pr}) to draw overlaid, one series per run (null: none).
     */
    public static StepReport compare(List<Run> runs, String by, String set, int limit, String curve, String title) {
        if (runs.isEmpty())
            throw new ModelworkException("Nothing to compare", "compare", "evaluate at least one run first");
        Set<String> names = new LinkedHashSet<>();
        for (int i = runs.size() - 1; i >= 0; i--) names.addAll(runs.get(i).metrics().keySet());
        String metric = by != null ? by : names.iterator().next();
        if (!names.contains(metric)) {
            String close = io.modelwork.core.Options.closest(metric, names);
            throw new ModelworkException("No run has the metric '" + metric + "'", "compare by=" + metric,
                    (close != null ? "did you mean '" + close + "'? " : "") + "use one of " + names);
        }
        boolean lower = lowerIsBetter(metric);
        Comparator<Run> order = Comparator.comparingDouble(r -> {
            Double v = r.metrics().get(metric);
            return v == null || v.isNaN() ? Double.POSITIVE_INFINITY : lower ? v : -v;
        });
        List<Run> ranked = runs.stream().sorted(order).limit(Math.max(1, limit)).toList();

        Table t = Table.create("Leaderboard (" + set + ", by " + metric + (lower ? ", lower is better)" : ", higher is better)"));
        StringColumn rank = StringColumn.create("rank"), id = StringColumn.create("run"), spec = StringColumn.create("spec");
        t.addColumns(rank, id, spec);
        Map<String, DoubleColumn> cols = new LinkedHashMap<>();
        List<String> ordered = new ArrayList<>(names);
        ordered.remove(metric);
        ordered.add(0, metric);
        for (String n : ordered) cols.put(n, DoubleColumn.create(n));
        cols.values().forEach(t::addColumns);
        DoubleColumn secs = DoubleColumn.create("seconds");
        StringColumn params = StringColumn.create("params");
        t.addColumns(secs, params);
        int i = 0;
        for (Run r : ranked) {
            rank.append(String.valueOf(++i));
            id.append(r.id());
            spec.append(r.spec());
            cols.forEach((n, c) -> {
                Double v = r.metrics().get(n);
                if (v == null) c.appendMissing(); else c.append(v);
            });
            if (Double.isNaN(r.seconds())) secs.appendMissing(); else secs.append(r.seconds());
            params.append(r.params());
        }
        StepReport rep = new StepReport("compare", title);
        rep.note("best by " + metric + ": " + ranked.get(0).id() + " (" + ranked.get(0).spec() + ") with "
                + fmt(ranked.get(0).metrics().get(metric)));
        if (runs.size() > ranked.size()) rep.note((runs.size() - ranked.size()) + " more runs not shown (limit=" + limit + ")");
        rep.table(t);
        double[] x = new double[ranked.size()], y = new double[ranked.size()];
        List<String> labels = new ArrayList<>();
        for (int k = 0; k < ranked.size(); k++) {
            x[k] = k;
            Double v = ranked.get(k).metrics().get(metric);
            y[k] = v == null ? Double.NaN : v;
            labels.add(ranked.get(k).id() + (ranked.get(k).spec().isEmpty() ? "" : " " + ranked.get(k).spec()));
        }
        rep.chart(new Chart("compare_" + metric, metric + " by run (" + set + ")", "bar", "run", metric,
                List.of(new Chart.Series(metric, x, y, "line")), null, labels));
        if (curve != null && !curve.isBlank()) Overlay.add(rep, ranked, curve);
        rep.body().put("by", metric);
        rep.body().put("set", set);
        rep.body().put("lower_is_better", lower);
        var rows = rep.body().putArray("runs");
        for (Run r : ranked) {
            var o = rows.addObject();
            o.put("run", r.id());
            o.put("spec", r.spec());
            if (Double.isNaN(r.seconds())) o.putNull("seconds"); else o.put("seconds", r.seconds());
            o.put("params", r.params());
            var m = o.putObject("metrics");
            r.metrics().forEach(m::put);
        }
        return rep;
    }

    private static String fmt(Double v) { return v == null ? "NaN" : String.format(Locale.ROOT, "%.6g", v); }
}
