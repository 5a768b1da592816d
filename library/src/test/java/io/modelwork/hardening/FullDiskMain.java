package io.modelwork.hardening;

import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;
import io.modelwork.shared.BundleWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Child process of {@link BadInputCasesTest}: writes 3 MB into a 2 MB file system (argument) two ways. */
public final class FullDiskMain {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        try {
            AtomicFiles.write(dir.resolve("model.bin"), new byte[3 << 20]);
            System.out.println("ATOMIC written");
        } catch (ModelworkException e) {
            System.out.println("ATOMIC " + e.what());
        }
        try (BundleWriter b = BundleWriter.create(dir.resolve("checkpoints/full-001"), "checkpoint")) {
            b.bytes("state/model.bin", new byte[3 << 20]);
            b.publish();
            System.out.println("BUNDLE written");
        } catch (ModelworkException e) {
            System.out.println("BUNDLE " + e.what());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            System.out.println("LEFT " + s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).toList());
        }
    }
}
