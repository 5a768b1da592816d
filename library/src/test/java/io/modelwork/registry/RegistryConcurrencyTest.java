package io.modelwork.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** Several processes registering the same name into one home at the same time all succeed with distinct versions. */
class RegistryConcurrencyTest {
    @TempDir
    Path tmp;

    @Test
    void concurrentRegistrationsFromSeveralProcessesAllSucceed() throws Exception {
        Path home = tmp.resolve("home");
        Path start = tmp.resolve("start");
        int processes = 3, perProcess = 3;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Path bundle = Bundles.bundle(tmp.resolve("bundle" + i), "child" + i);
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    ConcurrentRegisterMain.class.getName(), home.toString(), "shared-model", bundle.toString(),
                    start.toString(), String.valueOf(perProcess));
            pb.redirectErrorStream(true);
            pb.redirectOutput(tmp.resolve("child" + i + ".log").toFile());
            children.add(pb.start());
        }
        Thread.sleep(300);
        Files.writeString(start, "go");   // release them together (the children are polling for this file)

        List<Integer> versions = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Process p = children.get(i);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child " + i + " finished");
            String log = Files.readString(tmp.resolve("child" + i + ".log"), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "child " + i + " failed:\n" + log);
            log.lines().filter(l -> l.startsWith("VERSION ")).map(l -> Integer.parseInt(l.substring(8).trim()))
                    .forEach(versions::add);
        }
        versions.sort(null);
        assertEquals(IntStream.rangeClosed(1, processes * perProcess).boxed().toList(), versions,
                "distinct, contiguous versions");

        try (ModelRegistry reg = ModelRegistry.open(home)) {
            assertEquals(processes * perProcess, reg.list("shared-model").size());
            VerifyReport r = reg.verify();
            assertTrue(r.intact(), r.summary());
            assertEquals(processes * perProcess, r.auditRows());
        }
        for (File f : tmp.resolve("home/artifacts/tmp").toFile().listFiles()) fail("temporary blob left: " + f);
    }
}
