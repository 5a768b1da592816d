/**
 * The category SPI: {@link io.modelwork.spi.Category} (the one extension point, found by
 * {@link java.util.ServiceLoader}), its typed {@link io.modelwork.spi.CategoryState}, the per-step
 * {@link io.modelwork.spi.StepHandler}, what a handler sees of its session ({@link io.modelwork.spi.StepContext}),
 * the checkpoint reader/writer interfaces, {@link io.modelwork.spi.Exportable} for the shared register/artifacts
 * handlers, and the lookup {@link io.modelwork.spi.Categories}.
 *
 * <p>Layers: {@code core ← spi ← shared ← categories}, with the session on top. This package imports only
 * {@code io.modelwork.core}, {@code io.modelwork.report}, {@code io.modelwork.tune} and the JDK/Jackson.
 */
package io.modelwork.spi;
