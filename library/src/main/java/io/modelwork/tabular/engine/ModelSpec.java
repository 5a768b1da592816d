package io.modelwork.tabular.engine;

import io.modelwork.core.ModelworkException;

/**
 * A model spec {@code category.algorithm[.variant]}, e.g. {@code regression.xgboost} or
 * {@code anomaly.patchcore.resnet18}: the key under which a {@link TaskProvider} is found.
 */
public record ModelSpec(String category, String algorithm, String variant) {
    public static ModelSpec parse(String s) {
        if (s == null || !s.matches("[a-z0-9_]+\\.[a-z0-9_]+(\\.[a-z0-9_]+)?"))
            throw new ModelworkException("Bad model spec '" + s + "'", "build spec",
                    "write category.algorithm[.variant] in lower case, e.g. regression.xgboost; known specs: "
                            + io.modelwork.spi.Categories.specs().keySet());
        String[] p = s.split("\\.");
        return new ModelSpec(p[0], p[1], p.length > 2 ? p[2] : "");
    }

    /** {@code category.algorithm} without the variant. */
    public String base() { return category + "." + algorithm; }

    @Override public String toString() { return variant.isEmpty() ? base() : base() + "." + variant; }
}
