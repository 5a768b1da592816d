package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.session.*;
import io.modelwork.forecast.Forecast;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The lifecycle steps for time-series forecasting ({@code forecasting.autoarima} with the {@code naive},
 * {@code snaive} and {@code ets} baselines): a panel of one or many series on a regular grid, a hold-out of the last
 * {@code h} points per series, one model per series fitted in parallel, M4 accuracy measures, rolling-origin
 * backtests, interval calibration, and a JSON model bundle that reloads and forecasts identically.
 *
 * <p>Selected for {@code attach_dataset} with {@code task=forecasting}, a {@code ds=}/{@code time=}/{@code exog=} key,
 * {@code format=series|m4}, an M4 file name ({@code Hourly-train.csv}), or (without {@code target=}) a CSV whose
 * header has the long-format columns {@code ds} and {@code y}. Fallbacks, each reported as a note: a
 * constant series gets the naive method, a series too short for its seasonal period a non-seasonal model, a failed
 * fit the seasonal naive method.
 */
public final class ForecastWorkflow implements Workflow {

    /** Accepts forecasting attach arguments (priority 10, above the tabular fallback). */
    public static final class Factory implements Workflow.Factory {
        @Override public boolean accepts(Args a) {
            if ("forecasting".equalsIgnoreCase(a.getString("task", ""))) return true;
            if (a.has("ds") || a.has("time")) return true;
            String f = a.getString("format", "").toLowerCase(Locale.ROOT);
            if (f.equals("series") || f.equals("m4")) return true;
            if (a.has("exog")) return true;
            String p = a.getString("path", null);
            if (p == null) return false;
            Path path = Path.of(p);
            return SeriesPanel.looksLikeM4(path) || (!a.has("target") && SeriesPanel.looksLikeLongFormat(path));
        }
        @Override public int priority() { return 10; }
        @Override public Workflow create(Session s) { return new ForecastWorkflow(s); }
    }

    static final double[] LEVELS = {80, 95};
    static final String STATE_FILE = "forecast.json";

    /** One series after prepare_data: a regular grid from {@code start}, filled values, regressors {@code xreg[j][i]}. */
    record Prepared(String id, long start, double[] y, double[][] xreg, int missing, int resampled) {}

    /** One series after split. */
    record Part(String id, long start, double[] train, double[] test, double[][] xTrain, double[][] xTest, int m) {
        long trainEnd() { return start + train.length - 1; }
    }

    private final Session session;
    private Args attachArgs, prepArgs, splitArgs, buildArgs;
    private SeriesPanel panel;
    private List<Prepared> prepared;
    private String fill = "interpolate", agg = "mean";
    private Double prepLambda;
    private List<String> calendar = List.of();
    private int fourier;
    private String[] xregNames = new String[0];
    private int h;
    private boolean external;
    private List<Part> parts;
    private ObjectNode rolling;
    private ForecastSpec spec;
    private SeriesModel[] models;
    private SeriesModel[] baseline;
    private double fitSeconds;
    private double scale80 = 1, scale95 = 1;
    private ObjectNode calibration;
    private List<double[]> btRatios; // per point {r80, r95}
    private ObjectNode tuned;
    private Path exportDir;
    private ObjectNode registered;

    ForecastWorkflow(Session session) { this.session = session; }

    private RunContext ctx() { return session.context(); }

    Session session() { return session; }
    SeriesPanel panel() { return panel; }
    List<Part> parts() { return parts; }
    ForecastSpec spec() { return spec; }
    SeriesModel[] models() { return models; }
    int horizon() { return h; }
    double[] scales() { return new double[]{scale80, scale95}; }
    List<String> calendarFeatures() { return calendar; }
    int fourierTerms() { return fourier; }
    String[] xregNames() { return xregNames; }
    String fillMethod() { return fill; }
    String aggMethod() { return agg; }
    Double prepLambda() { return prepLambda; }
    void exported(Path p) { exportDir = p; }
    Path exportDir() { return exportDir; }

    /** The fitted model of a series (after fit). */
    public SeriesModel model(String id) {
        if (models == null) throw new ModelworkException("No model is fitted yet", "forecast workflow", "run fit first");
        for (int i = 0; i < parts.size(); i++) if (parts.get(i).id().equals(id)) return models[i];
        throw new ModelworkException("No series '" + id + "'", "forecast workflow", "use one of the attached series ids");
    }

    /** The series ids in order. */
    public List<String> ids() { return parts == null ? panel.series.stream().map(SeriesPanel.Raw::id).toList() : parts.stream().map(Part::id).toList(); }

    @Override
    public Collection<String> keys(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> List.of("path", "format", "task", "id", "time", "ds", "value", "exog", "freq", "m", "limit", "ids",
                    "test_path", "duplicates");
            case PREPARE_DATA -> List.of("fill", "agg", "lambda", "calendar", "fourier");
            case SPLIT -> List.of("h", "horizon", "windows", "step", "mode", "window_size");
            case BUILD -> { List<String> k = new ArrayList<>(ForecastSpec.PARAMS); k.add("spec"); yield k; }
            case FIT -> List.of("n_jobs");
            case EVALUATE -> List.of("charts", "worst");
            case TUNE -> List.of("ic", "stepwise", "lambda", "metric", "max_series", "apply", "n_jobs");
            case BACKTEST -> List.of("windows", "step", "h", "horizon", "mode", "window_size", "on", "n_jobs", "drift_alert");
            case CALIBRATE -> List.of("target_coverage", "level");
            case EXPORT -> List.of("target", "h", "refit");
            case REGISTER -> io.modelwork.registry.RegisterStep.KEYS;
            default -> List.of();
        };
    }

    // ------------------------------------------------------------------ 2 attach

    @Override
    public StepReport attach(Args a) {
        panel = SeriesPanel.read(a);
        attachArgs = a;
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

    // ------------------------------------------------------------------ 3 prepare

    @Override
    public StepReport prepare(Args a) {
        prepArgs = a;
        fill = a.getString("fill", "interpolate").toLowerCase(Locale.ROOT);
        if (!List.of("interpolate", "ffill", "zero", "none").contains(fill))
            throw new ModelworkException("Unknown fill method '" + fill + "'", "prepare_data fill", "use interpolate, ffill, zero or none");
        agg = a.getString("agg", attachArgs.getString("duplicates", "mean")).toLowerCase(Locale.ROOT);
        if (agg.equals("error")) agg = "mean";
        if (!List.of("mean", "sum", "last", "first").contains(agg))
            throw new ModelworkException("Unknown aggregation '" + agg + "'", "prepare_data agg", "use mean, sum, last or first");
        prepLambda = ForecastSpec.parseLambda(a.get("lambda"), "prepare_data lambda");
        calendar = a.getList("calendar").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String c : calendar) {
            if (!List.of("month", "dow", "hour", "weekend").contains(c))
                throw new ModelworkException("Unknown calendar feature '" + c + "'", "prepare_data calendar", "use month, dow, hour, weekend (and fourier=K)");
            if (panel.grid.kind() == TimeGrid.Kind.NUMBER && !(c.equals("month") && panel.grid.numericMonth(0) > 0))
                throw new ModelworkException("Calendar feature '" + c + "' needs dates, but the time axis is " + panel.grid.freq(),
                        "prepare_data calendar", "use fourier=K for seasonal regressors on a numeric time axis");
        }
        fourier = a.getInt("fourier", 0);
        if (fourier < 0 || (fourier > 0 && 2 * fourier > panel.m))
            throw new ModelworkException("fourier=" + fourier + " needs 1 <= K <= m/2 (m=" + panel.m + ")", "prepare_data fourier", "e.g. fourier=2");
        List<String> names = new ArrayList<>(Arrays.asList(panel.exogNames));
        names.addAll(calendarNames());
        xregNames = names.toArray(new String[0]);
        prepared = new ArrayList<>();
        int filledTotal = 0, resampledTotal = 0, trimmed = 0;
        for (SeriesPanel.Raw s : panel.series) {
            Prepared p = regularize(s);
            filledTotal += p.missing();
            resampledTotal += p.resampled();
            if (p.start() != s.pos()[0]) trimmed++;
            prepared.add(p);
        }
        if (prepLambda != null) checkLambda(prepLambda, "prepare_data lambda=" + SeriesModel.fmt(prepLambda));
        StepReport r = new StepReport("prepare_data", "Series preparation");
        ObjectNode b = r.body();
        b.put("resample", "regular " + panel.grid.freq() + " grid" + (resampledTotal > 0 ? ", " + agg + " per bucket" : ""));
        b.put("fill", fill);
        b.put("filled_values", filledTotal);
        b.put("resampled_values", resampledTotal);
        if (prepLambda != null) b.put("lambda", prepLambda);
        else b.putNull("lambda");
        b.set("regressors", Json.MAPPER.valueToTree(xregNames));
        if (trimmed > 0) r.note(trimmed + " series start with missing values; they start at their first observation");
        if (filledTotal > 0) r.note(filledTotal + " missing values filled by " + fill);
        if (resampledTotal > 0) r.note(resampledTotal + " observations shared a grid bucket and were aggregated (" + agg + ")");
        if (prepLambda != null) r.note("Box-Cox lambda " + SeriesModel.fmt(prepLambda) + " is applied inside the models (forecasts are back-transformed)");
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("grid", panel.grid.freq() + " (m=" + panel.m + ")");
        kv.put("fill", fill);
        kv.put("aggregation", agg);
        kv.put("Box-Cox lambda", prepLambda == null ? "none" : SeriesModel.fmt(prepLambda));
        kv.put("regressors", xregNames.length == 0 ? "none" : String.join(", ", xregNames));
        r.table(kv("Preparation", kv));
        return r;
    }

    /** Checks that every series can take the Box-Cox transform with {@code lambda}; else a clear error. */
    private void checkLambda(double lambda, String where) {
        for (Prepared p : prepared) {
            for (int i = 0; i < p.y().length; i++) {
                double v = p.y()[i];
                if ((lambda == 0 && !(v > 0)) || (lambda < 0 && v < 0))
                    throw new ModelworkException("Series '" + p.id() + "' has the value " + v + " at " + panel.grid.label(p.start() + i)
                            + ", which the Box-Cox transform with lambda=" + SeriesModel.fmt(lambda) + (lambda == 0 ? " (log)" : "") + " cannot take",
                            where, "use lambda=none, or a positive lambda, or shift/clean the series so that it is strictly positive");
            }
        }
    }

    List<String> calendarNames() {
        List<String> n = new ArrayList<>();
        for (String c : calendar) {
            switch (c) {
                case "month" -> { for (int k = 2; k <= 12; k++) n.add("month_" + k); }
                case "dow" -> { for (int k = 2; k <= 7; k++) n.add("dow_" + k); }
                case "hour" -> { for (int k = 1; k <= 23; k++) n.add("hour_" + k); }
                default -> n.add("weekend");
            }
        }
        for (int k = 1; k <= fourier; k++) {
            n.add("sin" + k + "_" + panel.m);
            if (2 * k != panel.m) n.add("cos" + k + "_" + panel.m);
        }
        return n;
    }

    /** The calendar/Fourier regressors for grid positions {@code start .. start+n-1}: {@code out[j][i]}. */
    static double[][] calendarColumns(TimeGrid grid, int m, List<String> calendar, int fourier, long start, int n) {
        List<double[]> cols = new ArrayList<>();
        for (String c : calendar) {
            int levels = switch (c) { case "month" -> 11; case "dow" -> 6; case "hour" -> 23; default -> 1; };
            double[][] block = new double[levels][n];
            for (int i = 0; i < n; i++) {
                long pos = start + i;
                LocalDateTime t = grid.dateTime(pos);
                switch (c) {
                    case "month" -> {
                        int mo = t != null ? t.getMonthValue() : grid.numericMonth(pos);
                        if (mo >= 2) block[mo - 2][i] = 1;
                    }
                    case "dow" -> { int d = t.getDayOfWeek().getValue(); if (d >= 2) block[d - 2][i] = 1; }
                    case "hour" -> { int hr = t.getHour(); if (hr >= 1) block[hr - 1][i] = 1; }
                    default -> block[0][i] = t.getDayOfWeek() == DayOfWeek.SATURDAY || t.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : 0;
                }
            }
            cols.addAll(Arrays.asList(block));
        }
        for (int k = 1; k <= fourier; k++) {
            double[] s = new double[n], co = new double[n];
            for (int i = 0; i < n; i++) {
                double ang = 2 * Math.PI * k * ((start + i) % m) / m;
                s[i] = Math.sin(ang);
                co[i] = Math.cos(ang);
            }
            cols.add(s);
            if (2 * k != m) cols.add(co);
        }
        return cols.toArray(new double[0][]);
    }

    private Prepared regularize(SeriesPanel.Raw s) {
        long p0 = s.pos()[0], p1 = s.pos()[s.n() - 1];
        int n = (int) (p1 - p0 + 1);
        int nx = panel.exogNames.length;
        double[] y = new double[n];
        double[][] ex = new double[nx][n];
        int[] count = new int[n];
        Arrays.fill(y, Double.NaN);
        for (double[] e : ex) Arrays.fill(e, Double.NaN);
        int resampled = 0;
        for (int i = 0; i < s.n(); i++) {
            int k = (int) (s.pos()[i] - p0);
            if (count[k] > 0) resampled++;
            y[k] = combine(y[k], s.y()[i], count[k]);
            for (int j = 0; j < nx; j++) ex[j][k] = combine(ex[j][k], s.exog()[j][i], count[k]);
            count[k]++;
        }
        if (agg.equals("mean")) for (int k = 0; k < n; k++) if (count[k] > 1 && !Double.isNaN(y[k])) {
            // combine() accumulated a sum for the mean; divide by the count of non-missing values
            y[k] = y[k] / count[k];
            for (int j = 0; j < nx; j++) ex[j][k] = ex[j][k] / count[k];
        }
        int firstObs = 0;
        while (firstObs < n && Double.isNaN(y[firstObs])) firstObs++;
        if (firstObs == n)
            throw new ModelworkException("Series '" + s.id() + "' has no observed values", "prepare_data", "drop the series (ids=...) or fix the data");
        if (firstObs > 0) {
            y = Arrays.copyOfRange(y, firstObs, n);
            for (int j = 0; j < nx; j++) ex[j] = Arrays.copyOfRange(ex[j], firstObs, n);
            n -= firstObs;
        }
        int missing = 0;
        for (double v : y) if (Double.isNaN(v)) missing++;
        fillMissing(y, fill);
        for (int j = 0; j < nx; j++) fillMissing(ex[j], fill.equals("none") ? "none" : fill);
        long start = p0 + firstObs;
        double[][] cal = calendarColumns(panel.grid, panel.m, calendar, fourier, start, n);
        double[][] xr = new double[nx + cal.length][];
        System.arraycopy(ex, 0, xr, 0, nx);
        System.arraycopy(cal, 0, xr, nx, cal.length);
        return new Prepared(s.id(), start, y, xr, missing, resampled);
    }

    private double combine(double cur, double v, int count) {
        if (Double.isNaN(v)) return cur;
        if (Double.isNaN(cur)) return v;
        return switch (agg) {
            case "sum", "mean" -> cur + v;
            case "first" -> cur;
            default -> v;
        };
    }

    static void fillMissing(double[] y, String method) {
        int n = y.length;
        switch (method) {
            case "none" -> { }
            case "zero" -> { for (int i = 0; i < n; i++) if (Double.isNaN(y[i])) y[i] = 0; }
            case "ffill" -> { for (int i = 1; i < n; i++) if (Double.isNaN(y[i])) y[i] = y[i - 1]; }
            default -> {
                int i = 0;
                while (i < n) {
                    if (!Double.isNaN(y[i])) { i++; continue; }
                    int j = i;
                    while (j < n && Double.isNaN(y[j])) j++;
                    double left = i > 0 ? y[i - 1] : Double.NaN, right = j < n ? y[j] : Double.NaN;
                    for (int k = i; k < j; k++) {
                        if (Double.isNaN(left)) y[k] = right;
                        else if (Double.isNaN(right)) y[k] = left;
                        else y[k] = left + (right - left) * (k - i + 1) / (j - i + 1);
                    }
                    i = j;
                }
            }
        }
    }

    // ------------------------------------------------------------------ 4 split

    @Override
    public StepReport split(Args a) {
        splitArgs = a;
        external = panel.externalTest != null;
        int dflt = external ? panel.externalTest.values().iterator().next().length : panel.m > 1 ? 2 * panel.m : 10;
        h = a.getInt("h", a.getInt("horizon", dflt));
        if (h < 0) throw new ModelworkException("The horizon h must be >= 0, got " + h, "split h", "e.g. h=" + dflt);
        if (external && h != dflt)
            throw new ModelworkException("The external test set has " + dflt + " values per series but h=" + h, "split h",
                    "leave h out (it defaults to the test horizon) or attach without the test file");
        parts = new ArrayList<>();
        for (Prepared p : prepared) {
            int n = p.y().length;
            for (double v : p.y())
                if (Double.isNaN(v))
                    throw new ModelworkException("Series '" + p.id() + "' still has missing values (fill=none)", "split",
                            "prepare_data with fill=interpolate or fill=ffill");
            double[] train, test;
            double[][] xTrain, xTest;
            if (external) {
                if (panel.exogNames.length > 0)
                    throw new ModelworkException("Exogenous columns are unknown over the external test horizon", "split",
                            "drop exog= for M4 data (calendar= and fourier= regressors are computed)");
                train = p.y();
                test = panel.externalTest.get(p.id());
                xTrain = p.xreg();
                xTest = calendarColumns(panel.grid, panel.m, calendar, fourier, p.start() + n, h);
            } else {
                int nt = n - h;
                if (nt < 3)
                    throw new ModelworkException("Series '" + p.id() + "' has " + n + " values; a hold-out of h=" + h + " leaves " + nt
                            + " for training", "split h=" + h, "use a smaller h, or drop short series (ids=...)");
                train = Arrays.copyOf(p.y(), nt);
                test = Arrays.copyOfRange(p.y(), nt, n);
                xTrain = new double[p.xreg().length][];
                xTest = new double[p.xreg().length][];
                for (int j = 0; j < xTrain.length; j++) {
                    xTrain[j] = Arrays.copyOf(p.xreg()[j], nt);
                    xTest[j] = Arrays.copyOfRange(p.xreg()[j], nt, n);
                }
            }
            int m = train.length > panel.m ? panel.m : 1;
            parts.add(new Part(p.id(), p.start(), train, test, xTrain, xTest, m));
        }
        rolling = Json.object();
        rolling.put("mode", a.getString("mode", "expanding"));
        rolling.put("windows", a.getInt("windows", 3));
        rolling.put("step", a.getInt("step", Math.max(1, h)));
        rolling.put("horizon", Math.max(1, h));
        if (a.has("window_size")) rolling.put("window_size", a.getInt("window_size", 0));
        checkRolling(rolling);
        models = null;
        StepReport r = new StepReport("split", "Hold-out split (time)");
        ObjectNode b = r.body();
        b.put("strategy", external ? "external test set" : "hold-out of the last h points per series");
        b.put("h", h);
        b.put("series", parts.size());
        b.put("train_points", parts.stream().mapToInt(p -> p.train().length).sum());
        b.put("test_points", parts.stream().mapToInt(p -> p.test().length).sum());
        Part p0 = parts.get(0);
        b.put("first_series_train_end", panel.grid.label(p0.trainEnd()));
        b.set("rolling_origin", rolling);
        if (h == 0) r.note("h=0: no hold-out; models are fitted on all data and evaluate reports in-sample criteria only");
        r.note("time order is kept: every test point comes after every training point of its series (no leakage)");
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("strategy", b.get("strategy").asText());
        kv.put("horizon h", h);
        kv.put("series", parts.size());
        kv.put("train / test points", b.get("train_points").asInt() + " / " + b.get("test_points").asInt());
        kv.put("first series: train ends", b.get("first_series_train_end").asText());
        kv.put("rolling origin (backtest)", rolling.get("mode").asText() + ", " + rolling.get("windows").asInt() + " windows, step "
                + rolling.get("step").asInt() + ", horizon " + rolling.get("horizon").asInt());
        r.table(kv("Split", kv));
        return r;
    }

    private static void checkRolling(ObjectNode r) {
        String mode = r.get("mode").asText();
        if (!mode.equals("expanding") && !mode.equals("sliding"))
            throw new ModelworkException("Unknown rolling-origin mode '" + mode + "'", "mode", "use mode=expanding or mode=sliding");
        if (r.get("windows").asInt() < 1) throw new ModelworkException("windows must be at least 1", "windows", "e.g. windows=3");
        if (r.get("step").asInt() < 1) throw new ModelworkException("step must be at least 1", "step", "e.g. step=12");
        if (r.get("horizon").asInt() < 1) throw new ModelworkException("the backtest horizon must be at least 1", "horizon", "e.g. h=12");
        if (r.has("window_size") && r.get("window_size").asInt() < 3)
            throw new ModelworkException("window_size must be at least 3", "window_size", "e.g. window_size=120");
    }

    // ------------------------------------------------------------------ 5 build

    @Override
    public StepReport build(Args a) {
        buildArgs = a;
        spec = ForecastSpec.parse(a, prepLambda);
        if (spec.lambda != null) checkLambda(spec.lambda, "build lambda=" + SeriesModel.fmt(spec.lambda));
        models = null;
        StepReport r = new StepReport("build", "Model " + spec.name());
        r.body().put("spec", spec.name());
        r.body().set("params", Json.MAPPER.valueToTree(spec.params));
        r.body().put("m", panel.m);
        if (xregNames.length > 0 && !spec.algorithm.equals("autoarima"))
            r.note("regressors " + Arrays.toString(xregNames) + " are used by forecasting.autoarima only; " + spec.name() + " ignores them");
        if (xregNames.length > 0 && spec.algorithm.equals("autoarima"))
            r.note("regression with ARIMA errors on " + xregNames.length + " regressors: " + String.join(", ", xregNames));
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("spec", spec.name());
        kv.put("seasonal period m", panel.m);
        spec.params.forEach((k, v) -> kv.put(k, v == null ? "none" : v));
        r.table(kv("Model (" + spec.name() + ")", kv));
        return r;
    }

    // ------------------------------------------------------------------ 6 fit

    int threads(Args a) {
        int n = a.getInt("n_jobs", ctx().threads());
        if (n == -1) n = Runtime.getRuntime().availableProcessors();
        if (n < 1) throw new ModelworkException("n_jobs must be >= 1 (or -1 for all cores), got " + n, "n_jobs", "e.g. n_jobs=2");
        return n;
    }

    /** Runs {@code task(i)} for i in [0, n) on {@code threads} threads with a progress display; results in order. */
    <T> List<T> parallel(String step, int n, int threads, IntFunction<T> task, IntFunction<String> label) {
        List<T> out = new ArrayList<>(Collections.nCopies(n, null));
        if (n == 0) return out;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
            Thread t = new Thread(r, "modelwork-" + step);
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        Progress progress = session.progress();
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                final int k = i;
                fs.add(pool.submit(() -> {
                    T v = task.apply(k);
                    int d = done.incrementAndGet();
                    synchronized (progress) { progress.update(step, d, n, label.apply(k)); }
                    return v;
                }));
            }
            for (int i = 0; i < n; i++) out.set(i, fs.get(i).get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelworkException("Step " + step + " was interrupted", step, "run it again (or raise timeout_s)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
        progress.finished(step, n + " series");
        return out;
    }

    /** The panel's seasonal period for every series (ForecastSpec.fit reports the short-series fallback itself). */
    private int[] periods() {
        int[] m = new int[parts.size()];
        Arrays.fill(m, panel.m);
        return m;
    }

    SeriesModel[] fitAll(ForecastSpec sp, List<double[]> ys, List<double[][]> xs, int[] ms, int threads, String step) {
        List<SeriesModel> res = parallel(step, ys.size(), threads, i -> sp.fit(ys.get(i), xs.get(i), xregNames, ms[i]),
                i -> parts.get(i).id());
        return res.toArray(new SeriesModel[0]);
    }

    @Override
    public StepReport fit(Args a) {
        int threads = threads(a);
        long t0 = System.nanoTime();
        models = fitAll(spec, parts.stream().map(Part::train).toList(), parts.stream().map(Part::xTrain).toList(),
                periods(), threads, "fit");
        fitSeconds = (System.nanoTime() - t0) / 1e9;
        baseline = new SeriesModel[parts.size()];
        for (int i = 0; i < parts.size(); i++) baseline[i] = ForecastSpec.parse(Args.of("spec", "forecasting.snaive"), null)
                .fit(parts.get(i).train(), null, xregNames, parts.get(i).m());
        scale80 = scale95 = 1;
        calibration = null;
        btRatios = null;
        return fitReport(threads);
    }

    private StepReport fitReport(int threads) {
        StepReport r = new StepReport("fit", "Fitted " + parts.size() + " series (" + spec.name() + ")");
        ObjectNode b = r.body();
        b.put("series", parts.size());
        b.put("threads", threads);
        b.put("seconds", fitSeconds);
        b.put("series_per_second", parts.size() / Math.max(1e-9, fitSeconds));
        int fallbacks = 0;
        Map<String, Integer> chosen = new TreeMap<>();
        ArrayNode per = b.putArray("per_series");
        StringColumn id = StringColumn.create("series"), mod = StringColumn.create("model"), note = StringColumn.create("note");
        IntColumn n = IntColumn.create("n_train");
        DoubleColumn crit = DoubleColumn.create("AICc / AIC");
        for (int i = 0; i < parts.size(); i++) {
            SeriesModel sm = models[i];
            if (sm.isFallback()) {
                fallbacks++;
                r.note("series '" + parts.get(i).id() + "': " + sm.note());
            }
            chosen.merge(sm.describe(), 1, Integer::sum);
            ObjectNode o = per.addObject();
            o.put("id", parts.get(i).id());
            o.put("model", sm.describe());
            o.put("n_train", parts.get(i).train().length);
            if (Double.isFinite(sm.criterion())) o.put("criterion", sm.criterion());
            if (sm.arima() != null) {
                o.put("aic", sm.arima().aic());
                o.put("aicc", sm.arima().aicc());
                o.put("bic", sm.arima().bic());
                ObjectNode c = o.putObject("coefficients");
                String[] nm = sm.arima().coefficientNames();
                double[] cf = sm.arima().coefficients();
                for (int k = 0; k < nm.length; k++) c.put(nm[k], cf[k]);
                o.put("sigma2", sm.arima().sigma2());
            }
            if (sm.isFallback()) o.put("note", sm.note());
            if (i < 50) {
                id.append(parts.get(i).id()); mod.append(sm.describe()); n.append(parts.get(i).train().length);
                crit.append(sm.criterion()); note.append(sm.note() == null ? "" : sm.note());
            }
        }
        b.put("fallbacks", fallbacks);
        b.set("models_chosen", Json.MAPPER.valueToTree(chosen));
        if (parts.size() == 1) b.put("model", models[0].describe());
        Table t = Table.create("Models per series" + (parts.size() > 50 ? " (first 50 of " + parts.size() + ")" : ""));
        t.addColumns(id, n, mod, crit, note);
        r.table(t);
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("series", parts.size());
        kv.put("threads (n_jobs)", threads);
        kv.put("seconds", String.format(Locale.ROOT, "%.2f", fitSeconds));
        kv.put("series / second", String.format(Locale.ROOT, "%.2f", parts.size() / Math.max(1e-9, fitSeconds)));
        kv.put("fallbacks", fallbacks);
        List<Map.Entry<String, Integer>> top = new ArrayList<>(chosen.entrySet());
        top.sort((x, y) -> y.getValue() - x.getValue());
        for (int i = 0; i < Math.min(5, top.size()); i++) kv.put("model #" + (i + 1), top.get(i).getKey() + " × " + top.get(i).getValue());
        r.table(kv("Fit summary", kv));
        return r;
    }

    // ------------------------------------------------------------------ 7 evaluate

    /** Point and interval accuracy of one forecast; MASE NaN when its scale is 0, MAPE NaN with a zero actual. */
    static Map<String, Double> metrics(double[] y, Forecast fc, double[] train, int m) {
        Map<String, Double> out = new LinkedHashMap<>();
        double[] f = fc.mean();
        int n = y.length;
        double ae = 0, se = 0, ape = 0, sape = 0;
        boolean zero = false;
        for (int i = 0; i < n; i++) {
            double e = y[i] - f[i];
            ae += Math.abs(e);
            se += e * e;
            if (y[i] == 0) zero = true; else ape += Math.abs(e / y[i]);
            double den = Math.abs(y[i]) + Math.abs(f[i]);
            if (den > 0) sape += 2 * Math.abs(e) / den;
        }
        out.put("mae", ae / n);
        out.put("rmse", Math.sqrt(se / n));
        out.put("mape", zero ? Double.NaN : 100 * ape / n);
        out.put("smape", 100 * sape / n);
        int mm = train.length > m ? m : 1;
        double s = 0;
        for (int t = mm; t < train.length; t++) s += Math.abs(train[t] - train[t - mm]);
        double scale = train.length > mm ? s / (train.length - mm) : Double.NaN;
        out.put("mase", scale > 0 ? (ae / n) / scale : Double.NaN);
        for (int l = 0; l < fc.levels().length; l++) {
            int in = 0;
            for (int i = 0; i < n; i++) if (y[i] >= fc.lower()[l][i] && y[i] <= fc.upper()[l][i]) in++;
            out.put("coverage_" + (int) fc.levels()[l], (double) in / n);
        }
        return out;
    }

    /** Scales the intervals of a forecast around its mean (calibration); factors {@code {80, 95}}. */
    static Forecast scaled(Forecast f, double s80, double s95) {
        if (s80 == 1 && s95 == 1) return f;
        double[][] lo = new double[f.levels().length][], hi = new double[f.levels().length][];
        for (int l = 0; l < f.levels().length; l++) {
            double c = f.levels()[l] == 95 ? s95 : f.levels()[l] == 80 ? s80 : 1;
            lo[l] = new double[f.horizon()];
            hi[l] = new double[f.horizon()];
            for (int t = 0; t < f.horizon(); t++) {
                lo[l][t] = f.mean()[t] - c * (f.mean()[t] - f.lower()[l][t]);
                hi[l][t] = f.mean()[t] + c * (f.upper()[l][t] - f.mean()[t]);
            }
        }
        return new Forecast(f.mean(), f.levels(), lo, hi);
    }

    /** Forecasts of the fitted models over the test horizon (raw intervals). */
    Forecast[] testForecasts(SeriesModel[] ms) {
        Forecast[] out = new Forecast[parts.size()];
        for (int i = 0; i < out.length; i++) out[i] = ms[i].forecast(h, parts.get(i).xTest(), LEVELS);
        return out;
    }

    static Map<String, Double> aggregate(List<Map<String, Double>> per) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (Map<String, Double> m : per)
            m.forEach((k, v) -> {
                double[] a = acc.computeIfAbsent(k, x -> new double[2]);
                if (Double.isFinite(v)) { a[0] += v; a[1]++; }
            });
        Map<String, Double> out = new LinkedHashMap<>();
        acc.forEach((k, a) -> out.put(k, a[1] == 0 ? Double.NaN : a[0] / a[1]));
        return out;
    }

    @Override
    public StepReport evaluate(Args a) {
        StepReport r = new StepReport("evaluate", "Forecast accuracy (" + spec.name() + ", h=" + h + ")");
        ObjectNode b = r.body();
        if (h == 0) {
            r.note("no hold-out (split h=0): in-sample criteria only");
            ObjectNode ins = b.putObject("in_sample");
            for (int i = 0; i < parts.size(); i++)
                if (models[i].arima() != null) ins.putObject(parts.get(i).id()).put("aicc", models[i].arima().aicc()).put("aic", models[i].arima().aic());
            return r;
        }
        Forecast[] fc = testForecasts(models), base = testForecasts(baseline);
        List<Map<String, Double>> per = new ArrayList<>(), perBase = new ArrayList<>(), perCal = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            per.add(metrics(p.test(), fc[i], p.train(), p.m()));
            perBase.add(metrics(p.test(), base[i], p.train(), p.m()));
            if (calibration != null) perCal.add(metrics(p.test(), scaled(fc[i], scale80, scale95), p.train(), p.m()));
        }
        Map<String, Double> agg = aggregate(per), aggBase = aggregate(perBase);
        ObjectNode metrics = b.putObject("metrics");
        metrics.set("test", json(agg));
        b.set("baseline_snaive", json(aggBase));
        if (calibration != null) {
            Map<String, Double> c = aggregate(perCal);
            b.putObject("calibrated_coverage").put("coverage_80", c.get("coverage_80")).put("coverage_95", c.get("coverage_95"));
        }
        b.put("series", parts.size());
        b.put("h", h);
        b.put("mase_relative_to_snaive", agg.get("mase") / aggBase.get("mase"));
        b.put("smape_relative_to_snaive", agg.get("smape") / aggBase.get("smape"));
        ArrayNode ps = b.putArray("per_series");
        for (int i = 0; i < parts.size(); i++) {
            ObjectNode o = json(per.get(i));
            o.put("id", parts.get(i).id());
            o.put("model", models[i].describe());
            o.put("snaive_mase", perBase.get(i).get("mase"));
            ps.add(o);
        }
        // tables
        Table t = Table.create("Accuracy over " + parts.size() + " series (mean per series; M4 sMAPE and MASE)");
        StringColumn mc = StringColumn.create("metric");
        DoubleColumn mv = DoubleColumn.create(spec.name()), bv = DoubleColumn.create("seasonal naive");
        for (String k : agg.keySet()) { mc.append(k); mv.append(agg.get(k)); bv.append(aggBase.getOrDefault(k, Double.NaN)); }
        t.addColumns(mc, mv, bv);
        r.table(t);
        Integer[] order = new Integer[parts.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> { double v = per.get(i).get("mase"); return Double.isNaN(v) ? -1 : v; }).reversed());
        Table ts = Table.create("Per series (worst MASE first" + (parts.size() > 30 ? ", 30 of " + parts.size() : "") + ")");
        StringColumn sid = StringColumn.create("series"), smod = StringColumn.create("model");
        DoubleColumn smase = DoubleColumn.create("MASE"), ssm = DoubleColumn.create("sMAPE"), sbm = DoubleColumn.create("snaive MASE"),
                sc95 = DoubleColumn.create("coverage 95");
        for (int k = 0; k < Math.min(30, order.length); k++) {
            int i = order[k];
            sid.append(parts.get(i).id()); smod.append(models[i].describe()); smase.append(per.get(i).get("mase"));
            ssm.append(per.get(i).get("smape")); sbm.append(perBase.get(i).get("mase")); sc95.append(per.get(i).get("coverage_95"));
        }
        ts.addColumns(sid, smod, smase, ssm, sbm, sc95);
        r.table(ts);
        // charts: the first few series
        int nCharts = Math.min(a.getInt("charts", 3), parts.size());
        for (int i = 0; i < nCharts; i++) r.chart(forecastChart(i, fc[i]));
        // gallery: the worst series by MASE
        int worst = Math.min(a.getInt("worst", 5), parts.size());
        List<GalleryItem> g = new ArrayList<>();
        for (int k = 0; k < worst; k++) {
            int i = order[k];
            Map<String, String> f = new LinkedHashMap<>();
            f.put("model", models[i].describe());
            f.put("smape", fmt(per.get(i).get("smape")));
            f.put("snaive_mase", fmt(perBase.get(i).get("mase")));
            f.put("coverage_95", fmt(per.get(i).get("coverage_95")));
            if (models[i].note() != null) f.put("note", models[i].note());
            g.add(GalleryItem.row(parts.get(i).id(), "actual mean " + fmt(mean(parts.get(i).test())),
                    "forecast mean " + fmt(mean(fc[i].mean())), per.get(i).get("mase"), f));
        }
        r.gallery(g);
        if (worst > 0 && parts.size() > nCharts) r.chart(forecastChart(order[0], fc[order[0]]));
        r.note(String.format(Locale.ROOT, "%s: MASE %.4f, sMAPE %.4f; seasonal naive: MASE %.4f, sMAPE %.4f (mean over %d series)",
                spec.name(), agg.get("mase"), agg.get("smape"), aggBase.get("mase"), aggBase.get("smape"), parts.size()));
        return r;
    }

    Chart forecastChart(int i, Forecast fc) {
        Part p = parts.get(i);
        int hist = Math.min(p.train().length, Math.max(3 * h, 2 * panel.m + h));
        int n0 = p.train().length - hist;
        double[] hx = new double[hist], hy = new double[hist];
        for (int k = 0; k < hist; k++) { hx[k] = panel.grid.x(p.start() + n0 + k); hy[k] = p.train()[n0 + k]; }
        double[] fx = new double[h];
        for (int k = 0; k < h; k++) fx[k] = panel.grid.x(p.trainEnd() + 1 + k);
        int l95 = fc.levelIndex(95);
        List<Chart.Series> s = new ArrayList<>();
        s.add(Chart.Series.line("history", hx, hy));
        s.add(Chart.Series.markers("actual", fx, p.test()));
        s.add(Chart.Series.line("mean", fx, fc.mean()));
        s.add(Chart.Series.dashed("lower95", fx, fc.lower()[l95]));
        s.add(Chart.Series.dashed("upper95", fx, fc.upper()[l95]));
        return Chart.line("forecast_" + p.id(), "Series " + p.id() + ": " + models[i].describe() + " (95% interval)",
                panel.grid.xLabel(), "value", s);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static String fmt(double v) { return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4g", v); }

    static ObjectNode json(Map<String, Double> m) {
        ObjectNode o = Json.object();
        m.forEach((k, v) -> { if (Double.isFinite(v)) o.put(k, v); else o.putNull(k); });
        return o;
    }

    static Table kv(String title, Map<String, ?> m) { return io.modelwork.report.Tables.keyValues(title, m); }

    // ------------------------------------------------------------------ 8 tune

    @Override
    public StepReport tune(Args a) {
        int threads = threads(a);
        String metric = a.getString("metric", "mase").toLowerCase(Locale.ROOT);
        if (!List.of("mase", "smape", "mae", "rmse", "mape").contains(metric))
            throw new ModelworkException("Unknown tuning metric '" + metric + "'", "tune metric", "use mase, smape, mae, rmse or mape");
        List<Object> ics = new ArrayList<>(a.has("ic") ? a.getList("ic") : List.of("aicc", "bic"));
        List<Object> steps = new ArrayList<>();
        for (String s : a.has("stepwise") ? a.getList("stepwise") : List.of("true", "false")) steps.add(Args.of("v", s).getBool("v", true));
        List<Double> lambdas = new ArrayList<>();
        for (String s : a.has("lambda") ? a.getList("lambda") : List.of("none", "0")) lambdas.add(ForecastSpec.parseLambda(s, "tune lambda"));
        // lambda values the data cannot take are dropped with a note
        List<String> tnotes = new ArrayList<>();
        for (Iterator<Double> it = lambdas.iterator(); it.hasNext(); ) {
            Double l = it.next();
            if (l == null) continue;
            try { checkLambda(l, "tune"); } catch (ModelworkException e) { it.remove(); tnotes.add("lambda=" + SeriesModel.fmt(l) + " left out: " + e.what()); }
        }
        boolean arima = spec.algorithm.equals("autoarima");
        List<ForecastSpec> grid = new ArrayList<>();
        List<Map<String, Object>> gridParams = new ArrayList<>();
        for (Object ic : arima ? ics : List.of((Object) null))
            for (Object sw : arima ? steps : List.of((Object) null))
                for (Double l : lambdas) {
                    ForecastSpec s = spec.with("lambda", l);
                    Map<String, Object> gp = new LinkedHashMap<>();
                    if (arima) {
                        String icS = String.valueOf(ic).toLowerCase(Locale.ROOT);
                        if (!List.of("aic", "aicc", "bic").contains(icS))
                            throw new ModelworkException("Unknown information criterion '" + ic + "'", "tune ic", "use aicc, aic, bic");
                        s = s.with("ic", icS).with("stepwise", sw);
                        gp.put("ic", icS);
                        gp.put("stepwise", sw);
                    }
                    gp.put("lambda", l == null ? "none" : SeriesModel.fmt(l));
                    grid.add(s);
                    gridParams.add(gp);
                }
        // the validation hold-out: the last h points of each training part
        int hv = Math.max(1, h > 0 ? h : panel.m > 1 ? 2 * panel.m : 10);
        int maxSeries = a.getInt("max_series", parts.size());
        List<Integer> use = new ArrayList<>();
        for (int i = 0; i < parts.size() && use.size() < maxSeries; i++)
            if (parts.get(i).train().length - hv >= Math.max(3, parts.get(i).m() + 1)) use.add(i);
        if (use.isEmpty())
            throw new ModelworkException("No series is long enough for a validation hold-out of " + hv + " points", "tune",
                    "use a smaller split h, or longer series");
        if (use.size() < Math.min(maxSeries, parts.size())) tnotes.add((parts.size() - use.size()) + " series too short for the validation hold-out were left out");
        double[] scores = new double[grid.size()];
        List<Integer> idx = new ArrayList<>();
        for (int g = 0; g < grid.size(); g++) for (int u : use) idx.add(g * parts.size() + u);
        List<Double> vals = parallel("tune", idx.size(), threads, k -> {
            int g = idx.get(k) / parts.size(), i = idx.get(k) % parts.size();
            Part p = parts.get(i);
            int nt = p.train().length - hv;
            double[] tr = Arrays.copyOf(p.train(), nt), va = Arrays.copyOfRange(p.train(), nt, nt + hv);
            double[][] xt = new double[p.xTrain().length][], xv = new double[p.xTrain().length][];
            for (int j = 0; j < xt.length; j++) { xt[j] = Arrays.copyOf(p.xTrain()[j], nt); xv[j] = Arrays.copyOfRange(p.xTrain()[j], nt, nt + hv); }
            int m = nt > panel.m ? panel.m : 1;
            SeriesModel sm = grid.get(g).fit(tr, xt, xregNames, panel.m);
            return metrics(va, sm.forecast(hv, xv, LEVELS), tr, m).get(metric);
        }, k -> "config " + (idx.get(k) / parts.size() + 1) + "/" + grid.size());
        for (int g = 0; g < grid.size(); g++) {
            double s = 0;
            int c = 0;
            for (int k = 0; k < idx.size(); k++)
                if (idx.get(k) / parts.size() == g && Double.isFinite(vals.get(k))) { s += vals.get(k); c++; }
            scores[g] = c == 0 ? Double.NaN : s / c;
        }
        int best = -1;
        for (int g = 0; g < grid.size(); g++) if (Double.isFinite(scores[g]) && (best < 0 || scores[g] < scores[best])) best = g;
        if (best < 0) throw new ModelworkException("No configuration could be scored", "tune", "check the data (see fit notes)");
        StepReport r = new StepReport("tune", "Grid search (" + grid.size() + " configurations, validation " + metric + ")");
        ObjectNode b = r.body();
        b.put("strategy", "grid");
        b.put("metric", metric);
        b.put("validation_h", hv);
        b.put("series_used", use.size());
        ArrayNode trials = b.putArray("trials");
        StringColumn cfg = StringColumn.create("configuration");
        DoubleColumn sc = DoubleColumn.create("validation " + metric);
        Integer[] ord = new Integer[grid.size()];
        for (int g = 0; g < ord.length; g++) ord[g] = g;
        Arrays.sort(ord, Comparator.comparingDouble(g -> Double.isNaN(scores[g]) ? Double.MAX_VALUE : scores[g]));
        for (int g : ord) {
            ObjectNode tr = trials.addObject();
            tr.set("params", Json.MAPPER.valueToTree(gridParams.get(g)));
            if (Double.isFinite(scores[g])) tr.put("score", scores[g]); else tr.putNull("score");
            cfg.append(gridParams.get(g).toString());
            sc.append(scores[g]);
        }
        Table t = Table.create("Trials (best first)");
        t.addColumns(cfg, sc);
        r.table(t);
        b.set("best_params", Json.MAPPER.valueToTree(gridParams.get(best)));
        b.put("best_score", scores[best]);
        tnotes.forEach(r::note);
        tuned = Json.object();
        tuned.set("best_params", b.get("best_params"));
        tuned.put("best_score", scores[best]);
        boolean apply = a.getBool("apply", true);
        b.put("applied", apply);
        if (apply) {
            spec = grid.get(best);
            long t0 = System.nanoTime();
            models = fitAll(spec, parts.stream().map(Part::train).toList(), parts.stream().map(Part::xTrain).toList(),
                    periods(), threads, "fit");
            fitSeconds = (System.nanoTime() - t0) / 1e9;
            scale80 = scale95 = 1;
            calibration = null;
            btRatios = null;
            b.set("params", Json.MAPPER.valueToTree(spec.params));
            if (parts.size() == 1) b.put("model", models[0].describe());
            r.note("the best configuration " + gridParams.get(best) + " was applied and every series refitted on its full training part"
                    + " (run evaluate again for its test accuracy)");
        }
        r.table(kv("Best configuration", gridParams.get(best)));
        return r;
    }

    // ------------------------------------------------------------------ 9 backtest

    /** One backtest forecast: series, window, metrics and the per-point interval ratios. */
    record BtCell(int series, int window, Map<String, Double> metrics, double[][] ratios, double bias) {}

    @Override
    public StepReport backtest(Args a) {
        ObjectNode cfg = rolling.deepCopy();
        if (a.has("mode")) cfg.put("mode", a.getString("mode", "expanding"));
        if (a.has("windows")) cfg.put("windows", a.getInt("windows", 3));
        if (a.has("step")) cfg.put("step", a.getInt("step", 1));
        if (a.has("h") || a.has("horizon")) cfg.put("horizon", a.getInt("h", a.getInt("horizon", 1)));
        if (a.has("window_size")) cfg.put("window_size", a.getInt("window_size", 0));
        checkRolling(cfg);
        String on = a.getString("on", "train");
        if (!on.equals("train") && !on.equals("all"))
            throw new ModelworkException("Unknown backtest data '" + on + "'", "backtest on", "use on=train (default: the test part stays untouched) or on=all");
        if (on.equals("all") && external)
            throw new ModelworkException("on=all is not available with an external test set", "backtest on", "use on=train");
        double driftAlert = a.getDouble("drift_alert", 3);
        return runBacktest(cfg, on, threads(a), driftAlert);
    }

    private StepReport runBacktest(ObjectNode cfg, String on, int threads, double driftAlert) {
        int W = cfg.get("windows").asInt(), step = cfg.get("step").asInt(), hb = cfg.get("horizon").asInt();
        boolean sliding = cfg.get("mode").asText().equals("sliding");
        List<int[]> jobs = new ArrayList<>(); // {series, window, origin, start}
        int skipped = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            int L = on.equals("all") ? p.train().length + p.test().length : p.train().length;
            for (int w = 0; w < W; w++) {
                int o = L - hb - (W - 1 - w) * step;
                int ws = cfg.has("window_size") ? cfg.get("window_size").asInt() : L - hb - (W - 1) * step;
                int s0 = sliding ? Math.max(0, o - ws) : 0;
                if (o - s0 < Math.max(3, Math.min(p.m(), 2) + 2)) { skipped++; continue; }
                jobs.add(new int[]{i, w, o, s0});
            }
        }
        if (jobs.isEmpty())
            throw new ModelworkException("The series are too short for " + W + " windows of horizon " + hb + " and step " + step,
                    "backtest", "use fewer windows, a smaller step or horizon");
        List<BtCell> cells = parallel("backtest", jobs.size(), threads, k -> {
            int[] j = jobs.get(k);
            Part p = parts.get(j[0]);
            double[] all = on.equals("all") ? concat(p.train(), p.test()) : p.train();
            double[][] xall = new double[p.xTrain().length][];
            for (int c = 0; c < xall.length; c++) xall[c] = on.equals("all") ? concat(p.xTrain()[c], p.xTest()[c]) : p.xTrain()[c];
            double[] tr = Arrays.copyOfRange(all, j[3], j[2]), te = Arrays.copyOfRange(all, j[2], j[2] + hb);
            double[][] xt = new double[xall.length][], xf = new double[xall.length][];
            for (int c = 0; c < xall.length; c++) { xt[c] = Arrays.copyOfRange(xall[c], j[3], j[2]); xf[c] = Arrays.copyOfRange(xall[c], j[2], j[2] + hb); }
            int m = tr.length > panel.m ? panel.m : 1;
            SeriesModel sm = spec.fit(tr, xt, xregNames, panel.m);
            Forecast fc = sm.forecast(hb, xf, LEVELS);
            Map<String, Double> met = metrics(te, fc, tr, m);
            double[][] ratios = new double[hb][2];
            double bias = 0;
            for (int t = 0; t < hb; t++) {
                ratios[t][0] = ratio(te[t], fc, 0, t);
                ratios[t][1] = ratio(te[t], fc, 1, t);
                bias += te[t] - fc.mean()[t];
            }
            double scale = met.get("mase") > 0 ? met.get("mae") / met.get("mase") : Double.NaN;
            return new BtCell(j[0], j[1], met, ratios, bias / hb / scale);
        }, k -> parts.get(jobs.get(k)[0]).id() + " window " + (jobs.get(k)[1] + 1));
        btRatios = new ArrayList<>();
        for (BtCell c : cells) btRatios.addAll(Arrays.asList(c.ratios()));
        StepReport r = new StepReport("backtest", "Rolling-origin backtest (" + cfg.get("mode").asText() + ", " + W + " windows)");
        ObjectNode b = r.body();
        b.set("config", cfg);
        b.put("on", on);
        ArrayNode wins = b.putArray("windows");
        StringColumn wc = StringColumn.create("window");
        IntColumn nc = IntColumn.create("series");
        DoubleColumn smc = DoubleColumn.create("sMAPE"), mac = DoubleColumn.create("MASE"), c80 = DoubleColumn.create("coverage 80"),
                c95 = DoubleColumn.create("coverage 95"), bc = DoubleColumn.create("bias (scaled)");
        double[] wMase = new double[W], wBias = new double[W];
        for (int w = 0; w < W; w++) {
            final int ww = w;
            List<BtCell> in = cells.stream().filter(c -> c.window() == ww).toList();
            Map<String, Double> agg = aggregate(in.stream().map(BtCell::metrics).toList());
            double bias = in.stream().mapToDouble(BtCell::bias).filter(Double::isFinite).average().orElse(Double.NaN);
            ObjectNode o = json(agg);
            o.put("window", w + 1);
            o.put("series", in.size());
            o.put("bias", bias);
            Part p0 = parts.get(0);
            int L0 = on.equals("all") ? p0.train().length + p0.test().length : p0.train().length;
            o.put("first_series_origin", panel.grid.label(p0.start() + L0 - hb - (W - 1 - w) * step - 1));
            wins.add(o);
            wc.append((w + 1) + " (origin " + o.get("first_series_origin").asText() + ")");
            nc.append(in.size());
            smc.append(agg.getOrDefault("smape", Double.NaN));
            mac.append(agg.getOrDefault("mase", Double.NaN));
            c80.append(agg.getOrDefault("coverage_80", Double.NaN));
            c95.append(agg.getOrDefault("coverage_95", Double.NaN));
            bc.append(bias);
            wMase[w] = agg.getOrDefault("mase", Double.NaN);
            wBias[w] = bias;
        }
        Table t = Table.create("Per window (mean over series)");
        t.addColumns(wc, nc, smc, mac, c80, c95, bc);
        r.table(t);
        Map<String, Double> all = aggregate(cells.stream().map(BtCell::metrics).toList());
        b.set("metrics", json(all));
        // drift signals: (1) accuracy of the last window vs the earlier ones, (2) a level shift in the residual mean
        ObjectNode drift = b.putObject("drift");
        if (W > 1) {
            double prev = 0;
            int c = 0;
            for (int w = 0; w < W - 1; w++) if (Double.isFinite(wMase[w])) { prev += wMase[w]; c++; }
            double ratio = c == 0 ? Double.NaN : wMase[W - 1] / (prev / c);
            drift.put("mase_last_vs_earlier", ratio);
            drift.put("bias_last_window", wBias[W - 1]);
        }
        List<String[]> shifted = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            double z = levelShift(models[i].residuals(parts.get(i).train()), Math.max(hb, 4));
            if (Double.isFinite(z) && Math.abs(z) > driftAlert) shifted.add(new String[]{parts.get(i).id(), fmt(z)});
        }
        drift.put("residual_level_shift_threshold", driftAlert);
        drift.put("series_with_residual_level_shift", shifted.size());
        ArrayNode sl = drift.putArray("shifted_series");
        shifted.stream().limit(20).forEach(s -> sl.addObject().put("id", s[0]).put("z", Double.parseDouble(s[1])));
        boolean alert = !shifted.isEmpty() || drift.path("mase_last_vs_earlier").asDouble(0) > 1.5;
        drift.put("alert", alert);
        if (skipped > 0) r.note(skipped + " (series, window) pairs were too short and skipped");
        r.note(String.format(Locale.ROOT, "backtest over %d forecasts: MASE %.4f, sMAPE %.4f, coverage 80/95 %.3f / %.3f",
                cells.size(), all.get("mase"), all.get("smape"), all.get("coverage_80"), all.get("coverage_95")));
        r.note(alert ? "drift signal: " + shifted.size() + " series show a residual level shift (|z| > " + driftAlert + ")"
                + (drift.has("mase_last_vs_earlier") ? String.format(Locale.ROOT, "; last-window MASE is %.2f× the earlier windows'", drift.get("mase_last_vs_earlier").asDouble()) : "")
                : "no drift signal (residual means stable, last-window accuracy in line with the earlier windows)");
        double[] xs = new double[W];
        for (int w = 0; w < W; w++) xs[w] = w + 1;
        r.chart(Chart.line("backtest_windows", "Backtest accuracy per window", "window", "value",
                List.of(Chart.Series.line("MASE", xs, wMase), Chart.Series.line("coverage 95", xs, c95.asDoubleArray()))));
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("mode", cfg.get("mode").asText());
        kv.put("windows / step / horizon", W + " / " + step + " / " + hb);
        kv.put("forecasts", cells.size());
        kv.put("drift alert", alert);
        r.table(kv("Backtest", kv));
        return r;
    }

    /** z statistic of the mean of the last {@code k} residuals against the earlier ones (NaN when too short). */
    static double levelShift(double[] res, int k) {
        List<Double> v = new ArrayList<>();
        for (double x : res) if (Double.isFinite(x)) v.add(x);
        int n = v.size();
        if (n < 2 * k + 2) return Double.NaN;
        double m1 = 0, m2 = 0;
        for (int i = 0; i < n - k; i++) m1 += v.get(i);
        m1 /= n - k;
        for (int i = n - k; i < n; i++) m2 += v.get(i);
        m2 /= k;
        double s = 0;
        for (int i = 0; i < n - k; i++) s += (v.get(i) - m1) * (v.get(i) - m1);
        double sd = Math.sqrt(s / (n - k - 1));
        if (!(sd > 0)) return Double.NaN;
        return (m2 - m1) / (sd * Math.sqrt(1.0 / k + 1.0 / (n - k)));
    }

    static double ratio(double y, Forecast fc, int level, int t) {
        double mu = fc.mean()[t];
        double w = y >= mu ? fc.upper()[level][t] - mu : mu - fc.lower()[level][t];
        double d = Math.abs(y - mu);
        if (d == 0) return 0;
        return w > 0 ? d / w : Double.POSITIVE_INFINITY;
    }

    static double[] concat(double[] a, double[] b) {
        double[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    // ------------------------------------------------------------------ 10 calibrate

    @Override
    public StepReport calibrate(Args a) {
        double target = a.getDouble("target_coverage", 0.95);
        double level = a.getDouble("level", 95);
        if (!(target > 0 && target < 1))
            throw new ModelworkException("target_coverage must be in (0, 1), got " + target, "calibrate target_coverage", "e.g. target_coverage=0.95");
        if (level != 95 && level != 80)
            throw new ModelworkException("level must be 80 or 95, got " + level, "calibrate level", "level=95 (default) or level=80");
        List<String> notes = new ArrayList<>();
        if (btRatios == null) {
            runBacktest(rolling.deepCopy(), "train", ctx().threads(), 3);
            notes.add("no backtest had run: ran the default rolling-origin backtest (" + rolling.get("windows").asInt() + " windows, horizon "
                    + rolling.get("horizon").asInt() + ") to calibrate on");
        }
        int li = level == 95 ? 1 : 0, oi = 1 - li;
        double cMain = quantile(btRatios, li, target), cOther = quantile(btRatios, oi, level == 95 ? 0.80 : 0.95);
        double before = coverageAt(btRatios, li, 1), after = coverageAt(btRatios, li, cMain);
        double beforeO = coverageAt(btRatios, oi, 1), afterO = coverageAt(btRatios, oi, cOther);
        if (level == 95) { scale95 = cMain; scale80 = cOther; } else { scale80 = cMain; scale95 = cOther; }
        calibration = Json.object();
        calibration.put("method", "interval scaling around the mean (split-conformal quantile of backtest ratios)");
        calibration.put("level", level);
        calibration.put("target_coverage", target);
        calibration.put("scale_80", scale80);
        calibration.put("scale_95", scale95);
        calibration.put("backtest_points", btRatios.size());
        calibration.put("backtest_coverage_" + (int) level + "_before", before);
        calibration.put("backtest_coverage_" + (int) level + "_after", after);
        calibration.put("backtest_coverage_" + (level == 95 ? 80 : 95) + "_before", beforeO);
        calibration.put("backtest_coverage_" + (level == 95 ? 80 : 95) + "_after", afterO);
        StepReport r = new StepReport("calibrate", "Interval calibration (target " + target + " at " + (int) level + "%)");
        r.body().setAll(calibration);
        if (h > 0) {
            Forecast[] fc = testForecasts(models);
            List<Map<String, Double>> raw = new ArrayList<>(), cal = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                raw.add(metrics(p.test(), fc[i], p.train(), p.m()));
                cal.add(metrics(p.test(), scaled(fc[i], scale80, scale95), p.train(), p.m()));
            }
            Map<String, Double> ra = aggregate(raw), ca = aggregate(cal);
            calibration.put("test_coverage_80_before", ra.get("coverage_80"));
            calibration.put("test_coverage_80_after", ca.get("coverage_80"));
            calibration.put("test_coverage_95_before", ra.get("coverage_95"));
            calibration.put("test_coverage_95_after", ca.get("coverage_95"));
            r.body().setAll(calibration);
        }
        notes.forEach(r::note);
        r.note(String.format(Locale.ROOT, "95%% intervals scaled by %.3f, 80%% by %.3f; backtest coverage at %d%%: %.3f → %.3f",
                scale95, scale80, (int) level, before, after));
        Map<String, Object> kv = new LinkedHashMap<>();
        calibration.fields().forEachRemaining(e -> kv.put(e.getKey(), e.getValue().isNumber() ? fmt(e.getValue().asDouble()) : e.getValue().asText()));
        r.table(kv("Interval calibration", kv));
        try {
            Path f = ctx().runDir().resolve("artifacts").resolve("calibration.json");
            Files.createDirectories(f.getParent());
            AtomicFiles.writeString(f, Json.write(calibration));
        } catch (IOException e) {
            throw new ModelworkException("Cannot write calibration.json: " + e.getMessage(), ctx().runDir().toString(), "check disk space");
        }
        return r;
    }

    /** The smallest scale c with share(ratio <= c) >= target (finite-sample corrected, as split conformal). */
    static double quantile(List<double[]> ratios, int idx, double target) {
        double[] v = ratios.stream().mapToDouble(x -> x[idx]).filter(Double::isFinite).sorted().toArray();
        long inf = ratios.stream().filter(x -> !Double.isFinite(x[idx])).count();
        int n = v.length + (int) inf;
        if (v.length == 0) return 1;
        int k = (int) Math.ceil(target * (n + 1)) - 1;
        k = Math.min(Math.max(k, 0), v.length - 1);
        return Math.max(v[k], 1e-6);
    }

    static double coverageAt(List<double[]> ratios, int idx, double c) {
        long in = ratios.stream().filter(x -> x[idx] <= c).count();
        return ratios.isEmpty() ? Double.NaN : (double) in / ratios.size();
    }

    // ------------------------------------------------------------------ 12-14 export, register, artifacts

    @Override
    public StepReport export(Args a) {
        Path target = a.has("target") ? Path.of(a.getString("target", null)) : ctx().runDir().resolve("export");
        return ForecastExport.export(this, target.toAbsolutePath().normalize(), a);
    }

    /** Models refitted on all data (train + test) for export with {@code refit=true}. */
    SeriesModel[] refitAll(int threads) {
        List<double[]> ys = new ArrayList<>();
        List<double[][]> xs = new ArrayList<>();
        int[] ms = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            ys.add(concat(p.train(), p.test()));
            double[][] x = new double[p.xTrain().length][];
            for (int j = 0; j < x.length; j++) x[j] = concat(p.xTrain()[j], p.xTest()[j]);
            xs.add(x);
            ms[i] = panel.m;
        }
        return fitAll(spec, ys, xs, ms, threads, "export");
    }

    @Override
    public StepReport register(Args a) {
        StepReport r = ForecastExport.register(this, a);
        registered = (ObjectNode) r.body().get("model_version");
        return r;
    }

    @Override
    public StepReport artifacts(Args a) { return ForecastExport.artifacts(this, registered); }

    // ------------------------------------------------------------------ 11 checkpoints

    @Override
    public void saveState(Path dir) {
        ObjectNode s = Json.object();
        s.put("format", "modelwork.forecast-state/1");
        s.set("attach_args", Json.MAPPER.valueToTree(attachArgs == null ? Map.of() : attachArgs.asMap()));
        s.put("fingerprint", panel == null ? "" : panel.fingerprint);
        if (prepArgs != null) s.set("prepare_args", Json.MAPPER.valueToTree(prepArgs.asMap()));
        if (splitArgs != null) s.set("split_args", Json.MAPPER.valueToTree(splitArgs.asMap()));
        if (spec != null) s.set("build_args", Json.MAPPER.valueToTree(spec.asArgs().asMap()));
        if (models != null) {
            ArrayNode ms = s.putArray("models");
            for (SeriesModel m : models) ms.add(m.toJson());
            ArrayNode bs = s.putArray("baseline");
            for (SeriesModel m : baseline) bs.add(m.toJson());
            s.put("fit_seconds", fitSeconds);
        }
        s.put("scale_80", scale80);
        s.put("scale_95", scale95);
        if (calibration != null) s.set("calibration", calibration);
        if (btRatios != null) s.set("backtest_ratios", Json.MAPPER.valueToTree(btRatios));
        if (tuned != null) s.set("tuned", tuned);
        if (exportDir != null) s.put("export_dir", exportDir.toString());
        if (registered != null) s.set("registered", registered);
        try {
            Files.writeString(dir.resolve(STATE_FILE), Json.write(s));
        } catch (IOException e) {
            throw new ModelworkException("Cannot write the workflow state: " + e.getMessage(), dir.toString(), "check disk space");
        }
    }

    @Override
    public void restoreState(Path dir) {
        JsonNode s;
        try {
            s = Json.MAPPER.readTree(dir.resolve(STATE_FILE).toFile());
        } catch (IOException e) {
            throw new ModelworkException("The checkpoint's " + STATE_FILE + " is unreadable", dir.toString(), "resume from another checkpoint");
        }
        attach(args(s.get("attach_args")));
        if (!panel.fingerprint.equals(s.get("fingerprint").asText()))
            throw new ModelworkException("The data changed since the checkpoint (fingerprint " + panel.fingerprint.substring(0, 12) + "… ≠ "
                    + s.get("fingerprint").asText().substring(0, Math.min(12, s.get("fingerprint").asText().length())) + "…)", panel.ref,
                    "restore the original data file, or start a new session on the new data");
        if (s.has("prepare_args")) prepare(args(s.get("prepare_args")));
        if (s.has("split_args")) split(args(s.get("split_args")));
        if (s.has("build_args")) build(args(s.get("build_args")));
        if (s.has("models")) {
            models = new SeriesModel[parts.size()];
            baseline = new SeriesModel[parts.size()];
            for (int i = 0; i < models.length; i++) {
                models[i] = SeriesModel.fromJson(s.get("models").get(i));
                baseline[i] = SeriesModel.fromJson(s.get("baseline").get(i));
            }
            fitSeconds = s.path("fit_seconds").asDouble();
        }
        scale80 = s.path("scale_80").asDouble(1);
        scale95 = s.path("scale_95").asDouble(1);
        if (s.has("calibration")) calibration = (ObjectNode) s.get("calibration");
        if (s.has("backtest_ratios")) {
            btRatios = new ArrayList<>();
            for (JsonNode x : s.get("backtest_ratios")) btRatios.add(new double[]{x.get(0).asDouble(), x.get(1).asDouble()});
        }
        if (s.has("tuned")) tuned = (ObjectNode) s.get("tuned");
        if (s.has("export_dir")) exportDir = Path.of(s.get("export_dir").asText());
        if (s.has("registered")) registered = (ObjectNode) s.get("registered");
    }

    private static Args args(JsonNode n) {
        @SuppressWarnings("unchecked") Map<String, Object> m = Json.MAPPER.convertValue(n, Map.class);
        return Args.from(m);
    }

    @Override
    public void close() {
        models = null;
        baseline = null;
        prepared = null;
        parts = null;
        btRatios = null;
    }
}
