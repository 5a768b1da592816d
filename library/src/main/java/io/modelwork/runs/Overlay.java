package io.modelwork.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The curves of several runs drawn on one chart: for each compared run, the chart named {@code curve} in any of its
 * step reports ({@code reports/<step>.json}: {@code learning_curve} of fit, {@code roc}/{@code pr}/{@code calibration}
 * of evaluate, {@code tuning_history} of tune, …) contributes one series — the one named {@code validation} when the
 * chart has it, else {@code test}, else its first — labelled with the run and its spec. Runs without that chart, or
 * whose chart measures another quantity (its y axis differs from the first run's), are named in a note, not silently
 * dropped.
 */
final class Overlay {
    private Overlay() {}

    static void add(StepReport rep, List<RunComparison.Run> runs, String curve) {
        List<Chart.Series> series = new ArrayList<>();
        List<String> missing = new ArrayList<>(), otherAxis = new ArrayList<>();
        String title = curve, xLabel = "", yLabel = "";
        for (RunComparison.Run r : runs) {
            JsonNode chart = r.dir() == null ? null : find(r.dir().resolve("reports"), curve);
            if (chart == null) { missing.add(r.id()); continue; }
            JsonNode pick = pick(chart.path("series"));
            if (pick == null) { missing.add(r.id()); continue; }
            String y = chart.path("yLabel").asText("");
            if (!series.isEmpty() && !y.equals(yLabel)) {   // another quantity (l2 vs rmse, logloss vs auc): not on one axis
                otherAxis.add(r.id() + " (" + y + ")");
                continue;
            }
            title = chart.path("title").asText(curve);
            xLabel = chart.path("xLabel").asText("");
            yLabel = y;
            String label = r.id() + (r.spec().isEmpty() ? "" : " " + r.spec())
                    + (pick.path("name").asText().isEmpty() ? "" : " (" + pick.path("name").asText() + ")");
            series.add(new Chart.Series(label, doubles(pick.path("x")), doubles(pick.path("y")),
                    "marker".equals(pick.path("style").asText()) ? "marker" : "line"));
        }
        if (series.isEmpty()) {
            rep.note("no compared run has a chart named '" + curve + "' (try learning_curve, roc, pr, calibration or tuning_history)");
            return;
        }
        rep.chart(Chart.line("overlay_" + curve, title + " — " + series.size() + " runs overlaid", xLabel, yLabel, series));
        if (!missing.isEmpty()) rep.note("no '" + curve + "' chart in: " + String.join(", ", missing));
        if (!otherAxis.isEmpty()) rep.note("not overlaid, their '" + curve + "' measures another quantity than " + yLabel + ": " + String.join(", ", otherAxis));
    }

    /** The chart named {@code curve} in the run's step reports (evaluate first, then the others by name), or null. */
    static JsonNode find(Path reports, String curve) {
        if (!Files.isDirectory(reports)) return null;
        List<Path> files;
        try (Stream<Path> s = Files.list(reports)) {
            files = new ArrayList<>(s.filter(f -> f.toString().endsWith(".json")).sorted().toList());
        } catch (IOException e) {
            return null;
        }
        files.sort((a, b) -> Boolean.compare(!a.getFileName().toString().equals("evaluate.json"),
                !b.getFileName().toString().equals("evaluate.json")));
        for (Path f : files) {
            try {
                for (JsonNode c : Json.MAPPER.readTree(f.toFile()).path("charts"))
                    if (curve.equals(c.path("name").asText())) return c;
            } catch (IOException e) {
                // an unreadable report is the leaderboard's concern (it names it); here it only lacks the curve
            }
        }
        return null;
    }

    private static JsonNode pick(JsonNode series) {
        if (!series.isArray() || series.isEmpty()) return null;
        for (String preferred : List.of("validation", "test"))
            for (JsonNode s : series) if (s.path("name").asText().toLowerCase().startsWith(preferred)) return s;
        return series.get(0);
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble(Double.NaN);
        return out;
    }
}
