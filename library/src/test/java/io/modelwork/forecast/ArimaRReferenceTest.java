package io.modelwork.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares auto.arima / Arima fits and forecasts with R 4.2 + forecast 8.20 on more classic series. The numbers come
 * from {@code src/test/resources/forecast/r_reference.R} (output {@code r_reference.json} next to it).
 */
class ArimaRReferenceTest {
    static final JsonNode REF = load();

    static JsonNode load() {
        try (InputStream in = ArimaRReferenceTest.class.getResourceAsStream("/forecast/r_reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static double[] arr(JsonNode n) {
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asDouble();
        return out;
    }

    /** Relative tolerance with a floor for coefficients near zero. */
    static void close(double expected, double actual, double rel, double floor, String what) {
        assertEquals(expected, actual, Math.max(Math.abs(expected) * rel, floor), what);
    }

    static ArimaOrder orderOf(JsonNode e) {
        return new ArimaOrder(e.get("p").asInt(), e.get("d").asInt(), e.get("q").asInt(), e.get("P").asInt(),
                e.get("D").asInt(), e.get("Q").asInt(), e.get("m").asInt());
    }

    static void compareFit(JsonNode e, Arima f, double[] y) {
        String s = e.get("series").asText() + " " + f;
        String[] names = f.coefficientNames();
        JsonNode rn = e.get("coef_names");
        assertEquals(rn.size(), names.length, s + " coefficient count");
        double[] rc = arr(e.get("coef"));
        for (int i = 0; i < names.length; i++) {
            assertEquals(rn.get(i).asText(), names[i], s);
            close(rc[i], f.coefficients()[i], 1e-2, 5e-3, s + " " + names[i]);
        }
        close(e.get("loglik").asDouble(), f.logLik(), 1e-4, 1e-3, s + " loglik");
        close(e.get("aic").asDouble(), f.aic(), 1e-4, 1e-3, s + " aic");
        close(e.get("aicc").asDouble(), f.aicc(), 1e-4, 1e-3, s + " aicc");
        close(e.get("bic").asDouble(), f.bic(), 1e-4, 1e-3, s + " bic");
        close(e.get("sigma2").asDouble(), f.sigma2(), 1e-2, 0, s + " sigma2");
        int h = e.get("h").asInt();
        Forecast fc = f.forecast(h, null, 80, 95);
        double scale = 0;
        for (double v : y) scale = Math.max(scale, Math.abs(v));
        double[] mean = arr(e.get("mean")), l95 = arr(e.get("lower95")), u80 = arr(e.get("upper80"));
        for (int t = 0; t < h; t++) {
            close(mean[t], fc.mean()[t], 1e-2, 1e-3 * scale, s + " mean h=" + (t + 1));
            close(l95[t], fc.lower()[1][t], 1e-2, 1e-3 * scale, s + " lower95 h=" + (t + 1));
            close(u80[t], fc.upper()[0][t], 1e-2, 1e-3 * scale, s + " upper80 h=" + (t + 1));
        }
    }

    @TestFactory
    Stream<DynamicTest> autoArimaMatchesR() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode e : REF) {
            if (!e.get("kind").asText().equals("auto.arima")) continue;
            String name = e.get("series").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                double[] y = RSeries.load(name);
                int m = e.get("m").asInt();
                AutoArima.Options o = AutoArima.Options.defaults();
                if (!e.get("lambda").isNull()) o = o.withLambda(e.get("lambda").asDouble());
                long t0 = System.nanoTime();
                AutoArima.Result r = AutoArima.search(y, m, o);
                System.out.printf("%s: %s in %.2fs (R %.2fs), %d models%n", name, r.model(), (System.nanoTime() - t0) / 1e9,
                        e.get("r_seconds").asDouble(), r.tried().size());
                assertEquals(orderOf(e), r.model().order(), name + " order");
                compareFit(e, r.model(), y);
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> fixedOrderFitsMatchR() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode e : REF) {
            if (!e.get("kind").asText().equals("Arima")) continue;
            String name = e.get("series").asText();
            tests.add(DynamicTest.dynamicTest(name + " " + orderOf(e), () -> {
                double[] y = RSeries.load(name);
                Arima.Options o = Arima.Options.defaults();
                if (e.has("include_drift") && e.get("include_drift").asBoolean()) o = o.withDrift(true);
                if (e.has("xreg")) {
                    // Nile with a level shift from 1899 (index 28, the series starts in 1871)
                    double[] dam = new double[y.length];
                    for (int t = 28; t < y.length; t++) dam[t] = 1;
                    o = o.withXreg(new double[][]{dam}, new String[]{"dam"});
                    Arima f = Arima.fit(y, orderOf(e), o);
                    double[] fut = new double[e.get("h").asInt()];
                    java.util.Arrays.fill(fut, 1);
                    compareXreg(e, f, y, new double[][]{fut});
                    return;
                }
                compareFit(e, Arima.fit(y, orderOf(e), o), y);
            }));
        }
        return tests.stream();
    }

    static void compareXreg(JsonNode e, Arima f, double[] y, double[][] fut) {
        String s = e.get("series").asText() + " " + f;
        double[] rc = arr(e.get("coef"));
        for (int i = 0; i < rc.length; i++) close(rc[i], f.coefficients()[i], 1e-2, 5e-3, s + " " + f.coefficientNames()[i]);
        close(e.get("aic").asDouble(), f.aic(), 1e-4, 1e-3, s + " aic");
        Forecast fc = f.forecast(fut[0].length, fut, 80, 95);
        double[] mean = arr(e.get("mean")), l95 = arr(e.get("lower95"));
        for (int t = 0; t < mean.length; t++) {
            close(mean[t], fc.mean()[t], 1e-3, 0, s + " mean");
            close(l95[t], fc.lower()[1][t], 1e-3, 0, s + " lower95");
        }
        assertTrue(f.userRegressors() == 1);
    }
}
