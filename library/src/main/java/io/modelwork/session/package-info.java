/**
 * The top of the lifecycle: {@link io.modelwork.session.Session} (the 15 steps as methods, order, argument checks
 * from the categories' declared options, run log, reports, retries, timeouts, checkpoints through the shared state
 * store).
 *
 * <p>Imports {@code core}, {@code report}, {@code spi} and {@code shared}; finds categories only through
 * {@link java.util.ServiceLoader} ({@link io.modelwork.spi.Categories}), never by a category's class.
 */
package io.modelwork.session;
