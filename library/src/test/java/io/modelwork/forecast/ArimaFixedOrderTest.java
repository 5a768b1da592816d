package io.modelwork.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Fixed-order fits against R 4.2 forecast 8.20 {@code Arima()} on AirPassengers. */
class ArimaFixedOrderTest {
    static final double[] AIR = RSeries.load("AirPassengers");

    static void rel(double expected, double actual, double tol, String what) {
        assertEquals(expected, actual, Math.abs(expected) * tol, what);
    }

    @Test
    void airlineModelOnLogs() {
        Arima f = Arima.fit(AIR, ArimaOrder.of(0, 1, 1, 0, 1, 1, 12), Arima.Options.defaults().withLambda(0.0));
        System.out.println(f + " " + java.util.Arrays.toString(f.coefficients()) + " ll=" + f.logLik() + " aic=" + f.aic() + " s2=" + f.sigma2());
        // R: Arima(AirPassengers, order=c(0,1,1), seasonal=c(0,1,1), lambda=0)
        rel(-0.4018, f.coefficient("ma1"), 1e-3, "ma1");
        rel(-0.5569, f.coefficient("sma1"), 1e-3, "sma1");
        rel(244.6995306, f.logLik(), 1e-5, "loglik");
        rel(-483.3990612, f.aic(), 1e-5, "aic");
        rel(-483.21, f.aicc(), 1e-4, "aicc");
        rel(-474.77, f.bic(), 1e-4, "bic");
        rel(0.001371260004, f.sigma2(), 1e-3, "sigma2");
    }

    @Test
    void arima211with010seasonal() {
        Arima f = Arima.fit(AIR, ArimaOrder.of(2, 1, 1, 0, 1, 0, 12), Arima.Options.defaults());
        System.out.println(f + " " + java.util.Arrays.toString(f.coefficients()) + " ll=" + f.logLik() + " aic=" + f.aic() + " s2=" + f.sigma2());
        rel(0.5959807066, f.coefficient("ar1"), 1e-3, "ar1");
        rel(0.2142745536, f.coefficient("ar2"), 1e-3, "ar2");
        rel(-0.9818771697, f.coefficient("ma1"), 1e-3, "ma1");
        rel(-504.92, f.logLik(), 1e-4, "loglik");
        rel(1017.85, f.aic(), 1e-4, "aic");
        rel(1018.17, f.aicc(), 1e-4, "aicc");
        rel(1029.35, f.bic(), 1e-4, "bic");
        rel(132.3, f.sigma2(), 1e-3, "sigma2");
    }
}
