package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * M4 Hourly through the Session (wide CSV, the external Hourly-test.csv as the h=48 hold-out).
 *
 * <p>The fast test checks the M4 path with the seasonal naive model on the first 20 series (ETS takes 160 s there). The AutoARIMA anchor on the same
 * 20 series is gated behind {@code -Dmodelwork.m4.full=true} because it needs about 16 minutes on 2 shared cores
 * (R's auto.arima needs 8–65 CPU seconds per series on this data too); measured on 2026-11-29 it does NOT hold:
 * AutoARIMA MASE 1.129 / sMAPE 5.721 against seasonal naive 0.948 / 4.871 on H1–H20 (see bench/M4HourlyBench).
 */
class ForecastM4HourlyTest {
    static JsonNode run(Path tmp, String name, String spec, int limit, String... buildArgs) {
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 1, "threads", 2, "run_dir", tmp.resolve(name).toString(), "progress", false));
            StepReport at = s.attachDataset(Args.of("path", Assets.data("forecasting/m4/Hourly-train.csv").toString(), "limit", limit));
            assertInstanceOf(ForecastState.class, s.state());
            assertEquals("hourly", at.body().get("freq").asText());
            assertEquals(24, at.body().get("m").asInt());
            assertEquals(limit, at.body().get("series").asInt());
            assertEquals(48, at.body().get("test_horizon").asInt());
            s.prepareData(Args.empty());
            assertEquals(48, s.split(Args.empty()).body().get("h").asInt());
            Object[] b = new Object[2 + buildArgs.length];
            b[0] = "spec";
            b[1] = spec;
            System.arraycopy(buildArgs, 0, b, 2, buildArgs.length);
            s.build(Args.of(b));
            long t0 = System.nanoTime();
            StepReport fit = s.fit(Args.empty());
            double sec = (System.nanoTime() - t0) / 1e9;
            StepReport ev = s.evaluate(Args.empty());
            JsonNode m = ev.body().get("metrics").get("test"), sn = ev.body().get("baseline_snaive");
            System.out.printf("M4 Hourly, first %d series, h=48: %s sMAPE %.3f MASE %.3f | seasonal naive sMAPE %.3f MASE %.3f | fit %.1f s"
                            + " (%.2f series/s, %d fallbacks)%n", limit, spec, m.get("smape").asDouble(), m.get("mase").asDouble(),
                    sn.get("smape").asDouble(), sn.get("mase").asDouble(), sec, limit / sec, fit.body().get("fallbacks").asInt());
            return ev.body();
        }
    }

    @Test
    void m4PathWithSeasonalNaiveOnTheFirst20Series(@TempDir Path tmp) {
        JsonNode sn = run(tmp, "snaive", "forecasting.snaive", 20);
        // the seasonal naive model is the baseline itself: same numbers, computed twice
        assertEquals(sn.get("metrics").get("test").get("mase").asDouble(), sn.get("baseline_snaive").get("mase").asDouble(), 1e-12);
        assertEquals(0.9476, sn.get("baseline_snaive").get("mase").asDouble(), 1e-3);
        assertEquals(4.871, sn.get("baseline_snaive").get("smape").asDouble(), 1e-2);
    }

    @Test
    void autoArimaVersusSeasonalNaiveOnTheFirst20Series(@TempDir Path tmp) {
        Assumptions.assumeTrue(Boolean.getBoolean("modelwork.m4.full"), "slow (about 16 min on 2 cores): run with -Dmodelwork.m4.full=true");
        JsonNode ev = run(tmp, "autoarima", "forecasting.autoarima", 20);
        double mase = ev.get("metrics").get("test").get("mase").asDouble(), base = ev.get("baseline_snaive").get("mase").asDouble();
        assertTrue(mase < base, "AutoARIMA MASE " + mase + " vs seasonal naive " + base);
    }
}
