package io.modelwork.kernel.install;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class KernelInstallerTest {
    @Test
    void flagsPerJdk() {
        assertTrue(KernelInstaller.jvmFlags(17).contains("--enable-native-access=ALL-UNNAMED"));
        assertFalse(KernelInstaller.jvmFlags(17).contains("--sun-misc-unsafe-memory-access=allow"), "Java 17 refuses it");
        assertTrue(KernelInstaller.jvmFlags(25).contains("--sun-misc-unsafe-memory-access=allow"));
        assertTrue(KernelInstaller.jvmFlags(25).contains("--enable-native-access=ALL-UNNAMED"));
        assertTrue(KernelInstaller.jvmFlags(17).contains("-XX:TieredStopAtLevel=1"), "C1 only by default");
        assertFalse(KernelInstaller.jvmFlags(17, true).contains("-XX:TieredStopAtLevel=1"), "--jit full");
    }

    @Test
    void kernelJsonHasArgvInterruptModeAndDisplayName() {
        String json = KernelInstaller.kernelJson(Path.of("/usr/bin/java"), 25, Path.of("/opt/mw/lib"), Map.of("MODELWORK_ASSETS", "/data"));
        assertTrue(json.contains("\"/usr/bin/java\""));
        assertTrue(json.contains("\"/opt/mw/lib/*\""));
        assertTrue(json.contains("\"io.modelwork.kernel.ModelworkKernel\", \"{connection_file}\"]"));
        assertTrue(json.contains("\"display_name\": \"Modelwork (Java)\""));
        assertTrue(json.contains("\"interrupt_mode\": \"message\""));
        assertTrue(json.contains("\"MODELWORK_ASSETS\": \"/data\""));
        assertTrue(json.contains("--sun-misc-unsafe-memory-access=allow"));
    }

    @Test
    void kernelJsonNamesTheCdsArchiveOnlyWhenThereIsOne() {
        String with = KernelInstaller.kernelJson(Path.of("/usr/bin/java"), 17, "/opt/mw/lib/*", Map.of(), Path.of("/opt/mw/cds/modelwork-java17.jsa"));
        assertTrue(with.contains("\"-XX:SharedArchiveFile=/opt/mw/cds/modelwork-java17.jsa\""));
        assertTrue(with.contains("-Xshare:auto"), "a stale archive must not stop the kernel");
        assertFalse(KernelInstaller.kernelJson(Path.of("/usr/bin/java"), 17, "/opt/mw/lib/*", Map.of()).contains("SharedArchiveFile"));
        assertEquals(Path.of("/opt/mw/cds/modelwork-java25.jsa"), KernelInstaller.defaultCdsArchive(Path.of("/opt/mw/lib"), 25));
    }

    @Test
    void readsTheVersionOfThisJvm() throws Exception {
        Path self = Path.of(System.getProperty("java.home"), "bin", "java");
        assertEquals(Runtime.version().feature(), KernelInstaller.javaMajor(self));
    }
}
