package io.modelwork.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The accuracy anchor of ASSETS.md: AirPassengers trained to 1958-12 with lambda=0, forecast h=24 (1959-1960):
 * R's auto.arima picks the airline model and reaches a test MAPE of 8.52%.
 */
class ArimaForecastHoldoutTest {
    static final double[] AIR = RSeries.load("AirPassengers");

    static JsonNode ref() {
        for (JsonNode e : ArimaRReferenceTest.REF) if (e.get("kind").asText().equals("holdout")) return e;
        throw new IllegalStateException("no holdout entry");
    }

    @Test
    void airlineHoldoutMapeMatchesR() {
        double[] train = Arrays.copyOf(AIR, 120), test = Arrays.copyOfRange(AIR, 120, 144);
        JsonNode e = ref();
        Arima auto = AutoArima.fit(train, 12, AutoArima.Options.defaults().withLambda(0.0));
        assertEquals(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12), auto.order());
        Forecast fc = auto.forecast(24, null);
        double mape = ForecastMetrics.mape(test, fc.mean());
        System.out.printf("holdout MAPE %.4f (R %.4f), sMAPE %.4f, MASE %.4f, coverage80 %.3f, coverage95 %.3f%n", mape,
                e.get("auto_mape").asDouble(), ForecastMetrics.smape(test, fc.mean()), ForecastMetrics.mase(test, fc.mean(), train, 12),
                ForecastMetrics.coverage(test, fc.lower()[0], fc.upper()[0]), ForecastMetrics.coverage(test, fc.lower()[1], fc.upper()[1]));
        assertEquals(8.52, mape, 0.01);
        assertEquals(e.get("auto_mape").asDouble(), mape, 1e-3 * mape);
        assertEquals(e.get("auto_mase").asDouble(), ForecastMetrics.mase(test, fc.mean(), train, 12), 1e-3);
        double[] rMean = ArimaRReferenceTest.arr(e.get("airline_mean"));
        double[] rLo = ArimaRReferenceTest.arr(e.get("airline_lower95")), rHi = ArimaRReferenceTest.arr(e.get("airline_upper95"));
        for (int t = 0; t < 24; t++) {
            assertEquals(rMean[t], fc.mean()[t], 1e-3 * rMean[t], "mean h=" + (t + 1));
            assertEquals(rLo[t], fc.lower()[1][t], 1e-3 * rLo[t], "lower95 h=" + (t + 1));
            assertEquals(rHi[t], fc.upper()[1][t], 1e-3 * rHi[t], "upper95 h=" + (t + 1));
        }
        // the intervals widen with the horizon (differencing) and the 95% holds the 80%
        for (int t = 1; t < 24; t++) {
            double w = fc.upper()[1][t] - fc.lower()[1][t], w0 = fc.upper()[1][t - 1] - fc.lower()[1][t - 1];
            if (t % 12 != 0) assertTrue(w > w0 * 0.8, "width h=" + (t + 1));
            assertTrue(fc.lower()[1][t] < fc.lower()[0][t] && fc.upper()[0][t] < fc.upper()[1][t]);
        }
        assertTrue(ForecastMetrics.coverage(test, fc.lower()[1], fc.upper()[1]) >= 0.9);
        // a seasonal naive baseline is clearly worse here
        double snaive = ForecastMetrics.mape(test, SeasonalNaive.fit(train, 12).forecast(24).mean());
        assertEquals(e.get("snaive_mape").asDouble(), snaive, 1e-9);
        assertTrue(mape < snaive);
    }

    @Test
    void fittedValuesAreOnTheOriginalScale() {
        Arima f = Arima.fit(AIR, ArimaOrder.of(0, 1, 1, 0, 1, 1, 12), Arima.Options.defaults().withLambda(0.0));
        double[] fit = f.fitted(), res = f.residuals();
        assertEquals(AIR.length, fit.length);
        for (int t = 13; t < AIR.length; t++) {
            assertEquals(Math.log(AIR[t]) - res[t], Math.log(fit[t]), 1e-12);
            assertTrue(Math.abs(fit[t] - AIR[t]) / AIR[t] < 0.15, "fitted t=" + t);
        }
    }
}
