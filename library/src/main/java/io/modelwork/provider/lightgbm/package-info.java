/** The LightGBM provider ({@code classification.lightgbm}, {@code regression.lightgbm}) through lightgbm4j. */
package io.modelwork.provider.lightgbm;
