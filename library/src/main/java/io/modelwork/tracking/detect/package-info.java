/**
 * Object detectors for tracking behind one interface ({@link io.modelwork.tracking.detect.Detector}): YOLOX-Nano,
 * NanoDet-m and the YOLOv8/YOLO11 {@code [1, 4+classes, N]} output layout, with letterboxing, decoding, class filter
 * and NMS. May import {@code core}, {@code onnx}, {@code assets} and {@code tracking.video}.
 */
package io.modelwork.tracking.detect;
