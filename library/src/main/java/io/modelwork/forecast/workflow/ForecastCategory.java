package io.modelwork.forecast.workflow;

import io.modelwork.core.Args;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.shared.ArtifactsHandler;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.spi.Category;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Time-series forecasting: {@code forecasting.autoarima} (R's {@code auto.arima}) with the {@code naive},
 * {@code snaive} and {@code ets} baselines, on a panel of one or many series on a regular grid.
 *
 * <p>Recognises ({@link #RECOGNISED}) attach arguments with a {@code ds=}, {@code time=} or {@code exog=} key,
 * {@code format=series|m4}, an M4 file name ({@code Hourly-train.csv}), or (without {@code target=}) a CSV whose
 * header has the long-format columns {@code ds} and {@code y}; {@code task=forecasting} is chosen by
 * {@link io.modelwork.spi.Categories}. Every step has its handler; register and artifacts are the shared ones.
 */
public final class ForecastCategory implements Category<ForecastState> {
    private static final Map<String, String> SPECS = new LinkedHashMap<>();
    static {
        SPECS.put("forecasting.autoarima", "AutoARIMA per series (R's auto.arima: stepwise order search, KPSS/seasonal tests, Box-Cox)");
        SPECS.put("forecasting.naive", "naive forecast: the last value (random walk)");
        SPECS.put("forecasting.snaive", "seasonal naive forecast: the value one season back");
        SPECS.put("forecasting.ets", "exponential smoothing (ETS) per series");
    }

    private final Map<Step, StepHandler<ForecastState>> handlers = new LinkedHashMap<>();

    public ForecastCategory() {
        handlers.put(Step.ATTACH_DATASET, new AttachHandler());
        handlers.put(Step.PREPARE_DATA, new PrepareHandler());
        handlers.put(Step.SPLIT, new SplitHandler());
        handlers.put(Step.BUILD, new BuildHandler());
        handlers.put(Step.FIT, new FitHandler());
        handlers.put(Step.EVALUATE, new EvaluateHandler());
        handlers.put(Step.TUNE, new TuneHandler());
        handlers.put(Step.BACKTEST, new BacktestHandler());
        handlers.put(Step.CALIBRATE, new CalibrateHandler());
        handlers.put(Step.EXPORT, new ExportHandler());
        handlers.put(Step.REGISTER, new RegisterHandler<>());
        handlers.put(Step.ARTIFACTS, ForecastCategory::artifacts);
    }

    @Override public String name() { return "forecasting"; }

    @Override public String description() { return "time-series forecasting: AutoARIMA per series with naive, seasonal naive and ETS baselines"; }

    @Override public Set<String> tasks() { return Set.of("forecasting"); }

    @Override public Map<String, String> specs() { return SPECS; }

    @Override public int recognise(Args a) {
        if (a.has("ds") || a.has("time") || a.has("exog")) return RECOGNISED;
        String f = a.getString("format", "").toLowerCase(Locale.ROOT);
        if (f.equals("series") || f.equals("m4")) return RECOGNISED;
        String p = a.getString("path", null);
        if (p == null) return 0;
        Path path;
        try {
            path = Path.of(p);
        } catch (RuntimeException e) {
            return 0;
        }
        return SeriesPanel.looksLikeM4(path) || (!a.has("target") && SeriesPanel.looksLikeLongFormat(path)) ? RECOGNISED : 0;
    }

    @Override public ForecastState newState(StepContext ctx) { return new ForecastState(ctx); }

    @Override public Options options(Step step) { return ForecastOptions.of(step); }

    @Override public StepHandler<ForecastState> handler(Step step) { return handlers.get(step); }

    /** R's AirPassengers: log transform, the 24-month hold-out, AutoARIMA (the airline model), a short backtest. */
    @Override public LinkedHashMap<Step, Args> example(Path assets) {
        LinkedHashMap<Step, Args> m = new LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", assets.resolve("data/forecasting/R_AirPassengers.csv").toString(), "time", "time", "value", "value"));
        m.put(Step.PREPARE_DATA, Args.of("lambda", 0));
        m.put(Step.SPLIT, Args.of("h", 24));
        m.put(Step.BUILD, Args.of("spec", "forecasting.autoarima"));
        m.put(Step.FIT, Args.empty());
        m.put(Step.EVALUATE, Args.empty());
        m.put(Step.TUNE, Args.of("ic", "aicc", "stepwise", "true", "lambda", "0,0.5"));
        m.put(Step.BACKTEST, Args.of("windows", 2, "step", 12, "horizon", 12));
        m.put(Step.CALIBRATE, Args.of("target_coverage", 0.95));
        m.put(Step.EXPORT, Args.empty());
        m.put(Step.ARTIFACTS, Args.empty());
        return m;
    }

    /** The shared artifact map, with the frequency and seasonal period. */
    private static StepReport artifacts(ForecastState st, Args a, StepContext ctx) {
        StepReport r = new ArtifactsHandler<ForecastState>().run(st, a, ctx);
        r.body().put("freq", st.panel.grid.freq());
        r.body().put("m", st.panel.m);
        return r;
    }
}
