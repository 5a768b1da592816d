/**
 * JShell execution inside the kernel's JVM: {@link io.modelwork.kernel.exec.ModelworkExecutionControl} (a
 * {@code DirectExecutionControl} running snippets on a worker thread) and the ASM stop checks that make the
 * notebook's interrupt end CPU-bound loops.
 */
package io.modelwork.kernel.exec;
