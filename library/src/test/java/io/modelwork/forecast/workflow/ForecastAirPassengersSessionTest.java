package io.modelwork.forecast.workflow;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
import io.modelwork.forecast.ArimaOrder;
import io.modelwork.forecast.Forecast;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The AirPassengers anchors through the Session (R 4.x forecast 8.x): auto.arima on the whole series chooses
 * ARIMA(2,1,1)(0,1,0)[12] (AIC 1017.85), with lambda=0 the airline model ARIMA(0,1,1)(0,1,1)[12]; trained to 1958-12
 * with lambda=0 the h=24 hold-out MAPE is 8.52%. Then every remaining step, a checkpoint/resume and the export reload.
 */
class ForecastAirPassengersSessionTest {
    static final String AIR = Assets.data("forecasting/R_AirPassengers.csv").toString();

    static Session session(Path tmp, String name) {
        Session s = Session.create(tmp);
        s.configure(Args.of("seed", 1, "threads", 2, "run_dir", tmp.resolve(name).toString(), "progress", false));
        return s;
    }

    @Test
    void fullSeriesChoosesRsOrders(@TempDir Path tmp) {
        try (Session s = session(tmp, "full")) {
            StepReport at = s.attachDataset("path=" + AIR + " time=time value=value");
            assertInstanceOf(ForecastState.class, s.state());
            assertEquals("monthly", at.body().get("freq").asText());
            assertEquals(12, at.body().get("m").asInt());
            assertEquals(144, at.body().get("length_max").asInt());
            s.prepareData(Args.empty());
            s.split(Args.of("h", 0));
            s.build(Args.of("spec", "forecasting.autoarima"));
            StepReport fit = s.fit(Args.empty());
            assertEquals("ARIMA(2,1,1)(0,1,0)[12]", fit.body().get("model").asText());
            SeriesModel m = s.state(ForecastState.class).model("R_AirPassengers");
            assertEquals(ArimaOrder.of(2, 1, 1, 0, 1, 0, 12), m.arima().order());
            assertEquals(1017.85, m.arima().aic(), 1e-2 * 1017.85);
        }
        try (Session s = session(tmp, "log")) {
            s.attachDataset("path=" + AIR + " time=time value=value");
            s.prepareData("lambda=0");
            s.split("h=0");
            s.build("spec=forecasting.autoarima");
            StepReport fit = s.fit(Args.empty());
            assertEquals("ARIMA(0,1,1)(0,1,1)[12]", fit.body().get("model").asText());
        }
    }

    @Test
    void automaticLambdaThroughTheSession(@TempDir Path tmp) {
        // R: auto.arima(AirPassengers, lambda = "auto"): lambda -0.2947046 (Guerrero), ARIMA(0,1,1)(0,1,1)[12], AICc -896.99
        try (Session s = session(tmp, "auto")) {
            s.attachDataset("path=" + AIR + " time=time value=value");
            s.prepareData(Args.empty());
            s.split("h=0");
            StepReport b = s.build("spec=forecasting.autoarima lambda=auto");
            assertEquals("auto", b.body().get("params").get("lambda").asText());
            StepReport fit = s.fit(Args.empty());
            assertEquals("ARIMA(0,1,1)(0,1,1)[12]", fit.body().get("model").asText());
            SeriesModel m = s.state(ForecastState.class).model("R_AirPassengers");
            assertEquals(-0.2947046144, m.arima().lambda(), 2e-3);
            assertEquals(-896.990101, m.arima().aicc(), 1e-2 * 896.99);
        }
        try (Session s = session(tmp, "auto-ets")) { // the baselines take a per-series lambda too
            s.attachDataset("path=" + AIR + " time=time value=value");
            s.prepareData(Args.empty());
            s.split("h=0");
            s.build("spec=forecasting.snaive lambda=auto");
            StepReport fit = s.fit(Args.empty());
            assertTrue(fit.body().get("model").asText().contains("lambda -0.29"), fit.body().get("model").asText());
        }
    }

    @Test
    void holdoutAnchorAndTheRemainingSteps(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        double mape;
        String ckId;
        Forecast before;
        try (Session s = session(tmp, "run")) {
            s.attachDataset("path=" + AIR + " time=time value=value");
            s.prepareData(Args.empty());
            StepReport sp = s.split("h=24");
            assertEquals("1958-12", sp.body().get("first_series_train_end").asText());
            s.build("spec=forecasting.autoarima lambda=0");
            StepReport fit = s.fit(Args.empty());
            assertEquals("ARIMA(0,1,1)(0,1,1)[12]", fit.body().get("model").asText());
            StepReport ev = s.evaluate(Args.empty());
            mape = ev.body().get("metrics").get("test").get("mape").asDouble();
            System.out.printf("AirPassengers hold-out h=24 lambda=0: MAPE %.4f sMAPE %.4f MASE %.4f coverage95 %.3f; snaive MAPE %.4f%n",
                    mape, ev.body().get("metrics").get("test").get("smape").asDouble(), ev.body().get("metrics").get("test").get("mase").asDouble(),
                    ev.body().get("metrics").get("test").get("coverage_95").asDouble(), ev.body().get("baseline_snaive").get("mape").asDouble());
            assertEquals(8.52, mape, 0.01);
            assertTrue(ev.body().get("baseline_snaive").get("mape").asDouble() > mape);
            assertFalse(ev.charts().isEmpty());
            assertEquals(5, ev.charts().get(0).series().size());
            assertFalse(ev.gallery().isEmpty());

            StepReport tune = s.tune("apply=false stepwise=true");  // the exhaustive half of the default grid takes minutes here
            assertEquals(4, tune.body().get("trials").size());
            StepReport bt = s.backtest("windows=3 step=12 horizon=12");
            assertEquals(3, bt.body().get("windows").size());
            assertTrue(bt.body().get("drift").has("alert"));
            StepReport cal = s.calibrate("target_coverage=0.95");
            assertTrue(cal.body().get("backtest_coverage_95_after").asDouble() >= 0.95 - 1e-12, cal.toJson().toString());
            StepReport ck = s.saveCheckpoint("after-calibrate");
            ckId = ck.body().get("checkpoint_id").asText();
            StepReport ex = s.export(Args.empty());
            assertEquals(0.0, ex.body().get("reload_max_abs_diff").asDouble(), 1e-9);
            Path bundle = Path.of(ex.body().get("path").asText());
            for (String f : new String[]{"model.json", "preprocessing.json", "calibration.json", "metrics.json", "signature.json",
                    "forecasts.csv", "requirements.txt", "data_fingerprint.txt", "training_log.jsonl", "artifact_manifest.json"})
                assertTrue(Files.exists(bundle.resolve(f)), f);
            ForecastBundle b = ForecastBundle.load(bundle);
            assertEquals("monthly", b.freq());
            assertEquals("1959-01", b.label("R_AirPassengers", 1));
            before = b.forecast("R_AirPassengers", 24, null);
            StepReport reg = s.register(Args.of("name", "air-arima", "home", tmp.resolve("registry").toString()));
            assertEquals("air-arima:1", reg.body().get("model_id").asText());
            StepReport art = s.artifacts();
            assertTrue(art.body().get("artifacts").has("model"));
            s.reports().forEach((k, v) -> System.out.printf("  %s %.2f s%n", k.key(), v.body().path("seconds").asDouble()));
            assertEquals("monthly", art.body().get("freq").asText());
        }
        // resume in a fresh session: the same models without refitting, the same test metrics
        try (Session s2 = Session.create(tmp)) {
            s2.progress(null);
            s2.resume(Args.of("id", ckId, "run_dir", run.toString()));
            StepReport ev2 = s2.evaluate(Args.empty());
            assertEquals(mape, ev2.body().get("metrics").get("test").get("mape").asDouble(), 1e-12);
            StepReport ex2 = s2.export(Args.of("target", tmp.resolve("export2").toString()));
            Forecast after = ForecastBundle.load(Path.of(ex2.body().get("path").asText())).forecast("R_AirPassengers", 24, null);
            for (int t = 0; t < 24; t++) {
                assertEquals(before.mean()[t], after.mean()[t], 1e-9);
                assertEquals(before.upper()[1][t], after.upper()[1][t], 1e-9);
            }
        }
    }
}
