/**
 * The speech-recognition category ({@link io.modelwork.asr.AsrCategory}, specs {@code asr.vosk}, {@code asr.whisper}):
 * datasets of audio + transcripts ({@link io.modelwork.asr.AsrDataset}, {@link io.modelwork.asr.Transcripts}), the
 * engines ({@link io.modelwork.asr.VoskEngine}, {@link io.modelwork.asr.whisper.WhisperEngine}), the step handlers
 * ({@link io.modelwork.asr.AsrSteps}, {@link io.modelwork.asr.AsrScoring}, {@link io.modelwork.asr.AsrExport}) and the
 * state ({@link io.modelwork.asr.AsrState}). WER/CER come from {@link io.modelwork.metrics.WordErrorRate}.
 *
 * <p>Imports core, spi, shared, report, metrics and {@code io.modelwork.audio}; never session or another category.
 */
package io.modelwork.asr;
