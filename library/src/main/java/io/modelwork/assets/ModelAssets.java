package io.modelwork.assets;

import io.modelwork.core.Assets;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one resolver of model files. A name such as {@code backbone/mobilenetv2-12-int8-features.onnx} is looked up
 * (1) under the configured root's {@code models/} ({@link Assets#root()}: {@code -Dmodelwork.assets},
 * {@code $MODELWORK_ASSETS}, else {@code ../shared}), (2) in the local cache ({@code $MODELWORK_CACHE}, default
 * {@code ~/.cache/modelwork}, its {@code models/}), where a machine without the project's {@code ../shared} can copy them. Every pinned file
 * (resource {@code pins.txt}: {@code sha256  name}, as {@code sha256sum} prints it) is hashed before it is handed out;
 * a missing or mismatching file is a {@link ModelworkException} naming the file, where it looked and how to provide
 * it. Hashes are cached per (path, size, mtime) so a file is hashed once per process.
 */
public final class ModelAssets {
    private static final Map<String, String> PINS = loadPins();
    private static final Map<String, String> VERIFIED = new ConcurrentHashMap<>();

    private ModelAssets() { }

    /** The pinned SHA-256 of {@code name}, or null when it is not pinned. */
    public static String pin(String name) { return PINS.get(normalise(name)); }

    /** Every pinned name → SHA-256. */
    public static Map<String, String> pins() { return Collections.unmodifiableMap(PINS); }

    /** The folders searched, in order. */
    public static List<Path> searchPath() {
        List<Path> out = new ArrayList<>();
        try {
            out.add(Assets.root().resolve("models"));
        } catch (ModelworkException e) {
            // no assets root configured or found: only the cache is searched
        }
        out.add(cacheDir());
        return out;
    }

    /** The local cache of model files ({@code models/} of the one cache root, {@link PackageAssets#cacheRoot()}). */
    public static Path cacheDir() { return PackageAssets.cacheRoot().resolve("models"); }

    /** Resolves a pinned (or unpinned) model file by name; verifies its hash when pinned. */
    public static Path resolve(String name) { return resolve(name, pin(name)); }

    /**
     * Resolves {@code name} and checks {@code sha256} (a full hash or a prefix; null = not checked). An absolute or
     * relative path that exists is taken as is (a user's own model), hashed when a hash is given.
     */
    public static Path resolve(String name, String sha256) {
        Path direct = Path.of(name);
        List<Path> looked = new ArrayList<>();
        Path found = null;
        if (direct.isAbsolute() || Files.isRegularFile(direct)) {
            looked.add(direct.toAbsolutePath());
            if (Files.isRegularFile(direct)) found = direct;
        } else {
            for (Path dir : searchPath()) {
                Path p = dir.resolve(normalise(name));
                looked.add(p);
                if (Files.isRegularFile(p)) { found = p; break; }
            }
        }
        if (found == null)
            throw new ModelworkException("Model file '" + name + "' was not found", "looked in " + looked,
                    fetchCommand(name));
        if (sha256 != null) verify(found, sha256, name);
        return found;
    }

    /** Checks the SHA-256 of {@code file} (full hash or prefix); returns the full hash. */
    public static String verify(Path file, String sha256, String name) {
        String actual;
        try {
            String key = file.toAbsolutePath() + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
            actual = VERIFIED.get(key);
            if (actual == null) {
                actual = AtomicFiles.sha256(file);
                VERIFIED.put(key, actual);
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot read model file '" + name + "': " + e.getMessage(), file.toString(), "check its permissions");
        }
        if (!actual.startsWith(sha256.toLowerCase(Locale.ROOT)))
            throw new ModelworkException("Model file '" + name + "' has SHA-256 " + actual + ", pinned " + sha256,
                    file.toString(), "the file is damaged or another version: " + fetchCommand(name));
        return actual;
    }

    private static String fetchCommand(String name) {
        return "set MODELWORK_ASSETS to the folder whose models/ holds " + normalise(name)
                + " (the project's ../shared), or copy the file to " + cacheDir().resolve(normalise(name))
                + "; a model of your own is given by its path";
    }

    private static String normalise(String name) { return name.replace('\\', '/').replaceFirst("^models/", ""); }

    private static Map<String, String> loadPins() {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = ModelAssets.class.getResourceAsStream("pins.txt")) {
            if (in == null) return m;
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] p = line.split("\\s+", 2);
                if (p.length == 2) m.put(normalise(p[1].trim()), p[0].toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the model pins", e);
        }
        return m;
    }
}
