package io.modelwork.session;

import io.modelwork.core.Args;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.spi.Category;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * TRANSITIONAL: presents a family still written as one {@link Workflow} class as a {@link Category}, so the session
 * has one dispatch path while families move onto per-step handlers. Each family's adapter is removed from
 * {@code META-INF/services/io.modelwork.spi.Category} when the family has its own category; this class goes with the
 * last one.
 */
public abstract class LegacyCategory implements Category<LegacyCategory.State> {
    private final String name;
    private final Set<String> tasks;
    private final Workflow.Factory factory;

    protected LegacyCategory(String name, Set<String> tasks, Workflow.Factory factory) {
        this.name = name;
        this.tasks = tasks;
        this.factory = factory;
    }

    @Override public String name() { return name; }
    @Override public String description() { return name + " (legacy workflow)"; }
    @Override public Set<String> tasks() { return tasks; }
    @Override public Map<String, String> specs() { return Map.of(); }

    @Override public int recognise(Args a) {
        if (!factory.accepts(a)) return 0;
        return factory.priority() < 0 ? FALLBACK : RECOGNISED;
    }

    @Override public State newState(StepContext ctx) {
        return new State(factory.create(((Session.Ctx) ctx).session()));
    }

    /** The workflow checks its own keys (see the handler). */
    @Override public Options options(Step step) { return null; }

    /** The keys the recipe pre-check knows for {@code step} (null: checked when the step runs). */
    public Options recipeOptions(Step step) {
        java.util.Collection<String> keys = factory.recipeKeys(step);
        if (keys == null) return null;
        return Options.of(keys.stream().map(k -> io.modelwork.core.Option.any(k, "")).toList());
    }

    /** The workflow's type check of one recipe value. */
    public void checkRecipeValue(Step step, String key, Object value, String where) { factory.checkRecipeValue(step, key, value, where); }

    @Override public StepHandler<State> handler(Step step) {
        return (st, a, ctx) -> {
            Workflow w = st.workflow();
            a.check(step, w.keys(step));
            return switch (step) {
                case ATTACH_DATASET -> w.attach(a);
                case PREPARE_DATA -> w.prepare(a);
                case SPLIT -> w.split(a);
                case BUILD -> w.build(a);
                case FIT -> w.fit(a);
                case EVALUATE -> w.evaluate(a);
                case TUNE -> w.tune(a);
                case BACKTEST -> w.backtest(a);
                case CALIBRATE -> w.calibrate(a);
                case EXPORT -> w.export(a);
                case REGISTER -> w.register(a);
                case ARTIFACTS -> w.artifacts(a);
                default -> new StepReport(step.key(), step.key());
            };
        };
    }

    /** The wrapped workflow; its files are saved under {@code workflow/}. */
    public static final class State implements CategoryState {
        private final Workflow workflow;

        State(Workflow workflow) { this.workflow = workflow; }

        public Workflow workflow() { return workflow; }

        @Override public void save(StateWriter out) throws IOException {
            Path dir = out.file("workflow/.keep").getParent();
            Files.deleteIfExists(dir.resolve(".keep"));
            workflow.saveState(dir);
        }

        @Override public void restore(StateReader in) throws IOException {
            // the workflow reads its own files; they were verified against the manifest already
            Path any = in.file("workflow/" + firstFile(in));
            Path dir = any.getParent();
            // the workflow reads files from the folder itself: every file there must be a verified manifest entry
            try (var files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String rel = "workflow/" + dir.relativize(f).toString().replace('\\', '/');
                    if (!in.has(rel))
                        throw new io.modelwork.core.ModelworkException("The checkpoint is damaged: state/" + rel
                                + " is not listed in its manifest (added or replaced after the checkpoint was written); "
                                + "it was not loaded", dir.toString(), "remove that file, or resume from another checkpoint");
                }
            }
            workflow.restoreState(dir);
        }

        private static String firstFile(StateReader in) {
            for (String n : new String[]{"tabular.json", "forecast.json", "optimization.json", "state.json", "forecast_state.json"})
                if (in.has("workflow/" + n)) return n;
            throw new io.modelwork.core.ModelworkException("The checkpoint is damaged: its workflow state is missing",
                    "checkpoint", "resume from another checkpoint");
        }

        @Override public void close() { workflow.close(); }
    }

    public static final class Tabular extends LegacyCategory {
        public Tabular() { super("tabular", Set.of("regression", "classification", "ranking"), load("io.modelwork.tabular.TabularWorkflow$Factory")); }
    }


    private static Workflow.Factory load(String cls) {
        try {
            return (Workflow.Factory) Class.forName(cls).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
