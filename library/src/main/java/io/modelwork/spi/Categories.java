package io.modelwork.spi;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Options;

import java.util.*;

/**
 * The categories on the class path ({@link ServiceLoader}), the choice of one for a dataset, and the list of every
 * spec of every category (for {@code bin/modelwork specs} and the unknown-spec error).
 */
public final class Categories {
    private Categories() { }

    private static volatile List<Category<?>> cache;

    /** Every category, sorted by name (the order of services files never matters). */
    public static List<Category<?>> all() {
        List<Category<?>> c = cache;
        if (c != null) return c;
        synchronized (Categories.class) {
            if (cache != null) return cache;
            Map<String, Category<?>> m = new TreeMap<>();
            for (ClassLoader cl : loaders())
                for (Category<?> cat : ServiceLoader.load(Category.class, cl)) m.putIfAbsent(cat.name(), cat);
            cache = List.copyOf(m.values());
            return cache;
        }
    }

    private static List<ClassLoader> loaders() {
        List<ClassLoader> l = new ArrayList<>();
        l.add(Categories.class.getClassLoader());
        ClassLoader ctx = Thread.currentThread().getContextClassLoader();
        if (ctx != null && ctx != l.get(0)) l.add(ctx);
        return l;
    }

    /** Forgets the cached list (after the kernel added jars to the class path). */
    public static synchronized void reload() { cache = null; }

    public static Category<?> byName(String name) {
        for (Category<?> c : all()) if (c.name().equals(name)) return c;
        throw new ModelworkException("Unknown category '" + name + "'", "category",
                "use one of " + all().stream().map(Category::name).toList());
    }

    /** spec → description, over all categories, sorted by spec. */
    public static SortedMap<String, String> specs() {
        SortedMap<String, String> m = new TreeMap<>();
        for (Category<?> c : all()) m.putAll(c.specs());
        return m;
    }

    /**
     * The category that builds {@code spec}, or an error listing all: the full spec first (specs may have three parts,
     * e.g. {@code optimization.routing.tsp}), then its {@code category.algorithm} base (a variant allowed).
     */
    public static Category<?> forSpec(String spec) {
        String full = spec == null ? "" : spec;
        for (Category<?> c : all()) if (c.specs().containsKey(full)) return c;
        String base = full.replaceAll("^([a-z0-9_]+\\.[a-z0-9_]+)\\..*$", "$1");
        for (Category<?> c : all()) if (c.specs().containsKey(base)) return c;
        String close = Options.closest(spec == null ? "" : spec, specs().keySet());
        throw new ModelworkException("Unknown model spec '" + spec + "'", "build spec",
                (close != null ? "did you mean '" + close + "'? " : "") + "use one of " + specs().keySet());
    }

    /** The category that serves {@code task} (e.g. regression → tabular), or null. */
    public static Category<?> forTask(String task) {
        if (task == null) return null;
        String t = task.trim().toLowerCase(Locale.ROOT);
        for (Category<?> c : all()) if (c.name().equals(t) || c.tasks().contains(t)) return c;
        return null;
    }

    /**
     * The category for a dataset: {@code task=} when given (an unknown task is an error listing the known ones), else
     * {@code spec} (the build spec when already known, as in a recipe; may be null), else the highest
     * {@link Category#recognise} score; a tie above {@link Category#FALLBACK} is an error that names both.
     */
    public static Category<?> choose(Args attachArgs, String spec) {
        String task = attachArgs.getString("task", null);
        if (task != null) {
            Category<?> c = forTask(task);
            if (c == null) {
                List<String> known = new ArrayList<>();
                for (Category<?> k : all()) known.addAll(k.tasks());
                String close = Options.closest(task, known);
                throw new ModelworkException("Unknown task '" + task + "'", "attach_dataset task",
                        (close != null ? "did you mean '" + close + "'? " : "") + "use one of " + new TreeSet<>(known));
            }
            return c;
        }
        if (spec != null && !spec.isBlank()) {
            try { return forSpec(spec); } catch (ModelworkException ignored) { /* the build step reports it */ }
        }
        return byData(all(), attachArgs);
    }

    /** The highest {@link Category#recognise} score among {@code candidates}; a tie above FALLBACK is an error naming them. */
    static Category<?> byData(List<Category<?>> candidates, Args attachArgs) {
        Category<?> best = null;
        int bestScore = 0;
        List<Category<?>> tied = new ArrayList<>();
        for (Category<?> c : candidates) {
            int s;
            try { s = c.recognise(attachArgs); } catch (RuntimeException e) { s = 0; }
            if (s > bestScore) { best = c; bestScore = s; tied.clear(); tied.add(c); }
            else if (s == bestScore && s > 0) tied.add(c);
        }
        if (best == null)
            throw new ModelworkException("No category recognises this dataset", "attach_dataset " + attachArgs,
                    "check path= and format=, or give task= (one of " + candidates.stream().flatMap(c -> c.tasks().stream()).sorted().toList() + ")");
        if (tied.size() > 1)
            throw new ModelworkException("The dataset is recognised by several categories: "
                    + tied.stream().map(Category::name).toList(), "attach_dataset " + attachArgs,
                    "say which with task= (e.g. task=" + tied.get(0).tasks().stream().findFirst().orElse(tied.get(0).name()) + ")");
        return best;
    }
}
