/**
 * The forecasting category on the Category SPI: {@link io.modelwork.forecast.workflow.ForecastCategory} (specs
 * {@code forecasting.autoarima}, {@code naive}, {@code snaive}, {@code ets}; the keys of every step declared once in
 * {@code ForecastOptions}), its state {@link io.modelwork.forecast.workflow.ForecastState} (a panel of time series in
 * long format, a single series, or M4's wide CSV; one model per series; checkpointed as {@code forecast.json}), one
 * handler per step ({@code AttachHandler} … {@code ExportHandler}; register and artifacts are the shared ones), and
 * {@link io.modelwork.forecast.workflow.ForecastBundle}, which loads an exported bundle and forecasts exactly as the
 * session did. The models themselves are in {@code io.modelwork.forecast}.
 *
 * <p>May import {@code io.modelwork.core}, {@code spi}, {@code shared}, {@code report}, {@code registry}, {@code tune}
 * and {@code io.modelwork.forecast}; never {@code io.modelwork.session} or another category.
 */
package io.modelwork.forecast.workflow;
