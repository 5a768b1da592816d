/**
 * Runs of a run root compared side by side ({@link io.modelwork.runs.RunComparison}: the leaderboard of
 * {@code %compare} and {@code bin/modelwork runs compare}), read from the step reports each run wrote
 * ({@code <run>/reports/<step>.json}) or from registry versions' test-metric tags ({@link io.modelwork.runs.RegistryRuns}),
 * with a chosen curve of every run overlaid ({@code Overlay}). May import {@code core}, {@code report} and
 * {@code registry}; nothing imports it but the session, the magics and the command line.
 */
package io.modelwork.runs;
