package io.modelwork.optimization;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Readers (TSPLIB distance types and EXPLICIT formats, Solomon, JSPLIB detection) and the attach-time validation. */
class OptimizationInputTest {

    /**
     * Each TSPLIB distance rule gives the published optimum: never below it (a wrong rounding or GEO rule shifts every
     * tour length, e.g. ATT without its /10 would be ~3x larger), and within 1% in a 15 s budget (usually exactly).
     */
    @ParameterizedTest
    @CsvSource({"burma14,GEO,3323", "gr17,EXPLICIT,2085", "bayg29,EXPLICIT,1610", "att48,ATT,10628", "dantzig42,EXPLICIT,699", "eil51,EUC_2D,426"})
    void tsplibDistanceRulesReachThePublishedOptima(String name, String type, int optimum, @TempDir Path tmp) {
        try (Session s = OptimizationAnchorsTest.session(tmp)) {
            StepReport at = s.attachDataset(Args.of("path", Assets.data("optimization/tsplib/" + name + ".tsp").toString()));
            assertEquals(type, at.body().get("profile").get("edge_weight_type").asText());
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.empty());
            s.fit(Args.of("time_limit", 15, "target", optimum));
            var m = s.evaluate(Args.empty()).body().get("metrics");
            double obj = m.get("objective").asDouble();
            System.out.printf("%s (%s): %.0f, optimum %d%n", name, type, obj, optimum);
            assertTrue(obj >= optimum && obj <= optimum * 1.01, name + " " + m);
            assertEquals(0, m.get("violations").asInt());
            assertTrue(m.get("bound").isNull() || m.get("bound").asDouble() <= optimum + 1e-9, "bound above the optimum: " + m);
        }
    }

    @Test
    void factoryDetectsFormatsAndLeavesCsvToTabular(@TempDir Path tmp) throws Exception {
        var c = new OptimizationCategory();
        java.util.function.Predicate<Args> f = a -> c.recognise(a) == io.modelwork.spi.Category.RECOGNISED;
        assertTrue(f.test(Args.of("path", Assets.data("optimization/jsplib/ft06").toString())));
        assertTrue(f.test(Args.of("path", Assets.data("optimization/solomon/C101.txt").toString())));
        assertTrue(f.test(Args.of("path", "x.vrp")));
        assertTrue(f.test(Args.of("path", "anything", "format", "cpsat")));
        assertEquals(0, c.recognise(Args.of("path", Assets.data("optimization/jsplib/README.md").toString())));
        Path csv = tmp.resolve("a.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        assertEquals(0, c.recognise(Args.of("path", csv.toString())));
        Path noext = tmp.resolve("table");
        Files.writeString(noext, "a b\n1 2\n");
        assertEquals(0, c.recognise(Args.of("path", noext.toString())));
        // three-part specs resolve to this category (the base optimization.routing is no spec)
        assertEquals("optimization", io.modelwork.spi.Categories.forSpec("optimization.routing.tsp").name());
        assertEquals("optimization", io.modelwork.spi.Categories.forSpec("optimization.cpsat.jobshop").name());
    }

    @Test
    void solomonTimeWindowClosingBeforeItOpensAndOversizedDemandAreRefused(@TempDir Path tmp) throws Exception {
        List<String> lines = Files.readAllLines(Assets.data("optimization/solomon/C101.txt"));
        List<String> broken = new java.util.ArrayList<>(lines);
        for (int i = 0; i < broken.size(); i++) {
            String[] t = broken.get(i).trim().split("\\s+");
            if (t.length == 7 && t[0].equals("5")) broken.set(i, "5 42 65 10 67 15 90");        // window [67, 15]
            if (t.length == 7 && t[0].equals("7")) broken.set(i, "7 40 66 500 170 225 90");     // demand 500 > 200
        }
        Path f = tmp.resolve("solomon").resolve("BAD.txt");
        Files.createDirectories(f.getParent());
        Files.write(f, broken);
        try (Session s = OptimizationAnchorsTest.session(tmp)) {
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.attachDataset(Args.of("path", f.toString())));
            assertTrue(e.what().contains("customer 5: its time window closes"), e.what());
            assertTrue(e.what().contains("customer 7: demand 500.0 is larger than any vehicle"), e.what());
            assertTrue(e.fix().contains("validate=warn"));
        }
        try (Session s = OptimizationAnchorsTest.session(tmp.resolve("b"))) {
            StepReport at = s.attachDataset(Args.of("path", f.toString(), "validate", "warn"));
            assertEquals(2, at.body().get("validation").get("errors").size(), at.body().toString());
        }
    }

    @Test
    void jobWithAMissingMachineIsRefused(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bad_js");
        Files.writeString(f, "# instance bad\n3 3\n0 3 1 2 2 2\n0 2 2 1\n1 4 2 3 0 1\n");
        try (Session s = OptimizationAnchorsTest.session(tmp)) {
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.attachDataset(Args.of("path", f.toString())));
            assertTrue(e.what().contains("job 1 has no operation on machine(s) [1]"), e.what());
        }
    }

    @Test
    void unknownSpecListsTheKnownOnes(@TempDir Path tmp) {
        try (Session s = OptimizationAnchorsTest.session(tmp)) {
            s.attachDataset(Args.of("path", Assets.data("optimization/jsplib/ft06").toString()));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.build(Args.of("spec", "optimization.cpsat.flowshop")));
            for (String k : new OptimizationCategory().specs().keySet()) assertTrue(e.fix().contains(k), e.fix());
            ModelworkException w = assertThrows(ModelworkException.class, () -> s.build(Args.of("spec", "optimization.routing.tsp")));
            assertTrue(w.fix().contains("optimization.cpsat.jobshop"));
        }
    }
}
