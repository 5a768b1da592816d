/**
 * Multi-object-tracking metrics exactly as TrackEval computes them for MOTChallenge 2D boxes: {@link
 * io.modelwork.tracking.metrics.Hota} (HOTA, DetA, AssA, LocA and their recall/precision parts, per α and averaged),
 * {@link io.modelwork.tracking.metrics.Clear} (MOTA, MOTP, IDSW, MT/PT/ML, Frag, FP/FN) and {@link
 * io.modelwork.tracking.metrics.Identity} (IDF1, IDP, IDR); {@link io.modelwork.tracking.metrics.MotText} reads
 * MOTChallenge text files, {@link io.modelwork.tracking.metrics.MotSequence} applies TrackEval's MOT17
 * pre-processing, {@link io.modelwork.tracking.metrics.MotMetrics} runs all three and writes the JSON of
 * {@code bin/modelwork metrics mot}, which {@link io.modelwork.tracking.metrics.MotCli} parses the arguments of.
 *
 * <p>Every assignment goes through {@link io.modelwork.metrics.LinearSumAssignment}, a port of SciPy's solver, so
 * that ties are broken as in the reference. The reference code was not available to run here (no TrackEval wheel):
 * the rules are transcribed from TrackEval's source ({@code trackeval/metrics/{hota,clear,identity}.py},
 * {@code datasets/mot_challenge_2d_box.py}, {@code _base_dataset._calculate_box_ious}) and each is stated in the class
 * that implements it; the tests check hand-computed sequences.
 *
 * <p>Pure Java; imports {@code io.modelwork.core} and {@code io.modelwork.metrics} only.
 */
package io.modelwork.tracking.metrics;
