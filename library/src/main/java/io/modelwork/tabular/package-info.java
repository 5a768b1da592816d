/**
 * The tabular category (regression, classification, ranking): {@link io.modelwork.tabular.TabularCategory} (the
 * {@link io.modelwork.spi.Category} found by ServiceLoader), its typed {@link io.modelwork.tabular.TabularState}, one
 * handler per step or small group of steps (each declaring its keys as {@link io.modelwork.core.Options}), the frozen
 * {@link io.modelwork.tabular.Preprocessor}, {@link io.modelwork.tabular.Splitter} plans, the
 * {@link io.modelwork.tabular.TabularModel} interface the engines implement, calibrators and the export bundle.
 *
 * <p>Imports core, spi, shared, data, metrics, tune, export.onnx, registry, report and its own {@code engine} SPI;
 * never {@code session}, another category, or an engine package ({@code io.modelwork.provider.*}).
 */
package io.modelwork.tabular;
