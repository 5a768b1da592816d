package io.modelwork.core;

import java.util.*;

/**
 * One declared step argument: its name, type, default, valid range or choices and a one-line help. A step's options
 * are declared once ({@link Options}); from that declaration come the valid-key list and "did you mean" of errors,
 * the recipe pre-check of keys, types and ranges, {@code %help <step>}, and Tab completion of magic keys.
 *
 * <p>{@link #check(Object, String)} validates a raw value (a magic's text, a recipe's YAML scalar, a Java object) and
 * throws a {@link ModelworkException} that names the key, where it came from and the valid range.
 */
public record Option(String name, Type type, Object dflt, Double min, Double max, List<String> choices, String help) {

    /** The value types an option may have. */
    public enum Type {
        /** a 32-bit integer */ INT,
        /** a 64-bit integer */ LONG,
        /** a finite number */ DOUBLE,
        /** true/false, yes/no, 1/0, on/off */ BOOL,
        /** free text */ STRING,
        /** one of {@link Option#choices()} */ CHOICE,
        /** a comma-separated list or a YAML sequence */ LIST,
        /** a comma-separated list of numbers or a YAML sequence of numbers */ NUMBERS,
        /** a YAML mapping or {@code a:1,b:2} */ MAP,
        /** a file or folder path (existence is the step's business) */ PATH,
        /** anything (Java objects handed over from a notebook, e.g. a CP-SAT model) */ ANY
    }

    public Option {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = choices == null ? List.of() : List.copyOf(choices);
        help = help == null ? "" : help;
    }

    public static Option integer(String name, Integer dflt, Integer min, Integer max, String help) {
        return new Option(name, Type.INT, dflt, min == null ? null : min.doubleValue(), max == null ? null : max.doubleValue(), null, help);
    }

    public static Option longInt(String name, Long dflt, Long min, Long max, String help) {
        return new Option(name, Type.LONG, dflt, min == null ? null : min.doubleValue(), max == null ? null : max.doubleValue(), null, help);
    }

    public static Option number(String name, Double dflt, Double min, Double max, String help) {
        return new Option(name, Type.DOUBLE, dflt, min, max, null, help);
    }

    public static Option bool(String name, Boolean dflt, String help) { return new Option(name, Type.BOOL, dflt, null, null, null, help); }

    public static Option text(String name, String dflt, String help) { return new Option(name, Type.STRING, dflt, null, null, null, help); }

    public static Option path(String name, String help) { return new Option(name, Type.PATH, null, null, null, null, help); }

    public static Option list(String name, String dflt, String help) { return new Option(name, Type.LIST, dflt, null, null, null, help); }

    public static Option numbers(String name, String dflt, Double min, Double max, String help) {
        return new Option(name, Type.NUMBERS, dflt, min, max, null, help);
    }

    public static Option map(String name, String help) { return new Option(name, Type.MAP, null, null, null, null, help); }

    public static Option any(String name, String help) { return new Option(name, Type.ANY, null, null, null, null, help); }

    /** One of {@code choices} (compared case-insensitively, '-' = '_'). */
    public static Option choice(String name, String dflt, List<String> choices, String help) {
        return new Option(name, Type.CHOICE, dflt, null, null, choices, help);
    }

    /** The valid range or choices as text, e.g. {@code 1..2147483647} or {@code one of [tpe, grid]}; empty when any. */
    public String range() {
        return switch (type) {
            case CHOICE -> "one of " + choices;
            case BOOL -> "true or false";
            case INT, LONG, DOUBLE, NUMBERS -> {
                String lo = min == null ? "" : fmt(min), hi = max == null ? "" : fmt(max);
                if (min == null && max == null) yield type == Type.DOUBLE || type == Type.NUMBERS ? "a number" : "an integer";
                if (max == null) yield "≥ " + lo;
                if (min == null) yield "≤ " + hi;
                yield lo + ".." + hi;
            }
            default -> "";
        };
    }

    private static String fmt(double d) { return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d); }

    /** The default as text for help (empty when none). */
    public String defaultText() { return dflt == null ? "" : String.valueOf(dflt); }

    /**
     * Checks one raw value; returns it unchanged. {@code where} names the origin (a recipe line, a magic line, a step).
     * Overflowing integers, non-finite numbers, values out of range and unknown choices are errors.
     */
    public Object check(Object v, String where) {
        if (v == null) return null;
        switch (type) {
            case INT, LONG -> checkNumber(integerValue(v, where), where);
            case DOUBLE -> checkNumber(doubleValue(v, where), where);
            case NUMBERS -> {
                for (String s : listValue(v)) {
                    double d;
                    try { d = Double.parseDouble(s.trim()); } catch (NumberFormatException e) { throw bad(v, where, "comma-separated numbers"); }
                    checkNumber(d, where);
                }
            }
            case BOOL -> {
                if (!(v instanceof Boolean)) {
                    String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
                    if (!Set.of("true", "false", "yes", "no", "1", "0", "on", "off").contains(s)) throw bad(v, where, "true or false");
                }
            }
            case CHOICE -> {
                String s = norm(String.valueOf(v));
                boolean ok = choices.stream().anyMatch(c -> norm(c).equals(s));
                if (!ok) {
                    String close = Options.closest(String.valueOf(v), choices);
                    throw new ModelworkException("Bad value '" + v + "' for '" + name + "'", where,
                            (close != null ? "did you mean '" + close + "'? " : "") + "use one of " + choices);
                }
            }
            case STRING, PATH -> {
                if (v instanceof Map<?, ?> || v instanceof Collection<?>)
                    throw bad(v, where, type == Type.PATH ? "a path" : "text");
            }
            case MAP -> {
                if (!(v instanceof Map<?, ?>) && !(v instanceof CharSequence)) throw bad(v, where, "a mapping, e.g. " + name + "=a:1,b:2");
            }
            case LIST, ANY -> { }
        }
        return v;
    }

    private void checkNumber(double d, String where) {
        if (!Double.isFinite(d)) throw bad(d, where, range().isEmpty() ? "a finite number" : range());
        if ((min != null && d < min) || (max != null && d > max))
            throw new ModelworkException("Value " + fmt(d) + " of '" + name + "' is out of range", where, "use " + range()
                    + (help.isEmpty() ? "" : " (" + name + ": " + help + ")"));
    }

    private double integerValue(Object v, String where) {
        double lo = type == Type.INT ? Integer.MIN_VALUE : Long.MIN_VALUE, hi = type == Type.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
        String expect = type == Type.INT ? "an integer" : "an integer";
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) throw bad(v, where, expect + (range().isEmpty() ? "" : " in " + range()));
            if (d < lo || d > hi) throw new ModelworkException("Value " + v + " of '" + name + "' is too large for an integer", where,
                    "use " + (min != null || max != null ? range() : "a value between " + (long) lo + " and " + (long) hi));
            return d;
        }
        String s = String.valueOf(v).trim();
        try {
            long l = Long.parseLong(s);
            if (l < lo || l > hi) throw new ModelworkException("Value " + s + " of '" + name + "' is too large for an integer", where,
                    "use " + (min != null || max != null ? range() : "a value between " + (long) lo + " and " + (long) hi));
            return l;
        } catch (NumberFormatException e) {
            if (s.matches("[+-]?\\d+")) throw new ModelworkException("Value " + s + " of '" + name + "' is too large for an integer", where,
                    "use " + (min != null || max != null ? range() : "a smaller value"));
            throw bad(v, where, expect + (range().isEmpty() ? "" : " in " + range()));
        }
    }

    private double doubleValue(Object v, String where) {
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw bad(v, where, "a number" + (range().isEmpty() || range().equals("a number") ? "" : " in " + range()));
        }
    }

    private static List<String> listValue(Object v) {
        if (v instanceof Collection<?> c) return c.stream().map(String::valueOf).toList();
        return Arrays.stream(String.valueOf(v).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String norm(String s) { return s.trim().toLowerCase(Locale.ROOT).replace('-', '_'); }

    private ModelworkException bad(Object v, String where, String expected) {
        return new ModelworkException("Bad value '" + v + "' for '" + name + "'", where, "use " + expected
                + (help.isEmpty() ? "" : " (" + name + ": " + help + ")"));
    }
}
