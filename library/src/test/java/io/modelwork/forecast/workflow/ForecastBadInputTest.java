package io.modelwork.forecast.workflow;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.session.Session;
import io.modelwork.forecast.Forecast;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/** Bad and awkward input: each gets a clear error or a documented, reported fallback. */
class ForecastBadInputTest {

    static Session session(Path tmp) {
        Session s = Session.create(tmp);
        s.configure(Args.of("seed", 1, "threads", 2, "run_dir", tmp.resolve("run-" + System.nanoTime()).toString(), "progress", false));
        return s;
    }

    /** A monthly long-format file: id a (seasonal, 60 months), optionally more rows appended. */
    static Path monthly(Path tmp, String name, String extra) throws Exception {
        StringBuilder sb = new StringBuilder("unique_id,ds,y,promo\n");
        for (int i = 0; i < 60; i++) {
            LocalDate d = LocalDate.of(2015, 1, 1).plusMonths(i);
            double y = 100 + i + 10 * Math.sin(2 * Math.PI * i / 12) + ((i * 7919) % 13) / 3.0;
            sb.append("a,").append(d).append(',').append(String.format(Locale.ROOT, "%.3f", y)).append(',').append(i % 5 == 0 ? 1 : 0).append('\n');
        }
        sb.append(extra);
        Path p = tmp.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void irregularTimestampsAreAnErrorUnlessAFrequencyIsGiven(@TempDir Path tmp) throws Exception {
        StringBuilder sb = new StringBuilder("ds,y\n");
        LocalDateTime t = LocalDateTime.of(2024, 1, 1, 0, 0);
        for (int i = 0; i < 200; i++) {
            LocalDateTime ti = t.plusHours(i);
            sb.append(ti.toString().replace('T', ' ')).append(',').append(10 + (i % 24) + (i % 7) * 0.1).append('\n');
            if (i == 50) sb.append(ti.plusMinutes(20).toString().replace('T', ' ')).append(",12\n"); // an extra, off-grid reading
        }
        Path p = tmp.resolve("irregular.csv");
        Files.writeString(p, sb.toString());
        try (Session s = session(tmp)) {
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.attachDataset("path=" + p));
            assertTrue(e.what().contains("Irregular timestamps"), e.getMessage());
            assertTrue(e.fix().contains("freq="), e.getMessage());
        }
        try (Session s = session(tmp)) {
            StepReport at = s.attachDataset("path=" + p + " freq=hourly");
            assertEquals(1, at.body().get("validation").get("off_grid_timestamps").asInt());
            StepReport pr = s.prepareData("agg=mean");
            assertEquals(1, pr.body().get("resampled_values").asInt());
            assertEquals(0, pr.body().get("filled_values").asInt());
        }
    }

    @Test
    void duplicateTimestampsAreAnErrorOrAggregated(@TempDir Path tmp) throws Exception {
        Path p = monthly(tmp, "dup.csv", "a,2016-03-01,999,0\n");
        try (Session s = session(tmp)) {
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.attachDataset("path=" + p));
            assertTrue(e.what().contains("Duplicate timestamp 2016-03-01 in series 'a'"), e.getMessage());
        }
        try (Session s = session(tmp)) {
            s.attachDataset("path=" + p + " duplicates=last");
            StepReport pr = s.prepareData(Args.empty());
            assertEquals(1, pr.body().get("resampled_values").asInt());
        }
    }

    @Test
    void shortConstantAndGappySeriesGetReportedFallbacks(@TempDir Path tmp) throws Exception {
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < 10; i++) extra.append("short,").append(LocalDate.of(2019, 1, 1).plusMonths(i)).append(',').append(5 + i % 3).append(",0\n");
        for (int i = 0; i < 40; i++) extra.append("flat,").append(LocalDate.of(2016, 1, 1).plusMonths(i)).append(",7,0\n");
        for (int i = 0; i < 48; i++) if (i != 20 && i != 21) extra.append("gappy,").append(LocalDate.of(2016, 1, 1).plusMonths(i)).append(',')
                .append(i == 30 ? "NA" : Double.toString(50 + i + 5 * Math.cos(i))).append(",0\n");
        Path p = monthly(tmp, "mixed.csv", extra.toString());
        try (Session s = session(tmp)) {
            StepReport at = s.attachDataset("path=" + p);
            assertEquals(4, at.body().get("series").asInt());
            assertEquals("monthly", at.body().get("freq").asText());
            assertEquals(3, at.body().get("missing_values").asInt());
            assertTrue(at.body().get("validation").get("constant_series").toString().contains("flat"));
            assertTrue(at.body().get("validation").get("shorter_than_season").toString().contains("short"));
            StepReport pr = s.prepareData("fill=interpolate");
            assertEquals(3, pr.body().get("filled_values").asInt());
            s.split("h=2");
            s.build("spec=forecasting.autoarima");
            StepReport fit = s.fit(Args.empty());
            String notes = String.join("\n", fit.notes());
            assertTrue(notes.contains("series 'flat': constant series"), notes);
            assertTrue(notes.contains("series 'short': series of 8 values is too short for the seasonal period 12"), notes);
            ForecastState w = s.state(ForecastState.class);
            assertEquals("NAIVE", w.model("flat").describe());
            assertEquals(1, w.model("short").period());
            StepReport ev = s.evaluate(Args.empty());
            assertTrue(Double.isFinite(ev.body().get("metrics").get("test").get("smape").asDouble()));
        }
    }

    @Test
    void negativeValuesWithALogTransformAreAClearError(@TempDir Path tmp) throws Exception {
        Path p = monthly(tmp, "neg.csv", "b,2015-01-01,3,0\nb,2015-02-01,-1,0\nb,2015-03-01,4,0\nb,2015-04-01,5,0\nb,2015-05-01,6,0\n");
        try (Session s = session(tmp)) {
            s.attachDataset("path=" + p);
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.prepareData("lambda=0"));
            assertTrue(e.what().contains("Series 'b' has the value -1.0 at 2015-02"), e.getMessage());
            assertTrue(e.fix().contains("lambda=none"), e.getMessage());
        }
        try (Session s = session(tmp)) {
            s.attachDataset("path=" + p);
            s.prepareData(Args.empty());
            s.split("h=2");
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.build("spec=forecasting.autoarima lambda=0"));
            assertTrue(e.what().contains("Box-Cox"), e.getMessage());
        }
    }

    @Test
    void unknownSpecListsTheKnownOnes(@TempDir Path tmp) throws Exception {
        Path p = monthly(tmp, "a.csv", "");
        try (Session s = session(tmp)) {
            s.attachDataset("path=" + p);
            s.prepareData(Args.empty());
            s.split(Args.empty());
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.build("spec=forecasting.prophet"));
            assertTrue(e.fix().contains("forecasting.autoarima") && e.fix().contains("forecasting.ets"), e.getMessage());
            ModelworkException k = assertThrows(ModelworkException.class, () -> s.build("spec=forecasting.snaive ic=bic"));
            assertTrue(k.what().contains("autoarima only"), k.getMessage());
        }
    }

    @Test
    void exogenousAndCalendarRegressorsAndBaselinesReloadExactly(@TempDir Path tmp) throws Exception {
        Path p = monthly(tmp, "exog.csv", "");
        try (Session s = session(tmp)) {
            s.attachDataset("path=" + p + " exog=promo");
            StepReport pr = s.prepareData("calendar=month");
            assertEquals(12, pr.body().get("regressors").size());
            StepReport sp = s.split(Args.empty());
            assertEquals(24, sp.body().get("h").asInt());
            s.build("spec=forecasting.autoarima");
            s.fit(Args.empty());
            StepReport ev = s.evaluate(Args.empty());
            assertTrue(ev.body().get("metrics").get("test").get("mase").asDouble() < 2, ev.body().get("metrics").toString());
            StepReport ex = s.export(Args.empty());
            assertEquals(0.0, ex.body().get("reload_max_abs_diff").asDouble(), 1e-9);
            ForecastBundle b = ForecastBundle.load(Path.of(ex.body().get("path").asText()));
            assertThrows(ModelworkException.class, () -> b.forecast("a", 3, null));
            Forecast f = b.forecast("a", 3, new double[][]{{0, 1, 0}});
            assertEquals(3, f.horizon());
        }
        for (String spec : new String[]{"forecasting.naive", "forecasting.snaive", "forecasting.ets"}) {
            try (Session s = session(tmp)) {
                s.attachDataset("path=" + p);
                s.prepareData("lambda=0.5");
                s.split("h=12");
                s.build("spec=" + spec);
                s.fit(Args.empty());
                StepReport ev = s.evaluate(Args.empty());
                assertTrue(ev.body().get("metrics").get("test").get("smape").asDouble() < 20, spec);
                StepReport ex = s.export(Args.of("target", tmp.resolve("export-" + spec).toString()));
                assertEquals(0.0, ex.body().get("reload_max_abs_diff").asDouble(), 1e-9, spec);
            }
        }
    }
}
