package io.modelwork.kernel.exec;

/**
 * Thrown inside notebook code by the stop checks once the user interrupts the kernel. An {@link Error}, so that
 * {@code catch (Exception e)} in a cell does not swallow it; the stop flag stays set until the cell ends, so even a
 * {@code catch (Throwable t)} inside a loop is stopped at the next check.
 */
public final class ExecutionInterrupted extends Error {
    public ExecutionInterrupted() {
        super("Execution interrupted", null, false, false);
    }
}
