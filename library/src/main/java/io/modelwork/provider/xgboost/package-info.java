/** The XGBoost4J provider ({@code regression.xgboost}, {@code classification.xgboost}). */
package io.modelwork.provider.xgboost;
