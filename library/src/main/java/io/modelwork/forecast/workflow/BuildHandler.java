package io.modelwork.forecast.workflow;

import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.kv;

/**
 * build for forecasting: resolves {@code spec=forecasting.autoarima|naive|snaive|ets} and its parameters
 * ({@link ForecastSpec}); the Box-Cox lambda is checked against the data here, before any fit.
 */
final class BuildHandler implements StepHandler<ForecastState> {
    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) { return build(st, a); }

    /** Resolves the spec and its parameters (also replayed by {@link ForecastState#restore}). */
    static StepReport build(ForecastState st, Args a) {
        ForecastSpec spec = st.spec = ForecastSpec.parse(a, st.prepLambda);
        SeriesPanel panel = st.panel;
        String[] xregNames = st.xregNames;
        if (spec.lambda != null) st.checkLambda(spec.lambda, "build lambda=" + SeriesModel.fmt(spec.lambda));
        st.models = null;
        StepReport r = new StepReport("build", "Model " + spec.name());
        r.body().put("spec", spec.name());
        r.body().set("params", Json.MAPPER.valueToTree(spec.params));
        r.body().put("m", panel.m);
        if (xregNames.length > 0 && !spec.algorithm.equals("autoarima"))
            r.note("regressors " + Arrays.toString(xregNames) + " are used by forecasting.autoarima only; " + spec.name() + " ignores them");
        if (xregNames.length > 0 && spec.algorithm.equals("autoarima"))
            r.note("regression with ARIMA errors on " + xregNames.length + " regressors: " + String.join(", ", xregNames));
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("spec", spec.name());
        kv.put("seasonal period m", panel.m);
        spec.params.forEach((k, v) -> kv.put(k, v == null ? "none" : v));
        r.table(kv("Model (" + spec.name() + ")", kv));
        return r;
    }
}
