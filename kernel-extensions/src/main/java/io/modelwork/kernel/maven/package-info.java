/**
 * The {@code %maven} resolver on Maven Resolver 2 ({@link io.modelwork.kernel.maven.MavenArtifactResolver}). Packaged
 * apart, in {@code kernel/lib/maven/modelwork-kernel-maven.jar} with the resolver's jars, and loaded in its own class
 * loader on the first {@code %maven}: nothing here is on the kernel's class path.
 */
package io.modelwork.kernel.maven;
