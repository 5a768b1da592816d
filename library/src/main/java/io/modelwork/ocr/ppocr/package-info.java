/**
 * PaddleOCR's PP-OCR inference reproduced on ONNX Runtime (see {@code ../shared/ALGORITHMS.md} §2):
 * {@link io.modelwork.ocr.ppocr.PpOcr} (the system: detection, angle classification, recognition),
 * {@link io.modelwork.ocr.ppocr.DbPostProcess} (DB boxes, JTS geometry), {@link io.modelwork.ocr.ppocr.CtcDecoder},
 * {@link io.modelwork.ocr.ppocr.BgrImage} (the OpenCV operations PaddleOCR uses), {@link io.modelwork.ocr.ppocr.OcrConfig},
 * {@link io.modelwork.ocr.ppocr.PageOrientation} (page turn and skew from the detector and the angle classifier; not PaddleOCR's).
 *
 * <p>May import {@code core}, {@code onnx}, {@code assets} (the package-asset cache), Java2D (page rotation), {@code vision},
 * JTS and commons-math; never {@code spi}, {@code session} or a category.
 */
package io.modelwork.ocr.ppocr;
