package io.modelwork.kernel;

import io.modelwork.kernel.install.KernelInstaller;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An executed template notebook ({@code notebooks/regression.ipynb}) opened in JupyterLab 4 (the project's
 * {@code .venv}, which {@code bin/modelwork setup} installs with pip; skipped without it) and in the classic Notebook (Debian's
 * {@code jupyter-notebook}, 127.0.0.1, a token, a free port, temporary Jupyter folders) with Debian's headless Chromium
 * driven by Playwright ({@code src/test/browser/notebook-render.test.mjs}, {@code playwright-core} pinned in its
 * package-lock.json): a Tablesaw report table and a PNG chart ({@code <img src="data:image/png...">}) must render, and
 * the notebook's kernel must start and go idle. Screenshots and {@code result.json} go to {@code target/browser/}.
 *
 * <p>The executed notebook is the one {@link JupyterProtocolTest#templateNotebooks()} wrote to {@code target/notebooks}
 * in this test JVM (this class runs last, see {@code junit-platform.properties}); otherwise the test executes it with
 * {@code src/main/scripts/run.sh --out target/browser/notebook} first (about 1.5 min on 2 cores).
 * {@code -Dmodelwork.browser.notebook=PATH} opens a given executed notebook instead.
 *
 * <p>Skipped with a message when Chromium, Node.js/npm, Debian's jupyter-notebook or jupyter_client is missing
 * ({@code bin/modelwork test} installs them through {@code install-kernel.sh --deps-only --with-tests}), when
 * {@code npm ci} cannot install playwright-core (offline without a cache), with {@code -Dmodelwork.skipBrowser=true},
 * and with {@code -Dmodelwork.skipNotebooks=true} unless {@code -Dmodelwork.browser.notebook} is given.
 */
@Order(Integer.MAX_VALUE)
class NotebookBrowserTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path NOTEBOOK_APP = Path.of("/usr/bin/jupyter-notebook");
    static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
    static final Path OUT = Path.of("target/browser").toAbsolutePath();
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** JupyterLab: the project's .venv (bin/modelwork setup), or -Dmodelwork.browser.lab=PATH. */
    static final Path LAB_APP = Path.of(System.getProperty("modelwork.browser.lab", ROOT.resolve(".venv/bin/jupyter-lab").toString()));
    /** Report tables the regression template shows at least (attach, prepare, split, fit, evaluate, tune, …). */
    static final int MIN_TABLES = 10;

    @TempDir Path jupyterPath;

    @Test
    void executedNotebookRendersInChromium() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NOTEBOOK_APP), "the classic Notebook is missing: apt-get install -y jupyter-notebook");
        render("notebook", NOTEBOOK_APP, "regression-chart.png");
    }

    /**
     * The same notebook in JupyterLab 4: every report renders as an HTML table (at least {@link #MIN_TABLES}), charts
     * as images or Vega-Lite, no JSON tree (a bundle with {@code application/json} shows as one), no error output.
     */
    @Test
    void executedNotebookRendersInJupyterLab() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(LAB_APP),
                "JupyterLab is missing: bin/modelwork setup installs it into .venv/ (pip), or -Dmodelwork.browser.lab=PATH");
        render("lab", LAB_APP, "regression-lab-chart.png");
    }

    private void render(String app, Path appPath, String chartShot) throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("modelwork.skipBrowser"), "-Dmodelwork.skipBrowser=true");
        String given = System.getProperty("modelwork.browser.notebook", "");
        Assumptions.assumeTrue(!given.isBlank() || !Boolean.getBoolean("modelwork.skipNotebooks"),
                "-Dmodelwork.skipNotebooks=true: no executed notebook to open (or pass -Dmodelwork.browser.notebook=PATH)");
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is missing: apt-get install -y chromium");
        Optional<Path> node = onPath("node"), npm = onPath("npm");
        Assumptions.assumeTrue(node.isPresent() && npm.isPresent(), "Node.js/npm are missing: apt-get install -y nodejs npm");
        Assumptions.assumeTrue(run(List.of(PYTHON.toString(), "-c", "import jupyter_client, nbclient"), ROOT, Map.of(), 60).rc == 0,
                "Debian's jupyter-client / python3-nbclient are missing");
        Files.createDirectories(OUT);

        // playwright-core from package-lock.json (no browser download: it drives /usr/bin/chromium)
        if (!Files.isRegularFile(BROWSER_DIR.resolve("node_modules/playwright-core/package.json"))) {
            Result ci = run(List.of(npm.get().toString(), "ci", "--prefer-offline", "--no-audit", "--no-fund"), BROWSER_DIR,
                    Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"), 300);
            Assumptions.assumeTrue(ci.rc == 0, "npm ci in src/test/browser failed (offline without an npm cache?):\n" + ci.out);
        }

        // the kernelspec the notebook names ("modelwork"), starting this module's kernel on the test class path
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path spec = jupyterPath.resolve("kernels/" + KernelInstaller.NAME);
        Files.createDirectories(spec);
        Files.writeString(spec.resolve("kernel.json"),
                KernelInstaller.kernelJson(java, Runtime.version().feature(), System.getProperty("java.class.path"), Map.of()));
        Map<String, String> env = Map.of("JUPYTER_PATH", jupyterPath.toString(), "PYDEVD_DISABLE_FILE_VALIDATION", "1",
                "MODELWORK_JUPYTER_LAB", LAB_APP.toString());

        Path notebook = executedNotebook(given, env);
        Result r = run(List.of(node.get().toString(), BROWSER_DIR.resolve("notebook-render.test.mjs").toString(),
                "--notebook", notebook.toString(), "--out", OUT.toString(), "--timeout-s", "120", "--app", app,
                "--min-tables", String.valueOf(MIN_TABLES)), BROWSER_DIR, env, 170);
        System.out.println(r.out);
        assertEquals(0, r.rc, "browser test (" + app + ") failed (see target/browser/result*.json, *-server.log, *-failure.png):\n" + r.out);
        assertTrue(Files.size(OUT.resolve(chartShot)) > 0);
    }

    /** An executed regression notebook: given, written by JupyterProtocolTest in this JVM, or executed now. */
    private static Path executedNotebook(String given, Map<String, String> env) throws Exception {
        if (!given.isBlank()) return Path.of(given).toAbsolutePath();
        Path fromSuite = JupyterProtocolTest.NOTEBOOKS_OUT.resolve("regression.ipynb");
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        if (Files.isRegularFile(fromSuite) && Files.getLastModifiedTime(fromSuite).toMillis() >= jvmStart) {
            System.out.println("browser test: opening " + fromSuite + " (executed by JupyterProtocolTest)");
            return fromSuite;
        }
        Path dir = OUT.resolve("notebook");
        Files.deleteIfExists(dir.resolve("regression.ipynb"));
        long t0 = System.nanoTime();
        Result r = run(List.of(ROOT.resolve("kernel-extensions/src/main/scripts/run.sh").toString(),
                ROOT.resolve("notebooks/regression.ipynb").toString(), "--out", dir.toString(), "--kernel", KernelInstaller.NAME),
                ROOT, env, 900);
        System.out.printf("browser test: executed notebooks/regression.ipynb in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.rc, "run.sh notebooks/regression.ipynb failed:\n" + r.out);
        return dir.resolve("regression.ipynb");
    }

    record Result(int rc, String out) {}

    private static Result run(List<String> cmd, Path dir, Map<String, String> env, int timeoutS) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile("modelwork-browser-test", ".log");
        pb.redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Result(124, String.join(" ", cmd) + " timed out after " + timeoutS + " s\n" + new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Optional<Path> onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (d.isBlank()) continue;
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
