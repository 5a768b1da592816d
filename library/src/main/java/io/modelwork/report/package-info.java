/**
 * Step reports: the {@link io.modelwork.report.Report} interface every step returns, its common implementation
 * {@link io.modelwork.report.StepReport}, and report content as data ({@link io.modelwork.report.Chart},
 * {@link io.modelwork.report.GalleryItem}, Tablesaw tables). Rendering to HTML/PNG lives in the kernel, not here.
 * Imports only Jackson and Tablesaw (the bottom layer: {@code core} imports {@code report}, never the reverse).
 */
package io.modelwork.report;
