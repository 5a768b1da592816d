package io.modelwork.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The correctness anchors of issue 4 against R 4.2 / forecast 8.20: {@code auto.arima(AirPassengers)} and
 * {@code auto.arima(AirPassengers, lambda=0)}.
 */
class ArimaAirPassengersTest {
    static final double[] AIR = RSeries.load("AirPassengers");

    static void rel(double expected, double actual, double tol, String what) {
        assertEquals(expected, actual, Math.abs(expected) * tol, what);
    }

    @Test
    void autoArimaChoosesArima211x010() {
        AutoArima.Result r = AutoArima.search(AIR, 12, AutoArima.Options.defaults());

        Arima f = r.model();
        System.out.println(f + " " + java.util.Arrays.toString(f.coefficients()) + " aic=" + f.aic());
        assertEquals(ArimaOrder.of(2, 1, 1, 0, 1, 0, 12), f.order());
        assertEquals(1, r.d());
        assertEquals(1, r.bigD());
        rel(0.5960, f.coefficient("ar1"), 1e-2, "ar1");
        rel(0.2143, f.coefficient("ar2"), 1e-2, "ar2");
        rel(-0.9819, f.coefficient("ma1"), 1e-2, "ma1");
        rel(132.3, f.sigma2(), 1e-2, "sigma2");
        rel(-504.92, f.logLik(), 1e-4, "loglik");
        rel(1017.85, f.aic(), 1e-4, "aic");
        rel(1018.17, f.aicc(), 1e-4, "aicc");
        rel(1029.35, f.bic(), 1e-4, "bic");
    }

    @Test
    void autoArimaWithLogChoosesAirline() {
        AutoArima.Result r = AutoArima.search(AIR, 12, AutoArima.Options.defaults().withLambda(0.0));

        Arima f = r.model();
        assertEquals(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12), f.order());
        rel(-0.4018, f.coefficient("ma1"), 1e-2, "ma1");
        rel(-0.5569, f.coefficient("sma1"), 1e-2, "sma1");
        rel(0.001371, f.sigma2(), 1e-2, "sigma2");
        rel(244.7, f.logLik(), 1e-3, "loglik");
        rel(-483.4, f.aic(), 1e-3, "aic");
    }
}
