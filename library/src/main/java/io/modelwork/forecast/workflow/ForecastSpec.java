package io.modelwork.forecast.workflow;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.Arima;
import io.modelwork.forecast.AutoArima;

import java.util.*;

/**
 * A forecasting model spec with its parameters, resolved by the forecasting workflow (not the tabular providers):
 * {@code forecasting.autoarima} (params {@code ic, stepwise, lambda, approximation, max_p, max_q, max_P, max_Q,
 * max_order, max_d, max_D, d, D, seasonal, allow_drift, allow_mean}), {@code forecasting.naive},
 * {@code forecasting.snaive}, {@code forecasting.ets} (param {@code lambda}). {@code lambda=auto} chooses the Box-Cox
 * lambda per series by Guerrero's method, as {@code auto.arima(lambda = "auto")} ({@link io.modelwork.forecast.BoxCox#autoLambda}).
 * {@link #fit} applies the documented fallbacks.
 */
final class ForecastSpec {
    static final List<String> KNOWN = List.of("forecasting.autoarima", "forecasting.naive", "forecasting.snaive", "forecasting.ets");
    static final List<String> PARAMS = List.of("ic", "stepwise", "lambda", "approximation", "max_p", "max_q", "max_P", "max_Q",
            "max_order", "max_d", "max_D", "d", "D", "seasonal", "allow_drift", "allow_mean");

    final String algorithm; // autoarima | naive | snaive | ets
    final LinkedHashMap<String, Object> params;
    final Double lambda;
    /** lambda=auto: chosen per series (Guerrero), {@link #lambda} is then null. */
    final boolean autoLambda;

    private ForecastSpec(String algorithm, LinkedHashMap<String, Object> params) {
        this.algorithm = algorithm;
        this.params = params;
        Object l = params.get("lambda");
        this.autoLambda = "auto".equals(l);
        this.lambda = l instanceof Double d ? d : null;
    }

    /** Parses {@code spec=} and the params of build (lambda from prepare_data when build gives none). */
    static ForecastSpec parse(Args a, Double prepLambda) {
        String spec = a.getString("spec", "forecasting.autoarima").trim().toLowerCase(Locale.ROOT);
        String alg = spec.startsWith("forecasting.") ? spec.substring("forecasting.".length()) : spec;
        if (alg.equals("arima") || alg.equals("auto_arima") || alg.equals("auto.arima")) alg = "autoarima";
        if (!List.of("autoarima", "naive", "snaive", "ets").contains(alg))
            throw new ModelworkException("Unknown forecasting spec '" + a.getString("spec", "") + "'", "build spec",
                    "use one of " + KNOWN);
        LinkedHashMap<String, Object> p = new LinkedHashMap<>();
        if (a.has("lambda") && "auto".equalsIgnoreCase(String.valueOf(a.get("lambda")).trim())) p.put("lambda", "auto");
        else p.put("lambda", a.has("lambda") ? parseLambda(a.get("lambda"), "build lambda") : prepLambda);
        if (alg.equals("autoarima")) {
            String ic = a.getString("ic", "aicc").toLowerCase(Locale.ROOT);
            if (!List.of("aic", "aicc", "bic").contains(ic))
                throw new ModelworkException("Unknown information criterion '" + ic + "'", "build ic", "use ic=aicc (default), aic or bic");
            p.put("ic", ic);
            p.put("stepwise", a.getBool("stepwise", true));
            String ap = a.getString("approximation", "auto").toLowerCase(Locale.ROOT);
            p.put("approximation", ap.equals("auto") ? "auto" : String.valueOf(a.getBool("approximation", false)));
            int[] dflt = {5, 5, 2, 2, 5, 2, 1};
            String[] keys = {"max_p", "max_q", "max_P", "max_Q", "max_order", "max_d", "max_D"};
            for (int i = 0; i < keys.length; i++) {
                int v = a.getInt(keys[i], dflt[i]);
                if (v < 0) throw new ModelworkException(keys[i] + " must be non-negative, got " + v, "build " + keys[i], "e.g. " + keys[i] + "=" + dflt[i]);
                p.put(keys[i], v);
            }
            if (a.has("d")) p.put("d", a.getInt("d", 0));
            if (a.has("D")) p.put("D", a.getInt("D", 0));
            p.put("seasonal", a.getBool("seasonal", true));
            p.put("allow_drift", a.getBool("allow_drift", true));
            p.put("allow_mean", a.getBool("allow_mean", true));
        } else {
            for (String k : a.keys())
                if (!k.equals("spec") && !k.equals("lambda") && PARAMS.contains(k))
                    throw new ModelworkException("Parameter '" + k + "' applies to forecasting.autoarima only", "build " + k,
                            "drop it, or use spec=forecasting.autoarima");
        }
        return new ForecastSpec(alg, p);
    }

    static Double parseLambda(Object v, String where) {
        if (v == null) return null;
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("none") || s.equals("null") || s.equals("false")) return null;
        if (s.equals("log")) return 0.0;
        try {
            double d = Double.parseDouble(s);
            if (d < -1 || d > 2) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new ModelworkException("Bad Box-Cox lambda '" + v + "'", where,
                    "use a number in [-1, 2] (0 = log), none, or (in build) auto for Guerrero's choice per series");
        }
    }

    String name() { return "forecasting." + algorithm; }

    /** A copy with one parameter changed (tune). */
    ForecastSpec with(String key, Object value) {
        LinkedHashMap<String, Object> p = new LinkedHashMap<>(params);
        p.put(key, value);
        return new ForecastSpec(algorithm, p);
    }

    /** The params as build arguments (for checkpoints): parse(asArgs()) gives this spec back. */
    Args asArgs() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("spec", name());
        params.forEach((k, v) -> m.put(k, v == null ? "none" : v));
        return Args.from(m);
    }

    AutoArima.Options options(double[][] xreg, String[] names) {
        AutoArima.Options o = autoLambda ? AutoArima.Options.defaults().withAutoLambda()
                : AutoArima.Options.defaults().withLambda(lambda);
        o = o.withIc(AutoArima.Ic.valueOf(((String) params.get("ic")).toUpperCase(Locale.ROOT)));
        o = o.withStepwise((Boolean) params.get("stepwise"));
        String ap = (String) params.get("approximation");
        o = o.withApproximation(ap.equals("auto") ? null : Boolean.valueOf(ap));
        o = o.withMaxOrders((Integer) params.get("max_p"), (Integer) params.get("max_q"), (Integer) params.get("max_P"),
                (Integer) params.get("max_Q"), (Integer) params.get("max_order"));
        o = o.withMaxDifferences((Integer) params.get("max_d"), (Integer) params.get("max_D"));
        if (params.containsKey("d") || params.containsKey("D"))
            o = o.withDifferencing((Integer) params.get("d"), (Integer) params.get("D"));
        o = o.withSeasonal((Boolean) params.get("seasonal")).withDrift((Boolean) params.get("allow_drift")).withMean((Boolean) params.get("allow_mean"));
        if (xreg != null && xreg.length > 0) o = o.withXreg(xreg, names);
        return o;
    }

    /**
     * Fits one series. Fallbacks (each reported in the model's note): a constant series gets the naive method; a
     * series not longer than two seasons is modelled without seasonality; an AutoARIMA or ETS fit that fails gets
     * the seasonal naive method (naive when the series is not longer than one season).
     */
    SeriesModel fit(double[] y, double[][] xreg, String[] names, int m) {
        boolean constant = true;
        for (double v : y) if (v != y[0]) { constant = false; break; }
        if (constant) return SeriesModel.snaive(y, 1, null, "constant series (all " + y[0] + "): naive forecast");
        int mm = m;
        String seasonNote = null;
        if (m > 1 && y.length <= (algorithm.equals("ets") ? 2 * m + 2 : m)) {
            mm = 1;
            seasonNote = "series of " + y.length + " values is too short for the seasonal period " + m + ": non-seasonal model";
        }
        try {
            Double lam = autoLambda && !algorithm.equals("autoarima") ? (Double) io.modelwork.forecast.BoxCox.autoLambda(y, mm) : lambda;
            SeriesModel sm = switch (algorithm) {
                case "autoarima" -> {
                    Arima a = AutoArima.fit(y, mm, options(xreg, names));
                    yield SeriesModel.arima(a, mm);
                }
                case "naive" -> SeriesModel.snaive(y, 1, lam, null);
                case "snaive" -> SeriesModel.snaive(y, mm, lam, null);
                default -> SeriesModel.ets(y, mm, lam);
            };
            return seasonNote == null ? sm : sm.withNote(seasonNote);
        } catch (RuntimeException e) {
            String why = e instanceof ModelworkException me ? me.what() : e.toString();
            int fm = y.length > mm ? mm : 1;
            return SeriesModel.snaive(y, fm, null, algorithm + " failed (" + why + "): " + (fm == 1 ? "naive" : "seasonal naive") + " fallback");
        }
    }
}
