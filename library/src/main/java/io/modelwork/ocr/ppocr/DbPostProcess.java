package io.modelwork.ocr.ppocr;

import org.locationtech.jts.algorithm.MinimumAreaRectangle;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPoint;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.buffer.BufferOp;
import org.locationtech.jts.operation.buffer.BufferParameters;

import java.util.ArrayList;
import java.util.List;

/**
 * PaddleOCR's DB post-processing ({@code ppocr/postprocess/db_postprocess.py}, {@code score_mode='fast'}, no dilation)
 * and the detection filter and order of {@code tools/infer/predict_det.py} / {@code predict_system.py}:
 * binarise the probability map at {@code thresh}; one candidate per connected region; its minimum-area rectangle
 * (rejected when the short side is below {@code min_size} = 3); the mean probability inside the rectangle (rejected
 * below {@code box_thresh}); unclip by {@code area · unclip_ratio / perimeter}; the minimum-area rectangle again
 * (rejected below {@code min_size + 2}); rescaled to the source image with round-half-even; points ordered clockwise
 * from top-left; boxes of width or height ≤ 3 dropped; sorted top-to-bottom then left-to-right.
 *
 * <p>Geometry is JTS's: {@link MinimumAreaRectangle} for {@code cv2.minAreaRect} and {@link BufferOp} with round
 * joins for pyclipper's {@code JT_ROUND}/{@code ET_CLOSEDPOLYGON} offset. Where results may differ from PaddleOCR:
 * <ul>
 *   <li>Candidates are the 8-connected regions of the binary map. {@code cv2.findContours(RETR_LIST)} also returns
 *       each region's holes as candidates; a hole rarely survives {@code box_thresh} but when it does, PaddleOCR emits
 *       an extra small box that this port does not. Outer contours give the same rectangle as their regions (the
 *       rectangle of a point set depends only on its convex hull). The 1000-candidate cap takes regions in raster
 *       order, OpenCV's in its contour order.</li>
 *   <li>The unclip: pyclipper works on the integer-truncated rectangle and approximates the round joins with an arc
 *       tolerance of 0.25 pixel; here JTS buffers the same integer rectangle with as many segments per quadrant as that
 *       tolerance gives, and rounds the result to integers as pyclipper does. Vertices of the arcs differ slightly, so
 *       the second rectangle can differ by a fraction of a pixel (after the rescale, at most one pixel).</li>
 *   <li>The rectangle's corners: {@code cv2.minAreaRect} and {@code cv2.boxPoints} compute in float32, so an
 *       axis-aligned corner at 17 can come out as 16.999998, which PaddleOCR's integer truncation (unclip, box score)
 *       makes 16; JTS's rectangle is exact. A box can then sit one detection-map pixel away — about 4 px on a
 *       3600-px-wide page (2 of 80 lines of the lang=en parity fixture). OpenCV's float rounding also differs between
 *       its versions, which changed the hull and angle conventions of minAreaRect.</li>
 *   <li>The mean probability: {@code cv2.fillPoly} rasterises the truncated rectangle; here a pixel counts when its
 *       centre is inside or on the rectangle's edges, which can differ on edge pixels.</li>
 * </ul>
 */
public final class DbPostProcess {
    private static final GeometryFactory GF = new GeometryFactory();

    private DbPostProcess() {}

    /** The detection parameters (PaddleOCR's inference defaults: 0.3, 0.6, 1.5, 3, 1000). */
    public record Params(double thresh, double boxThresh, double unclipRatio, int minSize, int maxCandidates) {
        public static Params defaults() { return new Params(0.3, 0.6, 1.5, 3, 1000); }
    }

    /** Boxes of a cached detection map. */
    public static List<double[]> boxes(PpOcr.DetMap m, Params p) { return boxes(m.prob(), m.mw(), m.mh(), m.srcW(), m.srcH(), p); }

    /**
     * Boxes from a probability map {@code prob} (mh × mw) for a source image srcW × srcH: each box is 8 doubles
     * (x0,y0,…,x3,y3 clockwise from top-left), sorted as PaddleOCR's {@code sorted_boxes}.
     */
    public static List<double[]> boxes(float[] prob, int mw, int mh, int srcW, int srcH, Params p) {
        int n = mw * mh;
        int[] label = new int[n];
        int[] stack = new int[n];
        List<double[]> out = new ArrayList<>();
        int candidates = 0;
        for (int start = 0; start < n && candidates < p.maxCandidates(); start++) {
            if (label[start] != 0 || !(prob[start] > p.thresh())) continue;
            candidates++;
            // flood-fill the 8-connected region, keep its boundary pixels (the contour's points)
            List<Coordinate> boundary = new ArrayList<>();
            int sp = 0;
            stack[sp++] = start;
            label[start] = candidates;
            while (sp > 0) {
                int i = stack[--sp];
                int x = i % mw, y = i / mw;
                boolean edge = false;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if (dx == 0 && dy == 0) continue;
                        int xx = x + dx, yy = y + dy;
                        if (xx < 0 || yy < 0 || xx >= mw || yy >= mh) { edge = true; continue; }
                        int j = yy * mw + xx;
                        if (!(prob[j] > p.thresh())) { if (dx == 0 || dy == 0) edge = true; continue; }
                        if (label[j] == 0) { label[j] = candidates; stack[sp++] = j; }
                    }
                }
                if (edge) boundary.add(new Coordinate(x, y));
            }
            Rect r = minRect(boundary);
            if (r == null || r.shortSide < p.minSize()) continue;
            double score = meanInside(prob, mw, mh, r.pts);
            if (p.boxThresh() > score) continue;
            Rect u = minRect(unclip(r.pts, p.unclipRatio()));
            if (u == null || u.shortSide < p.minSize() + 2) continue;
            double[] box = new double[8];
            for (int k = 0; k < 4; k++) {
                box[2 * k] = clip(Math.rint(u.pts[2 * k] / mw * srcW), 0, srcW);
                box[2 * k + 1] = clip(Math.rint(u.pts[2 * k + 1] / mh * srcH), 0, srcH);
            }
            double[] ord = orderClockwise(box);
            for (int k = 0; k < 4; k++) {
                ord[2 * k] = clip(ord[2 * k], 0, srcW - 1);
                ord[2 * k + 1] = clip(ord[2 * k + 1], 0, srcH - 1);
            }
            int rw = (int) Math.hypot(ord[0] - ord[2], ord[1] - ord[3]);
            int rh = (int) Math.hypot(ord[0] - ord[6], ord[1] - ord[7]);
            if (rw <= 3 || rh <= 3) continue;
            out.add(ord);
        }
        return sorted(out);
    }

    /** A rectangle's corners in PaddleOCR's {@code get_mini_boxes} order, and its short side. */
    record Rect(double[] pts, double shortSide) { }

    static Rect minRect(List<Coordinate> pts) {
        if (pts.size() < 3) return null;
        MultiPoint mp = GF.createMultiPointFromCoords(pts.toArray(new Coordinate[0]));
        Geometry g = MinimumAreaRectangle.getMinimumRectangle(mp);
        if (!(g instanceof Polygon poly)) return null;
        Coordinate[] c = poly.getExteriorRing().getCoordinates();
        if (c.length < 5) return null;
        double[][] p = new double[4][];
        for (int i = 0; i < 4; i++) p[i] = new double[]{c[i].x, c[i].y};
        double s1 = Math.hypot(p[0][0] - p[1][0], p[0][1] - p[1][1]);
        double s2 = Math.hypot(p[1][0] - p[2][0], p[1][1] - p[2][1]);
        java.util.Arrays.sort(p, (a, b) -> Double.compare(a[0], b[0]));
        int i1, i4, i2, i3;
        if (p[1][1] > p[0][1]) { i1 = 0; i4 = 1; } else { i1 = 1; i4 = 0; }
        if (p[3][1] > p[2][1]) { i2 = 2; i3 = 3; } else { i2 = 3; i3 = 2; }
        double[] box = {p[i1][0], p[i1][1], p[i2][0], p[i2][1], p[i3][0], p[i3][1], p[i4][0], p[i4][1]};
        return new Rect(box, Math.min(s1, s2));
    }

    /** {@code box_score_fast}: mean probability over the pixels of the (truncated) rectangle. */
    static double meanInside(float[] prob, int mw, int mh, double[] box) {
        double minx = Double.MAX_VALUE, maxx = -Double.MAX_VALUE, miny = Double.MAX_VALUE, maxy = -Double.MAX_VALUE;
        for (int k = 0; k < 4; k++) {
            minx = Math.min(minx, box[2 * k]); maxx = Math.max(maxx, box[2 * k]);
            miny = Math.min(miny, box[2 * k + 1]); maxy = Math.max(maxy, box[2 * k + 1]);
        }
        int xmin = (int) clip(Math.floor(minx), 0, mw - 1), xmax = (int) clip(Math.ceil(maxx), 0, mw - 1);
        int ymin = (int) clip(Math.floor(miny), 0, mh - 1), ymax = (int) clip(Math.ceil(maxy), 0, mh - 1);
        double[] q = new double[8];
        for (int k = 0; k < 4; k++) {
            q[2 * k] = (long) (box[2 * k] - xmin);
            q[2 * k + 1] = (long) (box[2 * k + 1] - ymin);
        }
        double sum = 0;
        long cnt = 0;
        for (int y = 0; y <= ymax - ymin; y++) {
            double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
            for (int k = 0; k < 4; k++) {
                double ax = q[2 * k], ay = q[2 * k + 1], bx = q[(2 * k + 2) % 8], by = q[(2 * k + 3) % 8];
                if ((y < Math.min(ay, by)) || (y > Math.max(ay, by))) continue;
                if (ay == by) { lo = Math.min(lo, Math.min(ax, bx)); hi = Math.max(hi, Math.max(ax, bx)); continue; }
                double x = ax + (y - ay) * (bx - ax) / (by - ay);
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            if (lo > hi) continue;
            int x0 = (int) Math.max(0, Math.ceil(lo - 1e-9)), x1 = (int) Math.min(xmax - xmin, Math.floor(hi + 1e-9));
            for (int x = x0; x <= x1; x++) { sum += prob[(y + ymin) * mw + x + xmin]; cnt++; }
        }
        return cnt == 0 ? 0 : sum / cnt;
    }

    /** The rectangle grown by {@code area · ratio / perimeter} with round joins (see the class comment). */
    static List<Coordinate> unclip(double[] box, double ratio) {
        Coordinate[] f = new Coordinate[5], t = new Coordinate[5];
        for (int k = 0; k < 4; k++) {
            f[k] = new Coordinate(box[2 * k], box[2 * k + 1]);
            t[k] = new Coordinate((long) box[2 * k], (long) box[2 * k + 1]);
        }
        f[4] = f[0];
        t[4] = t[0];
        Polygon exact = GF.createPolygon(f);
        double distance = exact.getArea() * ratio / exact.getLength();
        List<Coordinate> out = new ArrayList<>();
        if (!(distance > 0)) return out;
        // pyclipper: steps per full circle = pi / acos(1 - arc_tolerance / delta), arc_tolerance = 0.25
        double steps = Math.PI / Math.acos(1 - Math.min(0.25, distance) / distance);
        int quadrant = Math.max(1, (int) Math.ceil(steps / 4));
        BufferParameters bp = new BufferParameters(quadrant, BufferParameters.CAP_ROUND, BufferParameters.JOIN_ROUND, 5.0);
        Geometry g = BufferOp.bufferOp(GF.createPolygon(t).norm(), distance, bp);
        for (Coordinate c : g.getCoordinates()) out.add(new Coordinate(Math.rint(c.x), Math.rint(c.y)));
        return out;
    }

    /** PaddleOCR's {@code order_points_clockwise}: top-left (min x+y), top-right, bottom-right (max x+y), bottom-left. */
    static double[] orderClockwise(double[] b) {
        int tl = 0, br = 0;
        for (int k = 1; k < 4; k++) {
            if (b[2 * k] + b[2 * k + 1] < b[2 * tl] + b[2 * tl + 1]) tl = k;
            if (b[2 * k] + b[2 * k + 1] > b[2 * br] + b[2 * br + 1]) br = k;
        }
        int[] rest = new int[2];
        int r = 0;
        for (int k = 0; k < 4 && r < 2; k++) if (k != tl && k != br) rest[r++] = k;
        if (tl == br) { rest[0] = (tl + 1) % 4; rest[1] = (tl + 3) % 4; }
        double d0 = b[2 * rest[0] + 1] - b[2 * rest[0]], d1 = b[2 * rest[1] + 1] - b[2 * rest[1]];
        int tr = d0 <= d1 ? rest[0] : rest[1], bl = d0 <= d1 ? rest[1] : rest[0];
        return new double[]{b[2 * tl], b[2 * tl + 1], b[2 * tr], b[2 * tr + 1], b[2 * br], b[2 * br + 1], b[2 * bl], b[2 * bl + 1]};
    }

    /** PaddleOCR's {@code sorted_boxes}: by (y, x) of the first point, then neighbours within 10 px of y in x order. */
    static List<double[]> sorted(List<double[]> boxes) {
        List<double[]> b = new ArrayList<>(boxes);
        b.sort((p, q) -> p[1] != q[1] ? Double.compare(p[1], q[1]) : Double.compare(p[0], q[0]));
        for (int i = 0; i < b.size() - 1; i++) {
            for (int j = i; j >= 0; j--) {
                if (Math.abs(b.get(j + 1)[1] - b.get(j)[1]) < 10 && b.get(j + 1)[0] < b.get(j)[0]) {
                    double[] t = b.get(j);
                    b.set(j, b.get(j + 1));
                    b.set(j + 1, t);
                } else break;
            }
        }
        return b;
    }

    private static double clip(double v, double lo, double hi) { return v < lo ? lo : (v > hi ? hi : v); }
}
