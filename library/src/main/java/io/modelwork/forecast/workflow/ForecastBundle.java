package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.forecast.Forecast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * An exported forecasting bundle loaded for serving: one {@link SeriesModel} per series id, the time grid (frequency,
 * period, the last training timestamp of each series), the preprocessing (Box-Cox lambda, calendar/Fourier
 * regressors, which it recomputes for future timestamps) and the interval calibration. Forecasts equal those of the
 * session that exported the bundle, bit for bit.
 *
 * <pre>{@code
 * ForecastBundle b = ForecastBundle.load(Path.of("runs/run-…/export"));
 * Forecast f = b.forecast("H1", 48, null);   // mean, 80% and 95% intervals (calibrated)
 * }</pre>
 */
public final class ForecastBundle {
    public static final String FORMAT = "modelwork.forecast-bundle/1";

    private final TimeGrid grid;
    private final int m;
    private final String spec;
    private final LinkedHashMap<String, SeriesModel> models = new LinkedHashMap<>();
    private final Map<String, Long> lastPosition = new HashMap<>();
    private final List<String> calendar;
    private final int fourier;
    private final String[] exogNames;
    private final double scale80, scale95;

    private ForecastBundle(JsonNode model, JsonNode prep, JsonNode cal) {
        this.grid = TimeGrid.fromJson(prep.get("grid"));
        this.m = prep.get("m").asInt();
        this.spec = model.get("spec").asText();
        List<String> c = new ArrayList<>();
        prep.get("calendar").forEach(x -> c.add(x.asText()));
        this.calendar = List.copyOf(c);
        this.fourier = prep.get("fourier").asInt();
        List<String> ex = new ArrayList<>();
        prep.get("exog").forEach(x -> ex.add(x.asText()));
        this.exogNames = ex.toArray(new String[0]);
        this.scale80 = cal.path("scale_80").asDouble(1);
        this.scale95 = cal.path("scale_95").asDouble(1);
        for (JsonNode s : model.get("series")) {
            String id = s.get("id").asText();
            models.put(id, SeriesModel.fromJson(s.get("model")));
            lastPosition.put(id, s.get("last_position").asLong());
        }
    }

    /** Loads {@code model.json}, {@code preprocessing.json} and {@code calibration.json} from an export folder. */
    public static ForecastBundle load(Path dir) {
        JsonNode model = read(dir.resolve("model.json")), prep = read(dir.resolve("preprocessing.json"));
        Path calPath = dir.resolve("calibration.json");
        JsonNode cal = Files.exists(calPath) ? read(calPath) : Json.object();
        if (!FORMAT.equals(model.path("format").asText()))
            throw new ModelworkException("Not a forecasting bundle (format '" + model.path("format").asText() + "')", dir.toString(),
                    "load a folder written by export of a forecasting session (" + FORMAT + ")");
        return new ForecastBundle(model, prep, cal);
    }

    private static JsonNode read(Path p) {
        try {
            return Json.MAPPER.readTree(p.toFile());
        } catch (IOException e) {
            throw new ModelworkException("Cannot read " + p.getFileName() + ": " + e.getMessage(), p.toString(),
                    "check that the folder is a complete export bundle (artifact_manifest.json lists its files)");
        }
    }

    public List<String> ids() { return List.copyOf(models.keySet()); }
    public String freq() { return grid.freq(); }
    public int period() { return m; }
    public String spec() { return spec; }
    public SeriesModel model(String id) { return models.get(check(id)); }

    /** The timestamp label of forecast step {@code step} (1-based) of a series. */
    public String label(String id, int step) { return grid.label(lastPosition.get(check(id)) + step); }

    private String check(String id) {
        if (!models.containsKey(id))
            throw new ModelworkException("No series '" + id + "' in the bundle", "ForecastBundle", "use one of " + head(ids()));
        return id;
    }

    private static List<String> head(List<String> l) { return l.size() <= 5 ? l : l.subList(0, 5); }

    /**
     * Forecasts {@code h} steps after the series' last training timestamp, with calibrated 80% and 95% intervals.
     *
     * @param exogFuture future values of the exogenous columns {@code exogFuture[j][t]} (null when the model has none);
     *                   calendar and Fourier regressors are computed from the timestamps
     */
    public Forecast forecast(String id, int h, double[][] exogFuture) {
        SeriesModel sm = model(id);
        double[][] xreg = null;
        if (sm.userRegressors() > 0) {
            if (exogNames.length > 0 && (exogFuture == null || exogFuture.length != exogNames.length))
                throw new ModelworkException("The model needs future values of " + Arrays.toString(exogNames), "ForecastBundle.forecast " + id,
                        "pass exogFuture[j][t] for each exogenous column j and step t < h");
            double[][] cal = PrepareHandler.calendarColumns(grid, m, calendar, fourier, lastPosition.get(id) + 1, h);
            xreg = new double[exogNames.length + cal.length][];
            for (int j = 0; j < exogNames.length; j++) xreg[j] = exogFuture[j];
            System.arraycopy(cal, 0, xreg, exogNames.length, cal.length);
        }
        return Accuracy.scaled(sm.forecast(h, xreg, ForecastState.LEVELS), scale80, scale95);
    }
}
