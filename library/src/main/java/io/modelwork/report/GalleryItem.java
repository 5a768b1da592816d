package io.modelwork.report;

import java.util.Map;

/**
 * One error case for the error gallery: a row id (or file), the truth, the prediction, a score (larger = worse),
 * optional extra fields, and optional media ({@code mediaPath} with {@code mediaType} such as {@code image/png} or
 * {@code audio/wav}) for image and sound categories.
 */
public record GalleryItem(String id, String truth, String prediction, double score, Map<String, String> fields,
                          String mediaPath, String mediaType) {
    public static GalleryItem row(String id, String truth, String prediction, double score, Map<String, String> fields) {
        return new GalleryItem(id, truth, prediction, score, fields, null, null);
    }
}
