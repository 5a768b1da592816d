package io.modelwork.kernel;

import io.modelwork.kernel.install.KernelInstaller;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the Python suites under {@code src/test/python} with Debian's {@code /usr/bin/python3} against a kernelspec
 * written to a temporary {@code JUPYTER_PATH} that starts this module's kernel on the test class path:
 * <ul>
 *   <li>{@code test_kernel_conformance.py}: Debian's python3-jupyter-kernel-test (kernel_info, execute, display,
 *       completion, inspection, is_complete, history, errors);</li>
 *   <li>{@code test_kernel_behaviour.py}: interrupt of a CPU-bound loop and of a sleep through jupyter_client,
 *       report rendering, readable errors, magics, stdin, display updates;</li>
 *   <li>{@code test_notebooks.py}: the template notebooks run by {@code src/main/scripts/run.sh}.</li>
 * </ul>
 * Skipped (not failed) where Debian's Jupyter packages are missing.
 */
class JupyterProtocolTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SUITES = Path.of("src/test/python").toAbsolutePath();
    static final Path NOTEBOOKS_OUT = Path.of("target/notebooks").toAbsolutePath();

    @TempDir static Path jupyterPath;

    @BeforeAll
    static void kernelspec() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "Debian's python3 is missing");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import jupyter_client, jupyter_kernel_test")
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor() == 0,
                "install python3-jupyter-kernel-test and jupyter-client (apt-get install -y ...)");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // this module's classes and dependencies as surefire sees them, instead of target/kernel/lib/*
        String json = KernelInstaller.kernelJson(java, Runtime.version().feature(), System.getProperty("java.class.path"), Map.of());
        Path dir = jupyterPath.resolve("kernels/modelwork-test");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kernel.json"), json);
    }

    private static void runSuite(String module) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-Xfrozen_modules=off", "-m", "unittest", "-v", module));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(SUITES.toFile()).redirectErrorStream(true);
        pb.environment().put("JUPYTER_PATH", jupyterPath.toString());
        pb.environment().put("MODELWORK_KERNEL_NAME", "modelwork-test");
        pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        // the executed template notebooks stay in target/notebooks: NotebookBrowserTest opens them in Chromium
        pb.environment().put("MODELWORK_NOTEBOOKS_OUT", NOTEBOOKS_OUT.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(60, TimeUnit.MINUTES);
        System.out.println(out);
        assertEquals(true, done, module + " timed out");
        assertEquals(0, p.exitValue(), module + " failed:\n" + out);
    }

    @Test
    void conformanceSuite() throws Exception {
        runSuite("test_kernel_conformance");
    }

    @Test
    void behaviourThroughJupyterClient() throws Exception {
        runSuite("test_kernel_behaviour");
    }

    /**
     * Both template notebooks executed by the launcher's run script (all 15 steps; several minutes on 2 cores).
     * {@code -Dmodelwork.skipNotebooks=true} leaves them out.
     */
    @Test
    void templateNotebooks() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("modelwork.skipNotebooks"), "-Dmodelwork.skipNotebooks=true");
        runSuite("test_notebooks");
    }
}
