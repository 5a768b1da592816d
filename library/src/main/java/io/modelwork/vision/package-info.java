/**
 * The shared vision layer of the perception categories (anomaly now; OCR, tracking and face build on it):
 * decoding ({@link io.modelwork.vision.Images}: javax.imageio plus the TwelveMonkeys JPEG plugin for CMYK and odd
 * JPEGs, grayscale → 3 channels, 16-bit → 8-bit, EXIF orientation), the frozen, saved preprocessing
 * ({@link io.modelwork.vision.Preprocessing}: resize, centre crop, normalise), image dataset kinds
 * ({@link io.modelwork.vision.ImageDataset}: MVTec layout, plain folder, CSV manifest) with fingerprint, profile and
 * validation, and heat-map overlays for galleries ({@link io.modelwork.vision.Overlays}).
 *
 * <p>DJL's {@code ai.djl:api} is not used here: its {@code Image} turns into a tensor only through an engine's
 * {@code NDManager} ({@code toNDArray}), and no DJL engine is loaded (every model runs on ONNX Runtime through
 * {@link io.modelwork.onnx.OnnxModel}; DJL's own OnnxRuntime engine needs a second engine for NDArray operations).
 * What this layer must do around decoding (refuse a 10,000×10,000 image from its header before decoding, apply the
 * EXIF orientation, scale 16-bit samples, keep the frozen resize/crop/normalise as JSON) it does itself either way, on
 * {@code javax.imageio}, which DJL's image factory also wraps. Its {@code BoundingBox}/NMS are for the detection
 * categories, which may add it.
 *
 * <p>May import {@code io.modelwork.core} and {@code io.modelwork.report} only.
 */
package io.modelwork.vision;
