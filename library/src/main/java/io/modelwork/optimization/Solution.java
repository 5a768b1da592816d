package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one solve (fit): the status as the issue names them ({@code optimal}, {@code feasible},
 * {@code infeasible}, {@code timeout}; {@code invalid} for a model the solver refuses), the objective in the
 * instance's own units, the best bound (NaN when the solver has none), the time to the first solution, the trace of
 * (seconds, objective, bound) points, and the solution itself: routes (node lists without the depot, for TSP one
 * route starting at node 0), job-shop start times, or MIP variable values.
 */
public record Solution(String status, String stoppedBy, double objective, double bound, double seconds, double timeToFirst,
                       List<double[]> trace, List<int[]> routes, int[][] starts, double[] values, String log,
                       ObjectNode parameters) {

    public boolean hasSolution() { return routes != null || starts != null || values != null; }

    /** Relative gap between the objective and the bound, |obj - bound| / max(1, |obj|); NaN without a bound. */
    public double gap() {
        if (Double.isNaN(bound) || !hasSolution()) return Double.NaN;
        return Math.abs(objective - bound) / Math.max(1e-9, Math.abs(objective));
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("status", status);
        o.put("stopped_by", stoppedBy);
        num(o, "objective", hasSolution() ? objective : Double.NaN);
        num(o, "bound", bound);
        num(o, "gap", gap());
        num(o, "seconds", seconds);
        num(o, "time_to_first_solution_s", timeToFirst);
        if (parameters != null) o.set("parameters", parameters);
        if (routes != null) {
            ArrayNode r = o.putArray("routes");
            for (int[] route : routes) r.add(Json.MAPPER.valueToTree(route));
        }
        if (starts != null) o.set("starts", Json.MAPPER.valueToTree(starts));
        if (values != null) o.set("values", Json.MAPPER.valueToTree(values));
        ArrayNode t = o.putArray("trace");
        for (double[] p : trace) {
            ArrayNode a = t.addArray().add(p[0]).add(p[1]);
            if (Double.isNaN(p[2])) a.addNull(); else a.add(p[2]);
        }
        return o;
    }

    /** Puts a number, or null for NaN/infinity (strict JSON). */
    static void num(ObjectNode o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) o.putNull(key); else o.put(key, v);
    }

    /** A solution saved by {@link #toJson} (a checkpoint's best solution), with its solver log; the trace is not kept. */
    static Solution fromJson(JsonNode b, String log) {
        List<int[]> routes = null;
        if (b.has("routes")) {
            routes = new ArrayList<>();
            for (JsonNode r : b.get("routes")) routes.add(Json.MAPPER.convertValue(r, int[].class));
        }
        int[][] starts = b.has("starts") ? Json.MAPPER.convertValue(b.get("starts"), int[][].class) : null;
        double[] values = b.has("values") ? Json.MAPPER.convertValue(b.get("values"), double[].class) : null;
        return new Solution(b.path("status").asText(), "checkpoint", b.path("objective").asDouble(Double.NaN),
                b.path("bound").isNumber() ? b.get("bound").asDouble() : Double.NaN, b.path("seconds").asDouble(0),
                b.path("time_to_first_solution_s").isNumber() ? b.get("time_to_first_solution_s").asDouble() : Double.NaN,
                new ArrayList<>(), routes, starts, values, log, (ObjectNode) b.path("parameters"));
    }
}
