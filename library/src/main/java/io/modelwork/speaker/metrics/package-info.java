/**
 * Diarization metrics exactly as pyannote.metrics computes them: {@link
 * io.modelwork.speaker.metrics.DiarizationMetrics} (DER with its false alarm / missed / confusion / total components,
 * JER, the optimal speaker mapping, pyannote's collar, {@code skip_overlap} and default UEM), {@link
 * io.modelwork.speaker.metrics.Rttm} (RTTM and UEM readers with line numbers in errors), the package-private
 * pyannote.core semantics it needs (segments with a 1e-6 precision, timelines, annotations), and {@link
 * io.modelwork.speaker.metrics.DerCli}, the arguments of {@code bin/modelwork metrics der}.
 *
 * <p>Pure Java; imports {@code io.modelwork.core} and {@code io.modelwork.metrics} (the SciPy-equivalent assignment
 * solver) only.
 */
package io.modelwork.speaker.metrics;
