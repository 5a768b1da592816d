package io.modelwork.optimization;

import java.nio.file.Path;

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
        public long horizon() {
            long h = 0;
            for (int[] d : duration) for (int v : d) h += v;
            return h;
        }
    }

    /** A linear or mixed-integer program given as an LP or MPS file (read by the OR-Tools model builder). */
    record Mip(String name, String format, Path file, int variables, int constraints, int integers) implements Problem {
        @Override public String defaultSpec() { return "optimization.mip"; }
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
    }
}
