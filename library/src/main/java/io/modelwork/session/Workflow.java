package io.modelwork.session;

import io.modelwork.core.*;
import io.modelwork.report.StepReport;

import java.nio.file.Path;

/**
 * The step bodies for one family of data (tabular today; series, images, audio later). The {@link Session} owns
 * order, logging, retries, timeouts and report files; a workflow owns what each step means for its data. Workflows
 * are found through {@link java.util.ServiceLoader} by {@link Factory#accepts(Args)} on the attach arguments.
 */
public interface Workflow extends AutoCloseable {
    StepReport attach(Args a);
    StepReport prepare(Args a);
    StepReport split(Args a);
    StepReport build(Args a);
    StepReport fit(Args a);
    StepReport evaluate(Args a);
    StepReport tune(Args a);
    StepReport backtest(Args a);
    StepReport calibrate(Args a);
    StepReport export(Args a);
    StepReport register(Args a);
    StepReport artifacts(Args a);

    /** Valid argument keys of a step (for the error that lists them). */
    java.util.Collection<String> keys(Step step);

    /** Writes everything needed to continue into {@code dir} (a fresh staging directory). */
    void saveState(Path dir);

    /** Restores from a directory written by {@link #saveState}. */
    void restoreState(Path dir);

    @Override void close();

    /** Creates a workflow for a session when it accepts the attach arguments. */
    interface Factory {
        boolean accepts(Args attachArgs);

        /** Among factories that accept, the highest priority wins (the tabular fallback has the lowest). */
        default int priority() { return 0; }
        Workflow create(Session session);

        /**
         * The keys a recipe may give {@code step}, checked before any work runs ({@code bin/modelwork pipeline});
         * {@code null} (the default) leaves the check to the session when the step runs.
         */
        default java.util.Collection<String> recipeKeys(Step step) { return null; }

        /** Type check of one recipe value before any work runs; throws a {@link ModelworkException} naming {@code where}. */
        default void checkRecipeValue(Step step, String key, Object value, String where) { }

        /** Every factory on the class path (service order). */
        static java.util.List<Factory> all() {
            java.util.List<Factory> out = new java.util.ArrayList<>();
            java.util.ServiceLoader.load(Factory.class, Factory.class.getClassLoader()).forEach(out::add);
            return out;
        }

        /** The factory that takes these attach arguments: the accepting one with the highest priority, or null. */
        static Factory choose(Args attachArgs) {
            Factory chosen = null;
            for (Factory f : all())
                if (f.accepts(attachArgs) && (chosen == null || f.priority() > chosen.priority())) chosen = f;
            return chosen;
        }
    }
}
