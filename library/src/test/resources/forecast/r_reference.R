# Reference numbers for io.modelwork.forecast tests.
# Generated with Debian's R 4.2 + r-cran-forecast 8.20:
#   Rscript r_reference.R /path/to/shared/data/forecasting > r_reference.json
suppressMessages({library(forecast); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "../../../../../shared/data/forecasting"
load_series <- function(name, freq) {
  d <- read.csv(file.path(dir, paste0("R_", name, ".csv")))
  ts(d$value, start = c(d$year[1], d$period[1]), frequency = freq)
}
describe <- function(fit, h) {
  fc <- forecast(fit, h = h, level = c(80, 95))
  list(order = unname(arimaorder(fit)), m = frequency(fit$x),
       p = fit$arma[1], d = fit$arma[6], q = fit$arma[2], P = fit$arma[3], D = fit$arma[7], Q = fit$arma[4],
       coef_names = names(coef(fit)), coef = unname(coef(fit)),
       loglik = fit$loglik, aic = fit$aic, aicc = fit$aicc, bic = fit$bic, sigma2 = fit$sigma2,
       mean = as.numeric(fc$mean), lower80 = as.numeric(fc$lower[, 1]), upper80 = as.numeric(fc$upper[, 1]),
       lower95 = as.numeric(fc$lower[, 2]), upper95 = as.numeric(fc$upper[, 2]),
       residuals_head = head(as.numeric(residuals(fit)), 5))
}
cases <- list(
  list(name = "USAccDeaths", freq = 12, h = 12),
  list(name = "WWWusage", freq = 1, h = 10),
  list(name = "lynx", freq = 1, h = 10),
  list(name = "austres", freq = 4, h = 8),
  list(name = "Nile", freq = 1, h = 10),
  list(name = "sunspot.year", freq = 1, h = 10),
  list(name = "nottem", freq = 12, h = 12),
  list(name = "JohnsonJohnson", freq = 4, h = 8, lambda = 0)
)
out <- list()
for (cs in cases) {
  x <- load_series(cs$name, cs$freq)
  lambda <- if (is.null(cs$lambda)) NULL else cs$lambda
  t0 <- proc.time()[["elapsed"]]
  fit <- auto.arima(x, lambda = lambda)
  secs <- proc.time()[["elapsed"]] - t0
  e <- describe(fit, cs$h)
  e$series <- cs$name; e$h <- cs$h; e$n <- length(x); e$lambda <- if (is.null(lambda)) NA else lambda
  e$r_seconds <- secs
  e$kind <- "auto.arima"
  out[[length(out) + 1]] <- e
}
# fixed-order fits: a regression with ARIMA errors, drift, a mean, a CSS fit
x <- load_series("USAccDeaths", 12)
e <- describe(Arima(x, order = c(0, 1, 1), seasonal = c(0, 1, 1)), 12); e$series <- "USAccDeaths"; e$kind <- "Arima"; e$h <- 12
e$include_drift <- FALSE; e$method <- "CSS-ML"; out[[length(out) + 1]] <- e
x <- load_series("austres", 4)
e <- describe(Arima(x, order = c(1, 1, 0), include.drift = TRUE), 8); e$series <- "austres"; e$kind <- "Arima"; e$h <- 8
e$include_drift <- TRUE; e$method <- "CSS-ML"; out[[length(out) + 1]] <- e
x <- load_series("lynx", 1)
e <- describe(Arima(x, order = c(2, 0, 1)), 10); e$series <- "lynx"; e$kind <- "Arima"; e$h <- 10
e$include_drift <- FALSE; e$method <- "CSS-ML"; out[[length(out) + 1]] <- e
x <- load_series("Nile", 1)
xr <- as.numeric(time(x) >= 1899)   # the Aswan dam level shift
fit <- Arima(x, order = c(1, 0, 1), xreg = cbind(dam = xr))
fc <- forecast(fit, xreg = cbind(dam = rep(1, 10)), level = c(80, 95))
out[[length(out) + 1]] <- list(series = "Nile", kind = "Arima", xreg = "dam", h = 10,
  p = 1, d = 0, q = 1, P = 0, D = 0, Q = 0, m = 1, coef_names = names(coef(fit)), coef = unname(coef(fit)),
  loglik = fit$loglik, aic = fit$aic, aicc = fit$aicc, bic = fit$bic, sigma2 = fit$sigma2,
  mean = as.numeric(fc$mean), lower80 = as.numeric(fc$lower[, 1]), upper80 = as.numeric(fc$upper[, 1]),
  lower95 = as.numeric(fc$lower[, 2]), upper95 = as.numeric(fc$upper[, 2]))
# AirPassengers hold-out: train to 1958-12, lambda = 0, h = 24
x <- load_series("AirPassengers", 12)
tr <- window(x, end = c(1958, 12)); te <- window(x, start = c(1959, 1))
fa <- auto.arima(tr, lambda = 0); fca <- forecast(fa, h = 24)
fl <- Arima(tr, order = c(0, 1, 1), seasonal = c(0, 1, 1), lambda = 0); fcl <- forecast(fl, h = 24)
out[[length(out) + 1]] <- list(series = "AirPassengers", kind = "holdout", h = 24,
  auto_order = unname(arimaorder(fa)), auto_mape = accuracy(fca, te)["Test set", "MAPE"],
  auto_mean = as.numeric(fca$mean), airline_mape = accuracy(fcl, te)["Test set", "MAPE"],
  airline_mean = as.numeric(fcl$mean), airline_lower95 = as.numeric(fcl$lower[, 2]), airline_upper95 = as.numeric(fcl$upper[, 2]),
  auto_mase = accuracy(fca, te)["Test set", "MASE"], snaive_mape = accuracy(snaive(tr, h = 24), te)["Test set", "MAPE"])
# baselines
x <- load_series("USAccDeaths", 12)
nv <- naive(x, h = 6, level = c(80, 95)); sn <- snaive(x, h = 18, level = c(80, 95))
out[[length(out) + 1]] <- list(series = "USAccDeaths", kind = "baselines",
  naive_mean = as.numeric(nv$mean), naive_lower95 = as.numeric(nv$lower[, 2]), naive_upper80 = as.numeric(nv$upper[, 1]),
  snaive_mean = as.numeric(sn$mean), snaive_lower95 = as.numeric(sn$lower[, 2]), snaive_upper80 = as.numeric(sn$upper[, 1]))
cat(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"))
