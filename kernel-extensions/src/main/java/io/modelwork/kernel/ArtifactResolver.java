package io.modelwork.kernel;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Resolves Maven coordinates to jars for {@code %maven}. The implementation ({@code io.modelwork.kernel.maven}) lives
 * in {@code kernel/lib/maven/modelwork-kernel-maven.jar} with Maven Resolver and is loaded in its own class loader on
 * first use ({@link MavenMagic}); this interface is the only type both sides share, so it is public.
 */
public interface ArtifactResolver {
    /** What a resolution found: the jars in class-path order and a description of the repositories it used. */
    record Result(List<Path> jars, String repositories) { }

    /**
     * The artifacts {@code coordinates} ({@code group:artifact[:extension[:classifier]]:version}) and their transitive
     * runtime dependencies, as local files. {@code settings}: a settings.xml instead of {@code ~/.m2/settings.xml}
     * (or {@code null}); {@code offline}: no network even if the settings allow it; {@code log}: progress lines
     * (downloads). Throws {@link io.modelwork.core.ModelworkException} with what was missing, the repositories tried
     * and how to fix it.
     */
    Result resolve(List<String> coordinates, Path settings, boolean offline, Consumer<String> log);
}
