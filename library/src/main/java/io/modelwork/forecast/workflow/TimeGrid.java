package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.time.*;
import java.time.format.DateTimeParseException;
import java.util.*;

/**
 * The regular time grid of a panel of series: how raw timestamps map to integer positions and back, the frequency
 * name and the seasonal period. Three kinds of time axis:
 * <ul>
 *   <li>{@code MONTHS}: calendar dates stepping by {@code step} months (monthly 1, quarterly 3, yearly 12);</li>
 *   <li>{@code SECONDS}: date-times stepping by a fixed number of seconds (minutely, hourly, daily, weekly);</li>
 *   <li>{@code NUMBER}: a numeric time column (e.g. R's decimal years 1949, 1949.0833…) or a plain index
 *       (M4 files), stepping by {@code numStep}.</li>
 * </ul>
 * Position 0 is the earliest timestamp of the panel (its origin).
 */
public final class TimeGrid {
    public enum Kind { MONTHS, SECONDS, NUMBER }

    /** Frequency names with their seasonal period and step. */
    static final Map<String, Object[]> FREQS = new LinkedHashMap<>();
    static {
        // name -> {kind, step (months or seconds), default m, default M4-style horizon}
        FREQS.put("yearly", new Object[]{Kind.MONTHS, 12L, 1, 6});
        FREQS.put("quarterly", new Object[]{Kind.MONTHS, 3L, 4, 8});
        FREQS.put("monthly", new Object[]{Kind.MONTHS, 1L, 12, 18});
        FREQS.put("weekly", new Object[]{Kind.SECONDS, 7 * 86400L, 52, 13});
        FREQS.put("daily", new Object[]{Kind.SECONDS, 86400L, 7, 14});
        FREQS.put("hourly", new Object[]{Kind.SECONDS, 3600L, 24, 48});
        FREQS.put("half-hourly", new Object[]{Kind.SECONDS, 1800L, 48, 96});
        FREQS.put("minutely", new Object[]{Kind.SECONDS, 60L, 60, 120});
    }

    /** The seasonal period of a frequency name (hourly 24, monthly 12, ...). */
    static int periodOf(String freq) {
        Object[] f = FREQS.get(freq);
        return f == null ? 1 : (Integer) f[2];
    }

    /** The M4 forecast horizon of a frequency name (hourly 48, monthly 18, ...); 0 when unknown. */
    static int m4Horizon(String freq) {
        Object[] f = FREQS.get(freq);
        return f == null ? 0 : (Integer) f[3];
    }

    static String normalizeFreq(String s) {
        String f = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (f) {
            case "h", "hour", "hourly" -> "hourly";
            case "d", "day", "daily" -> "daily";
            case "w", "week", "weekly" -> "weekly";
            case "m", "month", "monthly", "ms" -> "monthly";
            case "q", "quarter", "quarterly", "qs" -> "quarterly";
            case "y", "a", "year", "yearly", "annual" -> "yearly";
            case "30min", "half-hour", "half-hourly", "halfhourly" -> "half-hourly";
            case "min", "t", "minute", "minutely" -> "minutely";
            default -> throw new ModelworkException("Unknown frequency '" + s + "'", "attach_dataset freq",
                    "use one of " + FREQS.keySet() + " (or give the seasonal period with m=)");
        };
    }

    final Kind kind;
    final long step;        // months or seconds
    final double numStep;   // NUMBER
    final long origin;      // MONTHS: month index y*12+(mon-1); SECONDS: epoch seconds
    final double numOrigin; // NUMBER
    final int dayOfMonth;   // MONTHS: day of month of the origin (for labels)
    final String freq;      // a name from FREQS, or "index"/"numeric"
    final boolean dateOnly; // SECONDS with whole days: labels without time

    private TimeGrid(Kind kind, long step, double numStep, long origin, double numOrigin, int dayOfMonth, String freq, boolean dateOnly) {
        this.kind = kind;
        this.step = step;
        this.numStep = numStep;
        this.origin = origin;
        this.numOrigin = numOrigin;
        this.dayOfMonth = dayOfMonth;
        this.freq = freq;
        this.dateOnly = dateOnly;
    }

    /** A plain index 1, 2, 3, ... (M4 files) with a frequency name for the period. */
    static TimeGrid index(String freq) {
        return new TimeGrid(Kind.NUMBER, 0, 1, 0, 1, 0, freq == null ? "index" : freq, false);
    }

    public String freq() { return freq; }
    public Kind kind() { return kind; }

    // ------------------------------------------------------------------ parsing raw timestamps

    /** A parsed raw timestamp: epoch seconds (dates) or a number. */
    record Stamp(boolean numeric, double number, long epoch, String raw) {}

    static Stamp parse(String raw, String where) {
        String s = raw == null ? "" : raw.trim();
        if (s.isEmpty())
            throw new ModelworkException("A timestamp is empty", where, "every row needs a time value; drop rows without one");
        try {
            return new Stamp(true, Double.parseDouble(s), 0, s);
        } catch (NumberFormatException ignored) { }
        try {
            if (s.length() == 10) return new Stamp(false, 0, LocalDate.parse(s).atStartOfDay().toEpochSecond(ZoneOffset.UTC), s);
            if (s.length() == 7) return new Stamp(false, 0, YearMonth.parse(s).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC), s);
            String t = s.replace(' ', 'T');
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$"))
                return new Stamp(false, 0, OffsetDateTime.parse(t).toEpochSecond(), s);
            return new Stamp(false, 0, LocalDateTime.parse(t).toEpochSecond(ZoneOffset.UTC), s);
        } catch (DateTimeParseException e) {
            throw new ModelworkException("Cannot read the timestamp '" + raw + "'", where,
                    "use ISO dates (2024-01-31), date-times (2024-01-31 13:00[:00]), year-months (2024-01) or numbers");
        }
    }

    /**
     * Infers (or, with {@code freqGiven}, sets) the grid from all timestamps of the panel, per series in time order.
     *
     * @param perSeries each series' stamps, sorted
     */
    static TimeGrid infer(List<List<Stamp>> perSeries, String freqGiven, String where) {
        boolean numeric = perSeries.stream().flatMap(List::stream).allMatch(Stamp::numeric);
        boolean dates = perSeries.stream().flatMap(List::stream).noneMatch(Stamp::numeric);
        if (!numeric && !dates)
            throw new ModelworkException("The time column mixes numbers and dates", where, "use one time format in the whole column");
        if (numeric) {
            double min = Double.POSITIVE_INFINITY;
            List<Double> diffs = new ArrayList<>();
            for (List<Stamp> l : perSeries) {
                for (int i = 0; i < l.size(); i++) {
                    min = Math.min(min, l.get(i).number());
                    if (i > 0 && l.get(i).number() > l.get(i - 1).number()) diffs.add(l.get(i).number() - l.get(i - 1).number());
                }
            }
            double d;
            String freq;
            if (freqGiven != null) {
                freq = freqGiven;
                Object[] f = FREQS.get(freq);
                // numeric time in years (R's ts): monthly = 1/12; otherwise the observed step
                d = f != null && f[0] == Kind.MONTHS ? ((Long) f[1]) / 12.0 : (diffs.isEmpty() ? 1 : median(diffs));
            } else {
                d = diffs.isEmpty() ? 1 : median(diffs);
                freq = "numeric";
                double per = 1 / d;
                if (d < 1 && Math.abs(per - Math.rint(per)) < 1e-3 * per) {
                    int m = (int) Math.rint(per);
                    freq = m == 12 ? "monthly" : m == 4 ? "quarterly" : "numeric";
                    d = 1.0 / m;
                } else if (Math.abs(d - 1) < 1e-9 && min >= 1000 && min <= 3000) freq = "yearly";
                else if (Math.abs(d - Math.rint(d)) < 1e-9) freq = "index";
            }
            return new TimeGrid(Kind.NUMBER, 0, d, 0, min, 0, freq, false);
        }
        long min = Long.MAX_VALUE;
        List<Double> diffs = new ArrayList<>();
        for (List<Stamp> l : perSeries)
            for (int i = 0; i < l.size(); i++) {
                min = Math.min(min, l.get(i).epoch());
                if (i > 0 && l.get(i).epoch() > l.get(i - 1).epoch()) diffs.add((double) (l.get(i).epoch() - l.get(i - 1).epoch()));
            }
        String freq = freqGiven;
        if (freq == null) {
            double d = diffs.isEmpty() ? 86400 : median(diffs);
            double days = d / 86400;
            if (days >= 28 && days <= 31) freq = "monthly";
            else if (days >= 89 && days <= 92) freq = "quarterly";
            else if (days >= 365 && days <= 366) freq = "yearly";
            else if (d == 7 * 86400) freq = "weekly";
            else if (d == 86400) freq = "daily";
            else if (d == 3600) freq = "hourly";
            else if (d == 1800) freq = "half-hourly";
            else if (d == 60) freq = "minutely";
            else {
                long sec = Math.round(d);
                LocalDateTime o = LocalDateTime.ofEpochSecond(min, 0, ZoneOffset.UTC);
                return new TimeGrid(Kind.SECONDS, sec, 0, min, 0, o.getDayOfMonth(), sec + "s", sec % 86400 == 0 && min % 86400 == 0);
            }
        }
        Object[] f = FREQS.get(freq);
        LocalDateTime o = LocalDateTime.ofEpochSecond(min, 0, ZoneOffset.UTC);
        if (f[0] == Kind.MONTHS)
            return new TimeGrid(Kind.MONTHS, (Long) f[1], 0, o.getYear() * 12L + o.getMonthValue() - 1, 0, o.getDayOfMonth(), freq, true);
        long step = (Long) f[1];
        boolean dateOnly = step % 86400 == 0 && perSeries.stream().flatMap(List::stream).allMatch(s -> s.epoch() % 86400 == 0);
        return new TimeGrid(Kind.SECONDS, step, 0, min, 0, o.getDayOfMonth(), freq, dateOnly);
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /**
     * The grid position of a stamp: {@code exact[0]} is set to false when the stamp falls between grid points (it is
     * then floored onto the grid, i.e. resampled into the bucket that starts before it).
     */
    long position(Stamp s, boolean[] exact) {
        switch (kind) {
            case NUMBER -> {
                double r = (s.number() - numOrigin) / numStep;
                long p = Math.round(r);
                if (Math.abs(r - p) > 1e-3) { exact[0] = false; return (long) Math.floor(r + 1e-9); }
                return p;
            }
            case MONTHS -> {
                LocalDateTime t = LocalDateTime.ofEpochSecond(s.epoch(), 0, ZoneOffset.UTC);
                long mi = t.getYear() * 12L + t.getMonthValue() - 1 - origin;
                if (mi % step != 0 || t.toLocalTime().toSecondOfDay() != 0) exact[0] = false;
                return Math.floorDiv(mi, step);
            }
            default -> {
                long dlt = s.epoch() - origin;
                if (dlt % step != 0) exact[0] = false;
                return Math.floorDiv(dlt, step);
            }
        }
    }

    /** A readable label of a grid position (ISO date/date-time, or the number). */
    public String label(long pos) {
        return switch (kind) {
            case NUMBER -> {
                double v = numOrigin + pos * numStep;
                if (numericMonth(pos) > 0) yield String.format(Locale.ROOT, "%d-%02d", (long) Math.floor(v + 1e-6), numericMonth(pos));
                yield Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString(Math.round(v)) : String.format(Locale.ROOT, "%.6f", v);
            }
            case MONTHS -> {
                long mi = origin + pos * step;
                YearMonth ym = YearMonth.of((int) Math.floorDiv(mi, 12), (int) Math.floorMod(mi, 12) + 1);
                yield step == 12 ? ym.toString().substring(0, 4) + (ym.getMonthValue() == 1 ? "" : "-" + ym.toString().substring(5)) : ym.toString();
            }
            default -> {
                LocalDateTime t = LocalDateTime.ofEpochSecond(origin + pos * step, 0, ZoneOffset.UTC);
                yield dateOnly ? t.toLocalDate().toString() : t.toString().replace('T', ' ');
            }
        };
    }

    /** A numeric x value for charts: the numeric time, decimal years for calendar months, days since the origin otherwise. */
    public double x(long pos) {
        return switch (kind) {
            case NUMBER -> numOrigin + pos * numStep;
            case MONTHS -> (origin + pos * step) / 12.0;
            default -> pos * (double) step / 86400.0;
        };
    }

    public String xLabel() {
        return switch (kind) {
            case NUMBER -> freq.equals("index") || freq.equals("numeric") || FREQS.containsKey(freq) && FREQS.get(freq)[0] == Kind.SECONDS ? "t" : "time";
            case MONTHS -> "year";
            default -> "days since " + label(0);
        };
    }

    /** The calendar date-time of a position (null for a numeric axis). */
    LocalDateTime dateTime(long pos) {
        return switch (kind) {
            case NUMBER -> null;
            case MONTHS -> {
                long mi = origin + pos * step;
                yield LocalDateTime.of((int) Math.floorDiv(mi, 12), (int) Math.floorMod(mi, 12) + 1, Math.min(dayOfMonth, 28), 0, 0);
            }
            default -> LocalDateTime.ofEpochSecond(origin + pos * step, 0, ZoneOffset.UTC);
        };
    }

    /** Month of year 1..12 for NUMBER axes in years with 12 (or 4) steps per year, else 0. */
    int numericMonth(long pos) {
        if (kind != Kind.NUMBER || !(freq.equals("monthly") || freq.equals("quarterly"))) return 0;
        double v = numOrigin + pos * numStep;
        double frac = v - Math.floor(v + 1e-6);
        return (int) Math.round(frac * 12) % 12 + 1;
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("kind", kind.name().toLowerCase(Locale.ROOT));
        o.put("freq", freq);
        o.put("step", step);
        o.put("num_step", numStep);
        o.put("origin", origin);
        o.put("num_origin", numOrigin);
        o.put("day_of_month", dayOfMonth);
        o.put("date_only", dateOnly);
        o.put("origin_label", label(0));
        return o;
    }

    static TimeGrid fromJson(JsonNode o) {
        return new TimeGrid(Kind.valueOf(o.get("kind").asText().toUpperCase(Locale.ROOT)), o.get("step").asLong(),
                o.get("num_step").asDouble(), o.get("origin").asLong(), o.get("num_origin").asDouble(), o.get("day_of_month").asInt(),
                o.get("freq").asText(), o.get("date_only").asBoolean());
    }
}
