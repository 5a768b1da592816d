/**
 * Time-series forecasting over primitive arrays: seasonal ARIMA with exact likelihood and automatic order selection
 * (Hyndman and Khandakar 2008, as R's {@code forecast::auto.arima}), naive and seasonal naive baselines, simple
 * exponential smoothing, and the M4 accuracy measures.
 *
 * <ul>
 *   <li>{@link io.modelwork.forecast.Arima}: SARIMA(p,d,q)(P,D,Q)[m] with mean/drift and regressors, CSS-ML fitting
 *       through a Kalman filter, information criteria, fitted values, residuals, forecasts with intervals.</li>
 *   <li>{@link io.modelwork.forecast.AutoArima}: KPSS and seasonal-strength tests for the differencing orders, the
 *       stepwise or exhaustive search over orders, optional Box-Cox lambda.</li>
 *   <li>{@link io.modelwork.forecast.Naive}, {@link io.modelwork.forecast.SeasonalNaive},
 *       {@link io.modelwork.forecast.Ets}: baselines with prediction intervals.</li>
 *   <li>{@link io.modelwork.forecast.ForecastMetrics}: MAE, RMSE, MAPE, sMAPE, MASE (M4 definitions), coverage.</li>
 * </ul>
 *
 * <p>Series are equally spaced {@code double[]} without missing values; bad input raises
 * {@link io.modelwork.core.ModelworkException}. Optimisation uses Apache Commons Math (BOBYQA). The tests compare
 * against R 4.x {@code forecast} on the classic R series in {@code data/forecasting/}.
 *
 * <p>This package depends only on {@code io.modelwork.core} and Commons Math.
 */
package io.modelwork.forecast;
