/**
 * The anomaly category ({@code anomaly.patchcore}): PatchCore as anomalib implements it (see
 * {@code ../shared/ALGORITHMS.md} §1), on the Category SPI. {@link io.modelwork.anomaly.PatchCore} holds the maths
 * (embedding, coreset), {@link io.modelwork.anomaly.Scorer} the scoring (nearest-neighbour distance, re-weighted
 * image score, blurred map), {@link io.modelwork.anomaly.AnomalyMetrics} image/pixel AUROC and AUPRO,
 * {@link io.modelwork.anomaly.PatchCoreOnnx} the end-to-end ONNX graph (backbone + memory bank), and
 * {@link io.modelwork.anomaly.AnomalyCategory} with its step handlers the lifecycle.
 *
 * <p>May import {@code core}, {@code report}, {@code spi}, {@code shared}, {@code onnx}, {@code assets},
 * {@code vision}; never {@code session} or another category.
 */
package io.modelwork.anomaly;
