package io.modelwork.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwork.core.ModelworkException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ForecastMetrics by hand, and the bad-input errors of the forecasting models (what / where / fix). */
class ArimaMetricsAndBadInputTest {

    @Test
    void metricsByHand() {
        double[] y = {100, 200, 300}, f = {110, 180, 300};
        assertEquals(10, ForecastMetrics.mae(y, f), 1e-12);
        assertEquals(Math.sqrt(500 / 3.0), ForecastMetrics.rmse(y, f), 1e-12);
        assertEquals(100 * (0.1 + 0.1 + 0) / 3, ForecastMetrics.mape(y, f), 1e-12);
        assertEquals(200.0 / 3 * (10.0 / 210 + 20.0 / 380), ForecastMetrics.smape(y, f), 1e-12);
        double[] train = {1, 2, 3, 5, 6, 7}; // seasonal naive m=3: |5-1|,|6-2|,|7-3| -> scale 4
        assertEquals(10 / 4.0, ForecastMetrics.mase(y, f, train, 3), 1e-12);
        assertEquals(2 / 3.0, ForecastMetrics.coverage(y, new double[]{90, 190, 301}, new double[]{120, 210, 310}), 1e-12);
        assertEquals(0, ForecastMetrics.smape(new double[]{0}, new double[]{0}), 0);
        Forecast fc = new Forecast(f, new double[]{80}, new double[][]{{0, 0, 0}}, new double[][]{{1e9, 1e9, 1e9}});
        Map<String, Double> all = ForecastMetrics.all(y, fc, train, 3);
        assertEquals(1.0, all.get("coverage_80"));
        assertTrue(all.keySet().containsAll(java.util.List.of("mae", "rmse", "mape", "smape", "mase")));
    }

    @Test
    void metricErrors() {
        ModelworkException e = assertThrows(ModelworkException.class, () -> ForecastMetrics.mape(new double[]{0, 1}, new double[]{1, 1}));
        assertTrue(e.fix().contains("sMAPE"));
        assertThrows(ModelworkException.class, () -> ForecastMetrics.mae(new double[]{1}, new double[]{1, 2}));
        assertThrows(ModelworkException.class, () -> ForecastMetrics.mase(new double[]{1}, new double[]{1}, new double[]{2, 2, 2}, 1));
        assertThrows(ModelworkException.class, () -> ForecastMetrics.mase(new double[]{1}, new double[]{1}, new double[]{2}, 1));
    }

    static final double[] AIR = RSeries.load("AirPassengers");

    @Test
    void nanInsideTheSeries() {
        double[] y = AIR.clone();
        y[50] = Double.NaN;
        ModelworkException e = assertThrows(ModelworkException.class, () -> AutoArima.fit(y, 12, AutoArima.Options.defaults()));
        assertTrue(e.what().contains("NaN") && e.where().contains("index 50") && !e.fix().isEmpty(), e.getMessage());
        assertThrows(ModelworkException.class, () -> Arima.fit(y, ArimaOrder.of(1, 1, 0), Arima.Options.defaults()));
        assertThrows(ModelworkException.class, () -> SeasonalNaive.fit(y, 12));
    }

    @Test
    void constantSeries() {
        double[] y = new double[40];
        Arrays.fill(y, 3.5);
        ModelworkException e = assertThrows(ModelworkException.class, () -> AutoArima.fit(y, 1, AutoArima.Options.defaults()));
        assertTrue(e.what().contains("constant") && e.fix().contains("Naive"), e.getMessage());
        assertThrows(ModelworkException.class, () -> Arima.fit(y, ArimaOrder.of(1, 0, 0), Arima.Options.defaults()));
        assertThrows(ModelworkException.class, () -> Ets.fit(y, 1));
    }

    @Test
    void negativeValuesWithLog() {
        double[] y = AIR.clone();
        y[7] = -1;
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> AutoArima.fit(y, 12, AutoArima.Options.defaults().withLambda(0.0)));
        assertTrue(e.what().contains("lambda=0") && e.where().contains("index 7") && e.fix().contains("lambda"), e.getMessage());
        double[] z = AIR.clone();
        z[3] = 0;
        assertThrows(ModelworkException.class, () -> Arima.fit(z, ArimaOrder.of(0, 1, 1), Arima.Options.defaults().withLambda(0.0)));
    }

    @Test
    void seriesTooShort() {
        double[] y = Arrays.copyOf(AIR, 10);
        ModelworkException e = assertThrows(ModelworkException.class, () -> AutoArima.fit(y, 12, AutoArima.Options.defaults()));
        assertTrue(e.what().contains("seasonal period"), e.getMessage());
        assertThrows(ModelworkException.class, () -> AutoArima.fit(new double[]{1, 2}, 1, AutoArima.Options.defaults()));
        assertThrows(ModelworkException.class, () -> Arima.fit(y, ArimaOrder.of(0, 1, 1, 0, 1, 1, 12), Arima.Options.defaults()));
        assertThrows(ModelworkException.class, () -> SeasonalNaive.fit(y, 12));
        assertThrows(ModelworkException.class, () -> new ArimaOrder(1, 0, 0, 1, 0, 0, 1));
    }

    @Test
    void forecastArgumentErrors() {
        Arima f = Arima.fit(AIR, ArimaOrder.of(0, 1, 1, 0, 1, 1, 12), Arima.Options.defaults().withLambda(0.0));
        assertThrows(ModelworkException.class, () -> f.forecast(0, null));
        assertThrows(ModelworkException.class, () -> f.forecast(5, null, 120));
        double[] x = new double[AIR.length];
        for (int t = 0; t < x.length; t++) x[t] = Math.sin(t);
        Arima g = Arima.fit(AIR, ArimaOrder.of(1, 1, 0), Arima.Options.defaults().withXreg(new double[][]{x}, new String[]{"s"}));
        assertEquals("s", g.coefficientNames()[1]);
        ModelworkException e = assertThrows(ModelworkException.class, () -> g.forecast(5, null));
        assertTrue(e.fix().contains("xregFuture"));
    }

    @Test
    void exhaustiveSearchAgreesOnWwwUsage() {
        // R: auto.arima(WWWusage, stepwise=FALSE) selects ARIMA(3,1,0) (ar 1.1513, -0.6612, 0.3407)
        double[] y = RSeries.load("WWWusage");
        AutoArima.Result step = AutoArima.search(y, 1, AutoArima.Options.defaults());
        AutoArima.Result all = AutoArima.search(y, 1, AutoArima.Options.defaults().withStepwise(false));
        assertTrue(all.model().aicc() <= step.model().aicc() + 1e-6);
        assertTrue(all.tried().size() > step.tried().size());
        assertEquals(ArimaOrder.of(3, 1, 0), all.model().order());
        assertEquals(1.1513, all.model().coefficient("ar1"), 1e-2);
        assertEquals(-0.6612, all.model().coefficient("ar2"), 1e-2);
        assertEquals(0.3407, all.model().coefficient("ar3"), 1e-2);
    }
}
