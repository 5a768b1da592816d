/**
 * The diarization pipeline: {@link io.modelwork.speaker.diarization.XVectors} (Vosk's Kaldi speaker model),
 * {@link io.modelwork.speaker.diarization.Backend} (mean, whitening, LDA), {@link io.modelwork.speaker.diarization.Clustering}
 * (agglomerative, spectral) and {@link io.modelwork.speaker.diarization.Diarizer} (windows, labels, smoothing, RTTM turns).
 *
 * <p>Imports {@code io.modelwork.core}, {@code io.modelwork.audio} (decoding, Silero VAD, package assets),
 * {@code io.modelwork.speaker.metrics} (the RTTM turn type), commons-math and Vosk; never a category or the session.
 */
package io.modelwork.speaker.diarization;
