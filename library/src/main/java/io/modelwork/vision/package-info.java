/**
 * The shared vision layer of the perception categories (anomaly now; OCR, tracking and face build on it):
 * decoding ({@link io.modelwork.vision.Images}: javax.imageio plus the TwelveMonkeys JPEG plugin for CMYK and odd
 * JPEGs, grayscale → 3 channels, 16-bit → 8-bit, EXIF orientation), the frozen, saved preprocessing
 * ({@link io.modelwork.vision.Preprocessing}: resize, centre crop, normalise), image dataset kinds
 * ({@link io.modelwork.vision.ImageDataset}: MVTec layout, plain folder, CSV manifest) with fingerprint, profile and
 * validation, and heat-map overlays for galleries ({@link io.modelwork.vision.Overlays}).
 *
 * <p>DJL's {@code ai.djl:api} is not used here: its image classes wrap an engine's NDArray (none is loaded: every
 * model runs on ONNX Runtime) and this layer needs only decode, resize and normalise; its {@code BoundingBox}/NMS are
 * for the detection categories, which may add it.
 *
 * <p>May import {@code io.modelwork.core} and {@code io.modelwork.report} only.
 */
package io.modelwork.vision;
