package io.modelwork.tracking.detect;

import io.modelwork.tracking.video.VideoFrame;

/**
 * Resize-and-pad into a square network input, in CHW float order, as the detectors' reference pre-processing does:
 * the frame is scaled by {@code r = min(S/h, S/w)} with bilinear interpolation (OpenCV's INTER_LINEAR sampling:
 * half-pixel centres, edge clamped) and padded with 114 ({@code centred=false}: top-left, YOLOX/NanoDet;
 * {@code centred=true}: both sides, Ultralytics). Written here because the three layouts need BGR/RGB, raw/scaled
 * and mean/std variants on packed BGR bytes that the image layer's RGB pre-processing does not cover.
 */
final class Letterbox {
    final float[] tensor;
    final double ratio;
    final double padX, padY;

    private Letterbox(float[] t, double r, double px, double py) { tensor = t; ratio = r; padX = px; padY = py; }

    /**
     * @param rgb   channel order RGB (else BGR)
     * @param mean  per output channel, subtracted after {@code scale}
     * @param std   per output channel, divides after the mean
     * @param scale multiplies the 0–255 values first (1 = raw, 1/255)
     */
    static Letterbox of(VideoFrame f, int size, boolean centred, boolean rgb, float scale, float[] mean, float[] std) {
        int w = f.width(), h = f.height();
        double r = Math.min((double) size / h, (double) size / w);
        int nw = (int) Math.round(w * r), nh = (int) Math.round(h * r);
        nw = Math.min(nw, size);
        nh = Math.min(nh, size);
        int ox = centred ? (size - nw) / 2 : 0, oy = centred ? (size - nh) / 2 : 0;
        int plane = size * size;
        float[] t = new float[3 * plane];
        float[] pad = new float[3];
        for (int c = 0; c < 3; c++) pad[c] = (114f * scale - mean[c]) / std[c];
        for (int c = 0; c < 3; c++) java.util.Arrays.fill(t, c * plane, (c + 1) * plane, pad[c]);
        byte[] src = f.bgr();
        double sx = (double) w / nw, sy = (double) h / nh;
        int[] x0 = new int[nw], x1 = new int[nw];
        float[] fx = new float[nw];
        for (int x = 0; x < nw; x++) {
            double gx = (x + 0.5) * sx - 0.5;
            int a = (int) Math.floor(gx);
            fx[x] = (float) (gx - a);
            x0[x] = Math.max(0, Math.min(w - 1, a));
            x1[x] = Math.max(0, Math.min(w - 1, a + 1));
            if (gx < 0) { fx[x] = 0; x0[x] = x1[x] = 0; }
        }
        for (int y = 0; y < nh; y++) {
            double gy = (y + 0.5) * sy - 0.5;
            int a = (int) Math.floor(gy);
            float fy = (float) (gy - a);
            int y0 = Math.max(0, Math.min(h - 1, a)), y1 = Math.max(0, Math.min(h - 1, a + 1));
            if (gy < 0) { fy = 0; y0 = y1 = 0; }
            int r0 = y0 * w * 3, r1 = y1 * w * 3;
            int dst = (y + oy) * size + ox;
            for (int x = 0; x < nw; x++) {
                int p00 = r0 + x0[x] * 3, p01 = r0 + x1[x] * 3, p10 = r1 + x0[x] * 3, p11 = r1 + x1[x] * 3;
                float wx = fx[x];
                for (int c = 0; c < 3; c++) { // c = BGR index in the source
                    float v = (1 - fy) * ((1 - wx) * (src[p00 + c] & 0xff) + wx * (src[p01 + c] & 0xff))
                            + fy * ((1 - wx) * (src[p10 + c] & 0xff) + wx * (src[p11 + c] & 0xff));
                    int oc = rgb ? 2 - c : c;
                    t[oc * plane + dst + x] = (v * scale - mean[oc]) / std[oc];
                }
            }
        }
        return new Letterbox(t, r, ox, oy);
    }
}
