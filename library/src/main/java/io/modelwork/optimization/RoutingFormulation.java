package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.ortools.constraintsolver.main;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.tune.Param;
import io.modelwork.tune.SearchSpace;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The routing library's formulations (TSP and VRPTW/CVRP): next/vehicle variables per node, solved by a first
 * solution strategy and a local-search metaheuristic. What they share: the solve, the route map and route table of
 * evaluate, the first_solution x metaheuristic grid of tune, and the export of the integer data + search parameters.
 */
abstract class RoutingFormulation implements Formulation {
    private final double lowerBound;

    /** @param lowerBound the Held-Karp bound of prepare_data (NaN when none): the solves report it as their bound */
    RoutingFormulation(double lowerBound) { this.lowerBound = lowerBound; }

    abstract double[] xs();

    abstract double[] ys();

    /** The instance's own (unscaled) distance. */
    abstract double distance(int i, int j);

    /** A node as the instance file numbers it. */
    abstract int label(int node);

    /** The name of a route in the route map. */
    abstract String routeName(int k);

    /** tune's default first-solution strategies. */
    abstract List<String> defaultFirstSolutions();

    /** The kind-specific part of the exported integer data (vehicles, capacity, windows). */
    abstract void modelData(ObjectNode o, Scaling sc, Solvers.Params pr);

    @Override public boolean stopsAtGap() { return false; }

    @Override public Solution solve(Scaling sc, Solvers.Params pr, Solution hint, Solvers.Listener l) {
        return Solvers.routing(problem(), sc, pr, hint == null ? null : hint.routes(), lowerBound, l);
    }

    @Override public void evaluate(StepReport r, Solution s) {
        if (s.routes() == null) return;
        Chart map = routeMap(s);
        if (map != null) r.chart(map);
        r.table(routeTable(s));
    }

    @Override public SearchSpace tuneSpace(Args a, int threads) {
        List<String> fs = a.getList("first_solution"), mh = a.getList("metaheuristic");
        return SearchSpace.builder()
                .add("first_solution", new Param.Choice(new ArrayList<>(fs.isEmpty() ? defaultFirstSolutions() : fs)))
                .add("metaheuristic", new Param.Choice(new ArrayList<>(mh.isEmpty()
                        ? List.of("guided_local_search", "simulated_annealing", "tabu_search") : mh)))
                .build();
    }

    /** model.json (the integer data the routing model is built from, so the solve can be reproduced without the source file) and the search parameters. */
    @Override public List<String> exportModel(BundleWriter b, Scaling sc, Solvers.Params pr) {
        ObjectNode o = Json.object();
        o.put("format", "modelwork.routing/1");
        o.put("spec", spec());
        o.put("scale", sc.factor());
        o.put("precision", sc.precision());
        o.set("arc_cost", Json.MAPPER.valueToTree(sc.cost()));
        modelData(o, sc, pr);
        o.put("depot", 0);
        b.json("model.json", o);
        b.text("search_parameters.pbtxt", main.defaultRoutingSearchParameters().toBuilder()
                .setTimeLimit(com.google.protobuf.Duration.newBuilder().setSeconds((long) pr.timeLimit())).build().toString()
                + "# first_solution: " + (pr.firstSolution() == null ? "default of the spec" : pr.firstSolution())
                + ", metaheuristic: " + (pr.metaheuristic() == null ? "guided_local_search" : pr.metaheuristic()) + "\n");
        return List.of("model.json", "search_parameters.pbtxt");
    }

    private Chart routeMap(Solution s) {
        double[] x = xs(), y = ys();
        if (x == null) return null;
        List<Chart.Series> series = new ArrayList<>();
        series.add(Chart.Series.markers("nodes", Arrays.copyOfRange(x, 1, x.length), Arrays.copyOfRange(y, 1, y.length)));
        series.add(Chart.Series.markers("depot", new double[]{x[0]}, new double[]{y[0]}));
        int k = 0;
        for (int[] route : s.routes()) {
            k++;
            if (route.length == 0) continue;
            double[] rx = new double[route.length + 2], ry = new double[route.length + 2];
            rx[0] = x[0]; ry[0] = y[0];
            for (int i = 0; i < route.length; i++) { rx[i + 1] = x[route[i]]; ry[i + 1] = y[route[i]]; }
            rx[route.length + 1] = x[0]; ry[route.length + 1] = y[0];
            series.add(Chart.Series.line(routeName(k), rx, ry));
        }
        return Chart.scatter("route_map", "Routes (" + problem().name() + ")", "x", "y", series);
    }

    private Table routeTable(Solution s) {
        Table t = Table.create("Routes");
        StringColumn id = StringColumn.create("route"), stops = StringColumn.create("stops"), len = StringColumn.create("length"),
                seq = StringColumn.create("sequence");
        int k = 0;
        for (int[] route : s.routes()) {
            k++;
            if (route.length == 0) continue;
            double l = 0;
            int prev = 0;
            for (int c : route) { l += distance(prev, c); prev = c; }
            l += distance(prev, 0);
            id.append(String.valueOf(k));
            stops.append(String.valueOf(route.length));
            len.append(OptimizationReports.fmt(Math.round(l * 1e4) / 1e4));
            StringBuilder sb = new StringBuilder().append(label(0));
            for (int c : route) sb.append(' ').append(label(c));
            sb.append(' ').append(label(0));
            seq.append(sb.length() > 400 ? sb.substring(0, 400) + "…" : sb.toString());
        }
        t.addColumns(id, stops, len, seq);
        return t;
    }
}
