package io.modelwork.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Guerrero's automatic Box-Cox lambda against R 4.2 forecast 8.20 {@code BoxCox.lambda(x)} (default method). */
class BoxCoxLambdaTest {

    @Test
    void guerreroMatchesR() {
        // R: BoxCox.lambda(AirPassengers) etc. (lower = -1, upper = 2)
        assertEquals(-0.2947155856, BoxCox.lambdaGuerrero(RSeries.load("AirPassengers"), 12, -1, 2), 2e-3, "AirPassengers");
        assertEquals(-0.0397561678, BoxCox.lambdaGuerrero(RSeries.load("USAccDeaths"), 12, -1, 2), 2e-3, "USAccDeaths");
        assertEquals(0.0421411083, BoxCox.lambdaGuerrero(RSeries.load("nottem"), 12, -1, 2), 2e-3, "nottem");
        assertEquals(0.9988893620, BoxCox.lambdaGuerrero(RSeries.load("Nile"), 1, -1, 2), 2e-3, "Nile");
    }

    @Test
    void shortSeriesAndNonPositiveValues() {
        assertEquals(1.0, BoxCox.lambdaGuerrero(new double[]{1, 2, 3, 4, 5, 6, 7, 8}, 4, -1, 2), 0, "n <= 2m gives 1");
        double[] y = RSeries.load("AirPassengers").clone();
        y[5] = 0; // a zero raises the lower bound to 0; R: y <- AirPassengers; y[6] <- 0; BoxCox.lambda(y)
        assertEquals(0.3402428726, BoxCox.lambdaGuerrero(y, 12, -1, 2), 2e-3, "AirPassengers with a zero");
        // R: attr(BoxCox(AirPassengers, "auto"), "lambda"), lower bound -0.9
        assertEquals(-0.2947046144, BoxCox.autoLambda(RSeries.load("AirPassengers"), 12), 2e-3, "auto");
    }

    @Test
    void autoArimaWithAutomaticLambda() {
        // R: auto.arima(AirPassengers, lambda = "auto"): lambda -0.2947046, ARIMA(0,1,1)(0,1,1)[12],
        // ma1 -0.4355048, sma1 -0.5846957, AICc -896.990101
        Arima f = AutoArima.fit(RSeries.load("AirPassengers"), 12, AutoArima.Options.defaults().withAutoLambda());
        assertEquals(-0.2947046144, f.lambda(), 2e-3, "lambda");
        assertEquals(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12), f.order(), "order");
        assertEquals(-0.4355048, f.coefficient("ma1"), 1e-2 * 0.4355, "ma1");
        assertEquals(-0.5846957, f.coefficient("sma1"), 1e-2 * 0.5847, "sma1");
        assertEquals(-896.990101, f.aicc(), 1e-2 * 896.99, "AICc");
    }
}
