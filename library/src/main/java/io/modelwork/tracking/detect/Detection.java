package io.modelwork.tracking.detect;

/** One detected box in frame pixels (x1, y1, x2, y2), its confidence and its class index (COCO: 0 = person). */
public record Detection(float x1, float y1, float x2, float y2, float score, int cls) {
    public float width() { return x2 - x1; }
    public float height() { return y2 - y1; }

    /** Intersection over union with another box (continuous coordinates, no "+1"). */
    public double iou(Detection o) {
        double iw = Math.min(x2, o.x2) - Math.max(x1, o.x1), ih = Math.min(y2, o.y2) - Math.max(y1, o.y1);
        if (iw <= 0 || ih <= 0) return 0;
        double inter = iw * ih, union = (double) width() * height() + (double) o.width() * o.height() - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
