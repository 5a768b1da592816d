package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.Forecast;
import io.modelwork.forecast.workflow.ForecastState.Part;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.*;

/**
 * calibrate for forecasting: scales the 80% and 95% intervals around the mean by the split-conformal quantile of the
 * backtest's interval ratios (running the default backtest first when none ran), reports coverage before and after
 * on the backtest and the hold-out, and writes {@code artifacts/calibration.json}.
 */
final class CalibrateHandler implements StepHandler<ForecastState> {
    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) {
        ObjectNode rolling = st.rolling;
        double target = a.getDouble("target_coverage", 0.95);
        double level = a.getDouble("level", 95);
        if (!(target > 0 && target < 1))
            throw new ModelworkException("target_coverage must be in (0, 1), got " + target, "calibrate target_coverage", "e.g. target_coverage=0.95");
        if (level != 95 && level != 80)
            throw new ModelworkException("level must be 80 or 95, got " + level, "calibrate level", "level=95 (default) or level=80");
        List<String> notes = new ArrayList<>();
        if (st.btRatios == null) {
            BacktestHandler.runBacktest(st, ctx, rolling.deepCopy(), "train", ctx.run().threads(), 3);
            notes.add("no backtest had run: ran the default rolling-origin backtest (" + rolling.get("windows").asInt() + " windows, horizon "
                    + rolling.get("horizon").asInt() + ") to calibrate on");
        }
        List<double[]> btRatios = st.btRatios;
        int li = level == 95 ? 1 : 0, oi = 1 - li;
        double cMain = quantile(btRatios, li, target), cOther = quantile(btRatios, oi, level == 95 ? 0.80 : 0.95);
        double before = coverageAt(btRatios, li, 1), after = coverageAt(btRatios, li, cMain);
        double beforeO = coverageAt(btRatios, oi, 1), afterO = coverageAt(btRatios, oi, cOther);
        if (level == 95) { st.scale95 = cMain; st.scale80 = cOther; } else { st.scale80 = cMain; st.scale95 = cOther; }
        double scale80 = st.scale80, scale95 = st.scale95;
        ObjectNode calibration = st.calibration = Json.object();
        calibration.put("method", "interval scaling around the mean (split-conformal quantile of backtest ratios)");
        calibration.put("level", level);
        calibration.put("target_coverage", target);
        calibration.put("scale_80", scale80);
        calibration.put("scale_95", scale95);
        calibration.put("backtest_points", btRatios.size());
        calibration.put("backtest_coverage_" + (int) level + "_before", before);
        calibration.put("backtest_coverage_" + (int) level + "_after", after);
        calibration.put("backtest_coverage_" + (level == 95 ? 80 : 95) + "_before", beforeO);
        calibration.put("backtest_coverage_" + (level == 95 ? 80 : 95) + "_after", afterO);
        StepReport r = new StepReport("calibrate", "Interval calibration (target " + target + " at " + (int) level + "%)");
        r.body().setAll(calibration);
        List<Part> parts = st.parts;
        if (st.h > 0) {
            Forecast[] fc = st.testForecasts(st.models);
            List<Map<String, Double>> raw = new ArrayList<>(), cal = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                raw.add(metrics(p.test(), fc[i], p.train(), p.m()));
                cal.add(metrics(p.test(), scaled(fc[i], scale80, scale95), p.train(), p.m()));
            }
            Map<String, Double> ra = aggregate(raw), ca = aggregate(cal);
            calibration.put("test_coverage_80_before", ra.get("coverage_80"));
            calibration.put("test_coverage_80_after", ca.get("coverage_80"));
            calibration.put("test_coverage_95_before", ra.get("coverage_95"));
            calibration.put("test_coverage_95_after", ca.get("coverage_95"));
            r.body().setAll(calibration);
        }
        notes.forEach(r::note);
        r.note(String.format(Locale.ROOT, "95%% intervals scaled by %.3f, 80%% by %.3f; backtest coverage at %d%%: %.3f → %.3f",
                scale95, scale80, (int) level, before, after));
        Map<String, Object> kv = new LinkedHashMap<>();
        calibration.fields().forEachRemaining(e -> kv.put(e.getKey(), e.getValue().isNumber() ? fmt(e.getValue().asDouble()) : e.getValue().asText()));
        r.table(kv("Interval calibration", kv));
        try {
            Path f = ctx.run().runDir().resolve("artifacts").resolve("calibration.json");
            Files.createDirectories(f.getParent());
            AtomicFiles.writeString(f, Json.write(calibration));
        } catch (IOException e) {
            throw new ModelworkException("Cannot write calibration.json: " + e.getMessage(), ctx.run().runDir().toString(), "check disk space");
        }
        return r;
    }

    /** The smallest scale c with share(ratio <= c) >= target (finite-sample corrected, as split conformal). */
    static double quantile(List<double[]> ratios, int idx, double target) {
        double[] v = ratios.stream().mapToDouble(x -> x[idx]).filter(Double::isFinite).sorted().toArray();
        long inf = ratios.stream().filter(x -> !Double.isFinite(x[idx])).count();
        int n = v.length + (int) inf;
        if (v.length == 0) return 1;
        int k = (int) Math.ceil(target * (n + 1)) - 1;
        k = Math.min(Math.max(k, 0), v.length - 1);
        return Math.max(v[k], 1e-6);
    }

    static double coverageAt(List<double[]> ratios, int idx, double c) {
        long in = ratios.stream().filter(x -> x[idx] <= c).count();
        return ratios.isEmpty() ? Double.NaN : (double) in / ratios.size();
    }
}
