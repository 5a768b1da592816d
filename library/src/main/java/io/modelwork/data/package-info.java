/**
 * Tabular data: readers (CSV, TSV, ARFF and JDBC through Tablesaw; libsvm), field roles and types
 * ({@link io.modelwork.data.Schema}), the {@link io.modelwork.data.Dataset} with its fingerprint, and the
 * {@code attach_dataset} step's profile and validation ({@link io.modelwork.data.Attach}); the checks that keep
 * readers from guessing silently: the text check before a parse (encoding, NUL bytes, with the line), the line of a
 * CSV parse failure, non-finite numbers kept numeric. Imports Tablesaw,
 * Jackson, {@code io.modelwork.core} and {@code io.modelwork.report}.
 */
package io.modelwork.data;
