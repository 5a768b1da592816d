package io.modelwork.shared;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Step;
import io.modelwork.report.ArtifactMap;
import io.modelwork.report.StepReport;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The artifacts step of every category: the state's artifact map plus the training log, and the registry key when
 * register ran; each path with whether it exists.
 */
public final class ArtifactsHandler<S extends CategoryState & Exportable> implements StepHandler<S> {
    @Override public StepReport run(S state, Args a, StepContext ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("training_log", ctx.run().log().file());
        m.putAll(state.artifacts());
        JsonNode registered = ctx.report(Step.REGISTER).map(r -> r.body().get("model_version")).orElse(null);
        return ArtifactMap.report(m, registered);
    }
}
