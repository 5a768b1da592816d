/**
 * Exports gradient-boosted tree ensembles to ONNX.
 *
 * <p>The engines' own model formats are first parsed into an engine-neutral {@link
 * io.modelwork.export.onnx.TreeEnsemble}: {@link io.modelwork.export.onnx.XgboostTrees} reads XGBoost's JSON model
 * ({@code Booster.toByteArray("json")}), {@link io.modelwork.export.onnx.LightGbmTrees} reads LightGBM's text model
 * ({@code LGBMBooster.saveModelToString}). {@link io.modelwork.export.onnx.OnnxTreeExporter} then writes the ensemble
 * as an ONNX-ML graph ({@code TreeEnsembleRegressor} or {@code TreeEnsembleClassifier}, opset {@code ai.onnx.ml} 3),
 * optionally preceded by a frozen {@link io.modelwork.export.onnx.Preprocessing} prefix ({@code Imputer} then
 * {@code Scaler}). The protobuf messages are the {@code ai.onnx.proto.OnnxMl} classes shipped with
 * {@code org.tribuo:tribuo-util-onnx}; nothing is hand-encoded.
 *
 * <p>Fidelity: split comparisons, missing-value routing and the order and precision of leaf accumulation mirror the
 * source engine, so that ONNX Runtime reproduces the native predictions (to within 1e-5; see each class for the
 * documented limits). Models that ONNX-ML cannot express exactly (categorical splits, linear trees, DART, vector
 * leaves, objectives with a non-identity link other than logistic/softmax) are rejected with a
 * {@link io.modelwork.core.ModelworkException} rather than exported approximately.
 */
package io.modelwork.export.onnx;
