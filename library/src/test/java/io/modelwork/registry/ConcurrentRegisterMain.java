package io.modelwork.registry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child process for {@link RegistryConcurrencyTest}: waits until a start file appears (so that all children start
 * together), then registers a bundle several times and prints {@code VERSION n} for each registration.
 *
 * <p>Arguments: HOME NAME BUNDLE_DIR START_FILE COUNT
 */
public final class ConcurrentRegisterMain {
    private ConcurrentRegisterMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        String name = args[1];
        Path bundle = Path.of(args[2]);
        Path start = Path.of(args[3]);
        int count = Integer.parseInt(args[4]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(start)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("start file never appeared");
            Thread.sleep(5);
        }
        try (ModelRegistry reg = ModelRegistry.open(home)) {
            for (int i = 0; i < count; i++) {
                ModelVersion v = reg.register(name, bundle, null, null, "child-" + ProcessHandle.current().pid());
                System.out.println("VERSION " + v.version());
            }
        }
        System.out.flush();
    }
}
