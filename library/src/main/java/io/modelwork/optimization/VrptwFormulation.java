package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.report.StepReport;

import java.util.List;

/**
 * {@code optimization.routing.vrptw}: Solomon VRPTW or TSPLIB CVRP on the routing library with a capacity dimension
 * and, for Solomon, a time dimension (waiting allowed). Node 0 is the depot; the fleet is the instance's unless
 * {@code vehicles=} is given.
 */
final class VrptwFormulation extends RoutingFormulation {
    private final Problem.Vrptw v;

    VrptwFormulation(Problem.Vrptw v, double lowerBound) {
        super(lowerBound);
        this.v = v;
    }

    @Override public String spec() { return "optimization.routing.vrptw"; }
    @Override public Problem problem() { return v; }
    @Override double[] xs() { return v.x(); }
    @Override double[] ys() { return v.y(); }
    @Override double distance(int i, int j) { return v.distance(i, j); }
    @Override int label(int node) { return node; }
    @Override String routeName(int k) { return "route " + k; }
    @Override List<String> defaultFirstSolutions() { return List.of("parallel_cheapest_insertion", "local_cheapest_insertion", "savings"); }

    private int fleet(Solvers.Params pr) { return pr.vehicles() > 0 ? pr.vehicles() : v.vehicles(); }

    @Override public void describe(StepReport r, ObjectNode size, Solvers.Params pr, Scaling sc) {
        OrTools.load();
        size.put("nodes", v.n());
        size.put("vehicles", fleet(pr));
        size.put("dimensions", v.hasTimeWindows() ? "Capacity, Time" : "Capacity");
        r.note("variables: next/vehicle per node; constraints: one visit per node, capacity"
                + (v.hasTimeWindows() ? ", time windows (waiting allowed)" : "") + "; objective: total arc cost x" + (long) sc.factor());
    }

    @Override public Validator.Check check(Solution s, Solvers.Params pr) { return Validator.vrptw(v, s.routes(), fleet(pr)); }

    @Override public Formulation forScenario(Problem q) { return new VrptwFormulation((Problem.Vrptw) q, q.lowerBound()); }

    @Override void modelData(ObjectNode o, Scaling sc, Solvers.Params pr) {
        o.put("vehicles", fleet(pr));
        o.put("capacity", sc.capacity());
        o.set("demand", Json.MAPPER.valueToTree(sc.demand()));
        if (v.hasTimeWindows()) {
            o.set("travel_time", Json.MAPPER.valueToTree(sc.travel()));
            o.set("service_time", Json.MAPPER.valueToTree(sc.service()));
            o.set("window_open", Json.MAPPER.valueToTree(sc.ready()));
            o.set("window_close", Json.MAPPER.valueToTree(sc.due()));
        }
    }
}
