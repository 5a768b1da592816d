package io.modelwork.face;

import io.modelwork.assets.ModelAssets;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.vision.Images;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenCV Zoo's YuNet ({@code face/face_detection_yunet.onnx}, 53 k parameters): BGR 0–255 input padded to multiples
 * of 32, three strides (8, 16, 32) with {@code cls}, {@code obj}, {@code bbox}, {@code kps} outputs decoded as OpenCV's
 * {@code FaceDetectorYN} does: score = √(cls·obj), centre = (col + b0, row + b1)·stride, size = e^(b2,b3)·stride,
 * landmark = (col + k, row + k')·stride. Images larger than {@code maxSide} are downscaled first (boxes and landmarks
 * are mapped back to source pixels).
 */
public final class YuNet implements FaceDetector {
    public static final String ASSET = "face/face_detection_yunet.onnx";
    private static final int[] STRIDES = {8, 16, 32};
    private final OnnxModel model;
    private final int maxSide;
    private final float nmsIou;

    public YuNet(Path file, String sha256, int maxSide, float nmsIou, int threads) {
        this.model = OnnxModel.load(file, sha256, "cpu", threads);
        model.expectInput("input", -1, 3, -1, -1);
        for (int s : STRIDES) model.expectOutputs("cls_" + s, "obj_" + s, "bbox_" + s, "kps_" + s);
        this.maxSide = maxSide;
        this.nmsIou = nmsIou;
    }

    /** The pinned asset. */
    public static YuNet load(int maxSide, int threads) {
        return new YuNet(ModelAssets.resolve(ASSET), ModelAssets.pin(ASSET), maxSide, 0.3f, threads);
    }

    @Override public String name() { return "yunet"; }

    @Override public String sha256() { return model.sha256(); }

    @Override public List<Face> detect(BufferedImage rgb, float minScore) {
        int W = rgb.getWidth(), H = rgb.getHeight();
        double scale = Math.min(1.0, (double) maxSide / Math.max(W, H));
        BufferedImage img = scale < 1 ? Images.resize(rgb, Math.max(1, (int) Math.round(W * scale)), Math.max(1, (int) Math.round(H * scale))) : rgb;
        int w = img.getWidth(), h = img.getHeight();
        int pw = (w + 31) / 32 * 32, ph = (h + 31) / 32 * 32;
        float[] x = new float[3 * pw * ph];
        int plane = pw * ph;
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) {
                int p = px[r * w + c];
                x[r * pw + c] = p & 0xff;                       // B
                x[plane + r * pw + c] = (p >> 8) & 0xff;        // G
                x[2 * plane + r * pw + c] = (p >> 16) & 0xff;   // R
            }
        Map<String, OnnxModel.Tensor> out = model.run("input", new OnnxModel.Tensor(x, new long[]{1, 3, ph, pw}));
        List<Face> faces = new ArrayList<>();
        double back = 1.0 / scale;
        for (int s : STRIDES) {
            float[] cls = out.get("cls_" + s).data(), obj = out.get("obj_" + s).data();
            float[] box = out.get("bbox_" + s).data(), kps = out.get("kps_" + s).data();
            int cols = pw / s;
            for (int i = 0; i < cls.length; i++) {
                float score = (float) Math.sqrt(clamp(cls[i]) * clamp(obj[i]));
                if (score < minScore) continue;
                int r = i / cols, c = i % cols;
                float cx = (c + box[4 * i]) * s, cy = (r + box[4 * i + 1]) * s;
                float bw = (float) Math.exp(box[4 * i + 2]) * s, bh = (float) Math.exp(box[4 * i + 3]) * s;
                float[] lm = new float[10];
                for (int k = 0; k < 5; k++) {
                    lm[2 * k] = (float) ((c + kps[10 * i + 2 * k]) * s * back);
                    lm[2 * k + 1] = (float) ((r + kps[10 * i + 2 * k + 1]) * s * back);
                }
                faces.add(new Face((float) ((cx - bw / 2) * back), (float) ((cy - bh / 2) * back), (float) (bw * back), (float) (bh * back), score, lm));
            }
        }
        return FaceDetector.nms(faces, nmsIou, 5000);
    }

    private static float clamp(float v) { return Math.min(1f, Math.max(0f, v)); }

    @Override public void close() { model.close(); }
}
