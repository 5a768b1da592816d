package io.modelwork.bench;

import io.github.metarank.lightgbm4j.LGBMBooster;
import io.github.metarank.lightgbm4j.LGBMDataset;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
import io.modelwork.tabular.Matrix;
import io.modelwork.tabular.TabularState;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/** Shared pieces of the benchmarks: flags, synthetic data, the Session chain, direct engine calls, timing, tables. */
final class BenchSupport {
    private BenchSupport() {}

    static final int THREADS = 2;

    /** The provider's default hyper-parameters for a spec: the baselines use exactly what the Session builds. */
    private static Map<String, Object> defaults(String spec) {
        io.modelwork.tabular.engine.ModelSpec ms = io.modelwork.tabular.engine.ModelSpec.parse(spec);
        return io.modelwork.tabular.engine.Providers.forSpec(ms).defaultParams(ms);
    }

    /** XGBoost parameters: the Session's XgboostProvider defaults plus what XgboostModel adds at fit (regression). */
    static Map<String, Object> xgbParams(int threads) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("objective", "reg:squarederror");
        p.put("eval_metric", "rmse");
        p.putAll(defaults("regression.xgboost"));
        p.put("nthread", threads);
        p.put("device", "cpu");
        p.put("seed", 0);
        p.put("verbosity", 0);
        return p;
    }

    /** LightGBM parameters, as LightGbmModel.engineParams builds them for regression with the provider defaults. */
    static String lgbParams(int threads) {
        StringBuilder sb = new StringBuilder("objective=regression metric=l2");
        defaults("regression.lightgbm").forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.append(" seed=0 num_threads=").append(threads)
                .append(" deterministic=true force_col_wise=true verbosity=-1").toString();
    }

    // ------------------------------------------------------------------ flags

    static final class Flags {
        final Map<String, String> values = new LinkedHashMap<>();
        final boolean quick;

        Flags(String[] args) {
            for (String a : args) {
                if (!a.startsWith("--")) throw new IllegalArgumentException("unknown argument " + a);
                String s = a.substring(2);
                int eq = s.indexOf('=');
                if (eq < 0) values.put(s, "true"); else values.put(s.substring(0, eq), s.substring(eq + 1));
            }
            quick = values.containsKey("quick");
        }

        int getInt(String k, int normal, int quickValue) {
            return values.containsKey(k) ? Integer.parseInt(values.get(k)) : quick ? quickValue : normal;
        }

        String get(String k, String dflt) { return values.getOrDefault(k, dflt); }
    }

    // ------------------------------------------------------------------ data

    static Path concrete() { return Assets.data("regression/modeldata_concrete.csv"); }

    /**
     * A synthetic regression CSV: {@code features} numeric columns {@code f0..}, target {@code y} (non-linear in the
     * first few features plus noise); values with 4 decimals so Tablesaw reads doubles. Deterministic for a seed.
     */
    static Path writeSynthetic(Path file, int rows, int features, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] f = new double[features];
        StringBuilder sb = new StringBuilder(1 << 16);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            for (int c = 0; c < features; c++) sb.append('f').append(c).append(',');
            sb.append("y\n");
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < features; c++) {
                    long k = rnd.nextLong(-100_000, 100_000); // [-10, 10) with 4 decimals
                    f[c] = k / 10_000.0;
                    fixed4(sb, k);
                    sb.append(',');
                }
                double y = 3 * Math.sin(f[0]) + f[1] * f[1] / 10 + (f[2] > 0 ? 2 : -1) * f[3 % features] / 4
                        + 0.5 * f[4 % features] + rnd.nextDouble(-1, 1);
                fixed4(sb, Math.round(y * 10_000));
                sb.append('\n');
                if (sb.length() > (1 << 16) - 1024) { w.append(sb); sb.setLength(0); }
            }
            w.append(sb);
        }
        return file;
    }

    private static void fixed4(StringBuilder sb, long k) {
        if (k < 0) { sb.append('-'); k = -k; }
        sb.append(k / 10_000).append('.');
        long frac = k % 10_000;
        if (frac < 1000) sb.append('0');
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        sb.append(frac);
    }

    // ------------------------------------------------------------------ the Session chain

    /** Timings of one attach → prepare → split → build → fit chain, with the session kept open. */
    record Chain(Session session, double attachS, double prepareS, double splitS, double buildS, double fitS, double fitCpu) implements AutoCloseable {
        double totalS() { return attachS + prepareS + splitS + buildS + fitS; }
        TabularState workflow() { return session.state(TabularState.class); }
        Matrix train() { return workflow().matrix("train"); }
        Matrix valid() { return workflow().matrix("validation"); }
        @Override public void close() { session.close(); }
    }

    static Chain sessionChain(Path csv, String target, String spec, Args buildArgs, int rounds, Path runDir) {
        Session s = Session.create(runDir);
        s.configure(Args.of("seed", 0, "threads", THREADS, "run_dir", runDir.toString(), "progress", false));
        long t0 = System.nanoTime();
        s.attachDataset(Args.of("path", csv.toString(), "target", target));
        long t1 = System.nanoTime();
        s.prepareData(Args.empty());
        long t2 = System.nanoTime();
        s.split(Args.empty());
        long t3 = System.nanoTime();
        Map<String, Object> b = new LinkedHashMap<>(buildArgs.asMap());
        b.put("spec", spec);
        s.build(Args.from(b));
        double c4 = cpu();
        long t4 = System.nanoTime();
        s.fit(Args.of("rounds", rounds, "early_stopping", 0));
        long t5 = System.nanoTime();
        return new Chain(s, sec(t1 - t0), sec(t2 - t1), sec(t3 - t2), sec(t4 - t3), sec(t5 - t4), cpu() - c4);
    }

    // ------------------------------------------------------------------ direct engine calls

    static DMatrix dmatrix(Matrix m) throws Exception {
        DMatrix d = new DMatrix(m.x(), m.rows(), m.cols(), Float.NaN);
        float[] y = new float[m.rows()];
        for (int i = 0; i < y.length; i++) y[i] = (float) m.y()[i];
        d.setLabel(y);
        return d;
    }

    /**
     * XGBoost4J straight on the matrix: DMatrix + {@code rounds} boosting rounds, no watches. With {@code valid}
     * non-null, also evaluates train and validation every round (what the Session's per-iteration metrics cost).
     */
    static Time xgbDirect(Matrix train, Matrix valid, int rounds) throws Exception {
        double c0 = cpu();
        long t0 = System.nanoTime();
        DMatrix dtrain = dmatrix(train);
        DMatrix dvalid = valid == null ? null : dmatrix(valid);
        Booster b;
        if (valid == null) b = XGBoost.train(dtrain, xgbParams(THREADS), rounds, new HashMap<>(), null, null);
        else { // what early stopping needs: one round, then the validation metric (XGBoost.train with a watch does the same)
            b = XGBoost.train(dtrain, xgbParams(THREADS), 0, new HashMap<>(), null, null);
            DMatrix[] sets = {dvalid};
            String[] names = {"valid"};
            for (int it = 0; it < rounds; it++) { b.update(dtrain, it); b.evalSet(sets, names, it); }
        }
        Time s = new Time(sec(System.nanoTime() - t0), cpu() - c0);
        b.dispose();
        dtrain.dispose();
        if (dvalid != null) dvalid.dispose();
        return s;
    }

    /** LightGBM4J straight on the matrix: dataset + {@code rounds} updateOneIter, metrics not read (with valid: the validation metric every round). */
    static Time lgbDirect(Matrix train, Matrix valid, int rounds) throws Exception {
        double c0 = cpu();
        long t0 = System.nanoTime();
        LGBMDataset d = lgbDataset(train, null);
        LGBMDataset dv = valid == null ? null : lgbDataset(valid, d);
        LGBMBooster b = LGBMBooster.create(d, lgbParams(THREADS));
        if (dv != null) b.addValidData(dv);
        for (int i = 0; i < rounds; i++) {
            b.updateOneIter();
            if (dv != null) b.getEval(1); // the validation metric, as early stopping needs
        }
        Time s = new Time(sec(System.nanoTime() - t0), cpu() - c0);
        b.close();
        if (dv != null) dv.close();
        d.close();
        return s;
    }

    static LGBMDataset lgbDataset(Matrix m, LGBMDataset ref) throws Exception {
        LGBMDataset d = LGBMDataset.createFromMat(m.x(), m.rows(), m.cols(), true, "max_bin=255 verbosity=-1", ref);
        float[] y = new float[m.rows()];
        for (int i = 0; i < y.length; i++) y[i] = (float) m.y()[i];
        d.setField("label", y);
        return d;
    }

    // ------------------------------------------------------------------ misc

    static double sec(long nanos) { return nanos / 1e9; }

    /** CPU seconds used by this process so far (all threads, native OpenMP workers included). */
    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** Wall and process-CPU seconds of one measured action. */
    record Time(double wall, double cpu) {}

    interface Action { void run() throws Exception; }

    static Time time(Action a) throws Exception {
        double c0 = cpu();
        long t0 = System.nanoTime();
        a.run();
        return new Time(sec(System.nanoTime() - t0), cpu() - c0);
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length == 0 ? Double.NaN : a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static String f(double v, int decimals) { return String.format(Locale.ROOT, "%." + decimals + "f", v); }

    static Path tempDir(String prefix) throws IOException { return Files.createTempDirectory(prefix); }

    static void deleteTree(Path p) {
        if (p == null || !Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> { try { Files.deleteIfExists(q); } catch (IOException ignored) { } });
        } catch (IOException ignored) { }
    }

    /** Prints a Markdown table (so the output can be pasted into bench/README.md). */
    static void table(String title, List<String> header, List<List<String>> rows) {
        System.out.println();
        System.out.println("### " + title);
        System.out.println("| " + String.join(" | ", header) + " |");
        System.out.println("|" + "---|".repeat(header.size()));
        for (List<String> r : rows) System.out.println("| " + String.join(" | ", r) + " |");
        System.out.flush();
    }

    static void machine() {
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores visible to the JVM, "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version") + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; engine threads " + THREADS);
    }
}
