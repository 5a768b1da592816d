/**
 * The display SPI ({@link io.modelwork.kernel.display.Renderer}, found with {@link java.util.ServiceLoader}) and the
 * built-in renderers: Modelwork reports as HTML tables, XChart PNG/SVG charts and galleries.
 */
package io.modelwork.kernel.display;
