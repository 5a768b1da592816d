package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.report.StepReport;

import java.util.List;

/** {@code optimization.routing.tsp}: a TSPLIB TSP on the routing library, one vehicle, depot = node 1. */
final class TspFormulation extends RoutingFormulation {
    private final Problem.Tsp tsp;

    TspFormulation(Problem.Tsp tsp, double lowerBound) {
        super(lowerBound);
        this.tsp = tsp;
    }

    @Override public String spec() { return "optimization.routing.tsp"; }
    @Override public Problem problem() { return tsp; }
    @Override double[] xs() { return tsp.x(); }
    @Override double[] ys() { return tsp.y(); }
    @Override double distance(int i, int j) { return tsp.dist()[i][j]; }
    @Override int label(int node) { return node + 1; }
    @Override String routeName(int k) { return "tour"; }
    @Override List<String> defaultFirstSolutions() { return List.of("path_cheapest_arc", "savings", "christofides"); }

    @Override public void describe(StepReport r, ObjectNode size, Solvers.Params pr, Scaling sc) {
        OrTools.load();
        size.put("nodes", tsp.n());
        size.put("vehicles", 1);
        size.put("dimensions", "none");
        r.note("variables: next/vehicle per node; constraints: one visit per node; objective: total arc cost");
    }

    @Override public Validator.Check check(Solution s, Solvers.Params pr) {
        int[] route = s.routes().get(0);
        int[] tour = new int[route.length + 1];
        System.arraycopy(route, 0, tour, 1, route.length);
        return Validator.tsp(tsp, tour);
    }

    @Override public Formulation forScenario(Problem q) { return new TspFormulation((Problem.Tsp) q, q.lowerBound()); }

    @Override void modelData(ObjectNode o, Scaling sc, Solvers.Params pr) { o.put("vehicles", 1); }
}
