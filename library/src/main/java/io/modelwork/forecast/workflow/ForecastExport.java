package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.forecast.Forecast;
import io.modelwork.registry.RegisterStep;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Steps 12–14 for forecasting: the bundle ({@code model.json} with every series' model state, {@code
 * preprocessing.json} with the grid and regressors, {@code calibration.json}, {@code metrics.json}, {@code
 * signature.json}, {@code forecasts.csv}, training log, data fingerprint, requirements and {@code
 * artifact_manifest.json}) written to a staging folder and renamed; a reload check that the bundle forecasts exactly
 * as the session; registration; the artifact map.
 */
final class ForecastExport {
    private ForecastExport() {}

    static final String MODELWORK_VERSION = "0.1.0-SNAPSHOT";

    static StepReport export(ForecastWorkflow w, Path target, Args a) {
        if (Files.exists(target))
            throw new ModelworkException("The export target already exists", target.toString(),
                    "choose a new target=... (bundles are immutable once written) or delete the old one");
        SeriesPanel panel = w.panel();
        List<ForecastWorkflow.Part> parts = w.parts();
        boolean refit = a.getBool("refit", false);
        int h = a.getInt("h", w.horizon() > 0 ? w.horizon() : panel.m > 1 ? 2 * panel.m : 10);
        if (h < 1) throw new ModelworkException("The export horizon must be at least 1", "export h", "e.g. h=" + Math.max(1, 2 * panel.m));
        SeriesModel[] models = refit ? w.refitAll(w.session().context().threads()) : w.models();
        double[] sc = w.scales();
        Path staging = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        StepReport r = new StepReport("export", "Export bundle");
        try {
            AtomicFiles.deleteTree(staging);
            Files.createDirectories(staging);
            ObjectNode model = Json.object();
            model.put("format", ForecastBundle.FORMAT);
            model.put("spec", w.spec().name());
            model.set("params", Json.MAPPER.valueToTree(w.spec().params));
            model.put("freq", panel.grid.freq());
            model.put("m", panel.m);
            model.put("trained_on", refit ? "all data (train + test)" : "the training part (before the hold-out)");
            ArrayNode series = model.putArray("series");
            long[] last = new long[parts.size()];
            for (int i = 0; i < parts.size(); i++) {
                ForecastWorkflow.Part p = parts.get(i);
                last[i] = p.trainEnd() + (refit ? p.test().length : 0);
                ObjectNode s = series.addObject();
                s.put("id", p.id());
                s.put("first_position", p.start());
                s.put("last_position", last[i]);
                s.put("last_timestamp", panel.grid.label(last[i]));
                s.put("n", p.train().length + (refit ? p.test().length : 0));
                s.set("model", models[i].toJson());
            }
            Files.writeString(staging.resolve("model.json"), Json.write(model));
            ObjectNode prep = Json.object();
            prep.set("grid", panel.grid.toJson());
            prep.put("freq", panel.grid.freq());
            prep.put("m", panel.m);
            prep.put("fill", w.fillMethod());
            prep.put("agg", w.aggMethod());
            if (w.spec().autoLambda) prep.put("lambda", "auto (per series, Guerrero; each model carries its own)");
            else if (w.spec().lambda != null) prep.put("lambda", w.spec().lambda); else prep.putNull("lambda");
            prep.put("lambda_applied", "inside each model (forecasts are back-transformed)");
            prep.set("calendar", Json.MAPPER.valueToTree(w.calendarFeatures()));
            prep.put("fourier", w.fourierTerms());
            prep.set("exog", Json.MAPPER.valueToTree(panel.exogNames));
            prep.set("regressors", Json.MAPPER.valueToTree(w.xregNames()));
            Files.writeString(staging.resolve("preprocessing.json"), Json.write(prep));
            ObjectNode cal = Json.object();
            cal.put("method", sc[0] == 1 && sc[1] == 1 ? "none" : "interval scaling around the mean");
            cal.put("scale_80", sc[0]);
            cal.put("scale_95", sc[1]);
            Files.writeString(staging.resolve("calibration.json"), Json.write(cal));
            ObjectNode metrics = Json.object();
            w.session().report(Step.EVALUATE).ifPresent(ev -> {
                metrics.set("metrics", ev.body().get("metrics"));
                metrics.set("baseline_snaive", ev.body().get("baseline_snaive"));
            });
            w.session().report(Step.BACKTEST).ifPresent(bt -> metrics.set("backtest", bt.body().get("metrics")));
            metrics.put("model", w.spec().name());
            Files.writeString(staging.resolve("metrics.json"), Json.write(metrics));
            ObjectNode sig = Json.object();
            sig.put("model", w.spec().name());
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
            Files.writeString(staging.resolve("signature.json"), Json.write(sig));
            // forecasts from the end of the training data, and the reload check
            StringBuilder csv = new StringBuilder("unique_id,ds,step,mean,lower_80,upper_80,lower_95,upper_95\n");
            Forecast[] mem = new Forecast[parts.size()];
            double[][][] exF = new double[parts.size()][][];
            for (int i = 0; i < parts.size(); i++) {
                ForecastWorkflow.Part p = parts.get(i);
                int nx = panel.exogNames.length;
                double[][] ex = new double[nx][];
                for (int j = 0; j < nx; j++)
                    ex[j] = !refit && p.xTest().length > j && p.xTest()[j].length >= h ? Arrays.copyOf(p.xTest()[j], h) : new double[h];
                exF[i] = nx == 0 ? null : ex;
                double[][] cl = ForecastWorkflow.calendarColumns(panel.grid, panel.m, w.calendarFeatures(), w.fourierTerms(), last[i] + 1, h);
                double[][] x = new double[nx + cl.length][];
                System.arraycopy(ex, 0, x, 0, nx);
                System.arraycopy(cl, 0, x, nx, cl.length);
                mem[i] = ForecastWorkflow.scaled(models[i].forecast(h, x, ForecastWorkflow.LEVELS), sc[0], sc[1]);
                for (int t = 0; t < h; t++)
                    csv.append(csvField(p.id())).append(',').append(panel.grid.label(last[i] + 1 + t)).append(',').append(t + 1).append(',')
                            .append(mem[i].mean()[t]).append(',').append(mem[i].lower()[0][t]).append(',').append(mem[i].upper()[0][t]).append(',')
                            .append(mem[i].lower()[1][t]).append(',').append(mem[i].upper()[1][t]).append('\n');
            }
            Files.writeString(staging.resolve("forecasts.csv"), csv.toString());
            Files.writeString(staging.resolve("data_fingerprint.txt"), panel.fingerprint + "\n");
            Path log = w.session().context().log().file();
            if (Files.exists(log)) Files.copy(log, staging.resolve("training_log.jsonl"));
            Files.writeString(staging.resolve("requirements.txt"), "# exact runtime dependencies of this bundle\njava>=17\n"
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
            ObjectNode manifest = manifest(staging, w);
            Files.writeString(staging.resolve("artifact_manifest.json"), Json.write(manifest));
            AtomicFiles.publishDirectory(staging, target);
            w.exported(target);
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
            AtomicFiles.deleteTree(staging);
            throw new ModelworkException("Cannot write the export bundle: " + e.getMessage(), target.toString(), "check free disk space and permissions");
        } catch (RuntimeException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
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

    static ObjectNode manifest(Path dir, ForecastWorkflow w) throws IOException {
        ObjectNode m = Json.object();
        m.put("format", "modelwork.bundle/1");
        m.put("model", w.spec().name());
        m.put("engine", "modelwork.forecast (Java)");
        m.put("data_fingerprint", w.panel().fingerprint);
        m.put("freq", w.panel().grid.freq());
        m.put("m", w.panel().m);
        io.modelwork.core.Bundles.addFiles(m, dir);
        return m;
    }

    static StepReport register(ForecastWorkflow w, Args a) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("spec", w.spec().name());
        tags.put("task", "forecasting");
        tags.put("freq", w.panel().grid.freq());
        tags.put("m", Integer.toString(w.panel().m));
        tags.put("data_fingerprint", w.panel().fingerprint);
        RegisterStep.addTestMetricTags(w.session(), tags);
        return RegisterStep.run(w.exportDir(), a, RegisterStep.stem(w.panel().ref) + "-" + w.spec().algorithm, tags,
                "load with ForecastBundle.load(materialized folder)");
    }

    static StepReport artifacts(ForecastWorkflow w, ObjectNode registered) {
        RunContext c = w.session().context();
        Map<String, Object> m = new LinkedHashMap<>();
        Path e = w.exportDir();
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
            m.put("training_log", c.log().file());
            Path t = c.runDir().resolve("artifacts/calibration.json");
            if (Files.exists(t)) m.put("calibration.json", t);
        }
        m.put("checkpoints", c.runDir().resolve("checkpoints"));
        m.put("reports", c.runDir().resolve("reports"));
        StepReport r = io.modelwork.report.ArtifactMap.report(m, registered);
        r.body().put("freq", w.panel().grid.freq());
        r.body().put("m", w.panel().m);
        return r;
    }
}
