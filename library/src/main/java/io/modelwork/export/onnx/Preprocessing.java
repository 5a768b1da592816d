package io.modelwork.export.onnx;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.util.Arrays;

/**
 * A frozen, per-column preprocessing that runs before the trees: first imputation, then scaling.
 *
 * <p>Imputation replaces a NaN in column {@code j} by {@code imputeValues[j]} (a NaN there leaves the column as is).
 * Scaling computes {@code y = (x - offsets[j]) * scales[j]}. Either part may be {@code null} (absent); in the
 * scaling part a {@code null} offsets array means 0 and a {@code null} scales array means 1. Both steps are
 * expressible in ONNX-ML ({@code Imputer}, {@code Scaler}), which compute in 32-bit floats; {@link #apply(float[])}
 * reproduces that arithmetic in Java. The record serialises to and from JSON for the parts of a pipeline kept
 * outside the graph.
 *
 * @param imputeValues per-column replacement for NaN, or {@code null} for no imputation
 * @param offsets      per-column offset subtracted before scaling, or {@code null}
 * @param scales       per-column factor applied after the offset, or {@code null}
 */
public record Preprocessing(double[] imputeValues, double[] offsets, double[] scales) {

    /** Validates that the given arrays have one equal width and copies them. */
    public Preprocessing {
        imputeValues = imputeValues == null ? null : imputeValues.clone();
        offsets = offsets == null ? null : offsets.clone();
        scales = scales == null ? null : scales.clone();
        int width = -1;
        for (double[] a : new double[][] {imputeValues, offsets, scales}) {
            if (a == null) continue;
            if (width >= 0 && a.length != width) {
                throw new ModelworkException("Preprocessing arrays have different widths (" + width + " and "
                        + a.length + ")", "Preprocessing", "give one value per input column in every array");
            }
            width = a.length;
        }
        if (width <= 0) {
            throw new ModelworkException("Preprocessing has no columns", "Preprocessing",
                    "give impute values and/or offsets and scales, one per input column");
        }
        if (scales != null) {
            for (double s : scales) {
                if (!Double.isFinite(s)) {
                    throw new ModelworkException("A scale is not finite", "Preprocessing.scales",
                            "replace zero-variance columns' scale by 1");
                }
            }
        }
    }

    /** Imputation only. */
    public static Preprocessing impute(double[] imputeValues) {
        return new Preprocessing(imputeValues, null, null);
    }

    /** Imputation followed by standardisation: {@code (x - mean) / std}. A zero std is treated as 1. */
    public static Preprocessing imputeAndStandardise(double[] imputeValues, double[] means, double[] stds) {
        double[] scales = new double[stds.length];
        for (int j = 0; j < stds.length; j++) scales[j] = stds[j] == 0 || !Double.isFinite(stds[j]) ? 1 : 1 / stds[j];
        return new Preprocessing(imputeValues, means, scales);
    }

    /** The number of input columns. */
    @JsonIgnore
    public int width() {
        return imputeValues != null ? imputeValues.length : offsets != null ? offsets.length : scales.length;
    }

    /** Whether a scaling step is present. */
    @JsonIgnore
    public boolean hasScaling() {
        return offsets != null || scales != null;
    }

    @Override
    public double[] imputeValues() {
        return imputeValues == null ? null : imputeValues.clone();
    }

    @Override
    public double[] offsets() {
        return offsets == null ? null : offsets.clone();
    }

    @Override
    public double[] scales() {
        return scales == null ? null : scales.clone();
    }

    /**
     * Applies the preprocessing to one row with the arithmetic of ONNX-ML's {@code Imputer} and {@code Scaler}
     * (32-bit floats). Returns a new array.
     */
    public float[] apply(float[] row) {
        if (row.length != width()) {
            throw new IllegalArgumentException("row has " + row.length + " values, preprocessing expects " + width());
        }
        float[] out = row.clone();
        for (int j = 0; j < out.length; j++) {
            if (imputeValues != null && Float.isNaN(out[j])) out[j] = (float) imputeValues[j];
            if (hasScaling()) {
                float offset = offsets == null ? 0f : (float) offsets[j];
                float scale = scales == null ? 1f : (float) scales[j];
                out[j] = (out[j] - offset) * scale;
            }
        }
        return out;
    }

    /** The preprocessing as JSON (the fields of this record; absent parts are {@code null}). */
    public String toJson() {
        return Json.write(this);
    }

    /** Reads the JSON written by {@link #toJson()}. */
    public static Preprocessing fromJson(String json) {
        try {
            return Json.MAPPER.readValue(json, Preprocessing.class);
        } catch (Exception e) {
            throw new ModelworkException("The preprocessing JSON cannot be read: " + e.getMessage(),
                    "Preprocessing JSON", "pass the output of Preprocessing.toJson()", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && Arrays.equals(imputeValues, p.imputeValues)
                && Arrays.equals(offsets, p.offsets) && Arrays.equals(scales, p.scales);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(imputeValues) + Arrays.hashCode(offsets)) + Arrays.hashCode(scales);
    }

    @Override
    public String toString() {
        return "Preprocessing[impute=" + Arrays.toString(imputeValues) + ", offsets=" + Arrays.toString(offsets)
                + ", scales=" + Arrays.toString(scales) + "]";
    }
}
