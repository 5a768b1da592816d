package io.modelwork.tabular.engine;

import io.modelwork.core.ModelworkException;

import java.util.*;

/** The providers on the class path, found with {@link ServiceLoader}, keyed by spec. */
public final class Providers {
    private Providers() {}

    private static volatile Map<String, TaskProvider> cache;

    public static synchronized Map<String, TaskProvider> all() {
        if (cache == null) {
            Map<String, TaskProvider> m = new TreeMap<>();
            ServiceLoader<TaskProvider> loader = ServiceLoader.load(TaskProvider.class, Providers.class.getClassLoader());
            for (TaskProvider p : loader) for (String s : p.specs()) m.put(s, p);
            if (Thread.currentThread().getContextClassLoader() != null) {
                for (TaskProvider p : ServiceLoader.load(TaskProvider.class, Thread.currentThread().getContextClassLoader()))
                    for (String s : p.specs()) m.putIfAbsent(s, p);
            }
            cache = Collections.unmodifiableMap(m);
        }
        return cache;
    }

    public static List<String> knownSpecs() { return List.copyOf(all().keySet()); }

    /** The provider for a spec; an unknown spec is an error that lists the known ones. */
    public static TaskProvider forSpec(ModelSpec spec) {
        TaskProvider p = all().get(spec.base());
        if (p == null) {
            java.util.Set<String> every = io.modelwork.spi.Categories.specs().keySet();
            String close = io.modelwork.core.Options.closest(spec.toString(), every);
            throw new ModelworkException("Unknown model spec '" + spec + "'", "build spec",
                    (close != null ? "did you mean '" + close + "'? " : "") + "use one of " + every);
        }
        return p;
    }
}
