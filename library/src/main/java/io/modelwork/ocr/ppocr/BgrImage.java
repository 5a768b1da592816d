package io.modelwork.ocr.ppocr;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;

import java.awt.image.BufferedImage;

/**
 * An 8-bit, 3-channel image in OpenCV's memory order (height × width × BGR, one byte per value, stored as ints 0..255)
 * with the few OpenCV operations PaddleOCR's inference uses, written to give what {@code cv2} gives.
 *
 * <p>Why hand-written: PaddleOCR's results depend on these exact operations ({@code cv2.resize} INTER_LINEAR with
 * half-pixel centres and no anti-aliasing, {@code cv2.warpPerspective} INTER_CUBIC with BORDER_REPLICATE,
 * {@code np.rot90}, {@code cv2.rotate}); the shared {@code vision.Images.resize} halves the image before resizing
 * (area-like), which is not what PaddleOCR feeds its models, and OpenCV's Java binding is not a dependency of the
 * project. OpenCV computes both interpolations in fixed point: {@link #resize} follows its 8-bit arithmetic value
 * for value; the warp is computed in double precision with OpenCV's 1/32-pixel quantisation and may differ from
 * OpenCV's by one grey level on some pixels.
 */
public final class BgrImage {
    public final int width, height;
    /** h × w × 3, B G R, 0..255. */
    public final int[] data;

    public BgrImage(int width, int height, int[] data) {
        if (data.length != width * height * 3) throw new IllegalArgumentException("size mismatch");
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /**
     * Reads an image file as PaddleOCR does ({@code paddleocr.py check_img}): decoded by the shared
     * {@link io.modelwork.vision.Images#read} (gray, 16-bit, CMYK, EXIF handled; unreadable files are a named error);
     * an image with an alpha channel is blended over white ({@code alpha_to_color}, truncating), since
     * {@code Images.read} drops alpha and transparent pixels are usually stored black.
     */
    public static BgrImage read(java.nio.file.Path file) {
        io.modelwork.vision.Images.Decoded d = io.modelwork.vision.Images.read(file);
        BufferedImage withAlpha = null;
        String f = d.format() == null ? "" : d.format().toLowerCase(java.util.Locale.ROOT);
        if (f.contains("png") || f.contains("tif") || f.contains("gif") || f.contains("webp")) {
            try {
                BufferedImage raw = javax.imageio.ImageIO.read(file.toFile());
                if (raw != null && raw.getColorModel().hasAlpha() && raw.getWidth() == d.width() && raw.getHeight() == d.height()) withAlpha = raw;
            } catch (java.io.IOException | RuntimeException ignored) {
                // Images.read decoded it; keep its pixels
            }
        }
        if (withAlpha == null) return of(d.rgb());
        int w = withAlpha.getWidth(), h = withAlpha.getHeight();
        int[] px = withAlpha.getRGB(0, 0, w, h, null, 0, w);
        int[] out = new int[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            double a = ((p >>> 24) & 0xff) / 255.0;
            out[3 * i] = (int) (255 * (1 - a) + (p & 0xff) * a);
            out[3 * i + 1] = (int) (255 * (1 - a) + ((p >> 8) & 0xff) * a);
            out[3 * i + 2] = (int) (255 * (1 - a) + ((p >> 16) & 0xff) * a);
        }
        return new BgrImage(w, h, out);
    }

    /** The pixels of an (RGB) image, as {@code cv2.imread} gives them: BGR, alpha dropped. */
    public static BgrImage of(BufferedImage rgb) {
        int w = rgb.getWidth(), h = rgb.getHeight();
        int[] px = rgb.getRGB(0, 0, w, h, null, 0, w);
        int[] d = new int[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            d[3 * i] = p & 0xff;
            d[3 * i + 1] = (p >> 8) & 0xff;
            d[3 * i + 2] = (p >> 16) & 0xff;
        }
        return new BgrImage(w, h, d);
    }

    /** Back to a Java image (for galleries and overlays). */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[width * height];
        for (int i = 0; i < px.length; i++) px[i] = (data[3 * i + 2] << 16) | (data[3 * i + 1] << 8) | data[3 * i];
        out.setRGB(0, 0, width, height, px, 0, width);
        return out;
    }

    public int get(int x, int y, int c) { return data[(y * width + x) * 3 + c]; }

    /**
     * {@code cv2.resize(img, (w, h))} with the default INTER_LINEAR, in OpenCV's own 8-bit arithmetic
     * ({@code imgproc/src/resize.cpp}, {@code resizeGeneric_}): per column {@code fx = (float)((dx+0.5)·scale−0.5)},
     * clamped at the left and right edges; per row the same without clamping (the two source rows are clipped
     * instead); weights {@code cvRound(c·2048)} as int16; a horizontal pass in exact integers; the vertical pass as
     * the vectorised {@code VResizeLinearVec_32s8u} computes it, {@code ((S0>>4)·b0>>16) + ((S1>>4)·b1>>16) + 2 >> 2},
     * on every value. An exact 2× reduction is INTER_AREA, as {@code cv::resize} switches it. Checked value for value
     * against {@code cv2.resize} of OpenCV 5.0 ({@code BgrImageResizeTest}); OpenCV builds that finish a row's last
     * few values with the scalar {@code (S0·b0 + S1·b1 + 2²¹) >> 22} may differ there by one grey level.
     */
    public BgrImage resize(int w, int h) {
        if (w == width && h == height) return this;
        double scaleX = 1.0 / ((double) w / width), scaleY = 1.0 / ((double) h / height);
        if (w * 2 == width && h * 2 == height) return halve(w, h);
        final int cn = 3, one = 2048;
        int[] xofs = new int[w], ax0 = new int[w], ax1 = new int[w];
        for (int dx = 0; dx < w; dx++) {
            float fx = (float) ((dx + 0.5) * scaleX - 0.5);
            int sx = (int) Math.floor(fx);
            fx -= sx;
            if (sx < 0) { fx = 0; sx = 0; }
            boolean edge = sx >= width - 1;
            if (edge) { fx = 0; sx = width - 1; }
            xofs[dx] = sx;
            ax0[dx] = edge ? one : (int) Math.rint((1f - fx) * 2048f);
            ax1[dx] = edge ? 0 : (int) Math.rint(fx * 2048f);
        }
        int rowLen = w * cn;
        int[][] rows = new int[2][];
        int[] rowY = {-1, -1};
        int[] out = new int[h * rowLen];
        for (int dy = 0; dy < h; dy++) {
            float fy = (float) ((dy + 0.5) * scaleY - 0.5);
            int sy = (int) Math.floor(fy);
            fy -= sy;
            int b0 = (int) Math.rint((1f - fy) * 2048f), b1 = (int) Math.rint(fy * 2048f);
            int y0 = Math.min(Math.max(sy, 0), height - 1), y1 = Math.min(Math.max(sy + 1, 0), height - 1);
            int[] s0 = hrow(rows, rowY, y0, y1, xofs, ax0, ax1, w);
            int[] s1 = hrow(rows, rowY, y1, y0, xofs, ax0, ax1, w);
            int o = dy * rowLen;
            for (int x = 0; x < rowLen; x++) {
                int v = ((Math.min(s0[x] >> 4, Short.MAX_VALUE) * b0) >> 16) + ((Math.min(s1[x] >> 4, Short.MAX_VALUE) * b1) >> 16);
                out[o + x] = Math.min(255, Math.max(0, (Math.min(v, Short.MAX_VALUE) + 2) >> 2));
            }
        }
        return new BgrImage(w, h, out);
    }

    /**
     * The horizontal pass of source row {@code y}, {@code S[sx]·a0 + S[sx+cn]·a1}, from a two-row cache (rows come in
     * order); the slot of {@code keep}, the other row the current output row needs, is not overwritten.
     */
    private int[] hrow(int[][] rows, int[] rowY, int y, int keep, int[] xofs, int[] a0, int[] a1, int w) {
        for (int k = 0; k < 2; k++) if (rowY[k] == y) return rows[k];
        int slot = rowY[0] == keep ? 1 : 0;
        if (rows[slot] == null) rows[slot] = new int[w * 3];
        rowY[slot] = y;
        int[] r = rows[slot];
        int base = y * width * 3;
        for (int dx = 0; dx < w; dx++) {
            int s = base + xofs[dx] * 3, s1 = Math.min(xofs[dx] + 1, width - 1) * 3 + base;
            for (int c = 0; c < 3; c++) r[dx * 3 + c] = data[s + c] * a0[dx] + (a1[dx] == 0 ? 0 : data[s1 + c] * a1[dx]);
        }
        return r;
    }

    /** {@code resizeAreaFast_} for an exact 2× reduction: the rounded mean of each 2 × 2 block. */
    private BgrImage halve(int w, int h) {
        int[] out = new int[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++)
                    out[(y * w + x) * 3 + c] = (get(2 * x, 2 * y, c) + get(2 * x + 1, 2 * y, c) + get(2 * x, 2 * y + 1, c)
                            + get(2 * x + 1, 2 * y + 1, c) + 2) >> 2;
        return new BgrImage(w, h, out);
    }

    /** {@code cv2.rotate(img, ROTATE_180)}. */
    public BgrImage rotate180() {
        int[] out = new int[data.length];
        int n = width * height;
        for (int i = 0; i < n; i++) System.arraycopy(data, 3 * i, out, 3 * (n - 1 - i), 3);
        return new BgrImage(width, height, out);
    }

    /** {@code np.rot90(img)}: 90° counter-clockwise. */
    public BgrImage rot90() {
        int w = height, h = width;
        int[] out = new int[data.length];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                System.arraycopy(data, (x * width + (width - 1 - y)) * 3, out, (y * w + x) * 3, 3);
        return new BgrImage(w, h, out);
    }

    /**
     * PaddleOCR's {@code get_rotate_crop_image}: the quadrilateral {@code q} (x0,y0,…,x3,y3 clockwise from top-left)
     * warped to an upright rectangle of width {@code int(max(|p0p1|, |p2p3|))} and height {@code int(max(|p0p3|,
     * |p1p2|))} with INTER_CUBIC and BORDER_REPLICATE, then turned 90° counter-clockwise when height/width ≥ 1.5.
     */
    public BgrImage crop(double[] q) {
        int cw = (int) Math.max(Math.hypot(q[0] - q[2], q[1] - q[3]), Math.hypot(q[4] - q[6], q[5] - q[7]));
        int ch = (int) Math.max(Math.hypot(q[0] - q[6], q[1] - q[7]), Math.hypot(q[2] - q[4], q[3] - q[5]));
        cw = Math.max(cw, 1);
        ch = Math.max(ch, 1);
        double[] dst = {0, 0, cw, 0, cw, ch, 0, ch};
        double[] m = homography(dst, q); // destination pixel -> source pixel (what warpPerspective samples)
        int[] out = new int[cw * ch * 3];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                double den = m[6] * x + m[7] * y + m[8];
                double sx = den == 0 ? 0 : (m[0] * x + m[1] * y + m[2]) / den;
                double sy = den == 0 ? 0 : (m[3] * x + m[4] * y + m[5]) / den;
                // OpenCV's 1/32-pixel interpolation table
                sx = Math.round(sx * 32) / 32.0;
                sy = Math.round(sy * 32) / 32.0;
                int ix = (int) Math.floor(sx), iy = (int) Math.floor(sy);
                double[] wx = cubic(sx - ix), wy = cubic(sy - iy);
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    for (int j = 0; j < 4; j++) {
                        int yy = clamp(iy - 1 + j, height);
                        double row = 0;
                        for (int i = 0; i < 4; i++) row += wx[i] * get(clamp(ix - 1 + i, width), yy, c);
                        v += wy[j] * row;
                    }
                    out[(y * cw + x) * 3 + c] = sat(v);
                }
            }
        }
        BgrImage img = new BgrImage(cw, ch, out);
        return (double) ch / cw >= 1.5 ? img.rot90() : img;
    }

    /** OpenCV's bicubic weights (a = −0.75) for a fractional offset {@code t}. */
    static double[] cubic(double t) {
        final double a = -0.75;
        double[] w = new double[4];
        w[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
        w[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
        w[2] = ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1;
        w[3] = 1 - w[0] - w[1] - w[2];
        return w;
    }

    /** The 3×3 homography (row-major, m[8] = 1) mapping the 4 points {@code from} to {@code to} (getPerspectiveTransform). */
    static double[] homography(double[] from, double[] to) {
        double[][] a = new double[8][8];
        double[] b = new double[8];
        for (int i = 0; i < 4; i++) {
            double x = from[2 * i], y = from[2 * i + 1], u = to[2 * i], v = to[2 * i + 1];
            a[i] = new double[]{x, y, 1, 0, 0, 0, -x * u, -y * u};
            b[i] = u;
            a[i + 4] = new double[]{0, 0, 0, x, y, 1, -x * v, -y * v};
            b[i + 4] = v;
        }
        RealVector s;
        try {
            s = new LUDecomposition(new Array2DRowRealMatrix(a)).getSolver().solve(new ArrayRealVector(b));
        } catch (RuntimeException singular) {
            return new double[]{1, 0, from.length > 0 ? to[0] : 0, 0, 1, to[1], 0, 0, 1};
        }
        double[] m = new double[9];
        for (int i = 0; i < 8; i++) m[i] = s.getEntry(i);
        m[8] = 1;
        return m;
    }

    private static int clamp(int v, int n) { return v < 0 ? 0 : (v >= n ? n - 1 : v); }

    private static int sat(double v) {
        long r = Math.round(v);
        return r < 0 ? 0 : (r > 255 ? 255 : (int) r);
    }
}
