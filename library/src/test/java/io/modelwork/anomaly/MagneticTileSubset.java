package io.modelwork.anomaly;

import io.modelwork.core.Assets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A small MVTec-layout copy (symbolic links) of the shared magnetic-tile set, for fast tests. */
final class MagneticTileSubset {
    private MagneticTileSubset() { }

    static Path source() { return Assets.data("anomaly/magnetic-tile"); }

    /** Every {@code step}-th image of each folder, at most {@code train} train/good and {@code perClass} per test class. */
    static Path create(Path dir, int train, int perClass) throws IOException {
        Path src = source();
        link(src.resolve("train/good"), dir.resolve("train/good"), train, null, null);
        for (String cls : List.of("good", "blowhole", "break"))
            link(src.resolve("test").resolve(cls), dir.resolve("test").resolve(cls), perClass,
                    cls.equals("good") ? null : src.resolve("ground_truth").resolve(cls), dir.resolve("ground_truth").resolve(cls));
        return dir;
    }

    private static void link(Path from, Path to, int n, Path gtFrom, Path gtTo) throws IOException {
        Files.createDirectories(to);
        if (gtTo != null) Files.createDirectories(gtTo);
        List<Path> all;
        try (Stream<Path> s = Files.list(from)) {
            all = s.sorted().toList();
        }
        int step = Math.max(1, all.size() / n);
        for (int i = 0, k = 0; i < all.size() && k < n; i += step, k++) {
            Path p = all.get(i);
            Files.createSymbolicLink(to.resolve(p.getFileName()), p);
            if (gtFrom != null) {
                String stem = p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                Path m = gtFrom.resolve(stem + "_mask.png");
                if (Files.exists(m)) Files.createSymbolicLink(gtTo.resolve(m.getFileName()), m);
            }
        }
    }
}
