package io.modelwork.core;

import java.util.*;

/**
 * The arguments of one step: an ordered, immutable {@code key → value} map with typed accessors.
 *
 * <p>The same object is built from Java ({@link #of}), from a magic line ({@link #parse(String)}: {@code key=value}
 * tokens, double quotes for values with spaces) or from a recipe map ({@link #from(Map)}), so the three entry points
 * run the same step code with the same arguments. {@link #check(Step, Collection)} rejects unknown keys with an
 * error that lists the valid ones; typed getters reject bad values with an error that names the key.
 */
public final class Args {
    private final LinkedHashMap<String, Object> values;
    private String origin = "";

    private Args(LinkedHashMap<String, Object> values) { this.values = values; }

    public static Args empty() { return new Args(new LinkedHashMap<>()); }

    /** {@code Args.of("rounds", 300, "eta", 0.1)}. */
    public static Args of(Object... keyValues) {
        if (keyValues.length % 2 != 0)
            throw new ModelworkException("Args.of needs key/value pairs", "Args.of", "pass an even number of arguments");
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        return new Args(m);
    }

    public static Args from(Map<String, ?> map) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        if (map != null) map.forEach(m::put);
        return new Args(m);
    }

    /** Parses {@code key=value key2="a value" flag} (a bare word means {@code true}). */
    public static Args parse(String line) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        if (line == null) return new Args(m);
        List<String> tokens = tokenize(line);
        for (String t : tokens) {
            int eq = t.indexOf('=');
            if (eq <= 0) m.put(t, Boolean.TRUE);
            else m.put(t.substring(0, eq).trim(), t.substring(eq + 1));
        }
        Args a = new Args(m);
        a.origin = line;
        return a;
    }

    private static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') { quoted = !quoted; continue; }
            if (Character.isWhitespace(c) && !quoted) {
                if (cur.length() > 0) { out.add(cur.toString()); cur.setLength(0); }
            } else cur.append(c);
        }
        if (quoted) throw new ModelworkException("Unclosed double quote", "arguments: " + line, "close the quoted value");
        if (cur.length() > 0) out.add(cur.toString());
        return out;
    }

    /** Rejects keys not in {@code valid}, naming the bad key and listing the valid ones. */
    public Args check(Step step, Collection<String> valid) {
        for (String k : values.keySet()) {
            if (!valid.contains(k)) {
                String close = Options.closest(k, valid);
                throw new ModelworkException("Unknown argument '" + k + "' for step " + step.key(),
                        step.key() + (origin.isEmpty() ? "" : ": " + origin),
                        (close != null ? "did you mean '" + close + "'? " : "") + "valid keys: " + new TreeSet<>(valid));
            }
        }
        return this;
    }

    /** The magic line this came from (empty when built from Java or a recipe). */
    public String origin() { return origin; }

    public boolean has(String key) { return values.containsKey(key) && values.get(key) != null; }

    public Object get(String key) { return values.get(key); }

    public Set<String> keys() { return Collections.unmodifiableSet(values.keySet()); }

    public Map<String, Object> asMap() { return Collections.unmodifiableMap(values); }

    /** A copy with {@code key} set. */
    public Args with(String key, Object value) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>(values);
        m.put(key, value);
        Args a = new Args(m);
        a.origin = origin;
        return a;
    }

    /** A copy without the given keys. */
    public Args without(Collection<String> keys) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>(values);
        keys.forEach(m::remove);
        return new Args(m);
    }

    public String getString(String key, String dflt) {
        Object v = values.get(key);
        return v == null ? dflt : String.valueOf(v);
    }

    public String requireString(String key, String fix) {
        Object v = values.get(key);
        if (v == null || String.valueOf(v).isBlank())
            throw new ModelworkException("Missing required argument '" + key + "'", key, fix);
        return String.valueOf(v);
    }

    public int getInt(String key, int dflt) {
        Object v = values.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            if (n.doubleValue() > Integer.MAX_VALUE || n.doubleValue() < Integer.MIN_VALUE)
                throw bad(key, v, "an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer, e.g. " + key + "=10");
        }
    }

    public long getLong(String key, long dflt) {
        Object v = values.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n) {
            if (n.doubleValue() != Math.rint(n.doubleValue())) throw bad(key, v, "an integer, e.g. " + key + "=42");
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "an integer, e.g. " + key + "=42");
        }
    }

    public double getDouble(String key, double dflt) {
        Object v = values.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw bad(key, v, "a number, e.g. " + key + "=0.1");
        }
    }

    public boolean getBool(String key, boolean dflt) {
        Object v = values.get(key);
        if (v == null) return dflt;
        if (v instanceof Boolean b) return b;
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw bad(key, v, "true or false");
        };
    }

    /** A list from a YAML list or a comma-separated string. */
    public List<String> getList(String key) {
        Object v = values.get(key);
        if (v == null) return List.of();
        if (v instanceof Collection<?> c) return c.stream().map(String::valueOf).toList();
        String s = String.valueOf(v).trim();
        if (s.isEmpty()) return List.of();
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    public double[] getDoubles(String key, double[] dflt) {
        List<String> l = getList(key);
        if (l.isEmpty()) return dflt;
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Double.parseDouble(l.get(i));
            } catch (NumberFormatException e) {
                throw bad(key, values.get(key), "comma-separated numbers, e.g. " + key + "=0.7,0.15,0.15");
            }
        }
        return out;
    }

    /** A nested map (YAML) or {@code a:1,b:2} from a line. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getMap(String key) {
        Object v = values.get(key);
        if (v == null) return Map.of();
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        for (String part : getList(key)) {
            int c = part.indexOf(':');
            if (c <= 0) throw bad(key, v, "name:value pairs separated by commas, e.g. " + key + "=a:1,b:2");
            out.put(part.substring(0, c).trim(), part.substring(c + 1).trim());
        }
        return out;
    }

    public <E extends Enum<E>> E getEnum(String key, Class<E> type, E dflt) {
        Object v = values.get(key);
        if (v == null) return dflt;
        String s = String.valueOf(v).trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) if (e.name().equals(s)) return e;
        throw bad(key, v, "one of " + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    private ModelworkException bad(String key, Object v, String expected) {
        return new ModelworkException("Bad value '" + v + "' for argument '" + key + "'", key, "use " + expected);
    }

    @Override public String toString() { return values.toString(); }

    @Override public boolean equals(Object o) { return o instanceof Args a && a.values.equals(values); }

    @Override public int hashCode() { return values.hashCode(); }
}
