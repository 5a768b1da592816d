package io.modelwork.bench;

import io.modelwork.session.Session;
import io.modelwork.core.Args;
import io.modelwork.tabular.Matrix;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

import static io.modelwork.bench.BenchSupport.*;

/**
 * Benchmark 4: XGBoost fit time side by side with Debian's {@code python3-xgboost} ({@code /usr/bin/python3}), on the
 * same training rows with the same parameters and rounds.
 *
 * <p>The Session runs attach → … → fit; its training matrix is written to CSV (float32 values printed exactly) and
 * Python loads it with numpy, then times {@code xgb.DMatrix + xgb.train} (no evaluation sets). Java times the same on
 * the same matrix with XGBoost4J directly, and the Session's fit step (which adds per-round train+validation metrics
 * and the best-iteration checkpoint). Install Python's side with {@code apt-get install -y python3-xgboost}.
 *
 * <pre>bench/run.sh PythonXgboostBench [--quick] [--rows=200000] [--rounds=100] [--reps=3] [--python=/usr/bin/python3]</pre>
 */
public final class PythonXgboostBench {
    static final String SCRIPT = """
            import sys, time, json
            import numpy as np
            import xgboost as xgb
            path, rounds, reps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
            d = np.loadtxt(path, delimiter=",", dtype=np.float32, skiprows=1)
            X, y = d[:, :-1], d[:, -1]
            params = {"objective": "reg:squarederror", "eval_metric": "rmse", "max_depth": 6, "eta": 0.1,
                      "subsample": 1.0, "colsample_bytree": 1.0, "min_child_weight": 1.0, "lambda": 1.0, "alpha": 0.0,
                      "tree_method": "hist", "nthread": threads, "seed": 0, "verbosity": 0}
            times = []
            for r in range(reps + 1):
                t0 = time.perf_counter()
                dtrain = xgb.DMatrix(X, label=y, missing=np.nan, nthread=threads)
                b = xgb.train(params, dtrain, num_boost_round=rounds)
                t = time.perf_counter() - t0
                if r > 0: times.append(t)   # first pass is a warm-up, as on the Java side
            times.sort()
            print("RESULT " + json.dumps({"version": xgb.__version__, "median": times[len(times) // 2], "min": times[0],
                                          "rows": int(X.shape[0]), "cols": int(X.shape[1])}))
            """;

    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        int synthRows = fl.getInt("rows", 200_000, 20_000);
        int synthRounds = fl.getInt("rounds", 100, 20);
        int concreteRounds = fl.getInt("concrete-rounds", 300, 50);
        int reps = fl.getInt("reps", 3, 1);
        String python = fl.get("python", "/usr/bin/python3");
        machine();
        Path tmp = tempDir("modelwork-bench-python");
        try {
            Path script = tmp.resolve("fit.py");
            Files.writeString(script, SCRIPT);
            Path synth = writeSynthetic(tmp.resolve("synthetic.csv"), synthRows, 20, 42);
            record Case(String name, Path csv, String target, int rounds) {}
            List<List<String>> table = new ArrayList<>();
            String version = "?";
            for (Case cs : List.of(new Case("concrete", concrete(), "compressive_strength", concreteRounds),
                    new Case("synthetic " + synthRows + "×20", synth, "y", synthRounds))) {
                List<Double> session = new ArrayList<>(), direct = new ArrayList<>();
                Matrix train = null;
                for (int r = 0; r < reps + 1; r++) { // first rep is a warm-up
                    try (Chain c = sessionChain(cs.csv(), cs.target(), "regression.xgboost", Args.empty(), cs.rounds(),
                            tmp.resolve("run-" + cs.name().charAt(0) + r))) {
                        train = c.train();
                        Time d = xgbDirect(train, null, cs.rounds());
                        if (r > 0) { session.add(c.fitS()); direct.add(d.wall()); }
                    }
                }
                Path trainCsv = tmp.resolve("train-" + cs.name().charAt(0) + ".csv");
                writeMatrix(train, trainCsv);
                Map<String, String> py = runPython(python, script, trainCsv, cs.rounds(), reps);
                version = py.getOrDefault("version", "?");
                double pyFit = Double.parseDouble(py.get("median"));
                double mDirect = median(direct), mSession = median(session);
                table.add(List.of(cs.name(), Integer.toString(train.rows()) + "×" + train.cols(), Integer.toString(cs.rounds()),
                        f(pyFit, 3), f(mDirect, 3), f(mSession, 3), f(mDirect / pyFit, 2), f(mSession / pyFit, 2)));
                System.out.printf(Locale.ROOT, "done: %s%n", cs.name());
            }
            table("XGBoost fit time: Debian python3-xgboost " + version + " vs XGBoost4J " + "3.4.0"
                    + " (seconds, medians of " + reps + "; " + THREADS + " threads; hist, depth 6, eta 0.1)",
                    List.of("data", "train rows×cols", "rounds", "Python xgb.train", "XGBoost4J direct", "Modelwork Session fit step",
                            "direct / Python", "Session / Python"), table);
            System.out.println("\nThe two sides run different XGBoost versions (Debian bookworm ships 1.7.4; the library uses"
                    + " 3.4.0), so the ratio mixes binding overhead with engine changes between versions.");
        } finally {
            deleteTree(tmp);
        }
    }

    /** The matrix's features and label as CSV; float32 values printed with Float.toString (exact round trip). */
    static void writeMatrix(Matrix m, Path file) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < m.cols(); c++) sb.append('f').append(c).append(',');
            sb.append("y\n");
            for (int r = 0; r < m.rows(); r++) {
                for (int c = 0; c < m.cols(); c++) sb.append(m.get(r, c)).append(',');
                sb.append((float) m.y()[r]).append('\n');
                if (sb.length() > 60_000) { w.append(sb); sb.setLength(0); }
            }
            w.append(sb);
        }
    }

    static Map<String, String> runPython(String python, Path script, Path csv, int rounds, int reps) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), csv.toString(), Integer.toString(rounds),
                Integer.toString(reps), Integer.toString(THREADS)).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) result = line.substring(7);
                else System.out.println("  [python] " + line);
            }
        }
        if (p.waitFor() != 0 || result == null)
            throw new IllegalStateException(python + " failed; install Debian's XGBoost: apt-get install -y python3-xgboost");
        Map<String, String> out = new LinkedHashMap<>();
        var node = io.modelwork.core.Json.MAPPER.readTree(result);
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
