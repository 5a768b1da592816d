package io.modelwork.core;

import java.util.*;

/**
 * The declared arguments of one step ({@link Option}s in order). The one place a step's keys are written: the session
 * checks arguments with {@link #check(Step, Args, String)} before the step runs, the recipe pre-check calls the same
 * method before any work, {@code %help <step>} prints {@link #helpText(String)}, and the kernel completes magic keys
 * from {@link #names()}.
 *
 * <p>Options are immutable; {@link #plus} and {@link #without} return new sets.
 */
public final class Options implements Iterable<Option> {
    private final LinkedHashMap<String, Option> byName;

    private Options(LinkedHashMap<String, Option> byName) { this.byName = byName; }

    public static Options of(Option... options) { return of(Arrays.asList(options)); }

    public static Options of(Collection<Option> options) {
        LinkedHashMap<String, Option> m = new LinkedHashMap<>();
        for (Option o : options) {
            if (m.put(o.name(), o) != null) throw new IllegalArgumentException("option declared twice: " + o.name());
        }
        return new Options(m);
    }

    public static Options none() { return new Options(new LinkedHashMap<>()); }

    /**
     * Options from an engine's hyper-parameter defaults (types taken from the default values: an integer default is an
     * INT, a fractional one a DOUBLE, a boolean a BOOL, anything else text), each with {@code help}.
     */
    public static Options fromDefaults(Map<String, ?> defaults, String help) {
        List<Option> out = new ArrayList<>();
        defaults.forEach((k, v) -> {
            if (v instanceof Integer || v instanceof Long || v instanceof Short) out.add(Option.longInt(k, ((Number) v).longValue(), null, null, help));
            else if (v instanceof Number n) out.add(Option.number(k, n.doubleValue(), null, null, help));
            else if (v instanceof Boolean b) out.add(Option.bool(k, b, help));
            else out.add(Option.text(k, v == null ? null : String.valueOf(v), help));
        });
        return of(out);
    }

    /** These options followed by those of {@code other} that are not declared here. */
    public Options plus(Options other) {
        LinkedHashMap<String, Option> m = new LinkedHashMap<>(byName);
        for (Option o : other) m.putIfAbsent(o.name(), o);
        return new Options(m);
    }

    public Options plus(Option... more) { return plus(of(more)); }

    public Options without(String... names) {
        LinkedHashMap<String, Option> m = new LinkedHashMap<>(byName);
        for (String n : names) m.remove(n);
        return new Options(m);
    }

    public Set<String> names() { return Collections.unmodifiableSet(byName.keySet()); }

    public Option get(String name) { return byName.get(name); }

    public boolean has(String name) { return byName.containsKey(name); }

    public boolean isEmpty() { return byName.isEmpty(); }

    @Override public Iterator<Option> iterator() { return Collections.unmodifiableCollection(byName.values()).iterator(); }

    /**
     * Checks every key of {@code a}: an unknown key is an error that suggests the closest valid key and lists them all;
     * a value of the wrong type or out of range is an error naming the key and the valid range. {@code where} names
     * the origin (e.g. a recipe line); null means the step and the magic/Java line.
     */
    public Args check(Step step, Args a, String where) {
        for (String k : a.keys()) {
            String at = where != null ? where : step.key() + (a.origin().isEmpty() ? "" : ": " + a.origin());
            Option o = byName.get(k);
            if (o == null) throw unknown(step, k, at);
            o.check(a.get(k), at + (where != null ? "" : " (" + k + ")"));
        }
        return a;
    }

    /** The error for an unknown key: "did you mean" and the valid keys. */
    public ModelworkException unknown(Step step, String key, String where) {
        String close = closest(key, byName.keySet());
        return new ModelworkException("Unknown argument '" + key + "' for step " + step.key(), where,
                (close != null ? "did you mean '" + close + "'? " : "") + "valid keys: " + new TreeSet<>(byName.keySet()));
    }

    /** {@code %help <step>}: one line per key with type, default, range and help. */
    public String helpText(String title) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        if (byName.isEmpty()) return sb.append("  (no arguments)\n").toString();
        int w = byName.keySet().stream().mapToInt(String::length).max().orElse(8);
        for (Option o : byName.values()) {
            String meta = o.type().name().toLowerCase(Locale.ROOT)
                    + (o.dflt() == null ? "" : ", default " + o.defaultText())
                    + (o.range().isEmpty() || o.type() == Option.Type.BOOL ? "" : ", " + o.range());
            sb.append(String.format("  %-" + w + "s  %s%s%n", o.name(), o.help(), o.help().isEmpty() ? "(" + meta + ")" : "  (" + meta + ")"));
        }
        return sb.toString();
    }

    /** The closest of {@code valid} to {@code k} within edit distance 2 (or a prefix match), else null. */
    public static String closest(String k, Collection<String> valid) {
        String best = null;
        int bestD = 3;
        for (String v : valid) {
            int d = levenshtein(k.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT));
            if (d < bestD) { bestD = d; best = v; }
        }
        if (best == null && k.length() >= 3)
            for (String v : valid) if (v.startsWith(k) || k.startsWith(v)) return v;
        return best;
    }

    static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    @Override public String toString() { return byName.keySet().toString(); }
}
