/**
 * The provider interface: {@link io.modelwork.spi.TaskProvider} (found by {@link java.util.ServiceLoader}, keyed by
 * the model spec {@code category.algorithm[.variant]}), the {@link io.modelwork.spi.Model} it builds, and the lookup
 * {@link io.modelwork.spi.Providers}. Imports only {@code io.modelwork.core}.
 */
package io.modelwork.spi;
