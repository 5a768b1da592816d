package io.modelwork.data;

import io.modelwork.core.ModelworkException;

import java.util.Arrays;
import java.util.Locale;

/** The role a field plays: what the model learns from, predicts, groups or orders by. */
public enum Role {
    TARGET, FEATURE, ID, GROUP, TIMESTAMP, WEIGHT, IGNORE;

    public static Role of(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModelworkException("Unknown field role '" + s + "'", "schema",
                    "use one of " + Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    public String key() { return name().toLowerCase(Locale.ROOT); }
}
