package io.modelwork.spi;

import io.modelwork.core.Args;
import io.modelwork.core.Progress;
import io.modelwork.core.RunContext;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;

import java.util.Optional;

/** What a step handler may see of its session: the run context, progress, and what earlier steps did. */
public interface StepContext {
    /** Device, seed, threads, run directory, run log. */
    RunContext run();

    /** Where long steps report progress (updated in place in the kernel). */
    Progress progress();

    /** The latest report of a step that ran (restored ones included after resume). */
    Optional<StepReport> report(Step step);

    /** The arguments a step ran with. */
    Optional<Args> args(Step step);

    boolean hasRun(Step step);

    /** The category's name. */
    String category();

    /**
     * Marks the report of {@code step} stale: a step that changes the model (tune, calibrate) invalidates the
     * evaluate that described the previous model, so export and register do not carry its metrics.
     */
    void invalidate(Step step);
}
