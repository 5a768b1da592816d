package io.modelwork.forecast.workflow;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.*;

/**
 * A panel of time series as attached: per series its grid positions (sorted; repeated positions are raw timestamps
 * that fall into the same bucket of a given {@code freq=} and are resampled by prepare_data), values (NaN = missing)
 * and exogenous columns; plus an optional external test set (M4's {@code *-test.csv}).
 *
 * <p>Readers: long format ({@code unique_id, ds, y} + exogenous columns; names set by {@code id=, time=, value=,
 * exog=}), a single series (no id column), and M4's wide CSV ({@code format=m4}: one row per series, the id then the
 * values).
 */
final class SeriesPanel {
    /** One series: grid positions in time order, values, exogenous values {@code exog[j][i]}. */
    record Raw(String id, long[] pos, double[] y, double[][] exog, int offGrid) {
        int n() { return y.length; }
    }

    final String ref;
    final String format;
    final TimeGrid grid;
    final int m;
    final List<Raw> series;
    final String[] exogNames;
    /** External test values per series id (M4), or null. */
    final Map<String, double[]> externalTest;
    final String testRef;
    final String fingerprint;
    final List<String> notes;

    SeriesPanel(String ref, String format, TimeGrid grid, int m, List<Raw> series, String[] exogNames,
                Map<String, double[]> externalTest, String testRef, String fingerprint, List<String> notes) {
        this.ref = ref;
        this.format = format;
        this.grid = grid;
        this.m = m;
        this.series = series;
        this.exogNames = exogNames;
        this.externalTest = externalTest;
        this.testRef = testRef;
        this.fingerprint = fingerprint;
        this.notes = notes;
    }

    // ------------------------------------------------------------------ reading

    static SeriesPanel read(Args a) {
        String path = a.requireString("path", "give the CSV file, e.g. path=data/forecasting/R_AirPassengers.csv");
        Path p = Path.of(path);
        if (!Files.isRegularFile(p))
            throw new ModelworkException("The data file does not exist: " + p, "attach_dataset path", "check the path");
        String format = a.getString("format", null);
        if (format == null) format = looksLikeM4(p) ? "m4" : "long";
        format = format.toLowerCase(Locale.ROOT);
        String freq = a.has("freq") ? TimeGrid.normalizeFreq(a.getString("freq", null)) : null;
        return switch (format) {
            case "m4" -> readM4(p, a, freq);
            case "long", "series", "csv" -> readLong(p, a, freq);
            default -> throw new ModelworkException("Unknown forecasting format '" + format + "'", "attach_dataset format",
                    "use format=long (unique_id, ds, y), format=series (one series: time, value) or format=m4");
        };
    }

    static boolean looksLikeM4(Path p) {
        String name = p.getFileName().toString();
        return name.matches("(?i)(yearly|quarterly|monthly|weekly|daily|hourly)-(train|test)\\.csv");
    }

    /** True for a CSV whose header names the long-format columns {@code ds} and {@code y} (Nixtla's layout). */
    static boolean looksLikeLongFormat(Path p) {
        if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") || !Files.isRegularFile(p)) return false;
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (line == null) return false;
            List<String> h = Arrays.stream(splitCsv(line)).map(String::trim).toList();
            return h.contains("ds") && h.contains("y");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Minimal CSV: comma separated, double quotes with "" escapes, a header line. */
    static List<String[]> readCsv(Path p) {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) continue;
                rows.add(splitCsv(line));
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot read " + p + ": " + e.getMessage(), p.toString(), "check the file and its permissions");
        }
        if (rows.isEmpty()) throw new ModelworkException("The file is empty", p.toString(), "attach a CSV with a header line");
        return rows;
    }

    static String[] splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                    else q = false;
                } else cur.append(c);
            } else if (c == '"') q = true;
            else if (c == ',') { out.add(cur.toString()); cur.setLength(0); }
            else if (c != '\r') cur.append(c);
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }

    static double number(String s, String where) {
        String t = s == null ? "" : s.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("na") || t.equalsIgnoreCase("nan") || t.equalsIgnoreCase("null") || t.equals("?")) return Double.NaN;
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new ModelworkException("The value '" + s + "' is not a number", where, "the value column must hold numbers (NA for missing)");
        }
    }

    static int column(String[] header, String name, String key, Path p) {
        for (int i = 0; i < header.length; i++) if (header[i].trim().equals(name)) return i;
        throw new ModelworkException("No column '" + name + "' in " + p.getFileName(), "attach_dataset " + key + "=" + name,
                "the columns are " + Arrays.toString(header) + "; name the right one with " + key + "=<column>");
    }

    private static String firstPresent(String[] header, String... names) {
        for (String n : names) for (String h : header) if (h.trim().equals(n)) return n;
        return null;
    }

    static SeriesPanel readLong(Path p, Args a, String freq) {
        List<String[]> rows = readCsv(p);
        String[] h = rows.get(0);
        String timeName = a.getString("time", a.getString("ds", null));
        if (timeName == null) timeName = firstPresent(h, "ds", "time", "timestamp", "date");
        String valueName = a.getString("value", null);
        if (valueName == null) valueName = firstPresent(h, "y", "value");
        if (timeName == null)
            throw new ModelworkException("No time column found", p.toString(), "name it with time=<column> (columns: " + Arrays.toString(h) + ")");
        if (valueName == null)
            throw new ModelworkException("No value column found", p.toString(), "name it with value=<column> (columns: " + Arrays.toString(h) + ")");
        int ti = column(h, timeName, "time", p), vi = column(h, valueName, "value", p);
        String idName = a.getString("id", null);
        if (idName == null) idName = firstPresent(h, "unique_id");
        int ii = idName == null ? -1 : column(h, idName, "id", p);
        List<String> exog = a.getList("exog");
        int[] ei = new int[exog.size()];
        for (int j = 0; j < ei.length; j++) ei[j] = column(h, exog.get(j), "exog", p);
        String single = p.getFileName().toString().replaceAll("\\.[^.]*$", "");
        // group rows by id, keeping first-appearance order
        LinkedHashMap<String, List<Integer>> byId = new LinkedHashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            if (row.length < h.length)
                throw new ModelworkException("Row " + (r + 1) + " has " + row.length + " fields, the header " + h.length, p + ":" + (r + 1),
                        "fix the row (every row needs a value per column)");
            byId.computeIfAbsent(ii < 0 ? single : row[ii].trim(), k -> new ArrayList<>()).add(r);
        }
        if (byId.isEmpty()) throw new ModelworkException("The file has a header but no rows", p.toString(), "attach a file with data");
        List<String> ids = selectIds(new ArrayList<>(byId.keySet()), a);
        List<List<TimeGrid.Stamp>> stamps = new ArrayList<>();
        List<int[]> orders = new ArrayList<>();
        for (String id : ids) {
            List<Integer> rs = byId.get(id);
            List<TimeGrid.Stamp> st = new ArrayList<>();
            for (int r : rs) st.add(TimeGrid.parse(rows.get(r)[ti], p + ":" + (r + 1) + " column " + timeName));
            Integer[] idx = new Integer[st.size()];
            for (int i = 0; i < idx.length; i++) idx[i] = i;
            Arrays.sort(idx, Comparator.comparingDouble(i -> st.get(i).numeric() ? st.get(i).number() : st.get(i).epoch()));
            List<TimeGrid.Stamp> sorted = new ArrayList<>();
            int[] ord = new int[idx.length];
            for (int i = 0; i < idx.length; i++) { sorted.add(st.get(idx[i])); ord[i] = rs.get(idx[i]); }
            stamps.add(sorted);
            orders.add(ord);
        }
        TimeGrid grid = TimeGrid.infer(stamps, freq, p + " column " + timeName);
        List<String> notes = new ArrayList<>();
        List<Raw> series = new ArrayList<>();
        String dup = a.getString("duplicates", "error");
        for (int s = 0; s < ids.size(); s++) {
            List<TimeGrid.Stamp> st = stamps.get(s);
            int[] ord = orders.get(s);
            int n = st.size();
            long[] pos = new long[n];
            double[] y = new double[n];
            double[][] ex = new double[ei.length][n];
            int off = 0;
            for (int i = 0; i < n; i++) {
                boolean[] exact = {true};
                pos[i] = grid.position(st.get(i), exact);
                if (!exact[0]) off++;
                String[] row = rows.get(ord[i]);
                y[i] = number(row[vi], p + ":" + (ord[i] + 1) + " column " + valueName);
                for (int j = 0; j < ei.length; j++) ex[j][i] = number(row[ei[j]], p + ":" + (ord[i] + 1) + " column " + exog.get(j));
                if (i > 0 && st.get(i).raw().equals(st.get(i - 1).raw()) || i > 0 && sameInstant(st.get(i), st.get(i - 1))) {
                    if (dup.equals("error"))
                        throw new ModelworkException("Duplicate timestamp " + st.get(i).raw() + " in series '" + ids.get(s) + "' (rows "
                                + (ord[i - 1] + 1) + " and " + (ord[i] + 1) + ")", p + ":" + (ord[i] + 1),
                                "remove the duplicate rows, or attach with duplicates=mean|sum|last to aggregate them");
                    if (!List.of("mean", "sum", "last", "first").contains(dup))
                        throw new ModelworkException("Unknown duplicates policy '" + dup + "'", "attach_dataset duplicates", "use error, mean, sum, last or first");
                }
            }
            series.add(new Raw(ids.get(s), pos, y, ex, off));
        }
        int offTotal = series.stream().mapToInt(Raw::offGrid).sum();
        if (offTotal > 0 && freq == null) {
            Raw bad = series.stream().filter(r -> r.offGrid() > 0).findFirst().orElseThrow();
            throw new ModelworkException("Irregular timestamps: " + offTotal + " timestamps do not fall on the inferred "
                    + grid.freq() + " grid (first in series '" + bad.id() + "')", p + " column " + timeName,
                    "give the frequency with freq=hourly|daily|monthly|... so that prepare_data resamples onto a regular grid (agg=mean|sum|last)");
        }
        if (offTotal > 0) notes.add(offTotal + " timestamps are off the " + grid.freq() + " grid; prepare_data aggregates them into their bucket");
        int m = a.has("m") ? a.getInt("m", 1) : TimeGrid.periodOf(grid.freq());
        if (m < 1) throw new ModelworkException("The seasonal period m must be at least 1, got " + m, "attach_dataset m", "e.g. m=12 for monthly data");
        return new SeriesPanel(p.toString(), ii < 0 ? "series" : "long", grid, m, series, exog.toArray(new String[0]), null, null,
                fingerprint(p, null, a), notes);
    }

    private static boolean sameInstant(TimeGrid.Stamp a, TimeGrid.Stamp b) {
        return a.numeric() ? a.number() == b.number() : a.epoch() == b.epoch();
    }

    static List<String> selectIds(List<String> ids, Args a) {
        List<String> want = a.getList("ids");
        List<String> out = new ArrayList<>(ids);
        if (!want.isEmpty()) {
            for (String w : want)
                if (!ids.contains(w))
                    throw new ModelworkException("No series '" + w + "'", "attach_dataset ids", "the file has " + ids.size() + " series, e.g. "
                            + ids.subList(0, Math.min(5, ids.size())));
            out = new ArrayList<>(want);
        }
        int limit = a.getInt("limit", 0);
        if (limit < 0) throw new ModelworkException("limit must be positive", "attach_dataset limit", "e.g. limit=20");
        if (limit > 0 && limit < out.size()) out = new ArrayList<>(out.subList(0, limit));
        return out;
    }

    static SeriesPanel readM4(Path p, Args a, String freqGiven) {
        String name = p.getFileName().toString();
        String freq = freqGiven;
        if (freq == null && name.matches("(?i)[a-z]+-(train|test)\\.csv")) freq = TimeGrid.normalizeFreq(name.substring(0, name.indexOf('-')));
        Map<String, double[]> train = readWide(p);
        List<String> ids = selectIds(new ArrayList<>(train.keySet()), a);
        Path testPath = a.has("test_path") ? Path.of(a.getString("test_path", null))
                : name.toLowerCase(Locale.ROOT).endsWith("-train.csv") ? p.resolveSibling(name.substring(0, name.length() - 10) + "-test.csv") : null;
        Map<String, double[]> test = null;
        List<String> notes = new ArrayList<>();
        if (testPath != null && Files.isRegularFile(testPath)) {
            Map<String, double[]> all = readWide(testPath);
            test = new LinkedHashMap<>();
            for (String id : ids) {
                double[] t = all.get(id);
                if (t == null) throw new ModelworkException("The test file has no series '" + id + "'", testPath.toString(),
                        "attach the matching *-test.csv (test_path=...)");
                test.put(id, t);
            }
            notes.add("external test set " + testPath.getFileName() + " (" + test.values().iterator().next().length + " values per series)");
        } else if (a.has("test_path"))
            throw new ModelworkException("The test file does not exist: " + testPath, "attach_dataset test_path", "check the path");
        TimeGrid grid = TimeGrid.index(freq);
        List<Raw> series = new ArrayList<>();
        for (String id : ids) {
            double[] y = train.get(id);
            long[] pos = new long[y.length];
            for (int i = 0; i < y.length; i++) pos[i] = i;
            series.add(new Raw(id, pos, y, new double[0][], 0));
        }
        int m = a.has("m") ? a.getInt("m", 1) : freq == null ? 1 : TimeGrid.periodOf(freq);
        if (freq == null) notes.add("frequency unknown (name the file <Freq>-train.csv or give freq=); m=" + m);
        return new SeriesPanel(p.toString(), "m4", grid, m, series, new String[0], test,
                test == null ? null : testPath.toString(), fingerprint(p, test == null ? null : testPath, a), notes);
    }

    /** M4 wide CSV: header V1..Vk, then rows "id", v1, v2, ..., trailing empty fields for shorter series. */
    static Map<String, double[]> readWide(Path p) {
        List<String[]> rows = readCsv(p);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            String[] row = rows.get(r);
            int last = row.length - 1;
            while (last > 0 && row[last].trim().isEmpty()) last--;
            double[] y = new double[last];
            for (int i = 1; i <= last; i++) y[i - 1] = number(row[i], p + ":" + (r + 1) + " field " + (i + 1));
            String id = row[0].trim();
            if (out.put(id, y) != null)
                throw new ModelworkException("Series '" + id + "' appears twice", p + ":" + (r + 1), "give every row its own id");
        }
        return out;
    }

    static String fingerprint(Path p, Path test, Args a) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(p));
            if (test != null) md.update(Files.readAllBytes(test));
            for (String k : List.of("ids", "limit", "id", "time", "value", "exog", "freq", "m"))
                if (a.has(k)) md.update((k + "=" + a.get(k) + ";").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            throw new ModelworkException("Cannot fingerprint " + p + ": " + e.getMessage(), p.toString(), "check the file");
        }
    }
}
