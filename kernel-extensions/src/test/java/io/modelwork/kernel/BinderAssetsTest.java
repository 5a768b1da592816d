package io.modelwork.kernel;

import io.modelwork.core.AtomicFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Binder opens the template notebooks with the data bundled in {@code binder/assets/data}: every file a template
 * reads ({@code Assets.data("...")}) must be there, listed in {@code binder/assets/SHA256SUMS} with its checksum,
 * which {@code binder/postBuild} verifies before it installs the kernel.
 */
class BinderAssetsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path ASSETS = ROOT.resolve("binder/assets");
    /**
     * Too large to bundle, on Binder through MODELWORK_ASSETS_URL (binder/README.md): anomaly's magnetic tiles (25 MB
     * of images, and ONNX models); tracking's PETS2009 video (8.1 MB, 795 frames; the template uses 240 of them, and
     * its detector ONNX is not bundled either).
     */
    static final java.util.Set<String> NOT_BUNDLED = java.util.Set.of("anomaly/magnetic-tile", "tracking/vtest.avi",
            // AT&T faces (3.7 MB, credit-only terms) and face_recognition's examples (3.4 MB) stay with ../shared
            "face/att_faces", "face/knn_examples/train", "face/knn_examples/test");

    @Test
    void everyFileATemplateReadsIsBundledWithItsChecksum() throws Exception {
        Map<String, String> sums = new HashMap<>();
        for (String line : Files.readAllLines(ASSETS.resolve("SHA256SUMS"))) {
            String[] p = line.trim().split("\\s+", 2);
            if (p.length == 2) sums.put(p[1].replaceFirst("^\\./", ""), p[0]);
        }
        TreeSet<String> read = new TreeSet<>();
        Pattern ref = Pattern.compile("Assets\\.data\\(\\\\\"([^\\\\\"]+)\\\\\"\\)");
        try (Stream<Path> nbs = Files.list(ROOT.resolve("notebooks"))) {
            for (Path nb : nbs.filter(p -> p.toString().endsWith(".ipynb")).toList()) {
                Matcher m = ref.matcher(Files.readString(nb));
                while (m.find()) read.add(m.group(1));
            }
        }
        assertTrue(read.size() >= 6, "the templates read their data through Assets.data: " + read);
        for (String rel : read) {
            if (NOT_BUNDLED.contains(rel)) continue;
            Path f = ASSETS.resolve("data").resolve(rel);
            assertTrue(Files.exists(f), "binder/assets/data lacks " + rel + " (a template reads it)");
            if (Files.isDirectory(f)) {
                // a folder: every file in it listed with its checksum
                try (Stream<Path> files = Files.walk(f)) {
                    for (Path g : files.filter(Files::isRegularFile).toList()) {
                        String r = ASSETS.resolve("data").relativize(g).toString();
                        assertEquals(sums.get(r), AtomicFiles.sha256(g), "binder/assets/SHA256SUMS is stale for " + r);
                    }
                }
            } else {
                assertEquals(sums.get(rel), AtomicFiles.sha256(f), "binder/assets/SHA256SUMS is stale for " + rel);
            }
        }
        for (Map.Entry<String, String> e : sums.entrySet())
            assertEquals(e.getValue(), AtomicFiles.sha256(ASSETS.resolve("data").resolve(e.getKey())), e.getKey());
    }
}
