package io.modelwork.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The port returns the very assignment SciPy returns (not just one of equal cost), on 301 matrices full of ties,
 * rectangular both ways; fixtures from {@code src/test/resources/metrics/lsap_scipy.py} (SciPy 1.17.1).
 */
class LinearSumAssignmentTest {
    @Test
    void sameAssignmentsAsScipy() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("/metrics/lsap_scipy.json")) {
            root = Json.MAPPER.readTree(in);
        }
        int n = 0;
        for (JsonNode c : root.get("cases")) {
            JsonNode cost = c.get("cost");
            double[][] m = new double[cost.size()][];
            for (int i = 0; i < m.length; i++) {
                m[i] = new double[cost.get(i).size()];
                for (int j = 0; j < m[i].length; j++) m[i][j] = cost.get(i).get(j).asDouble();
            }
            LinearSumAssignment.Result r = LinearSumAssignment.minimize(m);
            assertEquals(c.get("rows").size(), r.size(), "case " + n);
            for (int k = 0; k < r.size(); k++) {
                assertEquals(c.get("rows").get(k).asInt(), r.rows()[k], "case " + n);
                assertEquals(c.get("cols").get(k).asInt(), r.cols()[k], "case " + n);
            }
            n++;
        }
        assertEquals(301, n);
    }

    @Test
    void emptyAndNonFinite() {
        assertEquals(0, LinearSumAssignment.minimize(new double[0][0]).size());
        assertEquals(0, LinearSumAssignment.minimize(new double[3][0]).size());
        assertThrows(io.modelwork.core.ModelworkException.class,
                () -> LinearSumAssignment.minimize(new double[][] {{0, Double.NaN}}));
    }
}
