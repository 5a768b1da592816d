/**
 * Runs of a run root compared side by side ({@link io.modelwork.runs.RunComparison}: the leaderboard of
 * {@code %compare} and {@code bin/modelwork runs compare}), read from the step reports each run wrote
 * ({@code <run>/reports/<step>.json}). May import {@code core} and {@code report}; nothing imports it but the magics
 * and the command line.
 */
package io.modelwork.runs;
