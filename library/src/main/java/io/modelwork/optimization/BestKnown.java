package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Known optima and best-known solutions shipped with the instance collections: TSPLIB {@code solutions.txt}
 * ({@code name : value}), JSPLIB {@code instances.json} ({@code optimum} or {@code bounds}) and the Solomon
 * {@code BKS_vroom.json} ({@code best_known_cost}, {@code solved_with_vehicles}). Looked up next to the instance
 * first, then under the assets' {@code data/optimization/}.
 *
 * @param value    the optimum (or best-known upper bound)
 * @param proven   true when it is a proven optimum
 * @param lower    a proven lower bound when only bounds are known (else NaN)
 * @param vehicles the fleet size of the best-known solution (Solomon), or 0
 * @param source   the file it came from
 */
public record BestKnown(double value, boolean proven, double lower, int vehicles, String source) {

    static BestKnown lookup(Problem p, Path file) {
        String name = p.name().trim();
        List<Path> dirs = new ArrayList<>();
        if (file != null && file.toAbsolutePath().getParent() != null) dirs.add(file.toAbsolutePath().getParent());
        try {
            dirs.add(Assets.data("optimization/" + switch (p.format()) {
                case "tsplib" -> "tsplib";
                case "solomon" -> "solomon";
                case "jsplib" -> "jsplib";
                default -> "none";
            }));
        } catch (RuntimeException ignored) { /* no assets root: only next to the file */ }
        for (Path d : dirs) {
            BestKnown b = switch (p.format()) {
                case "tsplib" -> tsplib(d.resolve("solutions.txt"), name);
                case "jsplib" -> jsplib(d.resolve("instances.json"), name);
                case "solomon" -> solomon(d.resolve("BKS_vroom.json"), name);
                default -> null;
            };
            if (b != null) return b;
        }
        return null;
    }

    static BestKnown tsplib(Path f, String name) {
        if (!Files.isRegularFile(f)) return null;
        try {
            for (String line : Files.readAllLines(f)) {
                int c = line.indexOf(':');
                if (c <= 0) continue;
                if (!line.substring(0, c).trim().equalsIgnoreCase(name)) continue;
                String v = line.substring(c + 1).trim().split("\\s+")[0];
                return new BestKnown(Double.parseDouble(v), true, Double.NaN, 0, f.toString());
            }
        } catch (Exception ignored) { }
        return null;
    }

    static BestKnown jsplib(Path f, String name) {
        if (!Files.isRegularFile(f)) return null;
        try {
            for (JsonNode e : Json.MAPPER.readTree(f.toFile())) {
                if (!e.path("name").asText().equalsIgnoreCase(name)) continue;
                if (e.hasNonNull("optimum")) return new BestKnown(e.get("optimum").asDouble(), true, e.get("optimum").asDouble(), 0, f.toString());
                JsonNode b = e.path("bounds");
                if (b.has("upper")) return new BestKnown(b.get("upper").asDouble(), false, b.path("lower").asDouble(Double.NaN), 0, f.toString());
            }
        } catch (Exception ignored) { }
        return null;
    }

    static BestKnown solomon(Path f, String name) {
        if (!Files.isRegularFile(f)) return null;
        try {
            JsonNode root = Json.MAPPER.readTree(f.toFile());
            JsonNode e = root.get(name.toUpperCase(Locale.ROOT));
            if (e == null) e = root.get(name);
            if (e == null || !e.has("best_known_cost")) return null;
            return new BestKnown(e.get("best_known_cost").asDouble(), false, Double.NaN, e.path("solved_with_vehicles").asInt(0), f.toString());
        } catch (Exception ignored) { }
        return null;
    }
}
