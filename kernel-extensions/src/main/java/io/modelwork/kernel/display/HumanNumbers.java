package io.modelwork.kernel.display;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Numbers for people in rendered tables: metrics to 4 significant digits, shares as percentages, thousands separators,
 * durations as "1.2 s" / "3.4 min". Only the HTML shows these; the report's JSON, its {@code text/plain} and the files
 * keep full precision. Written here (not a dependency) because the rules depend on Modelwork's column and key names
 * (a "seconds" column is a duration, a "share" a fraction), which no formatting library knows; the digits themselves
 * come from {@link BigDecimal} and {@link String#format}.
 */
public final class HumanNumbers {
    private HumanNumbers() {}

    /** Names whose values are fractions shown as percentages (when they lie in [0, 1]). */
    static final Pattern PERCENT = Pattern.compile("(?i).*(share|coverage|percent|pct|%|fraction|missing_rate|hit_rate).*");
    /** Names whose values are durations in seconds. */
    static final Pattern SECONDS = Pattern.compile("(?i)(.*[ _](s|sec|seconds)|seconds|elapsed|duration|time_s|.*\\(s\\))");
    /** Names whose values are identifiers or years: integers shown as they are. */
    static final Pattern PLAIN = Pattern.compile("(?i)(.*[ _])?(seed|year|id|version|port|index|rank|step|epoch)([ _].*)?");

    /** A table cell: {@code raw} as Tablesaw prints it, {@code name} the column name or the row's key. */
    public static String cell(String raw, String name) {
        if (raw == null) return "";
        String s = raw.trim();
        if (s.isEmpty() || !looksNumeric(s) || s.matches("[+-]?0\\d+")) return raw; // "00123" is a code, not a number
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return raw;
        }
        return number(v, name == null ? "" : name, isInteger(s));
    }

    /** One number under a name (see the class comment). */
    public static String number(double v, String name, boolean integerText) {
        if (!Double.isFinite(v)) return Double.isNaN(v) ? "NaN" : (v > 0 ? "∞" : "−∞");
        if (SECONDS.matcher(name).matches()) return duration(v);
        if (PERCENT.matcher(name).matches() && v >= 0 && v <= 1 && !integerText) return percent(v);
        if (integerText || (v == Math.rint(v) && Math.abs(v) < 1e15)) {
            if (PLAIN.matcher(name).matches()) return integerText ? String.valueOf((long) v) : sig(v);
            long l = (long) v;
            return Math.abs(l) >= 10_000 ? String.format(Locale.ROOT, "%,d", l) : Long.toString(l);
        }
        return sig(v);
    }

    /** 4 significant digits (whole numbers from 1,000 up, with separators from 10,000), no exponent between 1e-4 and 1e15. */
    public static String sig(double v) {
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a < 1e-4 || a >= 1e15) return String.format(Locale.ROOT, "%.3e", v);
        // from 1,000 up the integer part is shown whole (12,346 rather than 12,350): no digit of it is dropped
        if (a >= 1000) return String.format(Locale.ROOT, a >= 10_000 ? "%,d" : "%d", Math.round(v));
        BigDecimal b = new BigDecimal(v).round(new MathContext(4, RoundingMode.HALF_EVEN));
        return b.stripTrailingZeros().toPlainString();
    }

    /** 0.9321 → "93.21%" (4 significant digits, at most 2 decimals). */
    public static String percent(double fraction) {
        double p = fraction * 100;
        if (p == Math.rint(p)) return (long) p + "%";
        String s = p >= 10 ? String.format(Locale.ROOT, "%.2f", p) : sig(p);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /** Seconds → "340 ms", "1.2 s", "12 s", "3.4 min", "2.1 h". */
    public static String duration(double seconds) {
        double a = Math.abs(seconds);
        if (a == 0) return "0 s";
        if (a < 1) return trim(String.format(Locale.ROOT, a < 0.01 ? "%.2f" : "%.0f", seconds * 1000)) + " ms";
        if (a < 60) return trim(String.format(Locale.ROOT, a < 10 ? "%.1f" : "%.0f", seconds)) + " s";
        if (a < 3600) return trim(String.format(Locale.ROOT, "%.1f", seconds / 60)) + " min";
        return trim(String.format(Locale.ROOT, "%.1f", seconds / 3600)) + " h";
    }

    private static String trim(String s) { return s.contains(".") ? s.replaceAll("\\.?0+$", "") : s; }

    private static final Pattern NUMERIC = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static boolean looksNumeric(String s) { return NUMERIC.matcher(s).matches(); }

    private static boolean isInteger(String s) { return s.matches("[+-]?\\d+"); }
}
