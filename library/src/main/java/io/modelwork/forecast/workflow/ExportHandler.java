package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.forecast.Forecast;
import io.modelwork.forecast.workflow.ForecastState.Part;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Path;
import java.util.*;

/**
 * export for forecasting: the bundle ({@code model.json} with every series' model state, {@code preprocessing.json}
 * with the grid and regressors, {@code calibration.json}, {@code metrics.json}, {@code signature.json},
 * {@code forecasts.csv}, training log, data fingerprint, requirements) written through the shared {@link BundleWriter}
 * (staging folder, {@code artifact_manifest.json} with SHA-256 and size, atomic publish, nothing left behind on
 * failure), after a reload check that the bundle, loaded back, forecasts exactly as the session.
 */
final class ExportHandler implements StepHandler<ForecastState> {
    static final String MODELWORK_VERSION = "0.1.0-SNAPSHOT";

    @Override public StepReport run(ForecastState w, Args a, StepContext ctx) {
        Path target = (a.has("target") ? Path.of(a.getString("target", null)) : ctx.run().runDir().resolve("export")).toAbsolutePath().normalize();
        SeriesPanel panel = w.panel;
        List<Part> parts = w.parts;
        boolean refit = a.getBool("refit", false);
        int h = a.getInt("h", w.h > 0 ? w.h : panel.m > 1 ? 2 * panel.m : 10);
        if (h < 1) throw new ModelworkException("The export horizon must be at least 1", "export h", "e.g. h=" + Math.max(1, 2 * panel.m));
        double[] sc = {w.scale80, w.scale95};
        StepReport r = new StepReport("export", "Export bundle");
        try (BundleWriter bw = BundleWriter.create(target, "export")) {
            Path staging = bw.dir();
            SeriesModel[] models = refit ? refitAll(w, ctx, ctx.run().threads()) : w.models;
            ObjectNode model = Json.object();
            model.put("format", ForecastBundle.FORMAT);
            model.put("spec", w.spec.name());
            model.set("params", Json.MAPPER.valueToTree(w.spec.params));
            model.put("freq", panel.grid.freq());
            model.put("m", panel.m);
            model.put("trained_on", refit ? "all data (train + test)" : "the training part (before the hold-out)");
            ArrayNode series = model.putArray("series");
            long[] last = new long[parts.size()];
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                last[i] = p.trainEnd() + (refit ? p.test().length : 0);
                ObjectNode s = series.addObject();
                s.put("id", p.id());
                s.put("first_position", p.start());
                s.put("last_position", last[i]);
                s.put("last_timestamp", panel.grid.label(last[i]));
                s.put("n", p.train().length + (refit ? p.test().length : 0));
                s.set("model", models[i].toJson());
            }
            bw.text("model.json", Json.write(model));
            ObjectNode prep = Json.object();
            prep.set("grid", panel.grid.toJson());
            prep.put("freq", panel.grid.freq());
            prep.put("m", panel.m);
            prep.put("fill", w.fill);
            prep.put("agg", w.agg);
            if (w.spec.autoLambda) prep.put("lambda", "auto (per series, Guerrero; each model carries its own)");
            else if (w.spec.lambda != null) prep.put("lambda", w.spec.lambda); else prep.putNull("lambda");
            prep.put("lambda_applied", "inside each model (forecasts are back-transformed)");
            prep.set("calendar", Json.MAPPER.valueToTree(w.calendar));
            prep.put("fourier", w.fourier);
            prep.set("exog", Json.MAPPER.valueToTree(panel.exogNames));
            prep.set("regressors", Json.MAPPER.valueToTree(w.xregNames));
            bw.text("preprocessing.json", Json.write(prep));
            ObjectNode cal = Json.object();
            cal.put("method", sc[0] == 1 && sc[1] == 1 ? "none" : "interval scaling around the mean");
            cal.put("scale_80", sc[0]);
            cal.put("scale_95", sc[1]);
            bw.text("calibration.json", Json.write(cal));
            ObjectNode metrics = Json.object();
            ctx.report(Step.EVALUATE).ifPresent(ev -> {
                metrics.set("metrics", ev.body().get("metrics"));
                metrics.set("baseline_snaive", ev.body().get("baseline_snaive"));
            });
            ctx.report(Step.BACKTEST).ifPresent(bt -> metrics.set("backtest", bt.body().get("metrics")));
            metrics.put("model", w.spec.name());
            bw.text("metrics.json", Json.write(metrics));
            ObjectNode sig = Json.object();
            sig.put("model", w.spec.name());
            sig.put("task", "forecasting");
            sig.put("freq", panel.grid.freq());
            sig.put("m", panel.m);
            ArrayNode in = sig.putArray("inputs");
            in.addObject().put("name", "unique_id").put("type", "string").put("values", "one of the " + parts.size() + " series ids in model.json");
            in.addObject().put("name", "h").put("type", "int").put("meaning", "steps after the series' last_timestamp");
            if (panel.exogNames.length > 0)
                in.addObject().put("name", "exog_future").put("type", "float64[" + panel.exogNames.length + "][h]")
                        .set("columns", Json.MAPPER.valueToTree(panel.exogNames));
            ArrayNode out = sig.putArray("outputs");
            for (String o : List.of("mean", "lower_80", "upper_80", "lower_95", "upper_95"))
                out.addObject().put("name", o).put("type", "float64[h]");
            sig.put("loader", "io.modelwork.forecast.workflow.ForecastBundle.load(dir).forecast(id, h, exogFuture)");
            bw.text("signature.json", Json.write(sig));
            // forecasts from the end of the training data, and the reload check
            StringBuilder csv = new StringBuilder("unique_id,ds,step,mean,lower_80,upper_80,lower_95,upper_95\n");
            Forecast[] mem = new Forecast[parts.size()];
            double[][][] exF = new double[parts.size()][][];
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                int nx = panel.exogNames.length;
                double[][] ex = new double[nx][];
                for (int j = 0; j < nx; j++)
                    ex[j] = !refit && p.xTest().length > j && p.xTest()[j].length >= h ? Arrays.copyOf(p.xTest()[j], h) : new double[h];
                exF[i] = nx == 0 ? null : ex;
                double[][] cl = PrepareHandler.calendarColumns(panel.grid, panel.m, w.calendar, w.fourier, last[i] + 1, h);
                double[][] x = new double[nx + cl.length][];
                System.arraycopy(ex, 0, x, 0, nx);
                System.arraycopy(cl, 0, x, nx, cl.length);
                mem[i] = Accuracy.scaled(models[i].forecast(h, x, ForecastState.LEVELS), sc[0], sc[1]);
                for (int t = 0; t < h; t++)
                    csv.append(csvField(p.id())).append(',').append(panel.grid.label(last[i] + 1 + t)).append(',').append(t + 1).append(',')
                            .append(mem[i].mean()[t]).append(',').append(mem[i].lower()[0][t]).append(',').append(mem[i].upper()[0][t]).append(',')
                            .append(mem[i].lower()[1][t]).append(',').append(mem[i].upper()[1][t]).append('\n');
            }
            bw.text("forecasts.csv", csv.toString());
            bw.text("data_fingerprint.txt", panel.fingerprint + "\n");
            bw.copy(ctx.run().log().file(), "training_log.jsonl");
            bw.text("requirements.txt", "# exact runtime dependencies of this bundle\njava>=17\n"
                    + "io.modelwork:modelwork-library:" + MODELWORK_VERSION + "  # io.modelwork.forecast.workflow.ForecastBundle\n"
                    + "org.apache.commons:commons-math3:3.6.1  # normal quantiles of the intervals\n"
                    + "com.fasterxml.jackson.core:jackson-databind  # model.json\n");
            ForecastBundle re = ForecastBundle.load(staging);
            double maxDiff = 0;
            for (int i = 0; i < parts.size(); i++) {
                Forecast f = re.forecast(parts.get(i).id(), h, exF[i]);
                maxDiff = Math.max(maxDiff, maxAbsDiff(f, mem[i]));
            }
            if (!(maxDiff <= 1e-9))
                throw new IllegalStateException("the reloaded bundle forecasts differ from the session's by " + maxDiff);
            r.body().put("reload_max_abs_diff", maxDiff);
            r.note(String.format(Locale.ROOT, "reload check: the bundle, loaded back, forecasts all %d series h=%d with max |diff| %.1e",
                    parts.size(), h, maxDiff));
            ObjectNode mf = bw.manifest();
            mf.put("format", "modelwork.bundle/1");
            mf.put("model", w.spec.name());
            mf.put("engine", "modelwork.forecast (Java)");
            mf.put("data_fingerprint", panel.fingerprint);
            mf.put("freq", panel.grid.freq());
            mf.put("m", panel.m);
            bw.publish();
            JsonNode manifest = Json.MAPPER.readTree(target.resolve(BundleWriter.MANIFEST).toFile());
            w.exportDir = target;
            r.body().put("path", target.toString());
            r.body().put("h", h);
            r.body().put("refit", refit);
            r.body().put("freq", panel.grid.freq());
            r.body().set("manifest", manifest);
            if (refit) r.note("models refitted on all data (train + test) before export; forecasts start after the last observation");
            else r.note("exported the models fitted on the training part; forecasts start after the hold-out's first timestamp (use refit=true to train on all data)");
            Table t = Table.create("Artifact manifest (" + target + ")");
            StringColumn f = StringColumn.create("file"), hc = StringColumn.create("sha256");
            LongColumn sz = LongColumn.create("bytes");
            for (var e : manifest.get("files")) { f.append(e.get("path").asText()); hc.append(e.get("sha256").asText().substring(0, 16) + "…"); sz.append(e.get("size").asLong()); }
            t.addColumns(f, sz, hc);
            r.table(t);
            return r;
        } catch (IOException e) {
            throw new ModelworkException("Cannot write the export bundle: " + e.getMessage(), target.toString(), "check free disk space and permissions");
        }
    }

    /** Models refitted on all data (train + test) for export with {@code refit=true}. */
    static SeriesModel[] refitAll(ForecastState st, StepContext ctx, int threads) {
        List<Part> parts = st.parts;
        List<double[]> ys = new ArrayList<>();
        List<double[][]> xs = new ArrayList<>();
        int[] ms = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            ys.add(BacktestHandler.concat(p.train(), p.test()));
            double[][] x = new double[p.xTrain().length][];
            for (int j = 0; j < x.length; j++) x[j] = BacktestHandler.concat(p.xTrain()[j], p.xTest()[j]);
            xs.add(x);
            ms[i] = st.panel.m;
        }
        return FitHandler.fitAll(st, ctx, st.spec, ys, xs, ms, threads, "export");
    }

    static double maxAbsDiff(Forecast a, Forecast b) {
        double d = 0;
        for (int t = 0; t < a.horizon(); t++) {
            d = Math.max(d, Math.abs(a.mean()[t] - b.mean()[t]));
            for (int l = 0; l < a.levels().length; l++) {
                d = Math.max(d, Math.abs(a.lower()[l][t] - b.lower()[l][t]));
                d = Math.max(d, Math.abs(a.upper()[l][t] - b.upper()[l][t]));
            }
        }
        return d;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
