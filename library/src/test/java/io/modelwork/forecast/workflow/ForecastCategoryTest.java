package io.modelwork.forecast.workflow;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import io.modelwork.spi.Categories;
import io.modelwork.spi.Category;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The forecasting category on the SPI: found by the service loader, its specs and the data it recognises; arguments
 * checked against the declared options before any work; tune through the shared Tuning with its apply rule.
 */
class ForecastCategoryTest {
    static final String AIR = Assets.data("forecasting/R_AirPassengers.csv").toString();

    @Test
    void foundBySpecTaskAndData() {
        for (String spec : new String[]{"forecasting.autoarima", "forecasting.naive", "forecasting.snaive", "forecasting.ets"}) {
            assertInstanceOf(ForecastCategory.class, Categories.forSpec(spec), spec);
            assertFalse(Categories.specs().get(spec).isBlank(), spec);
        }
        assertInstanceOf(ForecastCategory.class, Categories.choose(Args.of("path", AIR, "task", "forecasting"), null));
        assertInstanceOf(ForecastCategory.class, Categories.choose(Args.of("path", AIR, "time", "time", "value", "value"), null));
        assertInstanceOf(ForecastCategory.class, Categories.choose(Args.of("path", Assets.data("forecasting/m4/Hourly-train.csv").toString()), null));
        Category<?> c = Categories.byName("forecasting");
        assertEquals(0, c.recognise(Args.of("path", Assets.data("regression/modeldata_concrete.csv").toString(), "target", "compressive_strength")));
        assertEquals(Category.RECOGNISED, c.recognise(Args.of("path", AIR, "ds", "time")));
        assertEquals(0, c.recognise(Args.of("path", "\u0000bad")));
        assertTrue(c.options(Step.BACKTEST).has("windows"));
        assertTrue(c.options(Step.TUNE).has("strategy") && c.options(Step.TUNE).has("space"));
    }

    @Test
    void argumentsAreCheckedBeforeTheStepRuns(@TempDir Path tmp) {
        try (Session s = ForecastAirPassengersSessionTest.session(tmp, "check")) {
            s.attachDataset("path=" + AIR + " time=time value=value");
            s.prepareData(Args.empty());
            ModelworkException neg = assertThrows(ModelworkException.class, () -> s.split("h=-1"));
            assertTrue(neg.what().contains("'h'") && neg.what().contains("out of range"), neg.getMessage());
            ModelworkException typo = assertThrows(ModelworkException.class, () -> s.split("windws=2"));
            assertTrue(typo.fix().contains("did you mean 'windows'"), typo.getMessage());
            s.split("h=24");
            s.build("spec=forecasting.snaive");
            s.fit(Args.empty());
            ModelworkException zero = assertThrows(ModelworkException.class, () -> s.backtest("windows=0"));
            assertTrue(zero.what().contains("'windows'") && zero.fix().contains("≥ 1"), zero.getMessage());
            ModelworkException lvl = assertThrows(ModelworkException.class, () -> s.calibrate("level=100.5"));
            assertTrue(lvl.what().contains("'level'"), lvl.getMessage());
            ModelworkException str = assertThrows(ModelworkException.class, () -> s.tune("strategy=asha"));
            assertTrue(str.fix().contains("grid"), str.getMessage());
        }
    }

    @Test
    void tuneRunsThroughTheSharedTunerAndAppliesOnlyABetterConfiguration(@TempDir Path tmp) {
        try (Session s = ForecastAirPassengersSessionTest.session(tmp, "tune")) {
            s.attachDataset("path=" + AIR + " time=time value=value");
            s.prepareData(Args.empty());
            s.split("h=24");
            s.build("spec=forecasting.autoarima lambda=0");
            String before = s.fit(Args.empty()).body().get("model").asText();
            assertEquals("ARIMA(0,1,1)(0,1,1)[12]", before.replaceAll(" .*", ""));
            s.evaluate(Args.empty());
            // validation = the last 24 months of the training part; MASE: lambda none 0.537, 0.5 0.557, 0 (current) 0.860
            StepReport t = s.tune(Args.of("space", "lambda=none|0|0.5"));
            assertEquals("grid", t.body().get("strategy").asText());
            assertEquals(3, t.body().get("trials").size());
            double best = t.body().get("best_score").asDouble(), current = t.body().get("default_validation_score").asDouble();
            System.out.printf("AirPassengers tune (grid over lambda): best validation MASE %.4f %s, current (lambda 0) %.4f%n",
                    best, t.body().get("best_params"), current);
            assertEquals("none", t.body().get("best_params").get("lambda").asText());
            assertEquals(0.537, best, 2e-3);
            assertEquals(0.860, current, 2e-3);
            assertTrue(t.body().get("applied").asBoolean(), t.body().toString());
            assertNull(s.state(ForecastState.class).spec.params.get("lambda"));
            assertTrue(s.report(Step.EVALUATE).isEmpty(), "evaluate described the old model");
            assertNotEquals(before, t.body().get("model").asText(), "refitted with lambda none");
            assertEquals(t.body().get("model").asText(), s.state(ForecastState.class).model("R_AirPassengers").describe());
            // again: the current spec is now the best, so nothing is applied
            StepReport again = s.tune(Args.of("strategy", "random", "trials", 2, "space", "lambda=0|0.5"));
            assertEquals(2, again.body().get("trials").size());
            assertFalse(again.body().get("applied").asBoolean(), again.body().toString());
            assertEquals(best, again.body().get("default_validation_score").asDouble(), 1e-12);
        }
    }
}
