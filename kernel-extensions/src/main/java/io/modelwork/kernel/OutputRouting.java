package io.modelwork.kernel;

import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.messages.ContentType;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.publish.PublishStream;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends {@code System.out}/{@code System.err} to the notebook cell that owns the printing thread, also after that
 * cell has ended.
 *
 * <p>Hand-written because basekernel swaps {@code System.out} only while a cell runs: a thread started by a cell that
 * printed after the cell's reply went to the kernel's own stdout/stderr (the Jupyter server's log), and during a later
 * cell it went to that later cell. Here the streams stay installed for the kernel's lifetime and each write is routed
 * like IJava-style kernels do:
 * <ol>
 *   <li>a thread whose owner is known — the cell worker, and every thread created from it or from its descendants
 *       ({@link InheritableThreadLocal}) — writes to the cell that started it, as a {@code stream} message whose
 *       parent header is that cell's {@code execute_request};</li>
 *   <li>any other thread writes to the cell that is running (e.g. the common fork-join pool of a parallel stream);</li>
 *   <li>with no cell running it goes to the kernel's original stream (the server log), as before.</li>
 * </ol>
 * Text is buffered per cell and sent at each newline, at {@code flush()}, before a display/clear message of that cell,
 * and when the cell ends, so a message never splits a line or a multi-byte character. Messages are sent straight on
 * the IOPub socket (its {@code sendMessage} is synchronized), not through the reply environment, whose deferral state
 * belongs to the shell thread.
 */
final class OutputRouting {
    /** The cell (its reply environment) whose code started this thread; set on the worker at each cell. */
    private static final InheritableThreadLocal<ShellReplyEnvironment> OWNER = new InheritableThreadLocal<>();

    private final PrintStream kernelOut, kernelErr;
    private final Map<ShellReplyEnvironment, Buffer> buffers = new ConcurrentHashMap<>();
    private volatile ShellReplyEnvironment running;

    final PrintStream out, err;

    OutputRouting(PrintStream kernelOut, PrintStream kernelErr) {
        this.kernelOut = kernelOut;
        this.kernelErr = kernelErr;
        this.out = new PrintStream(new Routed(false), true, StandardCharsets.UTF_8);
        this.err = new PrintStream(new Routed(true), true, StandardCharsets.UTF_8);
    }

    /** The kernel's own stderr (the server log), for the kernel's diagnostics. */
    PrintStream kernelErr() { return kernelErr; }

    /** A cell starts on the shell thread: threads without an owner write to it until {@link #cellEnded}. */
    void cellStarted(ShellReplyEnvironment env) { running = env; }

    /** Marks the calling thread (the cell worker) and the threads it creates as owned by the running cell. */
    void adoptRunningCell() {
        ShellReplyEnvironment env = running;
        if (env != null) OWNER.set(env);
    }

    /** The cell ended: its pending text is sent (before the reply); later output of its threads still goes to it. */
    void cellEnded(ShellReplyEnvironment env) {
        flush(env);
        if (running == env) running = null;
        Buffer b = buffers.get(env);
        if (b != null && b.isEmpty()) buffers.remove(env, b);
    }

    /** The cell output of the calling thread goes to, or {@code null} (no cell: the kernel's log). */
    ShellReplyEnvironment target() {
        ShellReplyEnvironment owner = OWNER.get();
        return owner != null ? owner : running;
    }

    /** Publishes {@code content} to the calling thread's cell after its pending text; false when there is none. */
    boolean publish(ContentType<?> content) {
        ShellReplyEnvironment env = target();
        if (env == null) return false;
        flush(env);
        send(env, content);
        return true;
    }

    void flush(ShellReplyEnvironment env) {
        if (env == null) return;
        Buffer b = buffers.get(env);
        if (b != null) b.flush(env);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void send(ShellReplyEnvironment env, ContentType<?> content) {
        env.getIopub().sendMessage(new Message(env.getContext(), content.getType(), content));
    }

    /** Pending stdout and stderr text of one cell. */
    private static final class Buffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

        synchronized boolean isEmpty() { return out.size() == 0 && err.size() == 0; }

        synchronized void write(ShellReplyEnvironment env, boolean isErr, byte[] b, int off, int len) {
            ByteArrayOutputStream buf = isErr ? err : out;
            // the other stream's pending text goes first, so stdout/stderr keep their order
            drain(env, !isErr);
            buf.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') { drain(env, isErr); break; }
            }
        }

        synchronized void flush(ShellReplyEnvironment env) {
            drain(env, false);
            drain(env, true);
        }

        private void drain(ShellReplyEnvironment env, boolean isErr) {
            ByteArrayOutputStream buf = isErr ? err : out;
            if (buf.size() == 0) return;
            String text = buf.toString(StandardCharsets.UTF_8);
            buf.reset();
            send(env, new PublishStream(isErr ? PublishStream.StreamType.ERR : PublishStream.StreamType.OUT, text));
        }
    }

    /** {@code System.out} / {@code System.err}: routes each write as described on the class. */
    private final class Routed extends OutputStream {
        private final boolean isErr;

        Routed(boolean isErr) { this.isErr = isErr; }

        @Override public void write(int b) { write(new byte[]{(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) {
            ShellReplyEnvironment env = target();
            if (env == null) {
                PrintStream k = isErr ? kernelErr : kernelOut;
                k.write(b, off, len);
                return;
            }
            buffers.computeIfAbsent(env, e -> new Buffer()).write(env, isErr, b, off, len);
        }

        @Override
        public void flush() {
            ShellReplyEnvironment env = target();
            if (env == null) (isErr ? kernelErr : kernelOut).flush();
            else OutputRouting.this.flush(env);
        }
    }
}
