package io.modelwork.tune;

import io.modelwork.core.ModelworkException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * An ordered map of named {@link Param}s: the space a {@link Tuner} searches.
 *
 * <p>Build one in code with {@link #builder()}, from a recipe map with {@link #parse(Map)}, or from a magic-line
 * fragment with {@link #parse(String)}. The order of the parameters is kept: it fixes the grid order and the order in
 * which random values are drawn, so it is part of what makes a seeded search reproducible.
 */
public final class SearchSpace {

    /** The forms a search-space entry may take, quoted in every parse error. */
    public static final String VALID_FORMS =
            "in a recipe map: a list [3, 6, 9] (choice), {\"choice\": [...]}, {\"int\": [lo, hi]}, "
            + "{\"uniform\": [lo, hi]}, {\"log_uniform\": [lo, hi]}, a single value (fixed) or a mini-syntax string; "
            + "in the mini-syntax: name=3|6|9 (choice), name=choice:a|b, name=int:1..10, name=1..10 (integers), "
            + "name=0.5..1.0 (uniform), name=uniform:0..1, name=log:0.01..0.3 (log-uniform), name=value (fixed)";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");
    private static final Pattern INT = Pattern.compile("[+-]?\\d+");
    private static final Pattern REAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final Map<String, Param> params;

    private SearchSpace(Map<String, Param> params) {
        if (params.isEmpty()) {
            throw new ModelworkException("the search space is empty", "search space",
                    "name at least one parameter to tune, e.g. max_depth=3|6|9");
        }
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A space over the given parameters, in the map's iteration order. */
    public static SearchSpace of(Map<String, ? extends Param> params) {
        Builder b = builder();
        params.forEach(b::add);
        return b.build();
    }

    /** A builder that keeps the order in which parameters are added. */
    public static Builder builder() { return new Builder(); }

    /** The parameters, in order (unmodifiable). */
    public Map<String, Param> params() { return params; }

    /** The parameter names, in order. */
    public List<String> names() { return List.copyOf(params.keySet()); }

    /** The named parameter, or {@code null}. */
    public Param param(String name) { return params.get(name); }

    /** The number of parameters. */
    public int size() { return params.size(); }

    /** Draws one configuration, one value per parameter in order. */
    public Map<String, Object> sample(Random rnd) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, p) -> out.put(k, p.sample(rnd)));
        return Collections.unmodifiableMap(out);
    }

    /** This space in the mini-syntax; {@code parse(toString())} gives an equal space for numeric and word values. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, p) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(p.syntax()));
        return sb.toString();
    }

    @Override public boolean equals(Object o) {
        return o instanceof SearchSpace s && new ArrayList<>(params.entrySet()).equals(new ArrayList<>(s.params.entrySet()));
    }

    @Override public int hashCode() { return Objects.hash(new ArrayList<>(params.entrySet())); }

    // ------------------------------------------------------------------------------------------------ parsing

    /**
     * Reads a search space from a recipe (YAML/JSON) map, keeping its order. Each value may be:
     * <ul>
     *   <li>a list {@code [3, 6, 9]} — a {@link Param.Choice};</li>
     *   <li>{@code {"choice": [...]}}, {@code {"int": [lo, hi]}} (inclusive), {@code {"uniform": [lo, hi]}},
     *       {@code {"log_uniform": [lo, hi]}};</li>
     *   <li>a string — read with the mini-syntax of {@link #parse(String)}, e.g. {@code "log:0.01..0.3"};</li>
     *   <li>a single number or boolean — a fixed value (a one-element choice).</li>
     * </ul>
     *
     * @throws ModelworkException naming the offending key and listing {@link #VALID_FORMS}
     */
    public static SearchSpace parse(Map<String, ?> spec) {
        if (spec == null || spec.isEmpty()) {
            throw new ModelworkException("the search space is empty", "search space", "give at least one entry; " + VALID_FORMS);
        }
        Builder b = builder();
        for (Map.Entry<String, ?> e : spec.entrySet()) {
            String key = e.getKey();
            b.add(key, withKey(key, () -> fromValue(key, e.getValue())));
        }
        return b.build();
    }

    /**
     * Reads a search space from a magic-line fragment: whitespace-separated {@code name=spec} entries, e.g.
     * {@code max_depth=3|6|9 eta=log:0.01..0.3 min_child_weight=int:1..10 subsample=0.5..1.0}.
     *
     * <p>The mini-syntax of {@code spec}:
     * <ul>
     *   <li>{@code a|b|c} or {@code choice:a|b|c} — a choice; each value is read as an integer, a real, {@code true}/
     *       {@code false}, or else kept as a word (so {@code objective=reg:squarederror|reg:logistic} works);</li>
     *   <li>{@code int:lo..hi} — the integers lo to hi inclusive; {@code lo..hi} with two integer literals means the
     *       same;</li>
     *   <li>{@code lo..hi} with a real bound, or {@code uniform:lo..hi} — a uniform real;</li>
     *   <li>{@code log:lo..hi} — log-uniform, {@code 0 < lo < hi};</li>
     *   <li>a single value — fixed (a one-element choice).</li>
     * </ul>
     * Values cannot contain spaces; names are letters, digits, {@code _ . -} and start with a letter or {@code _}.
     *
     * @throws ModelworkException naming the offending key (or token) and listing {@link #VALID_FORMS}
     */
    public static SearchSpace parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ModelworkException("the search space is empty", "search space", "give at least one entry; " + VALID_FORMS);
        }
        Builder b = builder();
        for (String token : text.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq <= 0 || eq == token.length() - 1) {
                throw new ModelworkException("search-space entry '" + token + "' is not of the form name=spec",
                        "search space token '" + token + "'", "write name=spec; " + VALID_FORMS);
            }
            String key = token.substring(0, eq);
            String body = token.substring(eq + 1);
            b.add(key, withKey(key, () -> fromSyntax(body)));
        }
        return b.build();
    }

    private static Param fromValue(String key, Object v) {
        if (v instanceof List<?> list) return new Param.Choice(new ArrayList<>(list));
        if (v instanceof String s) return fromSyntax(s.trim());
        if (v instanceof Number || v instanceof Boolean) return new Param.Choice(List.of(v));
        if (v instanceof Map<?, ?> m) {
            if (m.size() != 1) throw bad("a map entry needs exactly one of choice, int, uniform, log_uniform, found " + m.keySet());
            Map.Entry<?, ?> only = m.entrySet().iterator().next();
            String form = String.valueOf(only.getKey());
            Object arg = only.getValue();
            switch (form) {
                case "choice":
                    if (!(arg instanceof List<?> list)) throw bad("'choice' needs a list of values, found " + arg);
                    return new Param.Choice(new ArrayList<>(list));
                case "int": {
                    double[] r = bounds(form, arg);
                    if (r[0] != Math.rint(r[0]) || r[1] != Math.rint(r[1])) throw bad("'int' needs integer bounds, found " + arg);
                    return new Param.IntRange(toInt(r[0]), toInt(r[1]));
                }
                case "uniform": {
                    double[] r = bounds(form, arg);
                    return new Param.Uniform(r[0], r[1]);
                }
                case "log_uniform": {
                    double[] r = bounds(form, arg);
                    return new Param.LogUniform(r[0], r[1]);
                }
                default:
                    throw bad("unknown form '" + form + "'");
            }
        }
        throw bad("cannot read a " + (v == null ? "null" : v.getClass().getSimpleName()) + " as a parameter");
    }

    private static double[] bounds(String form, Object arg) {
        if (arg instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number lo && l.get(1) instanceof Number hi) {
            return new double[] {lo.doubleValue(), hi.doubleValue()};
        }
        throw bad("'" + form + "' needs two numbers [lo, hi], found " + arg);
    }

    private static Param fromSyntax(String body) {
        if (body.isEmpty()) throw bad("the spec is empty");
        if (body.startsWith("int:")) {
            String[] r = range(body.substring(4), body);
            if (!INT.matcher(r[0]).matches() || !INT.matcher(r[1]).matches()) throw bad("'" + body + "' needs integer bounds");
            return new Param.IntRange(toInt(Long.parseLong(r[0].replace("+", ""))), toInt(Long.parseLong(r[1].replace("+", ""))));
        }
        if (body.startsWith("log:")) {
            String[] r = range(body.substring(4), body);
            return new Param.LogUniform(real(r[0], body), real(r[1], body));
        }
        if (body.startsWith("uniform:")) {
            String[] r = range(body.substring(8), body);
            return new Param.Uniform(real(r[0], body), real(r[1], body));
        }
        if (body.startsWith("choice:")) return choice(body.substring(7), body);
        if (body.contains("|")) return choice(body, body);
        int dots = body.indexOf("..");
        if (dots > 0) {
            String[] r = range(body, body);
            if (INT.matcher(r[0]).matches() && INT.matcher(r[1]).matches()) {
                return new Param.IntRange(toInt(Long.parseLong(r[0].replace("+", ""))), toInt(Long.parseLong(r[1].replace("+", ""))));
            }
            return new Param.Uniform(real(r[0], body), real(r[1], body));
        }
        return new Param.Choice(List.of(literal(body)));
    }

    private static Param choice(String values, String body) {
        List<Object> out = new ArrayList<>();
        for (String v : values.split("\\|", -1)) {
            if (v.isEmpty()) throw bad("'" + body + "' has an empty choice value");
            out.add(literal(v));
        }
        return new Param.Choice(out);
    }

    private static String[] range(String s, String body) {
        int dots = s.indexOf("..");
        if (dots <= 0 || dots + 2 >= s.length() || s.indexOf("..", dots + 2) >= 0) throw bad("'" + body + "' is not a range lo..hi");
        return new String[] {s.substring(0, dots), s.substring(dots + 2)};
    }

    private static double real(String s, String body) {
        if (!REAL.matcher(s).matches()) throw bad("'" + s + "' in '" + body + "' is not a number");
        return Double.parseDouble(s);
    }

    private static int toInt(double v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw bad("integer bound " + v + " is out of range");
        return (int) v;
    }

    /** Reads a choice value: an integer, a real, a boolean, or else the word itself. */
    static Object literal(String s) {
        if (INT.matcher(s).matches()) {
            try {
                long l = Long.parseLong(s.replace("+", ""));
                return l == (int) l ? (Object) (int) l : (Object) l;
            } catch (NumberFormatException e) {
                return s;
            }
        }
        if (REAL.matcher(s).matches()) return Double.parseDouble(s);
        if (s.equals("true") || s.equals("false")) return Boolean.parseBoolean(s);
        return s;
    }

    private static ModelworkException bad(String what) { return new ModelworkException(what, "", VALID_FORMS); }

    private interface ParamSupplier { Param get(); }

    private static Param withKey(String key, ParamSupplier s) {
        try {
            return s.get();
        } catch (ModelworkException e) {
            throw new ModelworkException("cannot read search-space entry '" + key + "': " + e.what(),
                    "search space key '" + key + "'", "valid forms are " + VALID_FORMS, e);
        }
    }

    /** Collects parameters in insertion order. */
    public static final class Builder {
        private final Map<String, Param> params = new LinkedHashMap<>();

        private Builder() {}

        /** Adds a parameter; names must be unique. */
        public Builder add(String name, Param p) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ModelworkException("'" + name + "' is not a valid parameter name", "search space key '" + name + "'",
                        "use letters, digits, _ . - and start with a letter or _");
            }
            Objects.requireNonNull(p, "param");
            if (params.putIfAbsent(name, p) != null) {
                throw new ModelworkException("parameter '" + name + "' appears twice", "search space key '" + name + "'",
                        "keep one entry per parameter");
            }
            return this;
        }

        /** Adds a {@link Param.Choice}. */
        public Builder choice(String name, Object... values) { return add(name, Param.Choice.of(values)); }

        /** Adds an inclusive {@link Param.IntRange}. */
        public Builder intRange(String name, int lo, int hi) { return add(name, new Param.IntRange(lo, hi)); }

        /** Adds a {@link Param.Uniform}. */
        public Builder uniform(String name, double lo, double hi) { return add(name, new Param.Uniform(lo, hi)); }

        /** Adds a {@link Param.LogUniform}. */
        public Builder logUniform(String name, double lo, double hi) { return add(name, new Param.LogUniform(lo, hi)); }

        /** The space; at least one parameter is required. */
        public SearchSpace build() { return new SearchSpace(params); }
    }
}
