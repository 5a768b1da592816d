/**
 * Installing the kernel: {@link io.modelwork.kernel.install.KernelInstaller} writes the {@code modelwork} kernelspec
 * with JVM flags for the target JDK and creates the kernel's AppCDS archive.
 */
package io.modelwork.kernel.install;
