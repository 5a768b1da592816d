package io.modelwork.kernel;

import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %maven [--offline] [--settings FILE] group:artifact:version ...}: resolves the artifacts and their runtime
 * dependencies with Maven Resolver from the user's Maven settings and adds the jars to JShell's class path (as
 * {@code %jars} does).
 *
 * <p>Hand-written loading: Maven Resolver and its ~25 jars are not on the kernel's class path (a longer class path
 * costs start time and every JShell compile looks through it); they sit in {@code kernel/lib/maven} next to
 * {@code modelwork-kernel.jar} and are loaded into their own {@link URLClassLoader} on the first {@code %maven} only.
 * Where that folder is missing (tests and IDEs run from {@code target/classes} with the resolver on the class path),
 * the implementation is loaded from the kernel's own class loader.
 */
final class MavenMagic {
    static final String IMPL = "io.modelwork.kernel.maven.MavenArtifactResolver";
    static final String USAGE = "%maven [--offline] [--settings FILE] group:artifact[:extension[:classifier]]:version ...";

    private final ModelworkKernel kernel;
    private ArtifactResolver resolver;

    MavenMagic(ModelworkKernel kernel) { this.kernel = kernel; }

    Object run(String line) throws IOException {
        List<String> coords = new ArrayList<>();
        Path settings = null;
        boolean offline = false;
        String[] words = line.trim().isEmpty() ? new String[0] : line.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.equals("--offline") || w.equals("-o")) offline = true;
            else if (w.equals("--settings") || w.equals("-s")) {
                if (i + 1 >= words.length)
                    throw new ModelworkException("--settings needs a file", "%maven " + line.trim(), "write " + USAGE);
                settings = Path.of(words[++i]).toAbsolutePath();
                if (!Files.isRegularFile(settings))
                    throw new ModelworkException("No such settings file: " + settings, "%maven " + line.trim(),
                            "give the path of a Maven settings.xml (or leave --settings out for ~/.m2/settings.xml)");
            } else if (w.startsWith("-")) {
                throw new ModelworkException("Unknown option " + w, "%maven " + line.trim(), "write " + USAGE);
            } else {
                int parts = w.split(":", -1).length;
                if (parts < 3 || parts > 5 || w.contains("::"))
                    throw new ModelworkException("Not Maven coordinates: " + w, "%maven " + line.trim(),
                            "write group:artifact:version, e.g. %maven org.apache.commons:commons-text:1.12.0");
                coords.add(w);
            }
        }
        if (coords.isEmpty())
            throw new ModelworkException("No artifact given", "%maven " + line.trim(),
                    "write " + USAGE + ", e.g. %maven org.apache.commons:commons-text:1.12.0");
        ArtifactResolver.Result r = resolver().resolve(coords, settings, offline, msg -> System.out.println(msg));
        for (Path jar : r.jars()) kernel.shell().addToClasspath(jar.toString());
        StringBuilder sb = new StringBuilder("Added ").append(r.jars().size()).append(" jar(s) for ")
                .append(String.join(", ", coords)).append(" (").append(r.repositories()).append("):");
        for (Path jar : r.jars()) sb.append("\n  ").append(jar);
        return sb.toString();
    }

    private synchronized ArtifactResolver resolver() throws IOException {
        if (resolver == null) resolver = load();
        return resolver;
    }

    private static ArtifactResolver load() throws IOException {
        Path dir = mavenLibDir();
        ClassLoader loader;
        if (dir != null && Files.isDirectory(dir)) {
            List<URL> urls = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
                for (Path p : ds) urls.add(p.toUri().toURL());
            }
            loader = new URLClassLoader("modelwork-maven", urls.toArray(URL[]::new), MavenMagic.class.getClassLoader());
        } else {
            loader = MavenMagic.class.getClassLoader();
        }
        try {
            return (ArtifactResolver) Class.forName(IMPL, true, loader).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new ModelworkException("Maven Resolver is not available to this kernel (" + e + ")",
                    dir == null ? "the kernel's class path" : dir.toString(),
                    "rebuild and reinstall the kernel: mvn -pl kernel-extensions -am package, then install-kernel.sh "
                            + "(the jars for %maven go to kernel-extensions/target/kernel/lib/maven)", e);
        }
    }

    /** {@code -Dmodelwork.kernel.mavenLib=DIR}, else {@code maven/} next to the jar the kernel was loaded from. */
    static Path mavenLibDir() {
        String prop = System.getProperty("modelwork.kernel.mavenLib");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        try {
            Path self = Path.of(MavenMagic.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(self) ? self.getParent().resolve("maven") : null;
        } catch (Exception e) {
            return null;
        }
    }
}
