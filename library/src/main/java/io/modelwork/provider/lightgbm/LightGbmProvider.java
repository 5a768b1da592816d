package io.modelwork.provider.lightgbm;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.data.Dataset;
import io.modelwork.tabular.engine.Model;
import io.modelwork.tabular.engine.ModelSpec;
import io.modelwork.tabular.engine.TaskProvider;

import java.util.*;

/** {@code classification.lightgbm} (binary and multiclass, class weights) and {@code regression.lightgbm}. */
public final class LightGbmProvider implements TaskProvider {
    @Override public List<String> specs() { return List.of("classification.lightgbm", "regression.lightgbm", "ranking.lightgbm"); }

    @Override public String describe(String spec) {
        String c = ModelSpec.parse(spec).category();
        return "LightGBM gradient-boosted trees (lightgbm4j), " + (c.equals("ranking") ? "LambdaRank" : c);
    }

    @Override
    public Map<String, Object> defaultParams(ModelSpec spec) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("num_leaves", 31);
        p.put("learning_rate", 0.05);
        p.put("min_data_in_leaf", 20);
        p.put("feature_fraction", 1.0);
        p.put("bagging_fraction", 1.0);
        p.put("bagging_freq", 0);
        p.put("lambda_l2", 0.0);
        p.put("max_depth", -1);
        if (spec.category().equals("classification")) p.put("class_weight", "none");
        if (spec.category().equals("ranking")) { p.put("eval_at", 3); p.put("min_data_in_leaf", 50); }
        return p;
    }

    @Override public List<String> extraParams(ModelSpec spec) { return List.of("lambda_l1", "min_gain_to_split", "max_bin", "extra_trees"); }

    @Override
    public Model build(ModelSpec spec, Args args, BuildContext ctx) {
        Dataset.Task task = switch (spec.category()) {
            case "regression" -> Dataset.Task.REGRESSION;
            case "ranking" -> Dataset.Task.RANKING;
            default -> Dataset.Task.CLASSIFICATION;
        };
        Map<String, Object> p = new LinkedHashMap<>(defaultParams(spec));
        for (String k : args.keys()) {
            if (!p.containsKey(k) && !extraParams(spec).contains(k))
                throw new ModelworkException("Unknown LightGBM parameter '" + k + "'", "build " + spec,
                        "valid keys: " + new TreeSet<>(p.keySet()) + " plus lambda_l1, min_gain_to_split, max_bin, extra_trees");
            p.put(k, args.get(k));
        }
        return new LightGbmModel(spec, task, ctx.numClasses(), p);
    }
}
