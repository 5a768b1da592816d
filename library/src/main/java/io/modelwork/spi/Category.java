package io.modelwork.spi;

import io.modelwork.core.Args;
import io.modelwork.core.Options;
import io.modelwork.core.Step;

import java.util.Map;
import java.util.Set;

/**
 * A task family (tabular, forecasting, optimization, anomaly, …): the one extension point of Modelwork, found by
 * {@link java.util.ServiceLoader} (list the implementation in {@code META-INF/services/io.modelwork.spi.Category}).
 *
 * <p>A category declares the specs it builds (each with a one-line description), how it recognises its data, a typed
 * state object ({@code S}) and a {@link StepHandler} per step it implements. Steps that do not apply return
 * {@code null} from {@link #handler(Step)} and say why in {@link #notApplicable(Step)}: the session then reports
 * "not applicable to &lt;category&gt;". The session's own steps (configure, save_checkpoint, resume, close) are not
 * the category's: it only says what its state saves ({@link CategoryState#save}).
 *
 * <p>Every step's keys are declared once, in {@link #options(Step)}; the session, the recipe pre-check, {@code %help}
 * and the kernel's completion read them from there.
 *
 * @param <S> the category's state: everything its steps read and write, and what a checkpoint saves
 */
public interface Category<S extends CategoryState> {

    /** Score of {@link #recognise} for data this category takes only when no other does (the tabular fallback). */
    int FALLBACK = 1;
    /** Score of {@link #recognise} for data this category recognises by its format. */
    int RECOGNISED = 10;
    /** Score of {@link #recognise} when {@code task=} or the spec names this category. */
    int EXPLICIT = 100;

    /** Short lower-case name, e.g. {@code tabular}, used in messages ("not applicable to tabular"). */
    String name();

    /** One line for listings. */
    String description();

    /** The task names of SPEC.md this category serves, accepted as {@code attach_dataset task=} (e.g. regression). */
    Set<String> tasks();

    /** The specs it builds ({@code category.algorithm[.variant]}, without variants) → one-line description, in order. */
    Map<String, String> specs();

    /**
     * How strongly this category recognises attach arguments: 0 = not its data, {@link #FALLBACK}, {@link #RECOGNISED}
     * (format, file layout) or {@link #EXPLICIT}. The session picks the highest; a tie above {@link #FALLBACK} is an
     * error that names both categories (never the order of a services file). Must not throw for data it does not know.
     */
    int recognise(Args attachArgs);

    /** A fresh state for a new session (nothing attached yet). */
    S newState(StepContext ctx);

    /** The declared keys of {@code step} for this category (empty when it takes none). */
    Options options(Step step);

    /** The keys of build/fit for one spec (engine hyper-parameters differ by spec); default {@link #options(Step)}. */
    default Options options(Step step, String spec) { return options(step); }

    /** The handler of {@code step}, or null when the step does not apply (see {@link #notApplicable}). */
    StepHandler<S> handler(Step step);

    /**
     * A small full lifecycle on the project's real data, for the contract test every category must pass and for
     * documentation: step → arguments in lifecycle order (configure and the checkpoint steps are the test's).
     * {@code assets} is the assets root holding {@code data/} and {@code models/}. Empty means none, which fails the
     * contract test.
     */
    default java.util.LinkedHashMap<Step, Args> example(java.nio.file.Path assets) { return new java.util.LinkedHashMap<>(); }

    /** Why {@code step} does not apply to this category (shown to the user); only asked when the handler is null. */
    default String notApplicable(Step step) { return step.key() + " is not applicable to " + name(); }
}
