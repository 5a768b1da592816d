/**
 * PaddleOCR's PP-OCR inference reproduced on ONNX Runtime (see {@code ../shared/ALGORITHMS.md} §2):
 * {@link io.modelwork.ocr.ppocr.PpOcr} (the system: detection, angle classification, recognition),
 * {@link io.modelwork.ocr.ppocr.DbPostProcess} (DB boxes, JTS geometry), {@link io.modelwork.ocr.ppocr.CtcDecoder},
 * {@link io.modelwork.ocr.ppocr.BgrImage} (the OpenCV operations PaddleOCR uses), {@link io.modelwork.ocr.ppocr.OcrConfig}.
 *
 * <p>May import {@code core}, {@code onnx}, {@code audio.PackageAssets} (the package-asset cache), {@code vision},
 * JTS and commons-math; never {@code spi}, {@code session} or a category.
 */
package io.modelwork.ocr.ppocr;
