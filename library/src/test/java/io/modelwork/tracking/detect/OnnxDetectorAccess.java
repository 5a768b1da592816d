package io.modelwork.tracking.detect;

import java.util.List;

/** Test access to the package-private decoders. */
public final class OnnxDetectorAccess {
    private OnnxDetectorAccess() { }

    public static List<Detection> yolov8(float[] o, int rows, int n, float conf, int[] classes) {
        return OnnxDetector.decodeYolov8(o, rows, n, conf, classes);
    }
}
