package io.modelwork.data;

import io.modelwork.core.ModelworkException;

import java.util.Arrays;
import java.util.Locale;

/** The logical type of a field, independent of how the file stores it. */
public enum FieldType {
    NUMERIC, CATEGORICAL, BOOLEAN, TIMESTAMP, TEXT;

    public static FieldType of(String s) {
        String n = s.trim().toUpperCase(Locale.ROOT);
        if (n.equals("NUMBER") || n.equals("DOUBLE") || n.equals("INT") || n.equals("FLOAT")) return NUMERIC;
        if (n.equals("STRING") || n.equals("CATEGORY")) return CATEGORICAL;
        if (n.equals("DATE") || n.equals("DATETIME") || n.equals("TIME")) return TIMESTAMP;
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new ModelworkException("Unknown field type '" + s + "'", "schema",
                    "use one of " + Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList());
        }
    }

    public String key() { return name().toLowerCase(Locale.ROOT); }
}
