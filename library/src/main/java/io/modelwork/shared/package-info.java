/**
 * What every category shares, written once: the bundle writer ({@link io.modelwork.shared.BundleWriter}: staging
 * folder, SHA-256 manifest, atomic publish) used by exports and checkpoints, the checkpoint state store
 * ({@link io.modelwork.shared.StateStore}), the register and artifacts handlers, tuning through the engine-neutral
 * {@link io.modelwork.tune.Tuner}, and the parallel map with progress and interrupt.
 *
 * <p>Layers: {@code core ← spi ← shared ← categories}. Imports {@code io.modelwork.core}, {@code spi}, {@code report},
 * {@code tune}, {@code registry}; never a category package.
 */
package io.modelwork.shared;
