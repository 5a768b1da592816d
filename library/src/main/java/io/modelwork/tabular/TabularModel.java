package io.modelwork.tabular;

import io.modelwork.data.Dataset;
import io.modelwork.spi.Model;

import java.util.List;
import java.util.Map;

/**
 * A gradient-boosted (or any) model over a dense {@link Matrix}: regression predicts one column, classification
 * predicts class probabilities.
 */
public interface TabularModel extends Model {
    Dataset.Task task();

    /** Number of classes (1 for regression). */
    int numClasses();

    /** Effective hyper-parameters (defaults merged with the user's). */
    Map<String, Object> params();

    /** Replaces hyper-parameters before the next fit (used by tune). */
    void setParams(Map<String, Object> params);

    /**
     * Trains on {@code train}, early-stopping on {@code valid} (may be {@code null}), reporting each iteration to
     * {@code listener}. After it returns the model predicts with its best iteration.
     */
    FitResult fit(Matrix train, Matrix valid, FitConfig config, FitListener listener);

    /** Predictions: {@code [rows][1]} for regression, {@code [rows][numClasses]} probabilities for classification. */
    double[][] predict(Matrix x);

    /** The model in the engine's own format (XGBoost JSON, LightGBM text). */
    byte[] saveNative();

    /** File name extension of {@link #saveNative()}, e.g. {@code json} or {@code txt}. */
    String nativeExtension();

    /** Restores a model saved with {@link #saveNative()}. */
    void loadNative(byte[] bytes);

    /** Per-feature importance (gain where the engine offers it), by feature name. */
    Map<String, Double> featureImportance(String[] featureNames);

    /** Name of the metric the engine watches during fit, e.g. {@code rmse}. */
    String fitMetric();

    /** Called after every boosting iteration; may throw to stop (e.g. on interrupt). */
    interface FitListener {
        void onIteration(int iteration, int total, Map<String, Double> metrics, boolean best);

        /** The best model so far, in native form, for the best-iteration checkpoint. */
        default void onBest(int iteration, byte[] nativeModel) { }
    }

    /** What {@code fit} is told: rounds, early stopping, seed, threads, device. */
    record FitConfig(int rounds, int earlyStopping, long seed, int threads, String device) {}

    /** One line of the learning curve. */
    record Iteration(int iteration, double train, double valid) {}

    /** What {@code fit} returns. */
    record FitResult(String metric, List<Iteration> history, int bestIteration, double bestValid,
                     double seconds, String deviceUsed, List<String> notes) {}
}
