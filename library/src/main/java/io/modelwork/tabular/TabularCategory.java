package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.shared.ArtifactsHandler;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.spi.Category;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import io.modelwork.tabular.engine.Providers;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tabular category: regression, classification and ranking on a table (CSV, Parquet, JDBC, …) with the
 * gradient-boosting engines of {@link io.modelwork.tabular.engine} (XGBoost, LightGBM). It takes any data no other
 * category recognises ({@link #FALLBACK}); {@code task=regression|classification|ranking} names it explicitly.
 *
 * <p>One handler per step (or small group): {@link DataSteps} (attach, prepare, split), {@link BuildFitSteps},
 * {@link EvaluateStep}, {@link TuneStep}, {@link BacktestStep}, {@link CalibrateStep}, {@link TabularExport}; register
 * and artifacts are the shared handlers. Each step's keys are declared once, beside its handler.
 */
public final class TabularCategory implements Category<TabularState> {

    @Override public String name() { return "tabular"; }

    @Override public String description() { return "regression, classification and ranking on tables with gradient-boosted trees"; }

    @Override public Set<String> tasks() { return Set.of("regression", "classification", "ranking"); }

    @Override public Map<String, String> specs() {
        Map<String, String> m = new LinkedHashMap<>();
        Providers.all().forEach((spec, p) -> m.put(spec, p.describe(spec)));
        return m;
    }

    /** Any file or JDBC reference: the tabular readers decide at attach whether they can read it. */
    @Override public int recognise(Args attachArgs) { return FALLBACK; }

    @Override public TabularState newState(StepContext ctx) { return new TabularState(ctx); }

    @Override public Options options(Step step) { return options(step, null); }

    @Override public Options options(Step step, String spec) {
        return switch (step) {
            case ATTACH_DATASET -> DataSteps.ATTACH;
            case PREPARE_DATA -> DataSteps.PREPARE;
            case SPLIT -> DataSteps.SPLIT;
            case BUILD -> BuildFitSteps.BUILD.plus(BuildFitSteps.engine(spec));
            case FIT -> BuildFitSteps.FIT.plus(BuildFitSteps.engine(spec));
            case EVALUATE -> EvaluateStep.OPTIONS;
            case TUNE -> TuneStep.OPTIONS;
            case BACKTEST -> BacktestStep.OPTIONS;
            case CALIBRATE -> CalibrateStep.OPTIONS;
            case EXPORT -> TabularExport.OPTIONS;
            case REGISTER -> RegisterHandler.OPTIONS;
            default -> Options.none();
        };
    }

    /** Breast cancer (569 rows) with LightGBM through every step; a few seconds on two cores. */
    @Override public LinkedHashMap<Step, Args> example(Path assets) {
        LinkedHashMap<Step, Args> m = new LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", assets.resolve("data/classification/breast_cancer.csv").toString(), "target", "diagnosis"));
        m.put(Step.PREPARE_DATA, Args.empty());
        m.put(Step.SPLIT, Args.of("ratios", "0.6,0.2,0.2"));
        m.put(Step.BUILD, Args.of("spec", "classification.lightgbm"));
        m.put(Step.FIT, Args.of("rounds", 200, "early_stopping", 20));
        m.put(Step.EVALUATE, Args.empty());
        m.put(Step.TUNE, Args.of("strategy", "random", "trials", 3));
        m.put(Step.BACKTEST, Args.of("order", "row", "windows", 2));
        m.put(Step.CALIBRATE, Args.of("method", "platt"));
        m.put(Step.EXPORT, Args.empty());
        m.put(Step.ARTIFACTS, Args.empty());
        return m;
    }

    @Override public StepHandler<TabularState> handler(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> DataSteps::attach;
            case PREPARE_DATA -> DataSteps::prepare;
            case SPLIT -> DataSteps::split;
            case BUILD -> BuildFitSteps::build;
            case FIT -> BuildFitSteps::fit;
            case EVALUATE -> EvaluateStep::run;
            case TUNE -> TuneStep::run;
            case BACKTEST -> BacktestStep::run;
            case CALIBRATE -> CalibrateStep::run;
            case EXPORT -> TabularExport::run;
            case REGISTER -> new RegisterHandler<>();
            case ARTIFACTS -> new ArtifactsHandler<>();
            default -> null;
        };
    }
}
