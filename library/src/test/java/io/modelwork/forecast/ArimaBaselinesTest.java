package io.modelwork.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Naive and seasonal naive against forecast 8.20's naive/snaive; ETS against R's ets(model="ANN"/"ANA"). */
class ArimaBaselinesTest {

    static JsonNode ref() {
        for (JsonNode e : ArimaRReferenceTest.REF) if (e.get("kind").asText().equals("baselines")) return e;
        throw new IllegalStateException();
    }

    @Test
    void naiveAndSeasonalNaiveMatchR() {
        double[] y = RSeries.load("USAccDeaths");
        JsonNode e = ref();
        Forecast nv = Naive.fit(y).forecast(6);
        Forecast sn = SeasonalNaive.fit(y, 12).forecast(18);
        assertArray(ArimaRReferenceTest.arr(e.get("naive_mean")), nv.mean());
        assertArray(ArimaRReferenceTest.arr(e.get("naive_lower95")), nv.lower()[1]);
        assertArray(ArimaRReferenceTest.arr(e.get("naive_upper80")), nv.upper()[0]);
        assertArray(ArimaRReferenceTest.arr(e.get("snaive_mean")), sn.mean());
        assertArray(ArimaRReferenceTest.arr(e.get("snaive_lower95")), sn.lower()[1]);
        assertArray(ArimaRReferenceTest.arr(e.get("snaive_upper80")), sn.upper()[0]);
    }

    static void assertArray(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-9 * Math.abs(expected[i]), "index " + i);
    }

    @Test
    void simpleExponentialSmoothingNearR() {
        // R: ets(Nile, model="ANN") alpha 0.2455, level 1110.69, sigma2 20802.8, upper 95% at h=1 1088.07
        double[] y = RSeries.load("Nile");
        Ets f = Ets.fit(y, 1);
        assertEquals(0.2455, f.alpha(), 0.01);
        assertEquals(20802.8, f.sigma2(), 0.02 * 20802.8);
        Forecast fc = f.forecast(3);
        assertEquals(1088.07, fc.upper()[1][0], 5);
        assertTrue(fc.upper()[1][2] > fc.upper()[1][0]);
    }

    @Test
    void additiveSeasonalEtsNearR() {
        // R: ets(USAccDeaths, model="ANA") alpha 0.595, gamma 0.002, forecasts 8397.5 7599.2 8396.6
        double[] y = RSeries.load("USAccDeaths");
        Ets f = Ets.fit(y, 12);
        Forecast fc = f.forecast(3);
        System.out.println(f + " alpha=" + f.alpha() + " gamma=" + f.gamma() + " " + java.util.Arrays.toString(fc.mean()));
        assertEquals(0.595, f.alpha(), 0.1);
        double[] r = {8397.5, 7599.2, 8396.6};
        for (int i = 0; i < 3; i++) assertEquals(r[i], fc.mean()[i], 0.02 * r[i]);
    }
}
