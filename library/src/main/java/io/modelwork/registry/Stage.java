package io.modelwork.registry;

import io.modelwork.core.ModelworkException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The lifecycle stage of a registered model version. Written in lower case in the database, the CLI and JSON. */
public enum Stage {
    NONE, STAGING, CANARY, PRODUCTION, ARCHIVED;

    /** The lower-case text form, e.g. {@code production}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * Parses a stage name, case-insensitively.
     *
     * @throws ModelworkException naming the valid stages when {@code text} is not one
     */
    public static Stage parse(String text) {
        if (text != null) {
            for (Stage s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) return s;
            }
        }
        throw new ModelworkException("unknown model stage '" + text + "'", "stage",
                "use one of " + Arrays.stream(values()).map(Stage::text).collect(Collectors.joining(", ")));
    }
}
