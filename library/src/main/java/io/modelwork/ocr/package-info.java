/**
 * The OCR category ({@code ocr.ppocr}, {@code ocr.ppocr.rec}) on the Category SPI: {@link io.modelwork.ocr.OcrCategory}
 * with its step handlers ({@code OcrData}: attach/prepare/split, {@code OcrSteps}: build/fit/evaluate/tune/calibrate,
 * {@code OcrExport}), the dataset layouts ({@code OcrDataset}), the metrics ({@code OcrScoring}), the exported bundle's
 * loader ({@link io.modelwork.ocr.OcrBundle}) and the Tesseract baseline ({@link io.modelwork.ocr.TesseractBaseline}).
 * The pipeline itself lives in {@code io.modelwork.ocr.ppocr}.
 *
 * <p>May import {@code core}, {@code report}, {@code spi}, {@code shared}, {@code metrics}, {@code vision},
 * {@code onnx}, {@code assets} (the package-asset cache), {@code ocr.ppocr}, JTS; never {@code session} or another category.
 */
package io.modelwork.ocr;
