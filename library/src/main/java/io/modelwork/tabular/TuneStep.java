package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.StepContext;
import io.modelwork.tune.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Step 8 for tabular data: hyper-parameter search through the shared {@link Tuning} (grid, random, TPE, ASHA), each
 * trial a fresh model of the current spec trained as fit was (rounds, early stopping) and scored on validation. The
 * best configuration is refitted as its trial ran — the trial's seed and engine threads — so the refit scores what
 * the trial scored, and it replaces the model only when it beats the current one on validation.
 */
final class TuneStep {
    private TuneStep() { }

    static final Options OPTIONS = Tuning.OPTIONS;

    static final Set<String> MAXIMIZE = Set.of("r2", "accuracy", "roc_auc", "pr_auc", "f1", "mrr");

    static boolean maximize(String metric) {
        return MAXIMIZE.contains(metric) || metric.startsWith("ndcg@") || metric.startsWith("map@");
    }

    static SearchSpace defaultSpace(TabularState s) {
        if (s.spec().algorithm().equals("xgboost"))
            return SearchSpace.parse("max_depth=3|4|6|8 eta=log:0.02..0.3 min_child_weight=log:0.5..10 subsample=0.6..1.0 colsample_bytree=0.6..1.0");
        return SearchSpace.parse("num_leaves=int:8..64 learning_rate=log:0.02..0.2 min_data_in_leaf=int:5..50 feature_fraction=0.6..1.0 lambda_l2=log:0.001..10");
    }

    static StepReport run(TabularState s, Args a, StepContext ctx) {
        if (s.valid() == null)
            throw new ModelworkException("tune needs a validation set", "tune", "split with a validation ratio > 0");
        SearchSpace space = Tuning.space(a, defaultSpace(s));
        String metric = a.getString("metric", switch (s.task()) {
            case REGRESSION -> "rmse";
            case RANKING -> "ndcg@3";
            default -> "log_loss";
        });
        Direction dir = maximize(metric) ? Direction.MAXIMIZE : Direction.MINIMIZE;
        TabularState.FitSettings fs = s.fitSettings;
        TunerConfig cfg = Tuning.config(a, ctx, metric, dir, fs.rounds());
        String strategy = a.getString("strategy", "tpe");
        boolean asha = strategy.equalsIgnoreCase("asha");
        Map<String, Object> base = new LinkedHashMap<>(s.model().params());
        int engineThreads = Math.max(1, ctx.run().threads() / Math.max(1, cfg.threads()));
        String device = ctx.run().device();
        Objective objective = (params, budget, seed) -> {
            try (TabularModel m = s.freshModel(merge(base, params))) {
                m.fit(s.train(), s.valid(), new TabularModel.FitConfig(asha ? budget : fs.rounds(), asha ? 0 : fs.earlyStopping(),
                        seed, engineThreads, device), (it, tot, mm, bst) -> {
                    if (Thread.currentThread().isInterrupted()) throw new ModelworkException("tune interrupted", "tune", "");
                });
                return Tuning.metric(s.metrics(s.valid(), m.predict(s.valid())), metric);
            }
        };
        TuningReport tr = Tuning.run(ctx, space, objective, cfg);
        double current = Tuning.metric(s.metrics(s.valid(), s.predict(s.valid())), metric);
        StepReport r = Tuning.report(strategy, tr, current);
        TabularModel[] candidate = {null};
        TabularModel.FitResult[] result = {null};
        boolean keep;
        try {
            keep = Tuning.decide(r, tr, current, a.getBool("apply", true), () -> {
                // the trial again: same parameters, seed, engine threads, rounds (ASHA: the trial's budget, no early stop)
                Trial best = tr.bestTrial();
                candidate[0] = s.freshModel(merge(base, tr.bestParams()));
                result[0] = candidate[0].fit(s.train(), s.valid(), new TabularModel.FitConfig(asha ? best.budget() : fs.rounds(),
                        asha ? 0 : fs.earlyStopping(), Tuning.trialSeed(cfg, tr), engineThreads, device, fs.trainMetricEvery()),
                        (it, tot, mm, bst) -> ctx.progress().update("tune", it + 1, tot, "refit " + mm));
                return Tuning.metric(s.metrics(s.valid(), candidate[0].predict(s.valid())), metric);
            });
        } catch (RuntimeException e) {
            if (candidate[0] != null) candidate[0].close();
            throw e;
        }
        if (keep) {
            boolean calibrated = s.decision.json() != null;
            s.replaceModel(candidate[0], result[0]);
            ctx.invalidate(Step.EVALUATE);
            if (calibrated) r.note("the calibration of the previous model was dropped; run calibrate again for the tuned model");
        } else if (candidate[0] != null) candidate[0].close();
        return r;
    }

    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> params) {
        Map<String, Object> p = new LinkedHashMap<>(base);
        p.putAll(params);
        return p;
    }
}
