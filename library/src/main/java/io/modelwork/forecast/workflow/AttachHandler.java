package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.*;

/**
 * attach_dataset for forecasting: reads the panel ({@link SeriesPanel}: long format, one series, or M4's wide CSV with
 * its test file), and profiles it: frequency and seasonal period, lengths, time range, gaps and missing values,
 * constant series, series shorter than a season, non-positive values (which rule out the log transform).
 */
final class AttachHandler implements StepHandler<ForecastState> {
    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) { return attach(st, a); }

    /** Reads and profiles the panel (also replayed by {@link ForecastState#restore}). */
    static StepReport attach(ForecastState st, Args a) {
        SeriesPanel panel = SeriesPanel.read(a);
        st.panel = panel;
        st.attachArgs = a;
        StepReport r = new StepReport("attach_dataset", "Time series " + Path.of(panel.ref).getFileName());
        ObjectNode b = r.body();
        b.put("task", "forecasting");
        b.put("path", panel.ref);
        b.put("format", panel.format);
        b.put("fingerprint", panel.fingerprint);
        b.put("freq", panel.grid.freq());
        b.put("m", panel.m);
        b.put("series", panel.series.size());
        int[] lens = panel.series.stream().mapToInt(SeriesPanel.Raw::n).sorted().toArray();
        b.put("length_min", lens[0]);
        b.put("length_median", lens[lens.length / 2]);
        b.put("length_max", lens[lens.length - 1]);
        long missing = 0, nonPositive = 0;
        List<String> constant = new ArrayList<>(), shortS = new ArrayList<>(), gaps = new ArrayList<>(), neg = new ArrayList<>();
        for (SeriesPanel.Raw s : panel.series) {
            int nan = 0;
            double first = Double.NaN;
            boolean cons = true, np = false;
            for (double v : s.y()) {
                if (Double.isNaN(v)) { nan++; continue; }
                if (Double.isNaN(first)) first = v;
                else if (v != first) cons = false;
                if (v <= 0) np = true;
            }
            long span = s.pos()[s.n() - 1] - s.pos()[0] + 1;
            long distinct = Arrays.stream(s.pos()).distinct().count();
            missing += nan + (span - distinct);
            if (span > distinct) gaps.add(s.id());
            if (cons) constant.add(s.id());
            if (span <= panel.m && panel.m > 1) shortS.add(s.id());
            if (np) { nonPositive++; neg.add(s.id()); }
        }
        b.put("missing_values", missing);
        if (panel.exogNames.length > 0) b.set("exog", Json.MAPPER.valueToTree(panel.exogNames));
        if (panel.externalTest != null) {
            b.put("test_path", panel.testRef);
            b.put("test_horizon", panel.externalTest.values().iterator().next().length);
        }
        ObjectNode first = b.putObject("time_range");
        first.put("start", panel.grid.label(panel.series.stream().mapToLong(s -> s.pos()[0]).min().orElse(0)));
        first.put("end", panel.grid.label(panel.series.stream().mapToLong(s -> s.pos()[s.n() - 1]).max().orElse(0)));
        ObjectNode v = b.putObject("validation");
        v.put("duplicates", 0);
        v.put("off_grid_timestamps", panel.series.stream().mapToInt(SeriesPanel.Raw::offGrid).sum());
        v.set("series_with_gaps", Json.MAPPER.valueToTree(head(gaps)));
        v.set("constant_series", Json.MAPPER.valueToTree(head(constant)));
        v.set("shorter_than_season", Json.MAPPER.valueToTree(head(shortS)));
        v.put("series_with_non_positive_values", nonPositive);
        panel.notes.forEach(r::note);
        if (!gaps.isEmpty() || missing > 0) r.note(missing + " missing values (gaps or NA) in " + Math.max(gaps.size(), 1)
                + "+ series: prepare_data fills them (fill=interpolate|ffill)");
        if (!constant.isEmpty()) r.note(constant.size() + " constant series " + head(constant) + ": they will be forecast with the naive method");
        if (!shortS.isEmpty()) r.note(shortS.size() + " series " + head(shortS) + " are not longer than the seasonal period m=" + panel.m
                + ": they will get a non-seasonal model");
        if (!neg.isEmpty()) r.note(neg.size() + " series have zero or negative values: lambda=0 (log) is not possible for them");
        Table t = Table.create("Profile");
        StringColumn k = StringColumn.create("property"), val = StringColumn.create("value");
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("series", panel.series.size());
        rows.put("frequency", panel.grid.freq() + " (m=" + panel.m + ")");
        rows.put("length min / median / max", lens[0] + " / " + lens[lens.length / 2] + " / " + lens[lens.length - 1]);
        rows.put("time range", first.get("start").asText() + " … " + first.get("end").asText());
        rows.put("missing values", missing);
        rows.put("constant series", constant.size());
        rows.put("series shorter than m", shortS.size());
        if (panel.externalTest != null) rows.put("external test horizon", b.get("test_horizon").asInt());
        rows.forEach((x, y) -> { k.append(x); val.append(String.valueOf(y)); });
        t.addColumns(k, val);
        r.table(t);
        return r;
    }

    private static List<String> head(List<String> l) { return l.size() <= 10 ? l : l.subList(0, 10); }
}
