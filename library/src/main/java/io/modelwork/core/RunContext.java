package io.modelwork.core;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What {@code configure} sets: device, seed, threads, run directory, retry and timeout per step, and the run log.
 * Every random choice of every step derives from {@link #seedFor(String)}: same seed and data, same results.
 */
public final class RunContext {
    /** The keys of configure, declared once (types, defaults, ranges, help). */
    public static final Options OPTIONS = Options.of(
            Option.choice("device", "cpu", List.of("cpu", "cuda", "auto"), "where engines run; cuda/auto fall back to CPU with a note"),
            Option.longInt("seed", 42L, null, null, "root seed: every random choice of every step derives from it"),
            Option.integer("threads", null, 1, 4096, "worker threads (default: the number of cores)"),
            Option.path("run_dir", "run directory for reports, checkpoints, exports (default runs/run-<time>)"),
            Option.integer("retries", 0, 0, 100, "retries of a step after an unexpected (non-input) failure"),
            Option.longInt("timeout_s", 0L, 0L, null, "time limit per step in seconds (0 = none)"),
            Option.choice("log_level", "info", List.of("debug", "info", "warn", "error"), "run log detail"),
            Option.bool("progress", true, "show progress of long steps"));

    public static final List<String> KEYS = List.copyOf(OPTIONS.names());

    private final String requestedDevice;
    private final String device;
    private final long seed;
    private final int threads;
    private final Path runDir;
    private final int retries;
    private final long timeoutSeconds;
    private final RunLog log;
    private final List<String> notes = new ArrayList<>();

    private RunContext(Args a, Path defaultRoot) {
        this.requestedDevice = a.getString("device", "cpu").toLowerCase(Locale.ROOT);
        if (!List.of("cpu", "cuda", "auto").contains(requestedDevice))
            throw new ModelworkException("Unknown device '" + requestedDevice + "'", "configure device",
                    "use device=cpu, device=cuda or device=auto");
        boolean gpu = gpuPresent();
        if (requestedDevice.equals("cpu")) device = "cpu";
        else if (gpu) device = "cuda";
        else {
            device = "cpu";
            if (requestedDevice.equals("cuda"))
                notes.add("device=cuda requested but no NVIDIA GPU is visible (no nvidia-smi / /dev/nvidia0); "
                        + "falling back to CPU");
        }
        this.seed = a.getLong("seed", 42);
        this.threads = Math.max(1, a.getInt("threads", Runtime.getRuntime().availableProcessors()));
        this.retries = Math.max(0, a.getInt("retries", 0));
        this.timeoutSeconds = Math.max(0, a.getLong("timeout_s", 0));
        Path rd = a.has("run_dir") ? Path.of(a.getString("run_dir", null))
                : defaultRoot.resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")));
        this.runDir = rd.toAbsolutePath().normalize();
        try {
            Files.createDirectories(runDir.resolve("reports"));
        } catch (Exception e) {
            throw new ModelworkException("Cannot create the run directory: " + e.getMessage(), runDir.toString(),
                    "choose a writable run_dir=...");
        }
        this.log = new RunLog(runDir.resolve("run.log.jsonl"));
    }

    public static RunContext configure(Args a, Path defaultRoot) { return new RunContext(a, defaultRoot); }

    /** True when an NVIDIA GPU is visible to this process. */
    public static boolean gpuPresent() {
        if (Files.exists(Path.of("/dev/nvidia0"))) return true;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvidia-smi"))) return true;
        return false;
    }

    public String device() { return device; }
    public String requestedDevice() { return requestedDevice; }
    public long seed() { return seed; }
    public int threads() { return threads; }
    public Path runDir() { return runDir; }
    public int retries() { return retries; }
    public long timeoutSeconds() { return timeoutSeconds; }
    public RunLog log() { return log; }
    public List<String> notes() { return notes; }

    /** A seed for one named use (a step, a trial), derived from the root seed; stable across runs. */
    public long seedFor(String purpose) {
        long h = 1125899906842597L;
        for (int i = 0; i < purpose.length(); i++) h = 31 * h + purpose.charAt(i);
        return new SplittableRandom(seed ^ h).nextLong() & Long.MAX_VALUE;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("device", device);
        o.put("requested_device", requestedDevice);
        o.put("seed", seed);
        o.put("threads", threads);
        o.put("run_dir", runDir.toString());
        o.put("retries", retries);
        o.put("timeout_s", timeoutSeconds);
        o.put("java", System.getProperty("java.version"));
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return o;
    }
}
