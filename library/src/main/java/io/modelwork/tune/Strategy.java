package io.modelwork.tune;

import io.modelwork.core.ModelworkException;

import java.util.Locale;

/** The search strategies a {@link Tuner} offers. */
public enum Strategy {
    /** The cartesian product of every choice and integer range; capped by maxTrials in a seeded shuffled order. */
    GRID,
    /** Independent uniform draws (Bergstra &amp; Bengio, JMLR 2012). */
    RANDOM,
    /** Tree-structured Parzen estimator (Bergstra et al., NeurIPS 2011). */
    TPE,
    /** Successive halving over a budget such as boosting rounds; the synchronous, deterministic form of ASHA. */
    ASHA;

    /** The lower-case name used in recipes and reports. */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** Reads a strategy name, case-insensitively. */
    public static Strategy parse(String s) {
        String v = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
        for (Strategy st : values()) if (st.name().equals(v)) return st;
        throw new ModelworkException("unknown tuning strategy '" + s + "'", "tune strategy", "use one of grid, random, tpe, asha");
    }
}
