package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.report.Chart;
import io.modelwork.report.Tables;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small report pieces the optimization handlers share: number formatting, key-value tables, the objective chart. */
final class OptimizationReports {
    private OptimizationReports() { }

    /** A number for a table: "—" for NaN, integers without decimals, else 4 decimals. */
    static String fmt(double v) {
        if (Double.isNaN(v)) return "—";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    static Table kv(String title, Map<String, ?> m) { return Tables.keyValues(title, m); }

    /** The fields of several JSON objects as one text map (for a key-value table). */
    static Map<String, Object> flatten(JsonNode... nodes) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonNode n : nodes) n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    /** The incumbent objective (and the bound, when the solver has one) over the solve time. */
    static Chart objectiveChart(Solution s) {
        List<double[]> pts = s.trace().stream().filter(p -> !Double.isNaN(p[1])).toList();
        List<double[]> bpts = s.trace().stream().filter(p -> !Double.isNaN(p[2])).toList();
        List<Chart.Series> series = new ArrayList<>();
        series.add(Chart.Series.line("objective", pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()));
        if (!bpts.isEmpty())
            series.add(Chart.Series.dashed("bound", bpts.stream().mapToDouble(p -> p[0]).toArray(), bpts.stream().mapToDouble(p -> p[2]).toArray()));
        return Chart.line("objective_vs_time", "Objective and bound over time", "seconds", "objective", series);
    }

    /** The fit note when there is no solution: only a timeout asks for a longer time limit. */
    static String noSolutionNote(String status) {
        return switch (status) {
            case "infeasible" -> "no solution: the solver proved the model infeasible (no assignment satisfies every constraint; "
                    + "no time limit changes that): relax or drop a constraint, or check the instance's validation report";
            case "timeout" -> "no solution: timeout (raise time_limit)";
            default -> "no solution: " + status;
        };
    }

    /** The fix of evaluate's "no solution" error, by fit status. */
    static String noSolutionFix(String status) {
        return switch (status) {
            case "infeasible" -> "the solver proved that no solution exists: relax or drop a constraint, or check the instance's validation report";
            case "unbounded" -> "the objective is unbounded: add bounds to the variables or constraints that limit the objective";
            case "invalid" -> "the solver refused the model: see the fit report and solver.log";
            default -> "fit again with a longer time_limit, or check the instance's validation report";
        };
    }
}
