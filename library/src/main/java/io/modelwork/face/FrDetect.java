package io.modelwork.face;

import io.modelwork.assets.PackageAssets;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.vision.Images;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The faceplugin package's detector ({@code fr_detect.onnx}: the image resized to 320×240, RGB (x−127)/128 →
 * {@code scores} [1,4420,2] (face probability second) and {@code boxes} [1,4420,4] already decoded, normalised
 * x1y1x2y2; NMS at IoU 0.4 as the package's {@code cpuNMS}) with its 68-point landmark model ({@code fr_landmark.onnx}:
 * the box crop resized to 64×64 gray /256 → 68 (x, y) relative to the box), reduced to five points as the package's
 * {@code convert68pts5pts} does: eye centres from points 37/38/40/41 and 43/44/46/47, nose tip 30, mouth corners
 * averaged over 48/60 and 54/64 (0-based).
 */
public final class FrDetect implements FaceDetector {
    public static final String DETECT_ENTRY = "package/model/fr_detect.onnx";
    public static final String DETECT_SHA = "6c0256ccd3164f844736a401faf936ec2930764a87ae39442180887d0c5c8854";
    public static final String LANDMARK_ENTRY = "package/model/fr_landmark.onnx";
    public static final String LANDMARK_SHA = "f10b0ba1d2a8a099adefede1ebf3733e44fe370715e7303dbeb7f59c02142258";
    private final OnnxModel det, lmk;

    private FrDetect(OnnxModel det, OnnxModel lmk) {
        this.det = det.expectInput("input", 1, 3, 240, 320).expectOutputs("scores", "boxes");
        this.lmk = lmk;
    }

    public static FrDetect load(int threads) {
        OnnxModel d = OnnxModel.load(PackageAssets.npmFile(FaceEmbedder.NPM, FaceEmbedder.NPM_VERSION, DETECT_ENTRY, DETECT_SHA), DETECT_SHA, "cpu", threads);
        try {
            return new FrDetect(d, OnnxModel.load(PackageAssets.npmFile(FaceEmbedder.NPM, FaceEmbedder.NPM_VERSION, LANDMARK_ENTRY, LANDMARK_SHA), LANDMARK_SHA, "cpu", threads));
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    @Override public String name() { return "fr_detect"; }

    @Override public String sha256() { return det.sha256(); }

    @Override public List<Face> detect(BufferedImage rgb, float minScore) {
        int W = rgb.getWidth(), H = rgb.getHeight();
        BufferedImage small = Images.resize(rgb, 320, 240);
        float[] x = new float[3 * 320 * 240];
        int[] px = small.getRGB(0, 0, 320, 240, null, 0, 320);
        int plane = 320 * 240;
        for (int i = 0; i < plane; i++) {
            int p = px[i];
            x[i] = (((p >> 16) & 0xff) - 127f) / 128f;
            x[plane + i] = (((p >> 8) & 0xff) - 127f) / 128f;
            x[2 * plane + i] = ((p & 0xff) - 127f) / 128f;
        }
        Map<String, OnnxModel.Tensor> out = det.run("input", new OnnxModel.Tensor(x, new long[]{1, 3, 240, 320}), "scores", "boxes");
        float[] sc = out.get("scores").data(), bx = out.get("boxes").data();
        List<Face> raw = new ArrayList<>();
        for (int i = 0; i < sc.length / 2; i++) {
            float s = sc[2 * i + 1];
            if (s < minScore) continue;
            float x1 = bx[4 * i] * W, y1 = bx[4 * i + 1] * H, x2 = bx[4 * i + 2] * W, y2 = bx[4 * i + 3] * H;
            raw.add(new Face(x1, y1, x2 - x1, y2 - y1, s, null));
        }
        List<Face> kept = FaceDetector.nms(raw, 0.4f, 750);
        List<Face> faces = new ArrayList<>();
        for (Face f : kept) faces.add(new Face(f.x(), f.y(), f.w(), f.h(), f.score(), landmarks(rgb, f)));
        return faces;
    }

    /** The 68 landmarks of the box reduced to five (ArcFace order), in source pixels. */
    float[] landmarks(BufferedImage rgb, Face f) {
        int W = rgb.getWidth(), H = rgb.getHeight();
        int x1 = Math.max(0, (int) f.x()), y1 = Math.max(0, (int) f.y());
        int w = Math.max(1, Math.min(W - 1 - x1, (int) f.w())), h = Math.max(1, Math.min(H - 1 - y1, (int) f.h()));
        BufferedImage crop = Images.resize(rgb.getSubimage(x1, y1, w, h), 64, 64);
        float[] g = new float[64 * 64];
        int[] px = crop.getRGB(0, 0, 64, 64, null, 0, 64);
        for (int i = 0; i < g.length; i++) {
            int p = px[i];
            g[i] = (float) ((0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff)) / 256.0);
        }
        String in = lmk.inputs().keySet().iterator().next();
        float[] l = lmk.run(in, new OnnxModel.Tensor(g, new long[]{1, 1, 64, 64})).values().iterator().next().data();
        float[] p = new float[136];
        for (int i = 0; i < 68; i++) { p[2 * i] = l[2 * i] * w + x1; p[2 * i + 1] = l[2 * i + 1] * h + y1; }
        return fivePoints(p);
    }

    static float[] fivePoints(float[] p) {
        return new float[]{
                (p[74] + p[76] + p[80] + p[82]) / 4, (p[75] + p[77] + p[81] + p[83]) / 4,
                (p[86] + p[88] + p[92] + p[94]) / 4, (p[87] + p[89] + p[93] + p[95]) / 4,
                p[60], p[61],
                (p[96] + p[120]) / 2, (p[97] + p[121]) / 2,
                (p[108] + p[128]) / 2, (p[109] + p[129]) / 2};
    }

    @Override public void close() {
        det.close();
        lmk.close();
    }
}
