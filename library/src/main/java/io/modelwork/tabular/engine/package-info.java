/**
 * The tabular engine SPI: {@link io.modelwork.tabular.engine.TaskProvider} (an engine such as XGBoost or LightGBM,
 * found by {@link java.util.ServiceLoader} through {@code META-INF/services/io.modelwork.tabular.engine.TaskProvider}),
 * the {@link io.modelwork.tabular.engine.ModelSpec} it is keyed by, the built {@link io.modelwork.tabular.engine.Model}
 * and the lookup {@link io.modelwork.tabular.engine.Providers}.
 *
 * <p>Imports {@code io.modelwork.core} and {@code io.modelwork.spi} only. The engines ({@code io.modelwork.provider.*})
 * implement it; the tabular category uses it and never names an engine class.
 */
package io.modelwork.tabular.engine;
