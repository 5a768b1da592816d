package io.modelwork.spi;

import io.modelwork.core.Args;
import io.modelwork.report.StepReport;

/**
 * What one step does for one category. The session has already checked the order of steps and the arguments
 * against the category's declared {@link io.modelwork.core.Options}; it also logs, times, retries and writes the
 * report. A handler throws {@link io.modelwork.core.ModelworkException} for bad input.
 *
 * @param <S> the category's state type
 */
@FunctionalInterface
public interface StepHandler<S extends CategoryState> {
    StepReport run(S state, Args args, StepContext ctx);
}
