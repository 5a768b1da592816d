/**
 * The Modelwork Jupyter kernel: {@link io.modelwork.kernel.ModelworkKernel} (basekernel + JShell in the kernel's JVM),
 * the IJava-style magics ({@code %classpath}, {@code %jars}, {@code %maven}, {@code %load}, {@code %time},
 * {@code %%html}, {@code %%markdown}, {@code %help}), the display functions notebook code imports
 * ({@link io.modelwork.kernel.Display}: display, updates, {@code clearOutput}), progress displays, per-cell routing of
 * {@code System.out}/{@code System.err} (also for background threads), history and readable errors.
 */
package io.modelwork.kernel;
