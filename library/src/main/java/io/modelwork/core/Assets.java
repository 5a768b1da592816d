package io.modelwork.core;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the root of the real models and datasets ({@code models/}, {@code data/}).
 *
 * <p>Resolution order: system property {@code modelwork.assets}, environment variable {@code MODELWORK_ASSETS},
 * then {@code ../shared} relative to the working directory or any of its parents.
 */
public final class Assets {
    private Assets() {}

    public static Path root() {
        // a configured root is used when it holds data/ (the build's default, ../shared next to the checkout, may not
        // exist in a clone placed elsewhere: then the search below finds the folder)
        for (String p : new String[]{System.getProperty("modelwork.assets"), System.getenv("MODELWORK_ASSETS")}) {
            if (p != null && !p.isBlank() && Files.isDirectory(Path.of(p).resolve("data")))
                return Path.of(p).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("data"))) return candidate.normalize();
            dir = dir.getParent();
        }
        throw new ModelworkException("The assets root (real models and data) was not found",
                "system property modelwork.assets / env MODELWORK_ASSETS / ../shared",
                "set MODELWORK_ASSETS to the folder that holds models/ and data/");
    }

    /** A path under the data folder, e.g. {@code data("regression/diabetes.csv")}. */
    public static Path data(String relative) {
        return root().resolve("data").resolve(relative);
    }

    /** A path under the models folder. */
    public static Path models(String relative) {
        return root().resolve("models").resolve(relative);
    }
}
