package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A parsed optimization instance, as read by {@link Readers}. The records keep the data exactly as the file states it
 * (doubles where the file has decimals); scaling to the integers the routing library and CP-SAT need happens in
 * prepare_data ({@link Scaling}).
 */
public sealed interface Problem permits Problem.Tsp, Problem.Vrptw, Problem.JobShop, Problem.Mip, Problem.CpSat {

    String name();

    /** The input format: tsplib, solomon, cvrp (TSPLIB CVRP), jsplib, lp, mps or cpsat. */
    String format();

    /** The model spec that fits this instance by default. */
    String defaultSpec();

    /** The same instance under another name ({@code attach_dataset name=}). */
    Problem withName(String name);

    /** The attach step's profile of the instance (kind and size). */
    void profile(ObjectNode o);

    /** A lower bound computed at prepare_data (Held-Karp for a symmetric TSP), or NaN when there is none. */
    default double lowerBound() { return Double.NaN; }

    /**
     * A symmetric (or asymmetric, for EXPLICIT FULL_MATRIX) TSP with integer distances as TSPLIB defines them.
     *
     * @param x,y     node coordinates (COORD or DISPLAY_DATA); {@code null} when the file has none
     * @param dist    the TSPLIB distance matrix (already integral for every supported EDGE_WEIGHT_TYPE)
     */
    record Tsp(String name, String weightType, double[] x, double[] y, long[][] dist, String comment) implements Problem {
        public int n() { return dist.length; }
        @Override public String format() { return "tsplib"; }
        @Override public String defaultSpec() { return "optimization.routing.tsp"; }
        @Override public Tsp withName(String name) { return new Tsp(name, weightType, x, y, dist, comment); }
        @Override public void profile(ObjectNode o) {
            o.put("kind", "tsp");
            o.put("nodes", n());
            o.put("edge_weight_type", weightType);
            o.put("has_coordinates", x != null);
        }

        /** The Held-Karp 1-tree bound (300 subgradient steps) when the distances are symmetric. */
        @Override public double lowerBound() { return symmetric() ? HeldKarp.bound(dist, 300) : Double.NaN; }

        public boolean symmetric() {
            for (int i = 0; i < dist.length; i++) for (int j = 0; j < i; j++) if (dist[i][j] != dist[j][i]) return false;
            return true;
        }
    }

    /**
     * A capacitated vehicle routing problem with time windows (Solomon) or without (TSPLIB CVRP: windows are
     * {@code [0, +inf)} and service times 0). Node 0 is the depot. Distances and travel times are Euclidean doubles.
     */
    record Vrptw(String name, String format, double[] x, double[] y, double[] demand, double[] ready, double[] due,
                 double[] service, int vehicles, double capacity, long[][] explicitDist) implements Problem {
        public int n() { return x.length; }
        public boolean hasTimeWindows() { return format.equals("solomon"); }
        @Override public String defaultSpec() { return "optimization.routing.vrptw"; }
        @Override public Vrptw withName(String name) { return new Vrptw(name, format, x, y, demand, ready, due, service, vehicles, capacity, explicitDist); }
        @Override public void profile(ObjectNode o) {
            o.put("kind", hasTimeWindows() ? "vrptw" : "cvrp");
            o.put("nodes", n());
            o.put("customers", n() - 1);
            o.put("vehicles", vehicles);
            o.put("capacity", capacity);
            o.put("total_demand", Arrays.stream(demand).sum());
            if (hasTimeWindows()) o.put("horizon", due[0]);
        }

        /** Euclidean distance in double precision (Solomon convention: no rounding). */
        public double distance(int i, int j) {
            if (explicitDist != null) return explicitDist[i][j];
            double dx = x[i] - x[j], dy = y[i] - y[j];
            return Math.sqrt(dx * dx + dy * dy);
        }
    }

    /** A job-shop: job {@code j} visits {@code machine[j][k]} for {@code duration[j][k]} in order k. */
    record JobShop(String name, int jobs, int machines, int[][] machine, int[][] duration) implements Problem {
        @Override public String format() { return "jsplib"; }
        @Override public String defaultSpec() { return "optimization.cpsat.jobshop"; }
        @Override public JobShop withName(String name) { return new JobShop(name, jobs, machines, machine, duration); }
        @Override public void profile(ObjectNode o) {
            o.put("kind", "jobshop");
            o.put("jobs", jobs);
            o.put("machines", machines);
            o.put("size", jobs + " x " + machines);
            o.put("operations", Arrays.stream(machine).mapToInt(r -> r.length).sum());
            o.put("sum_of_durations", horizon());
        }
        public long horizon() {
            long h = 0;
            for (int[] d : duration) for (int v : d) h += v;
            return h;
        }
    }

    /** A linear or mixed-integer program given as an LP or MPS file (read by the OR-Tools model builder). */
    record Mip(String name, String format, Path file, int variables, int constraints, int integers) implements Problem {
        @Override public String defaultSpec() { return "optimization.mip"; }
        @Override public Mip withName(String name) { return new Mip(name, format, file, variables, constraints, integers); }
        @Override public void profile(ObjectNode o) {
            o.put("kind", "mip");
            o.put("variables", variables);
            o.put("constraints", constraints);
            o.put("integer_variables", integers);
            o.put("size", variables + " x " + constraints);
        }
    }

    /**
     * A CP-SAT model for {@code optimization.cpsat}: read from a {@code CpModelProto} file ({@code .pb} binary or
     * {@code .pbtxt} text, e.g. the {@code model.cpsat.pb} of an export bundle), or no file at all
     * ({@code attach_dataset format=cpsat}): then the model is built in Java and handed to build
     * ({@code model=<CpModel>}). {@code file} and {@code proto} are {@code null} in that case.
     */
    record CpSat(String name, Path file, com.google.ortools.sat.CpModelProto proto) implements Problem {
        @Override public String format() { return "cpsat"; }
        @Override public String defaultSpec() { return "optimization.cpsat"; }
        @Override public CpSat withName(String name) { return new CpSat(name, file, proto); }
        @Override public void profile(ObjectNode o) {
            o.put("kind", "cpsat");
            if (proto == null) o.put("dataset", "none (the model is built in Java and given to build)");
            else {
                o.put("variables", proto.getVariablesCount());
                o.put("constraints", proto.getConstraintsCount());
                o.put("has_objective", proto.hasObjective() || proto.hasFloatingPointObjective());
            }
        }
    }
}
