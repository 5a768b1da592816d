package io.modelwork.anomaly;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Anomaly-detection metrics, defined as anomalib computes them: image and pixel AUROC (ties count one half), AUPRO
 * (per-region overlap averaged over the connected ground-truth regions of all images, against the false-positive
 * rate over all normal pixels, integrated up to FPR 0.3 and divided by 0.3, as anomalib's {@code AUPRO}), recall at a
 * fixed FPR, F1 at a threshold. Scores above the threshold are anomalous. Hand-written: the pixel arrays are millions
 * of values (sorting primitive floats is what keeps it fast), and the project has no metric library that knows PRO.
 */
public final class AnomalyMetrics {
    private AnomalyMetrics() { }

    /** AUROC of {@code scores} for labels (true = anomalous); NaN when a class is missing. */
    public static double auroc(float[] scores, boolean[] positive) {
        int np = 0;
        for (boolean b : positive) if (b) np++;
        float[] pos = new float[np], neg = new float[scores.length - np];
        int a = 0, b = 0;
        for (int i = 0; i < scores.length; i++) if (positive[i]) pos[a++] = scores[i]; else neg[b++] = scores[i];
        return auroc(pos, neg);
    }

    /** AUROC = P(pos &gt; neg) + ½ P(pos = neg), by sorting both. */
    public static double auroc(float[] pos, float[] neg) {
        if (pos.length == 0 || neg.length == 0) return Double.NaN;
        pos = pos.clone();
        neg = neg.clone();
        Arrays.sort(pos);
        Arrays.sort(neg);
        double sum = 0;
        int lo = 0, hi = 0;
        for (float p : pos) {
            while (lo < neg.length && neg[lo] < p) lo++;
            if (hi < lo) hi = lo;
            while (hi < neg.length && neg[hi] <= p) hi++;
            sum += lo + 0.5 * (hi - lo);
        }
        return sum / ((double) pos.length * neg.length);
    }

    /** The threshold that flags at most {@code fpr} of {@code normals} (score &gt; threshold = anomalous). */
    public static double thresholdAtFpr(float[] normals, double fpr) {
        float[] s = normals.clone();
        Arrays.sort(s);
        int allowed = (int) Math.floor(fpr * s.length + 1e-9);
        if (allowed >= s.length) return Double.NEGATIVE_INFINITY;
        return s[s.length - 1 - allowed];
    }

    /** Fraction of {@code scores} above {@code threshold}. */
    public static double rateAbove(float[] scores, double threshold) {
        if (scores.length == 0) return Double.NaN;
        int n = 0;
        for (float s : scores) if (s > threshold) n++;
        return (double) n / scores.length;
    }

    /** Recall of {@code pos} at the threshold giving FPR ≤ fpr on {@code neg}. */
    public static double recallAtFpr(float[] pos, float[] neg, double fpr) {
        if (pos.length == 0 || neg.length == 0) return Double.NaN;
        return rateAbove(pos, thresholdAtFpr(neg, fpr));
    }

    /** F1 of "score &gt; threshold = anomalous". */
    public static double f1(float[] pos, float[] neg, double threshold) {
        double tp = 0, fp = 0;
        for (float p : pos) if (p > threshold) tp++;
        for (float n : neg) if (n > threshold) fp++;
        double fn = pos.length - tp;
        return tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
    }

    /** ROC points (fpr, tpr) from the highest threshold down, starting at (0,0). */
    public static double[][] roc(float[] pos, float[] neg) {
        float[] all = new float[pos.length + neg.length];
        System.arraycopy(pos, 0, all, 0, pos.length);
        System.arraycopy(neg, 0, all, pos.length, neg.length);
        float[] t = all.clone();
        Arrays.sort(t);
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[]{0, 0});
        float[] ps = pos.clone(), ns = neg.clone();
        Arrays.sort(ps);
        Arrays.sort(ns);
        for (int i = t.length - 1; i >= 0; i--) {
            if (i < t.length - 1 && t[i] == t[i + 1]) continue;
            float th = t[i];
            pts.add(new double[]{countAtLeast(ns, th) / (double) ns.length, countAtLeast(ps, th) / (double) ps.length});
        }
        double[][] out = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) { out[0][i] = pts.get(i)[0]; out[1][i] = pts.get(i)[1]; }
        return out;
    }

    private static int countAtLeast(float[] sorted, float th) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < th) lo = mid + 1; else hi = mid;
        }
        return sorted.length - lo;
    }

    /** Result of {@link #aupro}: the normalised area and the curve (fpr, pro) up to the limit. */
    public record Pro(double aupro, double[] fpr, double[] pro, int regions) { }

    /**
     * AUPRO to {@code fprLimit}: {@code maps} and {@code masks} are per image, side×side; the regions are the
     * 8-connected components of every mask; the background is every pixel outside all masks.
     */
    public static Pro aupro(List<float[]> maps, List<boolean[]> masks, int side, double fprLimit) {
        List<float[]> regions = new ArrayList<>();
        int nBg = 0;
        for (boolean[] m : masks) for (boolean b : m) if (!b) nBg++;
        float[] bg = new float[nBg];
        int q = 0;
        for (int i = 0; i < maps.size(); i++) {
            float[] map = maps.get(i);
            boolean[] mask = masks.get(i);
            for (int j = 0; j < map.length; j++) if (!mask[j]) bg[q++] = map[j];
            for (int[] comp : components(mask, side)) {
                float[] r = new float[comp.length];
                for (int j = 0; j < comp.length; j++) r[j] = map[comp[j]];
                Arrays.sort(r);
                regions.add(r);
            }
        }
        if (regions.isEmpty() || bg.length == 0) return new Pro(Double.NaN, new double[0], new double[0], regions.size());
        Arrays.sort(bg);
        // thresholds walk down the background scores: the first point is above every background pixel (FPR 0),
        // then about 2000 steps up to the first point past the limit (kept for the interpolation at the limit)
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[]{0, pro(regions, Math.nextUp(bg[bg.length - 1]))});
        int step = Math.max(1, (int) (bg.length * fprLimit / 2000));
        for (int j = bg.length - 1; ; j -= step) {
            int at = Math.max(0, j);
            float th = bg[at];
            double fpr = countAtLeast(bg, th) / (double) bg.length;
            if (fpr > pts.get(pts.size() - 1)[0]) pts.add(new double[]{fpr, pro(regions, th)});
            if (fpr > fprLimit || at == 0) break;
        }
        double area = 0;
        List<double[]> curve = new ArrayList<>();
        curve.add(pts.get(0));
        for (int i = 1; i < pts.size(); i++) {
            double[] a = pts.get(i - 1), b = pts.get(i);
            if (b[0] > fprLimit) {
                double y = a[1] + (b[1] - a[1]) * (fprLimit - a[0]) / (b[0] - a[0]);
                area += (fprLimit - a[0]) * (a[1] + y) / 2;
                curve.add(new double[]{fprLimit, y});
                break;
            }
            area += (b[0] - a[0]) * (a[1] + b[1]) / 2;
            curve.add(b);
        }
        double end = curve.get(curve.size() - 1)[0];
        double[] fx = curve.stream().mapToDouble(p -> p[0]).toArray(), py = curve.stream().mapToDouble(p -> p[1]).toArray();
        return new Pro(end > 0 ? area / end : Double.NaN, fx, py, regions.size());
    }

    private static double pro(List<float[]> regions, float th) {
        double pro = 0;
        for (float[] r : regions) pro += countAtLeast(r, th) / (double) r.length;
        return pro / regions.size();
    }

    /** 8-connected components of a side×side mask, each as pixel indices. */
    static List<int[]> components(boolean[] mask, int side) {
        List<int[]> out = new ArrayList<>();
        boolean[] seen = new boolean[mask.length];
        int[] stack = new int[mask.length];
        for (int s = 0; s < mask.length; s++) {
            if (!mask[s] || seen[s]) continue;
            int top = 0, n = 0;
            int[] comp = new int[16];
            stack[top++] = s;
            seen[s] = true;
            while (top > 0) {
                int p = stack[--top];
                if (n == comp.length) comp = Arrays.copyOf(comp, n * 2);
                comp[n++] = p;
                int y = p / side, x = p % side;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy, xx = x + dx;
                        if (yy < 0 || xx < 0 || yy >= side || xx >= side) continue;
                        int qq = yy * side + xx;
                        if (mask[qq] && !seen[qq]) { seen[qq] = true; stack[top++] = qq; }
                    }
            }
            out.add(Arrays.copyOf(comp, n));
        }
        return out;
    }
}
