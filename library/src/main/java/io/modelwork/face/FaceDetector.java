package io.modelwork.face;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A face detector with five landmarks per face. */
public interface FaceDetector extends AutoCloseable {
    /** The faces of {@code rgb} with score ≥ {@code minScore}, after non-maximum suppression, best first. */
    List<Face> detect(BufferedImage rgb, float minScore);

    /** Name for reports: yunet, fr_detect or the file name. */
    String name();

    /** SHA-256 of the model file(s). */
    String sha256();

    @Override void close();

    /**
     * Greedy non-maximum suppression at IoU {@code iou}, best score first, keeping at most {@code topK}. Hand-written
     * (twenty lines) because the library that offers it (DJL's api) would add a multi-megabyte dependency with its own
     * NDArray engine lookup for one loop; this is the same greedy rule as OpenCV's {@code NMSBoxes}.
     */
    static List<Face> nms(List<Face> faces, float iou, int topK) {
        List<Face> sorted = new ArrayList<>(faces);
        sorted.sort(Comparator.comparingDouble((Face f) -> -f.score()));
        List<Face> keep = new ArrayList<>();
        for (Face f : sorted) {
            boolean ok = true;
            for (Face k : keep) if (Face.iou(f, k) > iou) { ok = false; break; }
            if (ok) keep.add(f);
            if (keep.size() >= topK) break;
        }
        return keep;
    }
}
