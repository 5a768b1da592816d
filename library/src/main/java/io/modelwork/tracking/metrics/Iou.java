package io.modelwork.tracking.metrics;

import java.util.List;

/**
 * Box IoU exactly as TrackEval's {@code _BaseDataset._calculate_box_ious(box_format='xywh')}: corners
 * {@code x1 = x0 + w}, no "+1" pixel, intersection clipped at 0, and a zero IoU wherever either area or the union is
 * ≤ machine epsilon.
 */
final class Iou {
    private Iou() {}

    static double[][] matrix(List<MotText.Box> gt, List<MotText.Box> tr) {
        double[][] s = new double[gt.size()][tr.size()];
        for (int i = 0; i < gt.size(); i++)
            for (int j = 0; j < tr.size(); j++) s[i][j] = of(gt.get(i), tr.get(j));
        return s;
    }

    static double of(MotText.Box a, MotText.Box b) {
        return of(a.left(), a.top(), a.width(), a.height(), b.left(), b.top(), b.width(), b.height());
    }

    static double of(double ax, double ay, double aw, double ah, double bx, double by, double bw, double bh) {
        double ax1 = ax + aw, ay1 = ay + ah, bx1 = bx + bw, by1 = by + bh;
        double inter = Math.max(Math.min(ax1, bx1) - Math.max(ax, bx), 0)
                * Math.max(Math.min(ay1, by1) - Math.max(ay, by), 0);
        double area1 = (ax1 - ax) * (ay1 - ay);
        double area2 = (bx1 - bx) * (by1 - by);
        double union = area1 + area2 - inter;
        double eps = MotSequence.EPS;
        if (area1 <= eps || area2 <= eps || union <= eps) inter = 0;
        if (union <= eps) union = 1;
        return inter / union;
    }
}
