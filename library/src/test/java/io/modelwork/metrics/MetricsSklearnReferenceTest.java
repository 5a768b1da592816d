package io.modelwork.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks every metric against {@code metrics/sklearn_reference.json}, written by {@code sklearn_reference.py} with
 * scikit-learn 1.2.1 (Debian python3-sklearn). Scalars and curves agree to 1e-9, relative for magnitudes above 1
 * (MAPE with a zero in y is about 1e14).
 */
class MetricsSklearnReferenceTest {
    private static final double TOL = 1e-9;
    private static JsonNode ref;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = MetricsSklearnReferenceTest.class.getResourceAsStream("/metrics/sklearn_reference.json")) {
            assertTrue(in != null, "metrics/sklearn_reference.json is on the test classpath");
            ref = Json.MAPPER.readTree(in);
        }
    }

    @Test
    void referenceWasWrittenBySklearn121() {
        assertEquals("1.2.1", ref.get("sklearn_version").asText());
        assertTrue(ref.get("regression").size() >= 4);
        assertTrue(ref.get("classification").size() >= 4);
        assertTrue(ref.get("labels").size() >= 3);
    }

    @TestFactory
    Stream<DynamicTest> regression() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : ref.get("regression")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                String name = c.get("name").asText();
                double[] y = doubles(c.get("y"));
                double[] p = doubles(c.get("p"));
                JsonNode e = c.get("expected");
                close(e, "rmse", RegressionMetrics.rmse(y, p), name);
                close(e, "mse", RegressionMetrics.mse(y, p), name);
                close(e, "mae", RegressionMetrics.mae(y, p), name);
                close(e, "r2", RegressionMetrics.r2(y, p), name);
                close(e, "mape", RegressionMetrics.mape(y, p), name);
                close(e, "median_absolute_error", RegressionMetrics.medianAbsoluteError(y, p), name);
                closeArray(doubles(e.get("residuals")), RegressionMetrics.residuals(y, p), name + " residuals");
                Map<String, Double> all = RegressionMetrics.all(y, p);
                assertEquals(List.of("rmse", "mae", "r2", "mape", "mse"), new ArrayList<>(all.keySet()));
                for (Map.Entry<String, Double> m : all.entrySet()) {
                    close(e, m.getKey(), m.getValue(), name + " all()");
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> classification() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : ref.get("classification")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> checkClassification(c)));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> labelMetrics() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : ref.get("labels")) {
            tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                String name = c.get("name").asText();
                int k = c.get("k").asInt();
                int[] y = ints(c.get("y"));
                int[] pred = ints(c.get("pred"));
                JsonNode e = c.get("expected");
                close(e, "accuracy", ClassificationMetrics.accuracy(y, pred), name);
                close(e, "f1", ClassificationMetrics.f1(y, pred, k), name);
                close(e, "precision", ClassificationMetrics.precision(y, pred, k), name);
                close(e, "recall", ClassificationMetrics.recall(y, pred, k), name);
                assertConfusion(e.get("confusion_matrix"), ClassificationMetrics.confusionMatrix(y, pred, k), name);
            }));
        }
        return tests.stream();
    }

    private static void checkClassification(JsonNode c) {
        String name = c.get("name").asText();
        int k = c.get("k").asInt();
        int[] y = ints(c.get("y"));
        double[][] proba = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            proba[i] = doubles(c.get("proba").get(i));
        }
        JsonNode e = c.get("expected");
        int[] pred = ClassificationMetrics.argmax(proba);
        assertArrayEquals(ints(e.get("argmax")), pred, name + " argmax");
        close(e, "accuracy", ClassificationMetrics.accuracy(y, pred), name);
        close(e, "f1", ClassificationMetrics.f1(y, pred, k), name);
        close(e, "precision", ClassificationMetrics.precision(y, pred, k), name);
        close(e, "recall", ClassificationMetrics.recall(y, pred, k), name);
        close(e, "log_loss", ClassificationMetrics.logLoss(y, proba), name);
        close(e, "roc_auc", ClassificationMetrics.rocAuc(y, proba), name);
        close(e, "pr_auc", ClassificationMetrics.prAuc(y, proba), name);
        close(e, "brier", ClassificationMetrics.brier(y, proba), name);
        assertConfusion(e.get("confusion_matrix"), ClassificationMetrics.confusionMatrix(y, pred, k), name);

        Map<String, Double> all = ClassificationMetrics.all(y, proba);
        assertEquals(List.of("accuracy", "roc_auc", "pr_auc", "f1", "log_loss", "brier"), new ArrayList<>(all.keySet()));
        for (Map.Entry<String, Double> m : all.entrySet()) {
            close(e, m.getKey(), m.getValue(), name + " all()");
        }
        if (k != 2) {
            return;
        }
        double[] s = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            s[i] = proba[i][1];
        }
        assertArrayEquals(pred, ClassificationMetrics.predictAtThreshold(proba, 0.5), name + " threshold 0.5 == argmax");
        close(e, "roc_auc", ClassificationMetrics.rocAuc(y, s), name + " score overload");
        close(e, "pr_auc", ClassificationMetrics.prAuc(y, s), name + " score overload");

        JsonNode t = e.get("threshold_0_3");
        int[] tp = ClassificationMetrics.predictAtThreshold(proba, 0.3);
        assertArrayEquals(ints(t.get("pred")), tp, name + " predictAtThreshold(0.3)");
        close(t, "f1", ClassificationMetrics.f1(y, tp, 2), name + " @0.3");
        close(t, "precision", ClassificationMetrics.precision(y, tp, 2), name + " @0.3");
        close(t, "recall", ClassificationMetrics.recall(y, tp, 2), name + " @0.3");

        Curve roc = ClassificationMetrics.rocCurve(y, s);
        JsonNode r = e.get("roc_curve");
        closeArray(doubles(r.get("fpr")), roc.x(), name + " roc fpr");
        closeArray(doubles(r.get("tpr")), roc.y(), name + " roc tpr");
        closeArray(doubles(r.get("thresholds")), roc.thresholds(), name + " roc thresholds");

        Curve pr = ClassificationMetrics.prCurve(y, s);
        JsonNode q = e.get("pr_curve");
        closeArray(doubles(q.get("precision")), pr.y(), name + " pr precision");
        closeArray(doubles(q.get("recall")), pr.x(), name + " pr recall");
        closeArray(doubles(q.get("thresholds")), pr.thresholds(), name + " pr thresholds");

        for (JsonNode cal : e.get("calibration_curves")) {
            int bins = cal.get("n_bins").asInt();
            Curve curve = ClassificationMetrics.calibrationCurve(y, s, bins);
            closeArray(doubles(cal.get("prob_true")), curve.y(), name + " calibration prob_true, bins=" + bins);
            closeArray(doubles(cal.get("prob_pred")), curve.x(), name + " calibration prob_pred, bins=" + bins);
            assertEquals(0, curve.thresholds().length);
        }
    }

    private static void close(JsonNode expected, String key, double actual, String what) {
        JsonNode v = expected.get(key);
        assertTrue(v != null && v.isNumber(), what + ": reference has no number for " + key);
        double want = v.asDouble();
        assertEquals(want, actual, TOL * Math.max(1.0, Math.abs(want)), what + ": " + key);
    }

    private static void closeArray(double[] want, double[] actual, String what) {
        assertEquals(want.length, actual.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], actual[i], TOL * Math.max(1.0, Math.abs(want[i])), what + "[" + i + "]");
        }
    }

    private static void assertConfusion(JsonNode want, long[][] actual, String what) {
        assertEquals(want.size(), actual.length, what + " confusion rows");
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < actual.length; j++) {
                assertEquals(want.get(i).get(j).asLong(), actual[i][j], what + " confusion[" + i + "][" + j + "]");
            }
        }
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
