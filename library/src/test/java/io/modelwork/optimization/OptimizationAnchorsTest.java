package io.modelwork.optimization;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The correctness anchors of issue 5 on the shared instances: every solution is re-checked by the independent
 * {@link Validator} (zero violations, objective recomputed in double precision).
 */
class OptimizationAnchorsTest {

    static Session session(Path tmp) {
        Session s = Session.create(tmp);
        s.configure(Args.of("seed", 42, "threads", 2, "run_dir", tmp.resolve("run").toString(), "progress", false));
        return s;
    }

    static StepReport solveAndEvaluate(Session s, String data, Args build, Args fit) {
        s.attachDataset(Args.of("path", Assets.data(data).toString()));
        s.prepareData(Args.empty());
        s.split(Args.empty());
        s.build(build);
        s.fit(fit);
        StepReport ev = s.evaluate(Args.empty());
        assertEquals(0, ev.body().get("metrics").get("violations").asInt(), ev.body().toString());
        return ev;
    }

    @Test
    void berlin52ReachesItsOptimum7542(@TempDir Path tmp) {
        try (Session s = session(tmp)) {
            StepReport ev = solveAndEvaluate(s, "optimization/tsplib/berlin52.tsp", Args.of("spec", "optimization.routing.tsp"),
                    Args.of("time_limit", 20, "target", 7542));
            var m = ev.body().get("metrics");
            assertEquals(7542.0, m.get("objective").asDouble(), 1e-9, m.toString());
            assertEquals(7542.0, m.get("known_optimum").asDouble());
            assertEquals(0.0, m.get("gap_to_known").asDouble(), 1e-12);
            assertTrue(m.get("bound").asDouble() <= 7542.0, "Held-Karp bound must be a lower bound: " + m);
            assertTrue(ev.charts().stream().anyMatch(c -> c.name().equals("route_map")));
            assertTrue(ev.charts().stream().anyMatch(c -> c.name().equals("objective_vs_time")));
        }
    }

    @Test
    void ulysses16GeoReaches6859(@TempDir Path tmp) {
        try (Session s = session(tmp)) {
            StepReport ev = solveAndEvaluate(s, "optimization/tsplib/ulysses16.tsp", Args.empty(), Args.of("time_limit", 10, "target", 6859));
            assertEquals(6859.0, ev.body().get("metrics").get("objective").asDouble(), 1e-9, ev.body().toString());
        }
    }

    @Test
    void ft06MakespanIs55ProvenOptimal(@TempDir Path tmp) {
        try (Session s = session(tmp)) {
            StepReport ev = solveAndEvaluate(s, "optimization/jsplib/ft06", Args.of("spec", "optimization.cpsat.jobshop"), Args.of("time_limit", 30));
            var m = ev.body().get("metrics");
            assertEquals(55.0, m.get("objective").asDouble(), m.toString());
            assertEquals("optimal", m.get("status").asText());
            assertEquals(55.0, m.get("bound").asDouble());
            assertTrue(ev.charts().stream().anyMatch(c -> c.name().equals("gantt")));
        }
    }

    /**
     * ft10 (optimum 930) within a CI budget of 20 s on 2 workers. On the shared 2-core CI machine CP-SAT does not
     * prove 930 in that time: this test states what it reaches (printed) and asserts a gap to 930 of at most 3%,
     * and that the validator's makespan is never below the proven optimum. Measured values: see README
     * ("Optimization", ft10).
     */
    @Test
    void ft10Within3PercentOf930In20Seconds(@TempDir Path tmp) {
        try (Session s = session(tmp)) {
            StepReport ev = solveAndEvaluate(s, "optimization/jsplib/ft10", Args.of("spec", "optimization.cpsat.jobshop"),
                    Args.of("time_limit", 20, "workers", 2, "target", 930));
            var m = ev.body().get("metrics");
            double obj = m.get("objective").asDouble();
            double gap = m.get("gap_to_known").asDouble();
            System.out.printf("ft10: makespan %.0f (known 930), gap to 930 %.3f%%, status %s, bound %s, solver gap %s, %.1f s%n", obj, 100 * gap,
                    m.get("status").asText(), m.get("bound"), m.get("gap"), m.get("solve_seconds").asDouble());
            assertTrue(m.get("solve_seconds").asDouble() <= 21.5, m.toString());
            assertTrue(gap <= 0.03, "ft10 gap to 930 after 20 s: " + gap + " " + m);
            assertTrue(obj >= 930);
            assertTrue(m.get("bound").asDouble() <= 930 + 1e-9, "CP-SAT's bound is a lower bound: " + m);
        }
    }

    @Test
    void solomonC101Within1PercentOf82894With10Vehicles(@TempDir Path tmp) {
        try (Session s = session(tmp)) {
            StepReport ev = solveAndEvaluate(s, "optimization/solomon/C101.txt", Args.of("spec", "optimization.routing.vrptw", "vehicles", 10),
                    Args.of("time_limit", 20, "target", 828.94 * 1.005));
            var m = ev.body().get("metrics");
            double obj = m.get("objective").asDouble();
            System.out.printf("C101: %.2f with %d vehicles (best known 828.94, 10), first solution after %.2f s, %.1f s%n", obj,
                    m.get("vehicles_used").asInt(), m.get("time_to_first_solution_s").asDouble(), m.get("solve_seconds").asDouble());
            assertTrue(obj <= 828.94 * 1.01, "C101 " + m);
            assertTrue(obj >= 828.94 - 0.01, "below the best known: the validator would be wrong " + m);
            assertTrue(m.get("vehicles_used").asInt() <= 10, m.toString());
            assertEquals(10, m.get("known_vehicles").asInt());
        }
    }
}
