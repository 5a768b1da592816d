package io.modelwork.tracking.detect;

import io.modelwork.tracking.video.VideoFrame;

import java.util.List;

/**
 * A detector: frame in, boxes of the kept classes out, after the confidence threshold and NMS. Implementations own an
 * ONNX session; {@link #close()} releases it.
 */
public interface Detector extends AutoCloseable {
    /** Boxes in frame pixels with score ≥ {@code conf}, classes in {@code classes} (empty = all), after NMS at {@code nmsIou}. */
    List<Detection> detect(VideoFrame frame, float conf, float nmsIou, int[] classes);

    /** Short name: yolox_nano, nanodet_m or yolov8 (the layout). */
    String name();

    /** SHA-256 of the ONNX file. */
    String sha256();

    java.nio.file.Path file();

    /** The network's square input side in pixels. */
    int inputSize();

    @Override void close();
}
