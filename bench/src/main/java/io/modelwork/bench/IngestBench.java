package io.modelwork.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.modelwork.core.Args;
import io.modelwork.session.Session;
import io.modelwork.data.*;
import tech.tablesaw.api.Table;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.atomic.AtomicLong;

import static io.modelwork.bench.BenchSupport.*;

/**
 * Benchmark 2: attach_dataset + prepare_data (and split, which builds the float matrices) on a synthetic
 * 1,000,000 × 50 CSV: rows/s and heap, against the in-memory size of the raw numbers (rows × columns × 8 bytes).
 *
 * <p>Each measurement runs in a child JVM (G1, fixed {@code -Xmx}) so the heap belongs to this work alone. Two heap
 * figures per phase: <b>peak live</b> = the largest heap occupancy left after any GC during the phase (what must fit;
 * an upper bound on live data at that moment), and <b>retained</b> = heap used after a full GC at the end of the phase.
 * The child runs first at {@code -Xmx} = 3 × raw (the target): if it completes, the target holds by construction.
 *
 * <pre>bench/run.sh IngestBench [--quick] [--rows=1000000] [--cols=50] [--xmx-factor=3]</pre>
 */
public final class IngestBench {
    public static void main(String[] argv) throws Exception {
        if (argv.length > 0 && argv[0].equals("--child")) { child(Path.of(argv[1])); return; }
        if (argv.length > 0 && argv[0].equals("--child-breakdown")) { breakdown(Path.of(argv[1])); return; }
        Flags fl = new Flags(argv);
        int rows = fl.getInt("rows", 1_000_000, 100_000);
        int cols = fl.getInt("cols", 50, 50);
        double factor = Double.parseDouble(fl.get("xmx-factor", "3"));
        machine();
        long raw = (long) rows * cols * 8;
        Path tmp = tempDir("modelwork-bench-ingest");
        try {
            Path csv = tmp.resolve("synthetic.csv");
            long g0 = System.nanoTime();
            writeSynthetic(csv, rows, cols - 1, 7);
            System.out.printf(Locale.ROOT, "generated %s: %d rows × %d columns, %.0f MiB on disk, in %.1f s%n", csv, rows,
                    cols, Files.size(csv) / 1048576.0, sec(System.nanoTime() - g0));
            long xmx = (long) (factor * raw);
            Map<String, String> res = runChild(csv, xmx);
            List<List<String>> table = new ArrayList<>();
            if (res.containsKey("error")) {
                System.out.println("child at -Xmx " + xmx / 1048576 + " MiB failed: " + res.get("error") + "; rerunning at --fallback-xmx-mib (default 6144)");
                table.add(List.of("all", "-", "-", "-", "FAILED at -Xmx " + f(factor, 1) + "× raw: " + res.get("error"), "-"));
                xmx = Long.parseLong(fl.get("fallback-xmx-mib", "6144")) << 20;
                res = runChild(csv, xmx);
            }
            for (String phase : List.of("attach", "prepare", "split")) {
                double s = Double.parseDouble(res.get(phase + ".seconds"));
                long peak = Long.parseLong(res.get(phase + ".peak_live")), kept = Long.parseLong(res.get(phase + ".retained"));
                table.add(List.of(phase, f(s, 2), f(rows / s, 0), mib(peak) + " (" + f((double) peak / raw, 2) + "×)",
                        mib(kept) + " (" + f((double) kept / raw, 2) + "×)", res.get(phase + ".gcs")));
            }
            double ap = Double.parseDouble(res.get("attach.seconds")) + Double.parseDouble(res.get("prepare.seconds"));
            long peakAp = Math.max(Long.parseLong(res.get("attach.peak_live")), Long.parseLong(res.get("prepare.peak_live")));
            table.add(List.of("attach + prepare", f(ap, 2), f(rows / ap, 0), mib(peakAp) + " (" + f((double) peakAp / raw, 2) + "×)",
                    "-", "-"));
            table("attach_dataset + prepare_data, " + rows + " × " + cols + " CSV (child JVM -Xmx" + xmx / 1048576
                    + "m, G1; raw numbers = " + mib(raw) + ")", List.of("phase", "seconds", "rows/s", "peak live heap (× raw)",
                    "retained after phase (× raw)", "GCs"), table);
            System.out.printf(Locale.ROOT, "%nattach+prepare peak live / raw = %.2f× (target <= 3×); completed within -Xmx = %.1f× raw: %s%n",
                    (double) peakAp / raw, (double) xmx / raw, xmx <= factor * raw + 1 ? "yes" : "no");
            if (fl.values.containsKey("breakdown")) {
                Map<String, String> b = runChild(csv, xmx, "--child-breakdown");
                List<List<String>> bt = new ArrayList<>();
                for (String ph : List.of("read_csv", "read_csv_sampled", "read_csv_typed", "count_unique", "fingerprint", "profile"))
                    if (b.containsKey(ph + ".seconds")) bt.add(List.of(ph, f(Double.parseDouble(b.get(ph + ".seconds")), 2),
                            mib(Long.parseLong(b.get(ph + ".peak_live"))) + " (" + f(Long.parseLong(b.get(ph + ".peak_live")) / (double) raw, 2) + "×)",
                            mib(Long.parseLong(b.get(ph + ".retained")))));
                table("Where attach_dataset spends it (child JVM -Xmx" + xmx / 1048576 + "m)",
                        List.of("part", "seconds", "peak live heap (× raw)", "retained"), bt);
            }
            System.out.println("peak live = max heap used after any GC in the phase (G1 collects lazily, so it is an upper"
                    + " bound on the live set); retained = heap after System.gc() at the end of the phase.");
        } finally {
            deleteTree(tmp);
        }
    }

    static String mib(long b) { return f(b / 1048576.0, 0) + " MiB"; }

    private static Map<String, String> runChild(Path csv, long xmx) throws Exception { return runChild(csv, xmx, "--child"); }

    private static Map<String, String> runChild(Path csv, long xmx, String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + xmx / 1048576 + "m", "-XX:+UseG1GC", "-cp",
                System.getProperty("java.class.path")));
        String assets = System.getProperty("modelwork.assets");
        if (assets != null) cmd.add("-Dmodelwork.assets=" + assets);
        cmd.addAll(List.of(IngestBench.class.getName(), mode, csv.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) { String[] kv = line.substring(7).split("=", 2); out.put(kv[0], kv[1]); }
                else System.out.println("  [child] " + line);
            }
        }
        int rc = p.waitFor();
        if (rc != 0 && !out.containsKey("error")) out.put("error", "child exited with " + rc);
        return out;
    }

    // ------------------------------------------------------------------ child JVM

    private static final AtomicLong peakAfterGc = new AtomicLong();
    private static final AtomicLong gcCount = new AtomicLong();

    private static void child(Path csv) throws Exception {
        installListener();
        Path run = Files.createTempDirectory("modelwork-bench-ingest-run");
        try (Session s = Session.create(run)) {
            s.configure(Args.of("seed", 0, "threads", THREADS, "run_dir", run.toString(), "progress", false));
            phase("attach", () -> s.attachDataset(Args.of("path", csv.toString(), "target", "y")));
            phase("prepare", () -> s.prepareData(Args.empty()));
            phase("split", () -> s.split(Args.empty()));
        } catch (OutOfMemoryError e) {
            System.out.println("RESULT error=OutOfMemoryError: " + e.getMessage());
            deleteTree(run);
            System.exit(3);
        } finally {
            deleteTree(run);
        }
    }

    private static void installListener() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                long used = 0;
                for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
                // only heap pools count: G1 pools are 'G1 Eden Space', 'G1 Old Gen', 'G1 Survivor Space'
                long heap = 0;
                for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet())
                    if (e.getKey().startsWith("G1")) heap += e.getValue().getUsed();
                peakAfterGc.accumulateAndGet(heap, Math::max);
                gcCount.incrementAndGet();
                // G1 has no GC overhead limit: a heap that is too small thrashes in full GCs for minutes before an
                // OutOfMemoryError. Treat more than 60 % of the time in GC (after 20 s) as "does not fit".
                long gcMillis = 0;
                for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) gcMillis += g.getCollectionTime();
                long up = ManagementFactory.getRuntimeMXBean().getUptime();
                if (up > 20_000 && gcMillis > 0.6 * up) {
                    System.out.println("RESULT error=GC overhead: " + gcMillis / 1000 + " s of " + up / 1000
                            + " s in GC (the heap is too small)");
                    System.out.flush();
                    Runtime.getRuntime().halt(4);
                }
            }, null, null);
        }
    }

    /** Where attach_dataset spends time and heap: the CSV read, then the checks it runs on the table. */
    private static void breakdown(Path csv) throws Exception {
        installListener();
        Table[] t = new Table[1];
        Dataset[] ds = new Dataset[1];
        phase("read_csv", () -> t[0] = TableReaders.read(csv.toString(), TableReaders.Format.CSV, Map.of(), null));
        t[0] = null;
        // the same file through Tablesaw with type sampling on, and with every column typed up front (no detection)
        phase("read_csv_sampled", () -> t[0] = read(csv, false));
        t[0] = null;
        phase("read_csv_typed", () -> t[0] = read(csv, true));
        phase("count_unique", () -> { for (var c : t[0].columns()) c.countUnique(); });
        phase("fingerprint", () -> {
            LinkedHashMap<String, FieldType> inferred = new LinkedHashMap<>();
            for (var c : t[0].columns()) inferred.put(c.name(), FieldType.NUMERIC);
            Schema schema = Schema.resolve(Schema.Declaration.of(Map.of("y", Role.TARGET), Map.of()), inferred, csv.toString());
            ds[0] = new Dataset(csv.toString(), t[0], null, schema, Dataset.Task.REGRESSION);
        });
        phase("profile", () -> Attach.profile(ds[0]));
    }

    private static Table read(Path csv, boolean typed) {
        try {
            var b = tech.tablesaw.io.csv.CsvReadOptions.builder(csv.toFile()).header(true).sample(true)
                    .missingValueIndicator(TableReaders.MISSING);
            if (typed) {
                int n = java.nio.file.Files.newBufferedReader(csv).readLine().split(",").length;
                tech.tablesaw.api.ColumnType[] types = new tech.tablesaw.api.ColumnType[n];
                Arrays.fill(types, tech.tablesaw.api.ColumnType.DOUBLE);
                b.columnTypes(types);
            }
            return Table.read().usingOptions(b.build());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void phase(String name, Runnable r) throws InterruptedException {
        System.gc();
        Thread.sleep(200); // let the GC notification of the collection above arrive before resetting
        peakAfterGc.set(used());
        long gcs = gcCount.get();
        long t0 = System.nanoTime();
        r.run();
        double s = sec(System.nanoTime() - t0);
        System.gc();
        Thread.sleep(200);
        long retained = used();
        System.out.println("RESULT " + name + ".seconds=" + s);
        System.out.println("RESULT " + name + ".peak_live=" + Math.max(peakAfterGc.get(), retained));
        System.out.println("RESULT " + name + ".retained=" + retained);
        System.out.println("RESULT " + name + ".gcs=" + (gcCount.get() - gcs - 1));
    }

    private static long used() { return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(); }
}
