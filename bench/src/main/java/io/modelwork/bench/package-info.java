/**
 * Benchmarks as plain {@code main} programs (run with {@code bench/run.sh}): each measures the library against a
 * baseline timed in the same run and prints Markdown tables; results and exact commands are in bench/README.md.
 * {@link io.modelwork.bench.BenchSupport} holds the shared timing, data and table helpers.
 */
package io.modelwork.bench;
