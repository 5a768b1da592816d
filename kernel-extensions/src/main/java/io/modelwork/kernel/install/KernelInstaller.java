package io.modelwork.kernel.install;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes the {@code modelwork} kernelspec (display name "Modelwork (Java)") and installs it with
 * {@code jupyter kernelspec install --user|--sys-prefix}, using the Jupyter that Debian installs ({@code /usr/bin/jupyter})
 * when present. Independent of {@code bin/}:
 *
 * <pre>java -cp 'kernel-extensions/target/kernel/lib/*' io.modelwork.kernel.install.KernelInstaller [--user|--sys-prefix]
 *     [--java PATH] [--lib DIR] [--name NAME] [--spec-dir DIR (write only)] [--print] [--no-cds] [--cds-archive FILE]
 *     [--jit quick|full]</pre>
 *
 * <p>Unless {@code --no-cds}, it first creates an AppCDS archive of the classes a kernel session loads
 * ({@link #createCdsArchive}; {@code kernel/cds/modelwork-javaN.jsa} next to the lib folder, or {@code --cds-archive})
 * and adds {@code -XX:SharedArchiveFile} to the kernelspec: faster start and first cell (see bench/README.md).
 *
 * <p>The JVM flags depend on the JDK the kernel will run on: {@code --enable-native-access=ALL-UNNAMED} always (Java
 * 17 accepts it; Java 22+ warns without it when XGBoost/LightGBM load native code), and
 * {@code --sun-misc-unsafe-memory-access=allow} only on Java 23+ (Java 17 refuses the flag; Java 24+ warns about
 * Tablesaw's dependencies without it). {@code -XX:TieredStopAtLevel=1} (C1 only) unless {@code --jit full}: see
 * {@link #jvmFlags(int, boolean)}.
 */
public final class KernelInstaller {
    public static final String NAME = "modelwork";
    public static final String DISPLAY_NAME = "Modelwork (Java)";
    public static final String MAIN = "io.modelwork.kernel.ModelworkKernel";

    private KernelInstaller() {}

    /** JVM flags for a JDK of feature version {@code major}, with the quick (C1-only) JIT. */
    public static List<String> jvmFlags(int major) {
        return jvmFlags(major, false);
    }

    /**
     * JVM flags for a JDK of feature version {@code major}. Unless {@code fullJit}, {@code -XX:TieredStopAtLevel=1}
     * keeps the JIT at C1: every cell runs javac (JShell) anew, and C2 compiling javac's methods during the first
     * hundreds of cells took about half of the kernel's CPU per trivial cell (bench/README.md, "Kernel latency":
     * {@code 1 + 1} 160 → 82 ms kernel CPU on Java 17). The price is slower long-running Java loops in cells (a
     * 300 M-iteration loop up to ~3× slower); {@code --jit full} keeps the standard tiered JIT for such notebooks.
     */
    public static List<String> jvmFlags(int major, boolean fullJit) {
        List<String> f = new ArrayList<>();
        f.add("-Djava.awt.headless=true");
        f.add("-Dfile.encoding=UTF-8");
        f.add("-XX:+UseSerialGC");
        if (!fullJit) f.add("-XX:TieredStopAtLevel=1");
        f.add("-Xshare:auto");
        f.add("--enable-native-access=ALL-UNNAMED");
        if (major >= 23) f.add("--sun-misc-unsafe-memory-access=allow");
        return f;
    }

    /** The feature version of the JDK at {@code java} (runs {@code java -version} unless it is this JVM). */
    public static int javaMajor(Path java) throws IOException, InterruptedException {
        Path self = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isSameFile(java, self)) return Runtime.version().feature();
        Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("version \"(\\d+)(?:\\.(\\d+))?").matcher(out);
        if (!m.find()) throw new IOException("cannot read the version of " + java + ": " + out);
        int major = Integer.parseInt(m.group(1));
        return major == 1 && m.group(2) != null ? Integer.parseInt(m.group(2)) : major;
    }

    /** The kernel's class path for a lib folder: {@code DIR/*} (the JVM expands it). */
    public static String classPath(Path libDir) {
        return libDir.toAbsolutePath().normalize() + File.separator + "*";
    }

    /** The kernel.json content. */
    public static String kernelJson(Path java, int major, Path libDir, Map<String, String> env) {
        return kernelJson(java, major, classPath(libDir), env);
    }

    /** The kernel.json content for an explicit class path (tests use the test class path). */
    public static String kernelJson(Path java, int major, String classPath, Map<String, String> env) {
        return kernelJson(java, major, classPath, env, null);
    }

    /** The kernel.json content; {@code cdsArchive}: the kernel's AppCDS archive ({@link #createCdsArchive}) or null. */
    public static String kernelJson(Path java, int major, String classPath, Map<String, String> env, Path cdsArchive) {
        return kernelJson(java, major, classPath, env, cdsArchive, false);
    }

    /** The kernel.json content; {@code fullJit}: the standard tiered JIT instead of C1 only ({@link #jvmFlags(int, boolean)}). */
    public static String kernelJson(Path java, int major, String classPath, Map<String, String> env, Path cdsArchive, boolean fullJit) {
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.addAll(jvmFlags(major, fullJit));
        if (cdsArchive != null) argv.add("-XX:SharedArchiveFile=" + cdsArchive.toAbsolutePath());
        argv.add("-cp");
        argv.add(classPath);
        argv.add(MAIN);
        argv.add("{connection_file}");
        StringBuilder sb = new StringBuilder("{\n  \"argv\": [");
        for (int i = 0; i < argv.size(); i++) sb.append(i == 0 ? "" : ", ").append(q(argv.get(i)));
        sb.append("],\n  \"display_name\": ").append(q(DISPLAY_NAME)).append(",\n  \"language\": \"java\",\n");
        sb.append("  \"interrupt_mode\": \"message\",\n  \"env\": {");
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet())
            sb.append(i++ == 0 ? "" : ", ").append(q(e.getKey())).append(": ").append(q(e.getValue()));
        sb.append("},\n  \"metadata\": {\"debugger\": false, \"java_version\": ").append(major).append("}\n}\n");
        return sb.toString();
    }

    static String q(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }

    /** Writes kernel.json into {@code dir} (created). */
    public static Path writeSpec(Path dir, Path java, Path libDir, Map<String, String> env) throws IOException, InterruptedException {
        return writeSpec(dir, java, libDir, env, null);
    }

    /** Writes kernel.json into {@code dir} (created), with the AppCDS archive {@code cdsArchive} when not null. */
    public static Path writeSpec(Path dir, Path java, Path libDir, Map<String, String> env, Path cdsArchive)
            throws IOException, InterruptedException {
        return writeSpec(dir, java, libDir, env, cdsArchive, false);
    }

    /** Writes kernel.json into {@code dir} (created); {@code fullJit}: see {@link #jvmFlags(int, boolean)}. */
    public static Path writeSpec(Path dir, Path java, Path libDir, Map<String, String> env, Path cdsArchive, boolean fullJit)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path f = dir.resolve("kernel.json");
        Files.writeString(f, kernelJson(java, javaMajor(java), classPath(libDir), env, cdsArchive, fullJit));
        return f;
    }

    /** Where the AppCDS archive for a JDK goes by default: {@code kernel/cds/modelwork-javaN.jsa} next to {@code lib}. */
    public static Path defaultCdsArchive(Path libDir, int major) {
        return libDir.toAbsolutePath().normalize().getParent().resolve("cds").resolve("modelwork-java" + major + ".jsa");
    }

    /**
     * Creates the kernel's AppCDS archive for the JDK at {@code java}: runs the kernel's training
     * ({@code ModelworkKernel --cds-training}: a local connection, JShell's start, a few cells, a chart) with the
     * kernelspec's JVM flags, the same class path and {@code -XX:ArchiveClassesAtExit} (Java 13+), so the JVM writes
     * the classes it loaded (the JDK's javac and JShell, basekernel, ZeroMQ, the library, XChart...) into
     * {@code archive}. A kernel started with {@code -XX:SharedArchiveFile} maps them instead of loading and verifying
     * them again. Returns the archive, or null (with the reason on stderr) when the JVM wrote none; the kernel then
     * runs without it. The archive belongs to this JDK build and these jars: reinstall after a rebuild or a JDK
     * update (a stale archive is rejected by the JVM, with a warning in the kernel's log, and the kernel starts
     * without it).
     */
    public static Path createCdsArchive(Path java, int major, Path libDir, Path archive) throws IOException, InterruptedException {
        Files.createDirectories(archive.getParent());
        Files.deleteIfExists(archive);
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmFlags(major));
        cmd.add("-XX:ArchiveClassesAtExit=" + archive.toAbsolutePath());
        cmd.addAll(List.of("-cp", classPath(libDir), MAIN, "--cds-training"));
        Path log = archive.resolveSibling(archive.getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        if (!done) p.destroyForcibly();
        if (!done || p.exitValue() != 0 || !Files.isRegularFile(archive) || Files.size(archive) == 0) {
            System.err.println("No AppCDS archive for Java " + major + " (" + (done ? "exit " + p.exitValue() : "timed out")
                    + "; see " + log + "): the kernel starts without it. --no-cds skips this step.");
            Files.deleteIfExists(archive);
            return null;
        }
        return archive;
    }

    /** The folder of jars this class was loaded from (kernel-extensions/target/kernel/lib). */
    public static Path defaultLibDir() {
        try {
            Path p = Path.of(KernelInstaller.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(p) ? p.getParent().resolve("kernel/lib") : p.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Debian's jupyter ({@code /usr/bin/jupyter}), else the first on PATH. */
    public static List<String> jupyterCommand() {
        if (Files.isExecutable(Path.of("/usr/bin/jupyter"))) return List.of("/usr/bin/jupyter");
        return List.of("jupyter");
    }

    public static void main(String[] args) throws Exception {
        String scope = "--user", name = NAME;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path lib = defaultLibDir(), specDir = null;
        boolean print = false, cds = true, fullJit = false;
        Path cdsArchive = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--user", "--sys-prefix" -> scope = args[i];
                case "--java" -> java = Path.of(args[++i]);
                case "--lib" -> lib = Path.of(args[++i]);
                case "--name" -> name = args[++i];
                case "--spec-dir" -> specDir = Path.of(args[++i]);
                case "--print" -> print = true;
                case "--no-cds" -> cds = false;
                case "--jit" -> {
                    String mode = args[++i];
                    if (!mode.equals("quick") && !mode.equals("full")) {
                        System.err.println("--jit takes quick (C1 only: fast cells, the default) or full (tiered C1+C2: long Java loops)");
                        System.exit(2);
                    }
                    fullJit = mode.equals("full");
                }
                case "--cds-archive" -> cdsArchive = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: KernelInstaller [--user|--sys-prefix] [--java PATH] [--lib DIR] [--name NAME] [--spec-dir DIR] [--print] [--no-cds] [--cds-archive FILE] [--jit quick|full]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (!Files.isDirectory(lib) || !Files.exists(lib.resolve("modelwork-kernel.jar"))) {
            System.err.println("The kernel's jars are not in " + lib + ": build them first (mvn -pl kernel-extensions -am package)");
            System.exit(1);
        }
        Map<String, String> env = new LinkedHashMap<>();
        // XGBoost/LightGBM's OpenMP workers sleep instead of spinning while they wait: on a busy machine spinning
        // workers steal the cores their partners need (a 50-round fit went from 0.1 s to 6 s in the benchmarks)
        env.put("OMP_WAIT_POLICY", System.getenv().getOrDefault("OMP_WAIT_POLICY", "passive"));
        String assets = System.getenv("MODELWORK_ASSETS");
        if (assets != null && !assets.isBlank()) env.put("MODELWORK_ASSETS", Path.of(assets).toAbsolutePath().toString());
        Path archive = null;
        if (cds) {
            int major = javaMajor(java);
            Path target = cdsArchive != null ? cdsArchive : defaultCdsArchive(lib, major);
            long t0 = System.nanoTime();
            try {
                archive = createCdsArchive(java, major, lib, target);
            } catch (IOException e) {
                System.err.println("No AppCDS archive at " + target + " (" + e + "): the kernel starts without it; "
                        + "--cds-archive FILE puts it in a writable place, --no-cds skips it.");
            }
            if (archive != null)
                System.out.printf("AppCDS archive %s (%d MB, %.0f s)%n", archive, Files.size(archive) >> 20, (System.nanoTime() - t0) / 1e9);
        }
        if (specDir != null) {
            Path f = writeSpec(specDir.resolve(name), java, lib, env, archive, fullJit);
            System.out.println("wrote " + f);
            if (print) System.out.print(Files.readString(f));
            return;
        }
        Path tmp = Files.createTempDirectory("modelwork-kernelspec");
        try {
            Path dir = tmp.resolve(name);
            Path f = writeSpec(dir, java, lib, env, archive, fullJit);
            if (print) System.out.print(Files.readString(f));
            List<String> cmd = new ArrayList<>(jupyterCommand());
            cmd.addAll(List.of("kernelspec", "install", scope, "--replace", "--name", name, dir.toString()));
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            int rc = p.waitFor();
            if (rc != 0) {
                System.err.println("jupyter kernelspec install failed (" + rc + "): is Debian's jupyter-client installed?");
                System.exit(rc);
            }
            System.out.println("Installed kernel '" + name + "' (" + DISPLAY_NAME + ", Java " + javaMajor(java) + ") " + scope);
        } finally {
            try (var s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }
}
