package io.modelwork.face;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;

import java.awt.image.BufferedImage;

/**
 * Alignment of five landmarks to the ArcFace 112×112 template by a least-squares similarity transform (rotation,
 * uniform scale, translation; no reflection) — the transform insightface's {@code norm_crop} estimates with
 * scikit-image — solved as the 10×4 linear system x' = a·x − b·y + tx, y' = b·x + a·y + ty (commons-math3 QR), then a
 * bilinear inverse warp with a black border, as {@code cv2.warpAffine} does.
 */
public final class Alignment {
    /** The ArcFace 112×112 template: left eye, right eye, nose, left and right mouth corner (image coordinates). */
    public static final double[] TEMPLATE = {38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041};
    public static final int SIZE = 112;

    private Alignment() { }

    /** {a, b, tx, ty} mapping {@code src} landmarks (x0,y0,…) onto {@code dst} in the least-squares sense. */
    public static double[] similarity(float[] src, double[] dst) {
        int n = src.length / 2;
        double[][] m = new double[2 * n][];
        double[] rhs = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double x = src[2 * i], y = src[2 * i + 1];
            m[2 * i] = new double[]{x, -y, 1, 0};
            m[2 * i + 1] = new double[]{y, x, 0, 1};
            rhs[2 * i] = dst[2 * i];
            rhs[2 * i + 1] = dst[2 * i + 1];
        }
        RealVector sol = new QRDecomposition(new Array2DRowRealMatrix(m, false)).getSolver().solve(new ArrayRealVector(rhs, false));
        return sol.toArray();
    }

    /** The aligned 112×112 RGB crop of the face with landmarks {@code lm}. */
    public static BufferedImage crop(BufferedImage src, float[] lm) {
        double[] t = similarity(lm, TEMPLATE);
        double a = t[0], b = t[1], tx = t[2], ty = t[3];
        double det = a * a + b * b;
        // inverse of [[a,-b],[b,a]] is [[a,b],[-b,a]]/det
        int W = src.getWidth(), H = src.getHeight();
        int[] px = src.getRGB(0, 0, W, H, null, 0, W);
        BufferedImage out = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        int[] o = new int[SIZE * SIZE];
        for (int v = 0; v < SIZE; v++)
            for (int u = 0; u < SIZE; u++) {
                double du = u - tx, dv = v - ty;
                double x = (a * du + b * dv) / det, y = (-b * du + a * dv) / det;
                o[v * SIZE + u] = bilinear(px, W, H, x, y);
            }
        out.setRGB(0, 0, SIZE, SIZE, o, 0, SIZE);
        return out;
    }

    private static int bilinear(int[] px, int W, int H, double x, double y) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
        double fx = x - x0, fy = y - y0;
        double r = 0, g = 0, bl = 0;
        for (int dy = 0; dy <= 1; dy++)
            for (int dx = 0; dx <= 1; dx++) {
                int xx = x0 + dx, yy = y0 + dy;
                if (xx < 0 || yy < 0 || xx >= W || yy >= H) continue;
                double wgt = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy);
                int p = px[yy * W + xx];
                r += wgt * ((p >> 16) & 0xff);
                g += wgt * ((p >> 8) & 0xff);
                bl += wgt * (p & 0xff);
            }
        return ((int) Math.round(r) << 16) | ((int) Math.round(g) << 8) | (int) Math.round(bl);
    }

    /**
     * Landmarks for an image that is already a face crop (AT&T/ORL style, no detection): the template scaled to the
     * image, assuming the face fills it as in a 112×112 ArcFace crop.
     */
    public static float[] cropLandmarks(int w, int h) {
        float[] lm = new float[10];
        for (int k = 0; k < 5; k++) {
            lm[2 * k] = (float) (TEMPLATE[2 * k] * w / SIZE);
            lm[2 * k + 1] = (float) (TEMPLATE[2 * k + 1] * h / SIZE);
        }
        return lm;
    }
}
