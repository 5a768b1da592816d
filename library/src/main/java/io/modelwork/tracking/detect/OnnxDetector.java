package io.modelwork.tracking.detect;

import io.modelwork.assets.ModelAssets;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.tracking.video.VideoFrame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ONNX detectors, one class for the three output layouts it recognises from the model's outputs:
 * <ul>
 *   <li>{@code yolox}: one output {@code [1, N, 5+C]} with N = Σ (S/s)² over strides 8/16/32 (YOLOX-Nano: 3549 × 85).
 *       Letterbox top-left, pad 114, <b>BGR raw 0–255</b>; cx = (o0+gx)·s, cy = (o1+gy)·s, w = e^o2·s, h = e^o3·s;
 *       score = objectness × class score (the demo's {@code demo_postprocess}).</li>
 *   <li>{@code nanodet}: per stride a class-score output {@code [1, N, C]} (sigmoid) and a box-distribution output
 *       {@code [1, N, 4·B]}; BGR, mean (103.53, 116.28, 123.675), std (57.375, 57.12, 58.395); each side is the
 *       expectation of a softmax over B bins × stride from the cell centre ((x+0.5)·s, (y+0.5)·s), as the GFL head of
 *       NanoDet-m v0.x places its points ({@code distance2bbox}). ASSETS.md says (x·s, y·s); on PETS2009 that puts
 *       every box half a cell up and left of YOLOX's and of the ground truth (HOTA 0.32, MOTA −0.23 on 100 frames),
 *       so the half-cell offset is used.
 *       Here the frame goes through the same top-left letterbox as YOLOX (aspect ratio kept, pad 114 before
 *       normalising), whatever NanoDet's config says about {@code keep_ratio}, so boxes map back by one ratio.</li>
 *   <li>{@code yolov8}: one output {@code [1, 4+C, N]} (YOLOv8/YOLO11 exported by Ultralytics): centred letterbox,
 *       RGB /255, rows cx, cy, w, h in input pixels then C class scores, no objectness.</li>
 * </ul>
 * Any other output layout is a {@link ModelworkException} listing the outputs the model has.
 */
public final class OnnxDetector implements Detector {
    /** The recognised layouts. */
    public enum Layout { YOLOX, NANODET, YOLOV8 }

    static final int[] STRIDES = {8, 16, 32};
    private static final float[] ZERO = {0, 0, 0}, ONE = {1, 1, 1};
    private static final float[] NANO_MEAN = {103.53f, 116.28f, 123.675f}, NANO_STD = {57.375f, 57.12f, 58.395f};

    private final OnnxModel model;
    private final Layout layout;
    private final String name;
    private final String input;
    private final int size;
    private final String[] clsOut, regOut; // nanodet, by stride
    private final int bins;

    private OnnxDetector(OnnxModel m, Layout layout, String name, int size, String[] clsOut, String[] regOut, int bins) {
        this.model = m;
        this.layout = layout;
        this.name = name;
        this.input = m.inputs().keySet().iterator().next();
        this.size = size;
        this.clsOut = clsOut;
        this.regOut = regOut;
        this.bins = bins;
    }

    /** The asset names of the bundled detectors. */
    public static final Map<String, String> BUNDLED = Map.of(
            "yolox_nano", "detection/yolox_nano_coco.onnx",
            "nanodet_m", "detection/nanodet_m_416.onnx");

    /** Resolves {@code detector} (yolox_nano, nanodet_m, or a path to an .onnx file) and loads it on CPU. */
    public static OnnxDetector load(String detector, int threads) {
        String key = detector.toLowerCase(Locale.ROOT).replace('-', '_');
        Path file = BUNDLED.containsKey(key) ? ModelAssets.resolve(BUNDLED.get(key)) : Path.of(detector);
        if (!BUNDLED.containsKey(key) && !detector.toLowerCase(Locale.ROOT).endsWith(".onnx"))
            throw new ModelworkException("Unknown detector '" + detector + "'", "build detector",
                    "use yolox_nano, nanodet_m or the path of an .onnx file (YOLOv8/YOLO11 export, YOLOX or NanoDet layout)");
        OnnxModel m = OnnxModel.load(file, BUNDLED.containsKey(key) ? ModelAssets.pin(BUNDLED.get(key)) : null, "cpu", threads);
        try {
            return of(m, BUNDLED.containsKey(key) ? key : null);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    static OnnxDetector of(OnnxModel m, String bundledName) {
        long[] in = m.inputs().values().iterator().next();
        int side = in.length == 4 && in[2] > 0 ? (int) in[2] : -1;
        Map<String, long[]> outs = m.outputs();
        if (outs.size() == 1) {
            long[] s = outs.values().iterator().next();
            if (s.length == 3 && s[2] > 5) {
                int n = (int) s[1];
                int S = side > 0 ? side : 416;
                if (n == gridCount(S)) return new OnnxDetector(m, Layout.YOLOX, bundledName != null ? bundledName : "yolox", S, null, null, 0);
            }
            if (s.length == 3 && s[1] > 4 && (s[2] < 0 || s[2] > s[1]))
                return new OnnxDetector(m, Layout.YOLOV8, bundledName != null ? bundledName : "yolov8", side > 0 ? side : 640, null, null, 0);
        }
        if (outs.size() == 6 && side > 0) {
            String[] cls = new String[3], reg = new String[3];
            int regBins = 0;
            for (Map.Entry<String, long[]> e : outs.entrySet()) {
                long[] s = e.getValue();
                if (s.length != 3) break;
                int st = -1;
                for (int k = 0; k < 3; k++) if (s[1] == cells(side, STRIDES[k])) st = k;
                if (st < 0) break;
                if (s[2] % 4 == 0 && s[2] / 4 >= 4 && s[2] != 80) { reg[st] = e.getKey(); regBins = (int) (s[2] / 4); }
                else cls[st] = e.getKey();
            }
            if (Arrays.stream(cls).allMatch(java.util.Objects::nonNull) && Arrays.stream(reg).allMatch(java.util.Objects::nonNull))
                return new OnnxDetector(m, Layout.NANODET, bundledName != null ? bundledName : "nanodet", side, cls, reg, regBins);
        }
        StringBuilder sb = new StringBuilder();
        outs.forEach((k, v) -> sb.append(sb.length() > 0 ? ", " : "").append(k).append(' ').append(Arrays.toString(v)));
        throw new ModelworkException("Unknown detector output layout: " + sb, m.file().toString(),
                "use a YOLOv8/YOLO11 export (one output [1, 4+classes, N]), a YOLOX export ([1, N, 5+classes]) or NanoDet "
                        + "(class [1, N, C] and box [1, N, 4·bins] per stride 8/16/32); or detector=yolox_nano");
    }

    static int cells(int side, int stride) { int g = (side + stride - 1) / stride; return g * g; }

    static int gridCount(int side) { int n = 0; for (int s : STRIDES) n += (side / s) * (side / s); return n; }

    public Layout layout() { return layout; }
    @Override public String name() { return name; }
    @Override public String sha256() { return model.sha256(); }
    @Override public Path file() { return model.file(); }
    @Override public int inputSize() { return size; }

    @Override public List<Detection> detect(VideoFrame f, float conf, float nmsIou, int[] classes) {
        Letterbox lb = switch (layout) {
            case YOLOX -> Letterbox.of(f, size, false, false, 1f, ZERO, ONE);
            case NANODET -> Letterbox.of(f, size, false, false, 1f, NANO_MEAN, NANO_STD);
            case YOLOV8 -> Letterbox.of(f, size, true, true, 1f / 255, ZERO, ONE);
        };
        OnnxModel.Tensor x = new OnnxModel.Tensor(lb.tensor, new long[]{1, 3, size, size});
        List<Detection> raw;
        switch (layout) {
            case YOLOX -> {
                OnnxModel.Tensor o = model.run(input, x).values().iterator().next();
                raw = decodeYolox(o.data(), (int) o.shape()[2], size, conf, classes);
            }
            case NANODET -> {
                Map<String, OnnxModel.Tensor> o = model.run(input, x);
                raw = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    OnnxModel.Tensor c = o.get(clsOut[k]);
                    raw.addAll(decodeNanodet(c.data(), o.get(regOut[k]).data(), (int) c.shape()[2], bins, STRIDES[k], size, conf, classes));
                }
            }
            default -> {
                OnnxModel.Tensor o = model.run(input, x).values().iterator().next();
                raw = decodeYolov8(o.data(), (int) o.shape()[1], (int) o.shape()[2], conf, classes);
            }
        }
        List<Detection> out = new ArrayList<>(raw.size());
        for (Detection d : raw) {
            float x1 = clamp((d.x1() - lb.padX) / lb.ratio, f.width()), y1 = clamp((d.y1() - lb.padY) / lb.ratio, f.height());
            float x2 = clamp((d.x2() - lb.padX) / lb.ratio, f.width()), y2 = clamp((d.y2() - lb.padY) / lb.ratio, f.height());
            if (x2 > x1 && y2 > y1) out.add(new Detection(x1, y1, x2, y2, d.score(), d.cls()));
        }
        return Nms.apply(out, nmsIou);
    }

    private static float clamp(double v, int max) { return (float) Math.max(0, Math.min(max, v)); }

    private static boolean keep(int c, int[] classes) {
        if (classes == null || classes.length == 0) return true;
        for (int k : classes) if (k == c) return true;
        return false;
    }

    /** YOLOX grid decode of {@code [N, cols]} rows (cols = 5 + classes) in input pixels. */
    static List<Detection> decodeYolox(float[] o, int cols, int side, float conf, int[] classes) {
        List<Detection> out = new ArrayList<>();
        int row = 0;
        for (int s : STRIDES) {
            int g = side / s;
            for (int gy = 0; gy < g; gy++)
                for (int gx = 0; gx < g; gx++, row++) {
                    int b = row * cols;
                    float obj = o[b + 4];
                    if (obj < conf) continue;
                    float cx = (o[b] + gx) * s, cy = (o[b + 1] + gy) * s;
                    float w = (float) Math.exp(o[b + 2]) * s, h = (float) Math.exp(o[b + 3]) * s;
                    for (int c = 0; c < cols - 5; c++) {
                        float sc = obj * o[b + 5 + c];
                        if (sc >= conf && keep(c, classes)) out.add(new Detection(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, sc, c));
                    }
                }
        }
        return out;
    }

    /** NanoDet decode of one stride: class scores {@code [N, C]}, distributions {@code [N, 4·bins]}. */
    static List<Detection> decodeNanodet(float[] cls, float[] reg, int nc, int bins, int stride, int side, float conf, int[] classes) {
        List<Detection> out = new ArrayList<>();
        int g = (side + stride - 1) / stride, n = cls.length / nc;
        float[] d = new float[4];
        for (int i = 0; i < n; i++) {
            int best = -1;
            for (int c = 0; c < nc; c++) if (cls[i * nc + c] >= conf && keep(c, classes)) { best = c; break; }
            if (best < 0) continue;
            for (int side4 = 0; side4 < 4; side4++) {
                int b = i * 4 * bins + side4 * bins;
                float mx = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < bins; k++) mx = Math.max(mx, reg[b + k]);
                double sum = 0, ex = 0;
                for (int k = 0; k < bins; k++) { double e = Math.exp(reg[b + k] - mx); sum += e; ex += e * k; }
                d[side4] = (float) (ex / sum) * stride;
            }
            float cx = (i % g + 0.5f) * stride, cy = (i / g + 0.5f) * stride;
            for (int c = 0; c < nc; c++) {
                float sc = cls[i * nc + c];
                if (sc >= conf && keep(c, classes)) out.add(new Detection(cx - d[0], cy - d[1], cx + d[2], cy + d[3], sc, c));
            }
        }
        return out;
    }

    /** YOLOv8/YOLO11 decode of {@code [rows = 4+C, n]} (column per candidate) in input pixels. */
    static List<Detection> decodeYolov8(float[] o, int rows, int n, float conf, int[] classes) {
        List<Detection> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < rows - 4; c++) {
                float sc = o[(4 + c) * n + j];
                if (sc < conf || !keep(c, classes)) continue;
                float cx = o[j], cy = o[n + j], w = o[2 * n + j], h = o[3 * n + j];
                out.add(new Detection(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, sc, c));
            }
        }
        return out;
    }

    @Override public void close() { model.close(); }
}
