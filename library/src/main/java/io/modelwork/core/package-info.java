/**
 * The lifecycle core: the {@code Session} and its 15 steps, the run context set by {@code configure}, step
 * arguments, reports, errors ({@link io.modelwork.core.ModelworkException}) and small shared utilities (JSON, atomic
 * files, the assets root). May import every other {@code io.modelwork} package except the task providers, which it
 * finds through {@link java.util.ServiceLoader}.
 */
package io.modelwork.core;
