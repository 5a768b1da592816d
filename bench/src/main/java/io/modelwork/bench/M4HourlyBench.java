package io.modelwork.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
import io.modelwork.forecast.ForecastMetrics;
import io.modelwork.report.StepReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * M4 Hourly end to end: every series (414, or {@code --limit=N}) through the Session's forecasting workflow
 * (attach → prepare → split → build forecasting.autoarima → fit → evaluate), h = 48 from {@code Hourly-test.csv};
 * sMAPE and MASE (M4 definitions, mean over series) for AutoARIMA and seasonal naive, and series per second of the
 * fit on {@code --threads} (default 2). When {@code /usr/bin/Rscript} with the {@code forecast} package is present
 * (and not {@code --no-r}), R's {@code auto.arima} runs on the same series in the same run, on as many worker
 * processes ({@code parallel::mclapply}), and its forecasts are scored by the same Java metrics.
 *
 * <pre>
 * bench/run.sh M4HourlyBench --limit=20            # quick check
 * bench/run.sh M4HourlyBench                       # all 414 series (long: see bench/README.md)
 * </pre>
 */
public final class M4HourlyBench {
    private M4HourlyBench() {}

    public static void main(String[] argv) throws Exception {
        BenchSupport.Flags f = new BenchSupport.Flags(argv);
        int limit = f.getInt("limit", 414, 20);
        int threads = f.getInt("threads", BenchSupport.THREADS, BenchSupport.THREADS);
        boolean runR = !f.values.containsKey("no-r");
        Path train = Assets.data("forecasting/m4/Hourly-train.csv"), test = Assets.data("forecasting/m4/Hourly-test.csv");
        Path tmp = Files.createTempDirectory("m4bench");
        System.out.printf("M4 Hourly: %d series, h=48, m=24, %d threads, Java %s, %d cores visible%n", limit, threads,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        // ---- Modelwork through the Session
        double fitSec, evalSec;
        JsonNode mw, sn;
        List<String> ids = new ArrayList<>();
        Map<String, Integer> fallbacks = new TreeMap<>();
        try (Session s = Session.create(tmp)) {
            s.configure(Args.of("seed", 1, "threads", threads, "run_dir", tmp.resolve("run").toString()));
            s.attachDataset(Args.of("path", train.toString(), "limit", limit));
            s.prepareData(Args.empty());
            s.split(Args.empty());
            s.build(Args.of("spec", "forecasting.autoarima"));
            long t0 = System.nanoTime();
            StepReport fit = s.fit(Args.of("n_jobs", threads));
            fitSec = (System.nanoTime() - t0) / 1e9;
            for (JsonNode p : fit.body().get("per_series")) {
                ids.add(p.get("id").asText());
                if (p.has("note")) fallbacks.merge(p.get("note").asText().replaceAll("\\(.*\\)", "(…)"), 1, Integer::sum);
            }
            t0 = System.nanoTime();
            StepReport ev = s.evaluate(Args.empty());
            evalSec = (System.nanoTime() - t0) / 1e9;
            mw = ev.body().get("metrics").get("test");
            sn = ev.body().get("baseline_snaive");
        }

        // ---- R auto.arima on the same series
        double[] rScores = null;
        double rSec = Double.NaN;
        String rNote;
        Path rscript = Path.of("/usr/bin/Rscript");
        if (!runR) rNote = "R not run (--no-r)";
        else if (!Files.isExecutable(rscript)) rNote = "R not run: /usr/bin/Rscript not found (apt-get install r-base-core r-cran-forecast)";
        else {
            Object[] r = runR(rscript, train, test, ids, threads, tmp);
            if (r[0] == null) rNote = "R not run: " + r[2];
            else {
                rScores = (double[]) r[0];
                rSec = (Double) r[1];
                rNote = "R " + r[2];
            }
        }

        System.out.println();
        System.out.println("| method | sMAPE | MASE | coverage 95 | fit seconds | series / s |");
        System.out.println("|---|---|---|---|---|---|");
        System.out.printf(Locale.ROOT, "| Modelwork AutoARIMA (Session, %d threads) | %.3f | %.3f | %.3f | %.1f | %.3f |%n", threads,
                mw.get("smape").asDouble(), mw.get("mase").asDouble(), mw.get("coverage_95").asDouble(), fitSec, ids.size() / fitSec);
        if (rScores != null)
            System.out.printf(Locale.ROOT, "| R forecast::auto.arima (%d processes) | %.3f | %.3f | %.3f | %.1f | %.3f |%n", threads,
                    rScores[0], rScores[1], rScores[2], rSec, ids.size() / rSec);
        System.out.printf(Locale.ROOT, "| seasonal naive | %.3f | %.3f | %.3f | – | – |%n",
                sn.get("smape").asDouble(), sn.get("mase").asDouble(), sn.get("coverage_95").asDouble());
        System.out.println();
        System.out.printf(Locale.ROOT, "evaluate %.1f s; fallbacks: %s%n", evalSec, fallbacks.isEmpty() ? "none" : fallbacks);
        System.out.println(rNote);
        if (limit >= 414) System.out.println("reference (M4 Hourly, all 414): seasonal naive sMAPE 13.912, MASE 1.193; StatsForecast reports"
                + " MASE 0.92 for its AutoARIMA vs 1.02 for R's auto.arima");
        deleteTree(tmp);
    }

    /** Runs R's auto.arima; returns {double[]{smape, mase, coverage95}, seconds, note} or {null, null, why}. */
    static Object[] runR(Path rscript, Path train, Path test, List<String> ids, int workers, Path tmp) throws Exception {
        Path idFile = tmp.resolve("ids.txt"), out = tmp.resolve("r_forecasts.csv"), script = tmp.resolve("m4.R");
        Files.write(idFile, ids, StandardCharsets.UTF_8);
        Files.writeString(script, String.join("\n",
                "suppressMessages(library(forecast)); suppressMessages(library(parallel))",
                "args <- commandArgs(trailingOnly = TRUE)",
                "tr <- read.csv(args[1], stringsAsFactors = FALSE); ids <- readLines(args[2])",
                "rows <- match(ids, tr[[1]])",
                "series <- lapply(rows, function(i) { v <- as.numeric(tr[i, -1]); v[!is.na(v)] })",
                "t0 <- Sys.time()",
                "fc <- mclapply(series, function(y) { f <- tryCatch(forecast(auto.arima(ts(y, frequency = 24)), h = 48, level = c(80, 95)),",
                "  error = function(e) forecast(snaive(ts(y, frequency = 24)), h = 48, level = c(80, 95)));",
                "  cbind(as.numeric(f$mean), as.numeric(f$lower[, 2]), as.numeric(f$upper[, 2])) }, mc.cores = as.integer(args[4]))",
                "secs <- as.numeric(difftime(Sys.time(), t0, units = 'secs'))",
                "out <- do.call(rbind, lapply(seq_along(ids), function(k) data.frame(id = ids[k], step = 1:48, mean = fc[[k]][, 1],",
                "  lo95 = fc[[k]][, 2], hi95 = fc[[k]][, 3])))",
                "write.csv(out, args[3], row.names = FALSE)",
                "cat(sprintf('seconds %.3f\\n', secs))",
                "cat(sprintf('forecast %s\\n', as.character(packageVersion('forecast'))))", ""));
        ProcessBuilder pb = new ProcessBuilder(rscript.toString(), script.toString(), train.toString(), idFile.toString(),
                out.toString(), Integer.toString(workers)).redirectErrorStream(true);
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0 || !Files.exists(out))
            return new Object[]{null, null, "Rscript failed (exit " + rc + "): " + text.lines().reduce((a, b) -> b).orElse("")};
        double secs = Double.NaN;
        String version = "?";
        for (String line : text.split("\n")) {
            if (line.startsWith("seconds ")) secs = Double.parseDouble(line.substring(8).trim());
            if (line.startsWith("forecast ")) version = line.substring(9).trim();
        }
        Map<String, double[]> trainV = wide(train), testV = wide(test);
        Map<String, double[][]> fc = new HashMap<>();
        List<String> lines = Files.readAllLines(out);
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",");
            String id = c[0].replace("\"", "");
            int step = Integer.parseInt(c[1]);
            double[][] a = fc.computeIfAbsent(id, k -> new double[3][48]);
            for (int j = 0; j < 3; j++) a[j][step - 1] = Double.parseDouble(c[2 + j]);
        }
        double s = 0, m = 0, cov = 0;
        for (String id : ids) {
            double[] y = testV.get(id);
            double[][] a = fc.get(id);
            s += ForecastMetrics.smape(y, a[0]);
            m += ForecastMetrics.mase(y, a[0], trainV.get(id), 24);
            cov += ForecastMetrics.coverage(y, a[1], a[2]);
        }
        int n = ids.size();
        return new Object[]{new double[]{s / n, m / n, cov / n}, secs, "forecast " + version + " auto.arima, timed inside R (excluding start-up and CSV reading)"};
    }

    static Map<String, double[]> wide(Path p) throws IOException {
        Map<String, double[]> out = new HashMap<>();
        List<String> lines = Files.readAllLines(p);
        for (int i = 1; i < lines.size(); i++) {
            String[] c = lines.get(i).split(",", -1);
            int last = c.length - 1;
            while (last > 0 && c[last].replace("\"", "").isBlank()) last--;
            double[] y = new double[last];
            for (int j = 1; j <= last; j++) y[j - 1] = Double.parseDouble(c[j].replace("\"", ""));
            out.put(c[0].replace("\"", ""), y);
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
    }
}
