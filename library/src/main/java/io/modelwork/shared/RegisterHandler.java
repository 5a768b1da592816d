package io.modelwork.shared;

import io.modelwork.core.Args;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.registry.RegisterStep;
import io.modelwork.report.StepReport;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The register step of every category: puts the state's export bundle ({@link Exportable#exportDir()}) into the model
 * registry under the user's {@code name} (or the category's default), with the category's tags, the test metrics of
 * the evaluate step that describes the exported model, and the user's tags on top.
 */
public final class RegisterHandler<S extends CategoryState & Exportable> implements StepHandler<S> {

    /** The keys of the register step, for every category. */
    public static final Options OPTIONS = Options.of(
            Option.text("name", null, "model name in the registry (letters, digits, '.', '_', '-'); default from the data"),
            Option.choice("stage", "none", List.of("none", "staging", "canary", "production", "archived"), "stage of the new version"),
            Option.map("tags", "extra tags, e.g. tags=team:ml,ticket:42"),
            Option.path("home", "registry folder (default $MODELWORK_HOME or ~/.modelwork)"),
            Option.text("actor", null, "who registers (default: the user name), written to the audit log"));

    @Override public StepReport run(S state, Args a, StepContext ctx) {
        Map<String, String> tags = new LinkedHashMap<>(state.registerTags());
        ctx.report(Step.EVALUATE).ifPresent(ev -> ev.body().path("metrics").path("test").fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) tags.putIfAbsent("test_" + e.getKey(), String.valueOf(e.getValue().asDouble()));
        }));
        return RegisterStep.run(state.exportDir(), a, state.defaultModelName(), tags, state.registerHint());
    }
}
