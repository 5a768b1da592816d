package io.modelwork.tune;

/**
 * Progress callback: told about each trial as it finishes. Calls come one at a time from the thread that called
 * {@link Tuner#run}, in completion order (which, with several threads, may differ from trial-id order).
 * An exception thrown here aborts the search.
 */
@FunctionalInterface
public interface TrialListener {

    /**
     * @param trial    the finished trial
     * @param finished how many trials have finished so far, this one included
     * @param planned  how many trials the strategy plans in all (an upper bound for {@code asha} when trials fail)
     */
    void onTrial(Trial trial, int finished, int planned);
}
