package io.modelwork.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.ocr.ppocr.OcrConfig;
import io.modelwork.ocr.ppocr.PpOcr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads an exported OCR bundle ({@code pipeline.json}, {@code det.onnx}, {@code cls.onnx}, {@code rec.onnx},
 * {@code dict.txt}) into a ready {@link PpOcr}: what a fresh session or a service uses after export.
 */
public final class OcrBundle {
    public static final String FORMAT = "modelwork.ocr/1";

    private OcrBundle() {}

    /** The pipeline of {@code dir} on CPU with {@code threads} threads; {@code spec} of the bundle in {@code pipeline.json}. */
    public static PpOcr load(Path dir, int threads) {
        Path pj = dir.resolve("pipeline.json");
        if (!Files.isRegularFile(pj))
            throw new ModelworkException("Not an OCR bundle: pipeline.json is missing", dir.toString(), "give the folder export wrote");
        JsonNode p;
        try {
            p = Json.MAPPER.readTree(pj.toFile());
        } catch (IOException e) {
            throw new ModelworkException("Cannot read pipeline.json: " + e.getMessage(), pj.toString(), "export again");
        }
        if (!FORMAT.equals(p.path("format").asText()))
            throw new ModelworkException("pipeline.json has format '" + p.path("format").asText() + "', not " + FORMAT, pj.toString(), "export again with this version");
        JsonNode f = p.path("files");
        Path cls = f.hasNonNull("cls") ? dir.resolve(f.get("cls").asText()) : null;
        return PpOcr.load(new PpOcr.Models(dir.resolve(f.path("det").asText("det.onnx")), cls,
                dir.resolve(f.path("rec").asText("rec.onnx")), dir.resolve(f.path("dict").asText("dict.txt"))),
                OcrConfig.fromJson(p.path("config")), threads, "cpu");
    }
}
