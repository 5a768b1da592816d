/**
 * Tabular data: readers (CSV, TSV, ARFF and JDBC through Tablesaw; libsvm), field roles and types
 * ({@link io.modelwork.data.Schema}), the {@link io.modelwork.data.Dataset} with its fingerprint, and the
 * {@code attach_dataset} step's profile and validation ({@link io.modelwork.data.Attach}). Imports Tablesaw,
 * Jackson, {@code io.modelwork.core} and {@code io.modelwork.report}.
 */
package io.modelwork.data;
