package io.modelwork.provider.xgboost;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.data.Dataset;
import io.modelwork.tabular.engine.Model;
import io.modelwork.tabular.engine.ModelSpec;
import io.modelwork.tabular.engine.TaskProvider;

import java.util.*;

/** {@code regression.xgboost} and {@code classification.xgboost}: gradient-boosted trees with XGBoost4J. */
public final class XgboostProvider implements TaskProvider {
    @Override public List<String> specs() { return List.of("regression.xgboost", "classification.xgboost"); }

    @Override public String describe(String spec) { return "XGBoost4J gradient-boosted trees (hist), " + ModelSpec.parse(spec).category(); }

    @Override
    public Map<String, Object> defaultParams(ModelSpec spec) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("max_depth", 6);
        p.put("eta", 0.1);
        p.put("subsample", 1.0);
        p.put("colsample_bytree", 1.0);
        p.put("min_child_weight", 1.0);
        p.put("lambda", 1.0);
        p.put("alpha", 0.0);
        p.put("tree_method", "hist");
        return p;
    }

    @Override public List<String> extraParams(ModelSpec spec) { return List.of("eval_metric", "gamma", "max_bin", "grow_policy", "max_leaves"); }

    @Override
    public Model build(ModelSpec spec, Args args, BuildContext ctx) {
        Dataset.Task task = spec.category().equals("regression") ? Dataset.Task.REGRESSION : Dataset.Task.CLASSIFICATION;
        Map<String, Object> p = new LinkedHashMap<>(defaultParams(spec));
        for (String k : args.keys()) {
            if (!p.containsKey(k) && !extraParams(spec).contains(k))
                throw new ModelworkException("Unknown XGBoost parameter '" + k + "'", "build " + spec,
                        "valid keys: " + new TreeSet<>(p.keySet()) + " plus eval_metric, gamma, max_bin, grow_policy, max_leaves");
            p.put(k, args.get(k));
        }
        return new XgboostModel(spec, task, ctx.numClasses(), p);
    }
}
