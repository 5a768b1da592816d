/**
 * The lowest layer of the lifecycle: step arguments ({@link io.modelwork.core.Args}) and their declarations
 * ({@link io.modelwork.core.Option}, {@link io.modelwork.core.Options}), the 15 steps ({@link io.modelwork.core.Step}),
 * the run context set by configure, the run log, progress, errors with what/where/fix
 * ({@link io.modelwork.core.ModelworkException}) and small utilities (JSON, atomic files, the assets root).
 *
 * <p>Layers: {@code report ← core ← spi ← shared ← categories}, with {@code io.modelwork.session} on top. Imports only
 * {@code io.modelwork.report}, Jackson and Tablesaw; never spi, shared, session or a category.
 */
package io.modelwork.core;
