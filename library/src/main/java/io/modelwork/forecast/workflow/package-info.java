/**
 * The forecasting category on the lifecycle core: {@link io.modelwork.forecast.workflow.ForecastWorkflow} runs the
 * 15 steps for a panel of time series (long format, a single series, or M4's wide CSV) with
 * {@code forecasting.autoarima} and the {@code naive}, {@code snaive} and {@code ets} baselines from
 * {@code io.modelwork.forecast}; {@link io.modelwork.forecast.workflow.ForecastBundle} loads an exported bundle and
 * forecasts exactly as the session did.
 */
package io.modelwork.forecast.workflow;
