package io.modelwork.face;

/**
 * One detected face: box (x, y, width, height in source pixels), detector score and five landmarks in ArcFace order
 * (image-left eye, image-right eye, nose tip, image-left and image-right mouth corner) as x0,y0,…,x4,y4.
 */
public record Face(float x, float y, float w, float h, float score, float[] landmarks) {
    /** The shorter side of the box, in pixels. */
    public float size() { return Math.min(w, h); }

    /** Intersection over union of two boxes. */
    public static float iou(Face a, Face b) {
        float x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y);
        float x2 = Math.min(a.x + a.w, b.x + b.w), y2 = Math.min(a.y + a.h, b.y + b.h);
        float inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
        float union = a.w * a.h + b.w * b.h - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
