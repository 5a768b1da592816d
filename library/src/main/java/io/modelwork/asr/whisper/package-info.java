/**
 * {@code asr.whisper}: Whisper's log-mel front end ({@link io.modelwork.asr.whisper.LogMel}) and the engine that takes
 * user-supplied ONNX weights ({@link io.modelwork.asr.whisper.WhisperEngine}). Imports {@code io.modelwork.asr},
 * {@code io.modelwork.audio} and {@code io.modelwork.core}.
 */
package io.modelwork.asr.whisper;
