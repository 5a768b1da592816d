package io.modelwork.optimization;

import io.modelwork.core.ModelworkException;

/** Loads the OR-Tools native libraries once (they come inside the ortools-&lt;platform&gt; jars). */
final class OrTools {
    private OrTools() {}

    private static volatile boolean loaded;

    static void load() {
        if (loaded) return;
        synchronized (OrTools.class) {
            if (loaded) return;
            try {
                com.google.ortools.Loader.loadNativeLibraries();
            } catch (Throwable e) {
                throw new ModelworkException("The OR-Tools native libraries could not be loaded: " + e,
                        "com.google.ortools:ortools-java " + version(),
                        "use a platform OR-Tools ships for (linux/macOS/windows x86-64, linux/macOS aarch64) and a writable java.io.tmpdir");
            }
            loaded = true;
        }
    }

    static String version() { return "9.14.6206"; }
}
