package io.modelwork.shared;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.spi.StateWriter;
import io.modelwork.spi.StepContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The best-iteration checkpoint of a fit, {@code run_dir/checkpoints/fit-best}: a real checkpoint (the session's
 * {@code checkpoint.json} layout, the reports of the steps up to build, the category's state with the best model,
 * the SHA-256 manifest of {@link BundleWriter}) that {@code resume id=fit-best} accepts. A fit handler calls
 * {@link #improved} on every improvement of the validation score and {@link #finish} at the end; the checkpoint is
 * rewritten at most once per {@link #MIN_INTERVAL_NANOS} (the first improvement at once, so a fit stopped in its first
 * second still leaves one), and the latest improvement is always written by {@link #finish}.
 *
 * <p>Replacing it: the new version is published complete as {@code fit-best.next}, the old one renamed aside, the new
 * one renamed to {@code fit-best}, the old one deleted. A process killed between the renames leaves a complete
 * {@code fit-best.next}, which {@link #resolve} finds.
 *
 * <pre>{@code
 * BestCheckpoint best = new BestCheckpoint(ctx, args);           // args: the fit's arguments
 * ... on each improvement:  best.improved(it, out -> state.saveWithModel(out, nativeModelBytes));
 * ... after the loop:       best.finish();
 * }</pre>
 */
public final class BestCheckpoint {
    /** The checkpoint id (and folder name under {@code run_dir/checkpoints}). */
    public static final String ID = "fit-best";
    /** The checkpoint format; the same as the session's user checkpoints. */
    public static final String FORMAT = "modelwork.checkpoint/2";
    /** At most one write per second. */
    public static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    /** Writes the category's state (with the best model) through the checkpoint's state writer. */
    @FunctionalInterface
    public interface Content { void write(StateWriter out) throws IOException; }

    private final StepContext ctx;
    private final Args fitArgs;
    private final Path target;
    private final LongSupplier clock;
    private long lastWrite;
    private boolean everWritten;
    private Content pending;
    private int pendingIteration = -1;
    private int writes;

    public BestCheckpoint(StepContext ctx, Args fitArgs) { this(ctx, fitArgs, System::nanoTime); }

    BestCheckpoint(StepContext ctx, Args fitArgs, LongSupplier clock) {
        this.ctx = ctx;
        this.fitArgs = fitArgs == null ? Args.empty() : fitArgs;
        this.target = ctx.run().runDir().resolve("checkpoints").resolve(ID);
        this.clock = clock;
    }

    /** The checkpoint folder. */
    public Path dir() { return target; }

    /** How many times the checkpoint was written. */
    public synchronized int writes() { return writes; }

    /** A new best at {@code iteration}; written now unless the last write is less than a second old. */
    public synchronized void improved(int iteration, Content content) {
        pending = content;
        pendingIteration = iteration;
        if (!everWritten || clock.getAsLong() - lastWrite >= MIN_INTERVAL_NANOS) flush();
    }

    /** Writes the latest improvement if it is not written yet (call after the fit loop, also on interrupt). */
    public synchronized void finish() {
        if (pending != null) flush();
    }

    private void flush() {
        write(pendingIteration, pending);
        pending = null;
        everWritten = true;
        lastWrite = clock.getAsLong();
        writes++;
    }

    private void write(int iteration, Content content) {
        Path root = target.getParent();
        Path next = root.resolve(ID + ".next");
        AtomicFiles.deleteTree(next);
        try (BundleWriter b = BundleWriter.create(next, "best-iteration checkpoint")) {
            ObjectNode st = Json.object();
            st.put("format", FORMAT);
            st.put("id", ID);
            st.put("created", java.time.Instant.now().toString());
            st.put("best_iteration", iteration);
            st.set("context", ctx.run().toJson());
            st.put("category", ctx.category());
            ArrayNode steps = st.putArray("steps");
            for (Step s : Step.values()) {
                if (s.number() >= Step.FIT.number() || s == Step.SAVE_CHECKPOINT || s == Step.RESUME || !ctx.hasRun(s)) continue;
                ObjectNode o = steps.addObject();
                o.put("step", s.key());
                o.set("args", Json.args(ctx.args(s).orElse(Args.empty()).asMap()));
                ctx.report(s).ifPresent(r -> b.json("reports/" + s.key() + ".json", r.toJson()));
            }
            steps.addObject().put("step", Step.FIT.key()).set("args", Json.args(fitArgs.asMap()));
            content.write(StateStore.writer(b, "state/"));
            b.json("checkpoint.json", st);
            b.manifest().put("format", FORMAT).put("id", ID).put("best_iteration", iteration);
            b.publish();
        } catch (IOException e) {
            throw new ModelworkException("Cannot write the best-iteration checkpoint: " + e.getMessage(), next.toString(),
                    "check free disk space and permissions of the run directory");
        }
        Path old = root.resolve("." + ID + ".old-" + ProcessHandle.current().pid());
        try {
            AtomicFiles.deleteTree(old);
            if (Files.exists(target)) Files.move(target, old);
            Files.move(next, target);
        } catch (IOException e) {
            throw AtomicFiles.writeFailed(target, 0, e);
        } finally {
            AtomicFiles.deleteTree(old);
        }
    }

    /**
     * The folder to resume for {@code dir}: itself, or for a {@code fit-best} that is missing because a process was
     * killed while replacing it, the complete {@code fit-best.next} next to it.
     */
    public static Path resolve(Path dir) {
        if (Files.isDirectory(dir) || dir.getFileName() == null || !dir.getFileName().toString().equals(ID)) return dir;
        Path next = dir.resolveSibling(ID + ".next");
        return Files.isRegularFile(next.resolve(BundleWriter.MANIFEST)) ? next : dir;
    }
}
