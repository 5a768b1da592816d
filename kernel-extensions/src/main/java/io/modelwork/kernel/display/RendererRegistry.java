package io.modelwork.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The registry of {@link Renderer}s: filled from {@link ServiceLoader} and by {@link #register}. */
public final class RendererRegistry {
    private final Map<Class<?>, Renderer<?>> byType = new ConcurrentHashMap<>();

    /** A registry with every renderer found on the class path of {@code loader}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static RendererRegistry load(ClassLoader loader) {
        RendererRegistry r = new RendererRegistry();
        for (Renderer renderer : ServiceLoader.load(Renderer.class, loader)) r.register(renderer);
        return r;
    }

    public <T> void register(Renderer<T> renderer) {
        byType.merge(renderer.type(), renderer, (a, b) -> b.priority() >= a.priority() ? b : a);
    }

    /** The renderer for the most specific type of {@code value}, or {@code null}. */
    public Renderer<?> find(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Renderer<?> r = byType.get(c);
            if (r != null) return r;
        }
        // interfaces, breadth first
        Deque<Class<?>> queue = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) queue.addAll(List.of(c.getInterfaces()));
        while (!queue.isEmpty()) {
            Class<?> i = queue.poll();
            if (!seen.add(i)) continue;
            Renderer<?> r = byType.get(i);
            if (r != null) return r;
            queue.addAll(List.of(i.getInterfaces()));
        }
        return null;
    }

    /**
     * Renders {@code value}: a {@link DisplayData} passes through unchanged (it is already a bundle); a value with a
     * renderer gets its bundles; a non-empty collection whose elements all have renderers gets their bundles in
     * order; anything else becomes {@code text/plain} of {@code String.valueOf}.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public List<DisplayData> render(Object value) {
        if (value instanceof DisplayData d) return List.of(d);
        if (value instanceof java.util.Collection<?> c && !c.isEmpty() && c.stream().allMatch(v -> v != null && find(v.getClass()) != null)) {
            // e.g. the step reports of %%recipe: each element's bundles, in order
            List<DisplayData> out = new ArrayList<>();
            for (Object v : c) out.addAll(render(v));
            return out;
        }
        if (value != null) {
            Renderer r = find(value.getClass());
            if (r != null) {
                List<DisplayData> out = r.render(value);
                if (out != null && !out.isEmpty()) return out;
            }
        }
        List<DisplayData> out = new ArrayList<>();
        out.add(new DisplayData(String.valueOf(value)));
        return out;
    }
}
