/**
 * The one ONNX Runtime wrapper of Modelwork ({@link io.modelwork.onnx.OnnxModel}): one {@code OrtEnvironment} per
 * process, the model file's SHA-256 checked before load, input/output names and shapes checked against what the
 * caller expects, batched runs, the CUDA execution provider when asked for and present (else CPU with a stated
 * reason). Every perception category (anomaly, OCR, tracking, face, ASR) runs its models through it.
 *
 * <p>May import {@code io.modelwork.core} and ONNX Runtime only.
 */
package io.modelwork.onnx;
