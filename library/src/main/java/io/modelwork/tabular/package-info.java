/**
 * The tabular task family (regression, classification): the {@link io.modelwork.tabular.TabularWorkflow} step
 * bodies, the frozen {@link io.modelwork.tabular.Preprocessor}, {@link io.modelwork.tabular.Splitter} plans, the
 * {@link io.modelwork.tabular.TabularModel} interface the providers implement, calibrators and the export bundle.
 * Imports the core, data, metrics, tune, export.onnx, registry and report packages.
 */
package io.modelwork.tabular;
