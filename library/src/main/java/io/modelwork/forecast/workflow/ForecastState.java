package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.Forecast;
import io.modelwork.registry.RegisterStep;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;
import io.modelwork.spi.StepContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Everything the forecasting steps read and write in one session: the attached panel, the preparation, the split
 * into train/test parts per series, the spec, one fitted model per series (and the seasonal naive baseline), the
 * interval calibration, the backtest ratios and the export folder.
 *
 * <p>A checkpoint ({@link #save}) keeps the arguments of attach/prepare/split/build, the fitted models as JSON and
 * what calibrate, backtest and tune learnt, in {@code forecast.json}; {@link #restore} re-reads the data (an error
 * when its fingerprint changed), replays those steps and reloads the models without refitting.
 */
public final class ForecastState implements CategoryState, Exportable {
    static final double[] LEVELS = {80, 95};
    static final String STATE_FILE = "forecast.json";

    /** One series after prepare_data: a regular grid from {@code start}, filled values, regressors {@code xreg[j][i]}. */
    record Prepared(String id, long start, double[] y, double[][] xreg, int missing, int resampled) {}

    /** One series after split. */
    record Part(String id, long start, double[] train, double[] test, double[][] xTrain, double[][] xTest, int m) {
        long trainEnd() { return start + train.length - 1; }
    }

    final StepContext ctx;
    Args attachArgs, prepArgs, splitArgs;
    SeriesPanel panel;
    List<Prepared> prepared;
    String fill = "interpolate", agg = "mean";
    Double prepLambda;
    List<String> calendar = List.of();
    int fourier;
    String[] xregNames = new String[0];
    int h;
    boolean external;
    List<Part> parts;
    ObjectNode rolling;
    ForecastSpec spec;
    SeriesModel[] models;
    SeriesModel[] baseline;
    double fitSeconds;
    double scale80 = 1, scale95 = 1;
    ObjectNode calibration;
    List<double[]> btRatios; // per point {r80, r95}
    ObjectNode tuned;
    Path exportDir;

    ForecastState(StepContext ctx) { this.ctx = ctx; }

    /** The fitted model of a series (after fit). */
    public SeriesModel model(String id) {
        if (models == null) throw new ModelworkException("No model is fitted yet", "forecast workflow", "run fit first");
        for (int i = 0; i < parts.size(); i++) if (parts.get(i).id().equals(id)) return models[i];
        throw new ModelworkException("No series '" + id + "'", "forecast workflow", "use one of the attached series ids");
    }

    /** The series ids in order. */
    public List<String> ids() { return parts == null ? panel.series.stream().map(SeriesPanel.Raw::id).toList() : parts.stream().map(Part::id).toList(); }

    /** Checks that every series can take the Box-Cox transform with {@code lambda}; else a clear error. */
    void checkLambda(double lambda, String where) {
        for (Prepared p : prepared) {
            for (int i = 0; i < p.y().length; i++) {
                double v = p.y()[i];
                if ((lambda == 0 && !(v > 0)) || (lambda < 0 && v < 0))
                    throw new ModelworkException("Series '" + p.id() + "' has the value " + v + " at " + panel.grid.label(p.start() + i)
                            + ", which the Box-Cox transform with lambda=" + SeriesModel.fmt(lambda) + (lambda == 0 ? " (log)" : "") + " cannot take",
                            where, "use lambda=none, or a positive lambda, or shift/clean the series so that it is strictly positive");
            }
        }
    }

    /** Forecasts of the fitted models over the test horizon (raw intervals). */
    Forecast[] testForecasts(SeriesModel[] ms) {
        Forecast[] out = new Forecast[parts.size()];
        for (int i = 0; i < out.length; i++) out[i] = ms[i].forecast(h, parts.get(i).xTest(), LEVELS);
        return out;
    }

    /** New models replace the old: calibration and backtest ratios describe the old ones and are dropped. */
    void fitted(SeriesModel[] ms, double seconds) {
        models = ms;
        fitSeconds = seconds;
        scale80 = scale95 = 1;
        calibration = null;
        btRatios = null;
    }

    // ------------------------------------------------------------------ export, register, artifacts

    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() { return RegisterStep.stem(panel.ref) + "-" + spec.algorithm; }

    @Override public Map<String, String> registerTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("spec", spec.name());
        tags.put("task", "forecasting");
        tags.put("freq", panel.grid.freq());
        tags.put("m", Integer.toString(panel.m));
        tags.put("data_fingerprint", panel.fingerprint);
        return tags;
    }

    @Override public String registerHint() { return "load with ForecastBundle.load(materialized folder)"; }

    @Override public Map<String, Object> artifacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        Path e = exportDir;
        if (e != null) {
            m.put("model", e.resolve("model.json"));
            m.put("preprocessor", e.resolve("preprocessing.json"));
            m.put("calibration.json", e.resolve("calibration.json"));
            m.put("metrics.json", e.resolve("metrics.json"));
            m.put("signature.json", e.resolve("signature.json"));
            m.put("forecasts", e.resolve("forecasts.csv"));
            m.put("training_log", e.resolve("training_log.jsonl"));
            m.put("requirements", e.resolve("requirements.txt"));
            m.put("data_fingerprint", e.resolve("data_fingerprint.txt"));
            m.put("artifact_manifest", e.resolve("artifact_manifest.json"));
        } else {
            Path t = ctx.run().runDir().resolve("artifacts/calibration.json");
            if (Files.exists(t)) m.put("calibration.json", t);
        }
        m.put("checkpoints", ctx.run().runDir().resolve("checkpoints"));
        m.put("reports", ctx.run().runDir().resolve("reports"));
        return m;
    }

    // ------------------------------------------------------------------ checkpoints

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode s = Json.object();
        s.put("format", "modelwork.forecast-state/1");
        s.set("attach_args", Json.MAPPER.valueToTree(attachArgs == null ? Map.of() : attachArgs.asMap()));
        s.put("fingerprint", panel == null ? "" : panel.fingerprint);
        if (prepArgs != null) s.set("prepare_args", Json.MAPPER.valueToTree(prepArgs.asMap()));
        if (splitArgs != null) s.set("split_args", Json.MAPPER.valueToTree(splitArgs.asMap()));
        if (spec != null) s.set("build_args", Json.MAPPER.valueToTree(spec.asArgs().asMap()));
        if (models != null) {
            ArrayNode ms = s.putArray("models");
            for (SeriesModel m : models) ms.add(m.toJson());
            ArrayNode bs = s.putArray("baseline");
            for (SeriesModel m : baseline) bs.add(m.toJson());
            s.put("fit_seconds", fitSeconds);
        }
        s.put("scale_80", scale80);
        s.put("scale_95", scale95);
        if (calibration != null) s.set("calibration", calibration);
        if (btRatios != null) s.set("backtest_ratios", Json.MAPPER.valueToTree(btRatios));
        if (tuned != null) s.set("tuned", tuned);
        if (exportDir != null) s.put("export_dir", exportDir.toString());
        out.json(STATE_FILE, s);
    }

    @Override public void restore(StateReader in) throws IOException {
        // checkpoints written through the transitional adapter keep the file under workflow/
        String name = !in.has(STATE_FILE) && in.has("workflow/" + STATE_FILE) ? "workflow/" + STATE_FILE : STATE_FILE;
        JsonNode s = in.json(name);
        AttachHandler.attach(this, args(in.require(s, "attach_args", name)));
        String fp = in.require(s, "fingerprint", name).asText();
        if (!panel.fingerprint.equals(fp))
            throw new ModelworkException("The data changed since the checkpoint (fingerprint " + panel.fingerprint.substring(0, 12) + "… ≠ "
                    + fp.substring(0, Math.min(12, fp.length())) + "…)", panel.ref,
                    "restore the original data file, or start a new session on the new data");
        if (s.has("prepare_args")) PrepareHandler.prepare(this, args(s.get("prepare_args")));
        if (s.has("split_args")) SplitHandler.split(this, args(s.get("split_args")));
        if (s.has("build_args")) BuildHandler.build(this, args(s.get("build_args")));
        if (s.has("models")) {
            models = new SeriesModel[parts.size()];
            baseline = new SeriesModel[parts.size()];
            for (int i = 0; i < models.length; i++) {
                models[i] = SeriesModel.fromJson(in.require(s, "models", name).get(i));
                baseline[i] = SeriesModel.fromJson(in.require(s, "baseline", name).get(i));
            }
            fitSeconds = s.path("fit_seconds").asDouble();
        }
        scale80 = s.path("scale_80").asDouble(1);
        scale95 = s.path("scale_95").asDouble(1);
        if (s.has("calibration")) calibration = (ObjectNode) s.get("calibration");
        if (s.has("backtest_ratios")) {
            btRatios = new ArrayList<>();
            for (JsonNode x : s.get("backtest_ratios")) btRatios.add(new double[]{x.get(0).asDouble(), x.get(1).asDouble()});
        }
        if (s.has("tuned")) tuned = (ObjectNode) s.get("tuned");
        if (s.has("export_dir")) exportDir = Path.of(s.get("export_dir").asText());
    }

    private static Args args(JsonNode n) {
        @SuppressWarnings("unchecked") Map<String, Object> m = Json.MAPPER.convertValue(n, Map.class);
        return Args.from(m);
    }

    @Override public void close() {
        models = null;
        baseline = null;
        prepared = null;
        parts = null;
        btRatios = null;
    }
}
