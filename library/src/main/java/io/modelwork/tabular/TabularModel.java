package io.modelwork.tabular;

import io.modelwork.data.Dataset;
import io.modelwork.tabular.engine.Model;

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

    /** The class names in label order, for engines that write them into their native model (default: ignored). */
    default void setClassNames(List<String> names) { }

    /** The K of the engine's ranking metric (NDCG@K) used for per-query reports; 3 unless the engine is told. */
    default int rankingCutoff() { return 3; }

    /** Name of the metric the engine watches during fit, e.g. {@code rmse}. */
    String fitMetric();

    /** Called after every boosting iteration; may throw to stop (e.g. on interrupt). */
    interface FitListener {
        void onIteration(int iteration, int total, Map<String, Double> metrics, boolean best);

        /** The best model so far, in native form, for the best-iteration checkpoint. */
        default void onBest(int iteration, byte[] nativeModel) { }
    }

    /**
     * What {@code fit} is told: rounds, early stopping, seed, threads, device, and how often the training-set metric
     * is computed ({@code trainMetricEvery}: every N-th round plus the first and the last; 1 = every round). The
     * validation metric, which early stopping watches, is computed every round. Without a validation set and with
     * early stopping off, the last round is the best one and the training metric only feeds the learning curve.
     */
    record FitConfig(int rounds, int earlyStopping, long seed, int threads, String device, int trainMetricEvery) {
        /** Default cadence of the training-set metric: every 10th round (it costs a pass over the training rows). */
        public static final int DEFAULT_TRAIN_METRIC_EVERY = 10;

        public FitConfig {
            if (trainMetricEvery < 1) throw new IllegalArgumentException("trainMetricEvery must be >= 1");
        }

        public FitConfig(int rounds, int earlyStopping, long seed, int threads, String device) {
            this(rounds, earlyStopping, seed, threads, device, DEFAULT_TRAIN_METRIC_EVERY);
        }

        /**
         * Whether round {@code it} computes the training-set metric: always when it is what early stopping watches
         * (no validation set), else on the cadence, the first and the last round.
         */
        public boolean trainMetricAt(int it, boolean hasValid) {
            if (!hasValid && earlyStopping > 0) return true;
            return it % trainMetricEvery == 0 || it == rounds - 1;
        }
    }

    /** One line of the learning curve; {@code train} is NaN on rounds that skip the training-set metric. */
    record Iteration(int iteration, double train, double valid) {}

    /** What {@code fit} returns. */
    record FitResult(String metric, List<Iteration> history, int bestIteration, double bestValid,
                     double seconds, String deviceUsed, List<String> notes) {}
}
