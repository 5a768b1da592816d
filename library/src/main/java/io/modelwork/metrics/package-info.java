/**
 * Model-quality metrics over primitive arrays, with scikit-learn 1.2.1's exact definitions.
 *
 * <ul>
 *   <li>{@link io.modelwork.metrics.RegressionMetrics}: RMSE, MSE, MAE, R², MAPE, median absolute error, residuals.</li>
 *   <li>{@link io.modelwork.metrics.ClassificationMetrics}: accuracy, ROC-AUC (one-vs-rest macro for multiclass),
 *       PR-AUC (average precision), precision/recall/F1, log-loss, Brier score, the confusion matrix, and the data of
 *       the ROC, precision-recall and calibration curves.</li>
 *   <li>{@link io.modelwork.metrics.Curve}: the named arrays of one curve, ready to plot or serialise.</li>
 *   <li>{@link io.modelwork.metrics.WordErrorRate}: WER and CER as jiwer 4.0 defines them (corpus sums of S/D/I,
 *       rapidfuzz's alignment choice), with {@code none|lower|basic} normalisation and per-utterance alignments.</li>
 *   <li>{@link io.modelwork.metrics.LinearSumAssignment}: SciPy's {@code linear_sum_assignment}, ported with its
 *       tie-breaking, for the tracking and diarization metrics that must match TrackEval and pyannote.metrics.</li>
 * </ul>
 *
 * <p>Every function is a pure static method. Inputs are validated at the boundary (equal lengths, non-empty, finite
 * values, class indices in range); a bad input raises {@link io.modelwork.core.ModelworkException} saying what is wrong,
 * where, and how to fix it. {@code MetricsSklearnReferenceTest} checks each function against values computed by
 * scikit-learn 1.2.1 (Debian {@code python3-sklearn}) to 1e-9; the generator script and its output live in
 * {@code library/src/test/resources/metrics/}.
 *
 * <p>This package depends only on {@code io.modelwork.core}.
 */
package io.modelwork.metrics;
