package io.modelwork.forecast.workflow;

import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.shared.Tuning;

import java.util.List;

/**
 * The keys of every forecasting step, declared once with type, default, range and help. The session checks a step's
 * arguments against them before it runs, the recipe pre-check before any work, {@code %help} prints them.
 *
 * <p>Box-Cox {@code lambda} is text (a number in [-1, 2], {@code none}, {@code log}, or in build {@code auto}): the
 * handlers parse it ({@link ForecastSpec#parseLambda}) and name the key when it is bad.
 */
final class ForecastOptions {
    private ForecastOptions() { }

    static final String LAMBDA_HELP = "Box-Cox lambda: a number in [-1, 2] (0 = log), none";

    static final Option N_JOBS = Option.integer("n_jobs", null, -1, 4096,
            "series fitted in parallel (default: configure's threads; -1 = all cores)");

    static final Options ATTACH = Options.of(
            Option.path("path", "the CSV file: long format (unique_id, ds, y), one series (time, value) or M4's wide CSV"),
            Option.choice("format", null, List.of("long", "series", "csv", "m4"), "file layout (default: M4 by file name, else long)"),
            Option.text("task", null, "forecasting (chooses this category)"),
            Option.text("id", null, "series id column (long format; default unique_id when present)"),
            Option.text("time", null, "time column (default ds)"),
            Option.text("ds", null, "time column (same as time=)"),
            Option.text("value", null, "value column (default y)"),
            Option.list("exog", null, "exogenous regressor columns, e.g. exog=promo,price"),
            Option.text("freq", null, "frequency: hourly, daily, weekly, monthly, quarterly, yearly, half-hourly, minutely (default: inferred)"),
            Option.integer("m", null, 1, null, "seasonal period (default from the frequency, e.g. 12 for monthly)"),
            Option.integer("limit", 0, 0, null, "use only the first N series (0 = all)"),
            Option.list("ids", null, "use only these series ids"),
            Option.path("test_path", "M4: the test CSV (default: the -test.csv beside the train file)"),
            Option.choice("duplicates", "error", List.of("error", "mean", "sum", "last", "first"),
                    "what to do with repeated timestamps of a series"));

    static final Options PREPARE = Options.of(
            Option.choice("fill", "interpolate", List.of("interpolate", "ffill", "zero", "none"), "how missing values are filled"),
            Option.choice("agg", null, List.of("mean", "sum", "last", "first"),
                    "aggregation of observations in one grid bucket (default: attach's duplicates policy, else mean)"),
            Option.text("lambda", null, LAMBDA_HELP + " or log; applied inside the models"),
            Option.list("calendar", null, "calendar regressors: month, dow, hour, weekend"),
            Option.integer("fourier", 0, 0, null, "Fourier regressor pairs K for the seasonal period (1 <= K <= m/2)"));

    static final Options SPLIT = Options.of(
            Option.integer("h", null, 0, null, "hold-out horizon per series (default: the external test horizon, 2m, or 10; 0 = none)"),
            Option.integer("horizon", null, 0, null, "same as h"),
            Option.integer("windows", 3, 1, null, "rolling-origin windows for backtest"),
            Option.integer("step", null, 1, null, "rolling-origin step between windows (default h)"),
            Option.choice("mode", "expanding", List.of("expanding", "sliding"), "rolling-origin training window"),
            Option.integer("window_size", null, 3, null, "sliding window length"));

    static final Options BUILD;
    static {
        List<Option> b = new java.util.ArrayList<>(List.of(
                Option.text("spec", "forecasting.autoarima", "model spec: forecasting.autoarima, naive, snaive or ets"),
                Option.choice("ic", "aicc", List.of("aicc", "aic", "bic"), "information criterion of the order search (autoarima)"),
                Option.bool("stepwise", true, "stepwise order search (false: exhaustive) (autoarima)"),
                Option.text("lambda", null, LAMBDA_HELP + ", or auto (Guerrero, per series); default prepare_data's"),
                Option.text("approximation", "auto", "approximate likelihood during the search: auto, true or false (autoarima)")));
        String[] keys = {"max_p", "max_q", "max_P", "max_Q", "max_order", "max_d", "max_D"};
        int[] dflt = {5, 5, 2, 2, 5, 2, 1};
        for (int i = 0; i < keys.length; i++) b.add(Option.integer(keys[i], dflt[i], 0, null, "upper bound of the search (autoarima)"));
        b.add(Option.integer("d", null, 0, null, "fixed non-seasonal differences (default: KPSS test) (autoarima)"));
        b.add(Option.integer("D", null, 0, null, "fixed seasonal differences (default: seasonal strength test) (autoarima)"));
        b.add(Option.bool("seasonal", true, "allow a seasonal model (autoarima)"));
        b.add(Option.bool("allow_drift", true, "allow a drift term (autoarima)"));
        b.add(Option.bool("allow_mean", true, "allow a mean term (autoarima)"));
        BUILD = Options.of(b);
        List<String> declared = BUILD.without("spec").names().stream().toList();
        if (!declared.equals(ForecastSpec.PARAMS)) throw new IllegalStateException("build options " + declared + " != " + ForecastSpec.PARAMS);
    }

    static final Options FIT = Options.of(N_JOBS);

    static final Options EVALUATE = Options.of(
            Option.integer("charts", 3, 0, null, "forecast charts of the first series"),
            Option.integer("worst", 5, 0, null, "worst series (by MASE) shown in the gallery"));

    static final Options TUNE = Options.of(
            Option.choice("strategy", "grid", List.of("grid", "random", "tpe"),
                    "search strategy (default: the grid of ic × stepwise × lambda, or of space=)"),
            Option.list("ic", "aicc,bic", "information criteria to try (autoarima)"),
            Option.list("stepwise", "true,false", "stepwise settings to try (autoarima)"),
            Option.list("lambda", "none,0", "Box-Cox lambdas to try (a number in [-1, 2], none)"),
            Option.choice("metric", "mase", List.of("mase", "smape", "mae", "rmse", "mape"), "validation metric (lower is better)"),
            Option.integer("max_series", null, 1, null, "score on at most this many series (default all)"),
            Option.bool("apply", true, "refit every series with the best configuration when it beats the current spec on validation"),
            N_JOBS).plus(Tuning.OPTIONS.without("max_budget", "min_budget", "eta"));

    static final Options BACKTEST = Options.of(
            Option.integer("windows", null, 1, null, "rolling-origin windows (default split's, 3)"),
            Option.integer("step", null, 1, null, "step between origins (default split's)"),
            Option.integer("h", null, 1, null, "forecast horizon per window (default split's h)"),
            Option.integer("horizon", null, 1, null, "same as h"),
            Option.choice("mode", null, List.of("expanding", "sliding"), "training window (default split's, expanding)"),
            Option.integer("window_size", null, 3, null, "sliding window length"),
            Option.choice("on", "train", List.of("train", "all"), "backtest on the training part (test untouched) or all data"),
            N_JOBS,
            Option.number("drift_alert", 3.0, 0.0, null, "|z| of a residual level shift that raises the drift alert"));

    static final Options CALIBRATE = Options.of(
            Option.number("target_coverage", 0.95, 0.0, 1.0, "wanted share of backtest points inside the interval, in (0, 1)"),
            Option.number("level", 95.0, 0.0, 100.0, "the interval level to calibrate: 80 or 95"));

    static final Options EXPORT = Options.of(
            Option.path("target", "bundle folder (default run_dir/export; must not exist)"),
            Option.integer("h", null, 1, null, "horizon of forecasts.csv (default split's h)"),
            Option.bool("refit", false, "refit every series on all data (train + test) before export"));

    static Options of(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> ATTACH;
            case PREPARE_DATA -> PREPARE;
            case SPLIT -> SPLIT;
            case BUILD -> BUILD;
            case FIT -> FIT;
            case EVALUATE -> EVALUATE;
            case TUNE -> TUNE;
            case BACKTEST -> BACKTEST;
            case CALIBRATE -> CALIBRATE;
            case EXPORT -> EXPORT;
            case REGISTER -> RegisterHandler.OPTIONS;
            default -> Options.none();
        };
    }
}
