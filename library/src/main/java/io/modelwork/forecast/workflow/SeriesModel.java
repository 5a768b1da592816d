package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.*;

import java.util.Arrays;
import java.util.Locale;

/**
 * One fitted model for one series: an {@link Arima} (from AutoArima), a seasonal naive / naive model, or an
 * {@link Ets} baseline; with an optional Box-Cox lambda for the baselines (ARIMA carries its own). Serialises to JSON
 * ({@link #toJson()}) and back ({@link #fromJson}) with forecasts that are bit-for-bit identical.
 */
public final class SeriesModel {
    /** The model kinds. */
    public enum Kind { ARIMA, SNAIVE, ETS }

    private final Kind kind;
    private final Arima arima;
    private final SeasonalNaive snaive;
    private final Ets ets;
    private final Double lambda; // baselines only
    private final int m;
    private final String note;   // why a fallback was used, or null

    private SeriesModel(Kind kind, Arima arima, SeasonalNaive snaive, Ets ets, Double lambda, int m, String note) {
        this.kind = kind;
        this.arima = arima;
        this.snaive = snaive;
        this.ets = ets;
        this.lambda = lambda;
        this.m = m;
        this.note = note;
    }

    static SeriesModel arima(Arima a, int m) { return new SeriesModel(Kind.ARIMA, a, null, null, null, m, null); }

    static SeriesModel snaive(double[] y, int m, Double lambda, String note) {
        double[] x = lambda == null ? y : BoxCox.transform(y, lambda, "seasonal naive");
        return new SeriesModel(Kind.SNAIVE, null, SeasonalNaive.fit(x, m), null, lambda, m, note);
    }

    static SeriesModel ets(double[] y, int m, Double lambda) {
        double[] x = lambda == null ? y : BoxCox.transform(y, lambda, "ETS");
        return new SeriesModel(Kind.ETS, null, null, Ets.fit(x, m), lambda, m, null);
    }

    SeriesModel withNote(String n) { return new SeriesModel(kind, arima, snaive, ets, lambda, m, n); }

    public Kind kind() { return kind; }
    public Arima arima() { return arima; }
    public int period() { return m; }
    /** The reason a fallback model was used, or null. */
    public String note() { return note; }
    public boolean isFallback() { return note != null; }
    public int userRegressors() { return arima == null ? 0 : arima.userRegressors(); }

    /** A short description: {@code ARIMA(2,1,1)(0,1,0)[12]}, {@code SNAIVE[24]}, {@code NAIVE}, {@code ETS(A,N,A)[12]}. */
    public String describe() {
        String s = switch (kind) {
            case ARIMA -> arima.toString();
            case SNAIVE -> snaive.period() == 1 ? "NAIVE" : "SNAIVE[" + snaive.period() + "]";
            case ETS -> ets.toString();
        };
        return lambda == null ? s : s + " (lambda " + fmt(lambda) + ")";
    }

    /** AICc of an ARIMA model, AIC of ETS, NaN for the naive methods. */
    public double criterion() {
        return switch (kind) { case ARIMA -> arima.aicc(); case ETS -> ets.aic(); default -> Double.NaN; };
    }

    /** Forecasts {@code h} steps with intervals at {@code levels} (percent). */
    public Forecast forecast(int h, double[][] xregFuture, double... levels) {
        Forecast f = switch (kind) {
            case ARIMA -> arima.forecast(h, arima.userRegressors() == 0 ? null : xregFuture, levels);
            case SNAIVE -> snaive.forecast(h, levels);
            case ETS -> ets.forecast(h, levels);
        };
        if (lambda == null || kind == Kind.ARIMA) return f;
        double[][] lo = new double[levels.length][], hi = new double[levels.length][];
        for (int i = 0; i < levels.length; i++) {
            lo[i] = BoxCox.inverse(f.lower()[i], lambda);
            hi[i] = BoxCox.inverse(f.upper()[i], lambda);
        }
        return new Forecast(BoxCox.inverse(f.mean(), lambda), f.levels(), lo, hi);
    }

    /** In-sample one-step residuals on the model's scale (empty for a restored model). */
    double[] residuals(double[] y) {
        if (kind == Kind.ARIMA) return arima.residuals();
        double[] fit = kind == Kind.SNAIVE ? snaive.fitted() : ets.fitted();
        double[] x = lambda == null ? y : BoxCox.transform(y, lambda, "residuals");
        if (fit.length != x.length) return new double[0];
        double[] r = new double[x.length];
        for (int i = 0; i < r.length; i++) r[i] = x[i] - fit[i];
        return r;
    }

    // ------------------------------------------------------------------ JSON

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("kind", kind.name().toLowerCase(Locale.ROOT));
        o.put("description", describe());
        o.put("m", m);
        if (lambda != null) o.put("lambda", lambda);
        if (note != null) o.put("note", note);
        switch (kind) {
            case ARIMA -> {
                Arima.State s = arima.state();
                ObjectNode a = o.putObject("arima");
                a.set("order", Json.MAPPER.valueToTree(new int[]{s.p(), s.d(), s.q(), s.P(), s.D(), s.Q(), s.m()}));
                a.put("method", s.method());
                a.set("coef", Json.MAPPER.valueToTree(s.coef()));
                a.set("names", Json.MAPPER.valueToTree(s.names()));
                if (s.lambda() != null) a.put("lambda", s.lambda());
                a.put("intercept", s.intercept());
                a.put("drift", s.drift());
                a.put("user_regressors", s.userRegressors());
                a.put("nobs", s.nobs());
                a.put("sigma2", s.sigma2());
                a.put("sigma2_mle", s.sigma2Mle());
                a.put("loglik", s.loglik());
                a.put("aic", s.aic());
                a.put("aicc", s.aicc());
                a.put("bic", s.bic());
                if (s.stateMean() != null) {
                    a.set("state_mean", Json.MAPPER.valueToTree(s.stateMean()));
                    a.set("state_cov", Json.MAPPER.valueToTree(s.stateCov()));
                }
            }
            case SNAIVE -> {
                ObjectNode a = o.putObject("snaive");
                a.put("period", snaive.period());
                a.put("sigma2", snaive.sigma2());
                a.set("last_season", Json.MAPPER.valueToTree(snaive.lastSeason()));
            }
            case ETS -> {
                Ets.State s = ets.state();
                ObjectNode a = o.putObject("ets");
                a.put("alpha", s.alpha());
                a.put("gamma", s.gamma());
                a.put("period", s.m());
                a.put("level", s.level());
                a.set("season", Json.MAPPER.valueToTree(s.season()));
                a.put("sigma2", s.sigma2());
                a.put("loglik", s.loglik());
                a.put("aic", s.aic());
            }
        }
        return o;
    }

    static double[] doubles(JsonNode n) {
        if (n == null || n.isNull()) return null;
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asDouble();
        return out;
    }

    public static SeriesModel fromJson(JsonNode o) {
        try {
            Kind kind = Kind.valueOf(o.get("kind").asText().toUpperCase(Locale.ROOT));
            Double lambda = o.has("lambda") ? o.get("lambda").asDouble() : null;
            String note = o.has("note") ? o.get("note").asText() : null;
            int m = o.get("m").asInt();
            switch (kind) {
                case ARIMA -> {
                    JsonNode a = o.get("arima");
                    int[] ord = new int[7];
                    for (int i = 0; i < 7; i++) ord[i] = a.get("order").get(i).asInt();
                    String[] names = new String[a.get("names").size()];
                    for (int i = 0; i < names.length; i++) names[i] = a.get("names").get(i).asText();
                    Arima.State s = new Arima.State(ord[0], ord[1], ord[2], ord[3], ord[4], ord[5], ord[6], a.get("method").asText(),
                            doubles(a.get("coef")), names, a.has("lambda") ? a.get("lambda").asDouble() : null, a.get("intercept").asBoolean(),
                            a.get("drift").asBoolean(), a.get("user_regressors").asInt(), a.get("nobs").asInt(), a.get("sigma2").asDouble(),
                            a.get("sigma2_mle").asDouble(), a.get("loglik").asDouble(), a.get("aic").asDouble(), a.get("aicc").asDouble(),
                            a.get("bic").asDouble(), doubles(a.get("state_mean")), doubles(a.get("state_cov")));
                    return new SeriesModel(kind, Arima.restore(s), null, null, null, m, note);
                }
                case SNAIVE -> {
                    JsonNode a = o.get("snaive");
                    return new SeriesModel(kind, null, SeasonalNaive.restore(doubles(a.get("last_season")), a.get("period").asInt(),
                            a.get("sigma2").asDouble()), null, lambda, m, note);
                }
                default -> {
                    JsonNode a = o.get("ets");
                    Ets.State s = new Ets.State(a.get("alpha").asDouble(), a.get("gamma").asDouble(), a.get("period").asInt(),
                            a.get("level").asDouble(), doubles(a.get("season")), a.get("sigma2").asDouble(), a.get("loglik").asDouble(),
                            a.get("aic").asDouble());
                    return new SeriesModel(kind, null, null, Ets.restore(s), lambda, m, note);
                }
            }
        } catch (ModelworkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelworkException("A saved forecasting model is malformed: " + e, "model JSON " + Arrays.toString(new String[]{o.path("description").asText()}),
                    "re-export the model; the file is damaged or from another version");
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
