package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.workflow.ForecastState.Part;
import io.modelwork.forecast.workflow.ForecastState.Prepared;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.kv;

/**
 * split for forecasting: a hold-out of the last {@code h} points of every series (or M4's external test file), time
 * order kept (no leakage), and the rolling-origin settings that backtest and calibrate use by default.
 */
final class SplitHandler implements StepHandler<ForecastState> {
    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) { return split(st, a); }

    /** Splits every series (also replayed by {@link ForecastState#restore}). */
    static StepReport split(ForecastState st, Args a) {
        SeriesPanel panel = st.panel;
        st.splitArgs = a;
        boolean external = st.external = panel.externalTest != null;
        int dflt = external ? panel.externalTest.values().iterator().next().length : panel.m > 1 ? 2 * panel.m : 10;
        int h = st.h = a.getInt("h", a.getInt("horizon", dflt));
        if (h < 0) throw new ModelworkException("The horizon h must be >= 0, got " + h, "split h", "e.g. h=" + dflt);
        if (external && h != dflt)
            throw new ModelworkException("The external test set has " + dflt + " values per series but h=" + h, "split h",
                    "leave h out (it defaults to the test horizon) or attach without the test file");
        List<Part> parts = new ArrayList<>();
        for (Prepared p : st.prepared) {
            int n = p.y().length;
            for (double v : p.y())
                if (Double.isNaN(v))
                    throw new ModelworkException("Series '" + p.id() + "' still has missing values (fill=none)", "split",
                            "prepare_data with fill=interpolate or fill=ffill");
            double[] train, test;
            double[][] xTrain, xTest;
            if (external) {
                if (panel.exogNames.length > 0)
                    throw new ModelworkException("Exogenous columns are unknown over the external test horizon", "split",
                            "drop exog= for M4 data (calendar= and fourier= regressors are computed)");
                train = p.y();
                test = panel.externalTest.get(p.id());
                xTrain = p.xreg();
                xTest = PrepareHandler.calendarColumns(panel.grid, panel.m, st.calendar, st.fourier, p.start() + n, h);
            } else {
                int nt = n - h;
                if (nt < 3)
                    throw new ModelworkException("Series '" + p.id() + "' has " + n + " values; a hold-out of h=" + h + " leaves " + nt
                            + " for training", "split h=" + h, "use a smaller h, or drop short series (ids=...)");
                train = Arrays.copyOf(p.y(), nt);
                test = Arrays.copyOfRange(p.y(), nt, n);
                xTrain = new double[p.xreg().length][];
                xTest = new double[p.xreg().length][];
                for (int j = 0; j < xTrain.length; j++) {
                    xTrain[j] = Arrays.copyOf(p.xreg()[j], nt);
                    xTest[j] = Arrays.copyOfRange(p.xreg()[j], nt, n);
                }
            }
            int m = train.length > panel.m ? panel.m : 1;
            parts.add(new Part(p.id(), p.start(), train, test, xTrain, xTest, m));
        }
        st.parts = parts;
        ObjectNode rolling = st.rolling = Json.object();
        rolling.put("mode", a.getString("mode", "expanding"));
        rolling.put("windows", a.getInt("windows", 3));
        rolling.put("step", a.getInt("step", Math.max(1, h)));
        rolling.put("horizon", Math.max(1, h));
        if (a.has("window_size")) rolling.put("window_size", a.getInt("window_size", 0));
        checkRolling(rolling);
        st.models = null;
        StepReport r = new StepReport("split", "Hold-out split (time)");
        ObjectNode b = r.body();
        b.put("strategy", external ? "external test set" : "hold-out of the last h points per series");
        b.put("h", h);
        b.put("series", parts.size());
        b.put("train_points", parts.stream().mapToInt(p -> p.train().length).sum());
        b.put("test_points", parts.stream().mapToInt(p -> p.test().length).sum());
        Part p0 = parts.get(0);
        b.put("first_series_train_end", panel.grid.label(p0.trainEnd()));
        b.set("rolling_origin", rolling);
        if (h == 0) r.note("h=0: no hold-out; models are fitted on all data and evaluate reports in-sample criteria only");
        r.note("time order is kept: every test point comes after every training point of its series (no leakage)");
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("strategy", b.get("strategy").asText());
        kv.put("horizon h", h);
        kv.put("series", parts.size());
        kv.put("train / test points", b.get("train_points").asInt() + " / " + b.get("test_points").asInt());
        kv.put("first series: train ends", b.get("first_series_train_end").asText());
        kv.put("rolling origin (backtest)", rolling.get("mode").asText() + ", " + rolling.get("windows").asInt() + " windows, step "
                + rolling.get("step").asInt() + ", horizon " + rolling.get("horizon").asInt());
        r.table(kv("Split", kv));
        return r;
    }

    static void checkRolling(ObjectNode r) {
        String mode = r.get("mode").asText();
        if (!mode.equals("expanding") && !mode.equals("sliding"))
            throw new ModelworkException("Unknown rolling-origin mode '" + mode + "'", "mode", "use mode=expanding or mode=sliding");
        if (r.get("windows").asInt() < 1) throw new ModelworkException("windows must be at least 1", "windows", "e.g. windows=3");
        if (r.get("step").asInt() < 1) throw new ModelworkException("step must be at least 1", "step", "e.g. step=12");
        if (r.get("horizon").asInt() < 1) throw new ModelworkException("the backtest horizon must be at least 1", "horizon", "e.g. h=12");
        if (r.has("window_size") && r.get("window_size").asInt() < 3)
            throw new ModelworkException("window_size must be at least 3", "window_size", "e.g. window_size=120");
    }
}
