package io.modelwork.metrics;

import io.modelwork.core.ModelworkException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification metrics with scikit-learn 1.2.1's definitions ({@code sklearn.metrics}, no sample weights).
 *
 * <p>Conventions: true classes {@code y} are indices {@code 0..k-1}; class probabilities {@code proba} are a
 * {@code double[n][k]} matrix whose rows sum to 1. A binary problem has {@code k == 2} and its positive class is 1, so
 * binary score-based metrics use the column {@code proba[i][1]}. Predicted labels are {@code int[]} class indices.
 *
 * <p>Inputs are validated (equal non-zero lengths, finite values, class indices in range, a consistent number of
 * columns); a bad input throws {@link ModelworkException}. Where sklearn itself raises (for example ROC-AUC when
 * {@code y} holds a single class) this class throws a {@code ModelworkException} too. Where sklearn 1.2 warns and
 * returns 0 (undefined precision, recall or F1) this class returns 0 silently.
 */
public final class ClassificationMetrics {
    /** {@code np.finfo(np.float64).eps}: sklearn 1.2's {@code log_loss(eps="auto")} clips to {@code [eps, 1-eps]}. */
    public static final double LOG_LOSS_EPSILON = Math.ulp(1.0);

    private ClassificationMetrics() {}

    // ------------------------------------------------------------------------------------------------- labels

    /**
     * Fraction of correct predictions; mirrors {@code sklearn.metrics.accuracy_score(y, pred)}.
     *
     * @param y    true class indices
     * @param pred predicted class indices
     * @return the fraction of {@code i} with {@code y[i] == pred[i]}
     */
    public static double accuracy(int[] y, int[] pred) {
        String where = "ClassificationMetrics.accuracy";
        Checks.notNull(y, "y", where);
        Checks.notNull(pred, "predictions", where);
        Checks.sameNonEmptyLength(y.length, pred.length, "y", "predictions", where);
        int hits = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == pred[i]) {
                hits++;
            }
        }
        return (double) hits / y.length;
    }

    /**
     * The most probable class of each row; mirrors {@code numpy.argmax(proba, axis=1)} (ties go to the lowest class
     * index), i.e. what sklearn's {@code predict} returns for a probabilistic classifier.
     *
     * @param proba class probabilities, {@code n x k}
     * @return the predicted class index of each row
     */
    public static int[] argmax(double[][] proba) {
        int[] dummy = new int[proba == null ? 0 : proba.length];
        Checks.proba(dummy, proba, "ClassificationMetrics.argmax");
        int[] out = new int[proba.length];
        for (int i = 0; i < proba.length; i++) {
            int best = 0;
            for (int j = 1; j < proba[i].length; j++) {
                if (proba[i][j] > proba[i][best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * Binary predictions at a decision threshold: class 1 where {@code proba[i][1] > threshold}, else 0. The
     * comparison is strict so that, for rows summing to 1, threshold 0.5 agrees with {@link #argmax} (a 0.5/0.5 tie
     * predicts class 0).
     *
     * @param proba     binary class probabilities, {@code n x 2}
     * @param threshold the decision threshold on the positive-class probability
     * @return 0/1 predictions
     */
    public static int[] predictAtThreshold(double[][] proba, double threshold) {
        String where = "ClassificationMetrics.predictAtThreshold";
        int[] dummy = new int[proba == null ? 0 : proba.length];
        int k = Checks.proba(dummy, proba, where);
        requireBinary(k, where);
        if (!Double.isFinite(threshold)) {
            throw new ModelworkException("threshold is " + threshold, where, "pass a finite threshold, e.g. 0.5");
        }
        int[] out = new int[proba.length];
        for (int i = 0; i < proba.length; i++) {
            out[i] = proba[i][1] > threshold ? 1 : 0;
        }
        return out;
    }

    /**
     * The confusion matrix; mirrors {@code sklearn.metrics.confusion_matrix(y, pred, labels=range(k))}: entry
     * {@code [t][p]} counts samples of true class {@code t} predicted as {@code p} (rows are the truth).
     *
     * @param y    true class indices in {@code [0, k)}
     * @param pred predicted class indices in {@code [0, k)}
     * @param k    the number of classes
     * @return a {@code k x k} count matrix
     */
    public static long[][] confusionMatrix(int[] y, int[] pred, int k) {
        Checks.predictions(y, pred, k, "ClassificationMetrics.confusionMatrix");
        long[][] cm = new long[k][k];
        for (int i = 0; i < y.length; i++) {
            cm[y[i]][pred[i]]++;
        }
        return cm;
    }

    /**
     * Precision. Binary ({@code k == 2}): mirrors {@code sklearn.metrics.precision_score(y, pred)} (positive class
     * 1). Multiclass: mirrors {@code precision_score(y, pred, average="macro")}, the unweighted mean over the labels
     * present in {@code y} or {@code pred} (sklearn's default label set; a class absent from both is skipped). A class
     * never predicted scores 0 (sklearn 1.2's {@code zero_division="warn"}).
     *
     * @param y    true class indices in {@code [0, k)}
     * @param pred predicted class indices in {@code [0, k)}
     * @param k    the number of classes
     * @return precision in {@code [0, 1]}
     */
    public static double precision(int[] y, int[] pred, int k) {
        return prf(y, pred, k, "ClassificationMetrics.precision")[0];
    }

    /**
     * Recall. Binary ({@code k == 2}): mirrors {@code sklearn.metrics.recall_score(y, pred)} (positive class 1).
     * Multiclass: mirrors {@code recall_score(y, pred, average="macro")} over the labels present in {@code y} or
     * {@code pred}. A class with no true samples scores 0 (sklearn 1.2's {@code zero_division="warn"}).
     *
     * @param y    true class indices in {@code [0, k)}
     * @param pred predicted class indices in {@code [0, k)}
     * @param k    the number of classes
     * @return recall in {@code [0, 1]}
     */
    public static double recall(int[] y, int[] pred, int k) {
        return prf(y, pred, k, "ClassificationMetrics.recall")[1];
    }

    /**
     * F1 score. Binary ({@code k == 2}): mirrors {@code sklearn.metrics.f1_score(y, pred)} (positive class 1).
     * Multiclass: mirrors {@code f1_score(y, pred, average="macro")}, the unweighted mean of per-class F1 over the
     * labels present in {@code y} or {@code pred}. Per class, {@code F1 = 2PR / (P + R)} from that class's precision
     * and recall, and 0 when both are 0 (sklearn 1.2's {@code zero_division="warn"}).
     *
     * @param y    true class indices in {@code [0, k)}
     * @param pred predicted class indices in {@code [0, k)}
     * @param k    the number of classes
     * @return F1 in {@code [0, 1]}
     */
    public static double f1(int[] y, int[] pred, int k) {
        return prf(y, pred, k, "ClassificationMetrics.f1")[2];
    }

    // ------------------------------------------------------------------------------------------------- scores

    /**
     * Area under the ROC curve. Binary ({@code k == 2}): mirrors {@code sklearn.metrics.roc_auc_score(y,
     * proba[:, 1])}. Multiclass: mirrors {@code roc_auc_score(y, proba, multi_class="ovr", average="macro")}, the
     * unweighted mean of the one-vs-rest AUCs; as in sklearn every class must occur in {@code y} and every row must sum
     * to 1 (within numpy's {@code allclose}).
     *
     * @param y     true class indices in {@code [0, k)}
     * @param proba class probabilities, {@code n x k}
     * @return the AUC in {@code [0, 1]}
     * @throws ModelworkException if a class is missing from {@code y} (AUC undefined), or rows do not sum to 1
     */
    public static double rocAuc(int[] y, double[][] proba) {
        String where = "ClassificationMetrics.rocAuc";
        int k = Checks.proba(y, proba, where);
        if (k == 2) {
            return binaryRocAuc(positives(y, 1), Checks.column(proba, 1), where);
        }
        requireAllClasses(y, k, "one-vs-rest ROC AUC", where);
        for (int i = 0; i < proba.length; i++) {
            double s = 0.0;
            for (double v : proba[i]) {
                s += v;
            }
            if (!(Math.abs(1.0 - s) <= 1e-8 + 1e-5 * Math.abs(s))) {
                throw new ModelworkException("proba row " + i + " sums to " + s + ", not 1", where,
                        "multiclass ROC AUC needs probabilities: pass predict_proba output (e.g. apply softmax)");
            }
        }
        double total = 0.0;
        for (int c = 0; c < k; c++) {
            total += binaryRocAuc(positives(y, c), Checks.column(proba, c), where + " (class " + c + " vs rest)");
        }
        return total / k;
    }

    /**
     * Binary area under the ROC curve of a score; mirrors {@code sklearn.metrics.roc_auc_score(y, score)}: the
     * trapezoidal area under {@link #rocCurve}, so tied scores form one diagonal step.
     *
     * @param y     true classes, 0 or 1
     * @param score any score that ranks class 1 higher (probability, decision value)
     * @return the AUC in {@code [0, 1]}
     * @throws ModelworkException if {@code y} holds a single class
     */
    public static double rocAuc(int[] y, double[] score) {
        String where = "ClassificationMetrics.rocAuc";
        Checks.binaryScores(y, score, where);
        return binaryRocAuc(positives(y, 1), score, where);
    }

    /**
     * Area under the precision-recall curve as average precision. Binary ({@code k == 2}): mirrors
     * {@code sklearn.metrics.average_precision_score(y, proba[:, 1])}. Multiclass: mirrors
     * {@code average_precision_score(label_binarize(y, classes=range(k)), proba, average="macro")}, the unweighted
     * mean of the one-vs-rest average precisions; like sklearn, a class absent from {@code y} contributes 0.
     *
     * @param y     true class indices in {@code [0, k)}
     * @param proba class probabilities, {@code n x k}
     * @return the average precision in {@code [0, 1]}
     */
    public static double prAuc(int[] y, double[][] proba) {
        int k = Checks.proba(y, proba, "ClassificationMetrics.prAuc");
        if (k == 2) {
            return averagePrecision(positives(y, 1), Checks.column(proba, 1));
        }
        double total = 0.0;
        for (int c = 0; c < k; c++) {
            total += averagePrecision(positives(y, c), Checks.column(proba, c));
        }
        return total / k;
    }

    /**
     * Binary average precision of a score; mirrors {@code sklearn.metrics.average_precision_score(y, score)}:
     * {@code sum_n (R_n - R_(n-1)) P_n} over the thresholds of {@link #prCurve} (no interpolation). With no positive
     * in {@code y} it is 0, as in sklearn.
     *
     * @param y     true classes, 0 or 1
     * @param score any score that ranks class 1 higher
     * @return the average precision in {@code [0, 1]}
     */
    public static double prAuc(int[] y, double[] score) {
        Checks.binaryScores(y, score, "ClassificationMetrics.prAuc");
        return averagePrecision(positives(y, 1), score);
    }

    /**
     * Cross-entropy loss; mirrors {@code sklearn.metrics.log_loss(y, proba, labels=range(k))} of sklearn 1.2.1:
     * probabilities are clipped to {@code [eps, 1 - eps]} with {@code eps =} {@link #LOG_LOSS_EPSILON} (the default
     * {@code eps="auto"}), each row is renormalised to sum 1, and the loss is {@code -mean(log p[i][y[i]])}. (When
     * every class occurs in {@code y} this equals sklearn's default call without {@code labels}.)
     *
     * @param y     true class indices in {@code [0, k)}
     * @param proba class probabilities, {@code n x k}
     * @return the mean log-loss, non-negative
     */
    public static double logLoss(int[] y, double[][] proba) {
        Checks.proba(y, proba, "ClassificationMetrics.logLoss");
        Sum loss = new Sum();
        double hi = 1.0 - LOG_LOSS_EPSILON;
        for (int i = 0; i < y.length; i++) {
            double rowSum = 0.0;
            double truth = 0.0;
            for (int j = 0; j < proba[i].length; j++) {
                double p = Math.min(Math.max(proba[i][j], LOG_LOSS_EPSILON), hi);
                rowSum += p;
                if (j == y[i]) {
                    truth = p;
                }
            }
            loss.add(-Math.log(truth / rowSum));
        }
        return loss.value() / y.length;
    }

    /**
     * Brier score. Binary ({@code k == 2}): mirrors {@code sklearn.metrics.brier_score_loss(y, proba[:, 1])}, the
     * mean of {@code (y - proba[:, 1])^2}. Multiclass: {@code mean_i sum_j (proba[i][j] - [y[i] == j])^2}, the
     * original multiclass definition of Brier (1950), which sklearn 1.2 does not provide; note that applied to a
     * binary problem it would give twice the binary value.
     *
     * @param y     true class indices in {@code [0, k)}
     * @param proba class probabilities in {@code [0, 1]}, {@code n x k}
     * @return the Brier score, 0 for perfect probabilities
     */
    public static double brier(int[] y, double[][] proba) {
        String where = "ClassificationMetrics.brier";
        int k = Checks.proba(y, proba, where);
        Sum s = new Sum();
        if (k == 2) {
            double[] p = Checks.column(proba, 1);
            Checks.unitInterval(p, "proba[:, 1]", where);
            for (int i = 0; i < y.length; i++) {
                double d = y[i] - p[i];
                s.add(d * d);
            }
            return s.value() / y.length;
        }
        for (int i = 0; i < y.length; i++) {
            Checks.unitInterval(proba[i], "proba row " + i + ", column", where);
            double row = 0.0;
            for (int j = 0; j < k; j++) {
                double d = proba[i][j] - (j == y[i] ? 1.0 : 0.0);
                row += d * d;
            }
            s.add(row);
        }
        return s.value() / y.length;
    }

    // ------------------------------------------------------------------------------------------------- curves

    /**
     * The ROC curve; mirrors {@code sklearn.metrics.roc_curve(y, score)} of sklearn 1.2.1 with
     * {@code drop_intermediate=True}: {@code x} is the false-positive rate, {@code y} the true-positive rate, both
     * starting at 0, and {@code thresholds} decreases from {@code max(score) + 1} (1.2's extra first threshold).
     * Collinear intermediate points are dropped. As in sklearn, the rates are NaN when {@code y} has no negatives
     * (fpr) or no positives (tpr).
     *
     * @param y     true classes, 0 or 1
     * @param score any score that ranks class 1 higher
     * @return the curve named {@code "roc"} with axes {@code fpr} and {@code tpr}
     */
    public static Curve rocCurve(int[] y, double[] score) {
        Checks.binaryScores(y, score, "ClassificationMetrics.rocCurve");
        return roc(positives(y, 1), score);
    }

    /**
     * The precision-recall curve; mirrors {@code sklearn.metrics.precision_recall_curve(y, score)} of sklearn 1.2.1:
     * one point per distinct score in increasing threshold order (recall decreasing), then the final point
     * {@code (recall 0, precision 1)} which has no threshold. Precision is 0 where nothing is predicted positive;
     * recall is 1 everywhere when {@code y} has no positives (both as sklearn).
     *
     * @param y     true classes, 0 or 1
     * @param score any score that ranks class 1 higher
     * @return the curve named {@code "precision_recall"} with {@code x = recall}, {@code y = precision} and
     *     {@code thresholds} one shorter than them
     */
    public static Curve prCurve(int[] y, double[] score) {
        Checks.binaryScores(y, score, "ClassificationMetrics.prCurve");
        return pr(positives(y, 1), score);
    }

    /**
     * The calibration (reliability) curve with sklearn's default 5 bins; see {@link #calibrationCurve(int[],
     * double[], int)}.
     *
     * @param y    true classes, 0 or 1
     * @param prob predicted probabilities of class 1, in {@code [0, 1]}
     * @return the calibration curve
     */
    public static Curve calibrationCurve(int[] y, double[] prob) {
        return calibrationCurve(y, prob, 5);
    }

    /**
     * The calibration (reliability) curve; mirrors {@code sklearn.calibration.calibration_curve(y, prob,
     * n_bins=nBins, strategy="uniform")}: {@code [0, 1]} is cut into {@code nBins} equal bins (a probability on an
     * inner edge belongs to the lower bin, as numpy's {@code searchsorted}); for each non-empty bin, {@code x} is the
     * mean predicted probability ({@code prob_pred}) and {@code y} the fraction of positives ({@code prob_true}).
     *
     * @param y     true classes, 0 or 1
     * @param prob  predicted probabilities of class 1, in {@code [0, 1]}
     * @param nBins the number of bins, at least 1
     * @return the curve named {@code "calibration"} with {@code x = prob_pred}, {@code y = prob_true} and no
     *     thresholds
     */
    public static Curve calibrationCurve(int[] y, double[] prob, int nBins) {
        String where = "ClassificationMetrics.calibrationCurve";
        Checks.binaryScores(y, prob, where);
        Checks.unitInterval(prob, "prob", where);
        if (nBins < 1) {
            throw new ModelworkException("nBins is " + nBins, where, "pass at least 1 bin (sklearn's default is 5)");
        }
        double step = 1.0 / nBins;
        double[] sums = new double[nBins];
        double[] trues = new double[nBins];
        long[] totals = new long[nBins];
        for (int i = 0; i < prob.length; i++) {
            int bin = 0; // number of inner edges (1..nBins-1) * step strictly below prob[i]
            while (bin < nBins - 1 && (bin + 1) * step < prob[i]) {
                bin++;
            }
            sums[bin] += prob[i];
            trues[bin] += y[i];
            totals[bin]++;
        }
        int m = 0;
        for (long t : totals) {
            if (t != 0) {
                m++;
            }
        }
        double[] probPred = new double[m];
        double[] probTrue = new double[m];
        for (int b = 0, j = 0; b < nBins; b++) {
            if (totals[b] != 0) {
                probTrue[j] = trues[b] / totals[b];
                probPred[j] = sums[b] / totals[b];
                j++;
            }
        }
        return new Curve("calibration", "prob_pred", probPred, "prob_true", probTrue, new double[0]);
    }

    // ------------------------------------------------------------------------------------------------- summary

    /**
     * The headline classification metrics in one map, in this order: {@code accuracy}, {@code roc_auc},
     * {@code pr_auc}, {@code f1}, {@code log_loss}, {@code brier}. Label metrics use {@link #argmax} predictions
     * (for a binary problem the same as threshold 0.5); {@code f1} is binary for {@code k == 2}, else macro.
     *
     * @param y     true class indices in {@code [0, k)}
     * @param proba class probabilities, {@code n x k}
     * @return an insertion-ordered map from snake_case metric name to value
     * @throws ModelworkException as the individual metrics do, e.g. when {@code y} holds a single class
     */
    public static Map<String, Double> all(int[] y, double[][] proba) {
        int k = Checks.proba(y, proba, "ClassificationMetrics.all");
        int[] pred = argmax(proba);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy(y, pred));
        m.put("roc_auc", rocAuc(y, proba));
        m.put("pr_auc", prAuc(y, proba));
        m.put("f1", f1(y, pred, k));
        m.put("log_loss", logLoss(y, proba));
        m.put("brier", brier(y, proba));
        return m;
    }

    // ------------------------------------------------------------------------------------------------- internals

    private static void requireBinary(int k, String where) {
        if (k != 2) {
            throw new ModelworkException("proba has " + k + " columns, a binary problem has 2", where,
                    "pass binary probabilities (column 1 = positive class) or use argmax for multiclass");
        }
    }

    private static void requireAllClasses(int[] y, int k, String metric, String where) {
        boolean[] seen = new boolean[k];
        for (int v : y) {
            seen[v] = true;
        }
        for (int c = 0; c < k; c++) {
            if (!seen[c]) {
                throw new ModelworkException("class " + c + " never occurs in y, so " + metric + " is undefined", where,
                        "evaluate on data containing every class (e.g. a stratified split), or drop the metric");
            }
        }
    }

    private static boolean[] positives(int[] y, int positive) {
        boolean[] pos = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            pos[i] = y[i] == positive;
        }
        return pos;
    }

    /** {@code [precision, recall, f1]}, averaged as sklearn's {@code precision_recall_fscore_support}. */
    private static double[] prf(int[] y, int[] pred, int k, String where) {
        Checks.predictions(y, pred, k, where);
        long[][] cm = new long[k][k];
        for (int i = 0; i < y.length; i++) {
            cm[y[i]][pred[i]]++;
        }
        int[] labels;
        if (k == 2) {
            labels = new int[] {1};
        } else {
            labels = new int[k];
            int m = 0;
            for (int c = 0; c < k; c++) {
                long trueSum = 0;
                long predSum = 0;
                for (int j = 0; j < k; j++) {
                    trueSum += cm[c][j];
                    predSum += cm[j][c];
                }
                if (trueSum > 0 || predSum > 0) {
                    labels[m++] = c;
                }
            }
            labels = Arrays.copyOf(labels, m);
        }
        double p = 0.0;
        double r = 0.0;
        double f = 0.0;
        for (int c : labels) {
            long tp = cm[c][c];
            long trueSum = 0;
            long predSum = 0;
            for (int j = 0; j < k; j++) {
                trueSum += cm[c][j];
                predSum += cm[j][c];
            }
            double precision = predSum == 0 ? 0.0 : (double) tp / predSum;
            double recall = trueSum == 0 ? 0.0 : (double) tp / trueSum;
            double denom = precision + recall;
            p += precision;
            r += recall;
            f += denom == 0.0 ? 0.0 : 2.0 * precision * recall / denom;
        }
        int n = labels.length;
        return new double[] {p / n, r / n, f / n};
    }

    /** sklearn's {@code _binary_clf_curve}: cumulative fps/tps at each distinct score, scores decreasing. */
    private record Counts(double[] fps, double[] tps, double[] thresholds) {}

    private static Counts clfCurve(boolean[] pos, double[] score) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        double[] fps = new double[n];
        double[] tps = new double[n];
        double[] thr = new double[n];
        int m = 0;
        double cumTp = 0.0;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            if (pos[i]) {
                cumTp += 1.0;
            }
            // the last sample of a run of equal scores closes one threshold (-0.0 == 0.0, as numpy's diff)
            if (r == n - 1 || score[order[r + 1]] != score[i]) {
                tps[m] = cumTp;
                fps[m] = 1.0 + r - cumTp;
                thr[m] = score[i];
                m++;
            }
        }
        return new Counts(Arrays.copyOf(fps, m), Arrays.copyOf(tps, m), Arrays.copyOf(thr, m));
    }

    private static Curve roc(boolean[] pos, double[] score) {
        Counts c = clfCurve(pos, score);
        double[] fps = c.fps();
        double[] tps = c.tps();
        double[] thr = c.thresholds();
        int m = fps.length;
        int[] keep = new int[m];
        int kept = 0;
        for (int i = 0; i < m; i++) {
            boolean corner = m <= 2 || i == 0 || i == m - 1
                    || (fps[i + 1] - fps[i]) - (fps[i] - fps[i - 1]) != 0.0
                    || (tps[i + 1] - tps[i]) - (tps[i] - tps[i - 1]) != 0.0;
            if (corner) {
                keep[kept++] = i;
            }
        }
        double[] fpr = new double[kept + 1];
        double[] tpr = new double[kept + 1];
        double[] thresholds = new double[kept + 1];
        double negatives = fps[m - 1];
        double positives = tps[m - 1];
        thresholds[0] = thr[keep[0]] + 1.0;
        fpr[0] = negatives > 0 ? 0.0 : Double.NaN;
        tpr[0] = positives > 0 ? 0.0 : Double.NaN;
        for (int j = 0; j < kept; j++) {
            int i = keep[j];
            fpr[j + 1] = negatives > 0 ? fps[i] / negatives : Double.NaN;
            tpr[j + 1] = positives > 0 ? tps[i] / positives : Double.NaN;
            thresholds[j + 1] = thr[i];
        }
        return new Curve("roc", "fpr", fpr, "tpr", tpr, thresholds);
    }

    private static Curve pr(boolean[] pos, double[] score) {
        Counts c = clfCurve(pos, score);
        double[] fps = c.fps();
        double[] tps = c.tps();
        double[] thr = c.thresholds();
        int m = fps.length;
        double positives = tps[m - 1];
        double[] precision = new double[m + 1];
        double[] recall = new double[m + 1];
        double[] thresholds = new double[m];
        for (int j = 0; j < m; j++) {
            int i = m - 1 - j; // reversed: increasing threshold, decreasing recall
            double predicted = tps[i] + fps[i];
            precision[j] = predicted != 0.0 ? tps[i] / predicted : 0.0;
            recall[j] = positives == 0.0 ? 1.0 : tps[i] / positives;
            thresholds[j] = thr[i];
        }
        precision[m] = 1.0;
        recall[m] = 0.0;
        return new Curve("precision_recall", "recall", recall, "precision", precision, thresholds);
    }

    private static double binaryRocAuc(boolean[] pos, double[] score, String where) {
        int p = 0;
        for (boolean b : pos) {
            if (b) {
                p++;
            }
        }
        if (p == 0 || p == pos.length) {
            throw new ModelworkException("only one class (" + (p == 0 ? "negative" : "positive")
                    + ") is present in y, so ROC AUC is not defined", where,
                    "evaluate on data containing both classes (e.g. a stratified split), or use another metric");
        }
        Curve curve = roc(pos, score);
        double[] x = curve.x();
        double[] y = curve.y();
        Sum area = new Sum();
        for (int i = 1; i < x.length; i++) {
            area.add((x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0);
        }
        return area.value();
    }

    private static double averagePrecision(boolean[] pos, double[] score) {
        Curve curve = pr(pos, score);
        double[] recall = curve.x();
        double[] precision = curve.y();
        Sum s = new Sum();
        for (int i = 0; i + 1 < recall.length; i++) {
            s.add((recall[i + 1] - recall[i]) * precision[i]);
        }
        return 0.0 - s.value(); // 0.0 - x, not -x: no -0.0 when y has no positives
    }
}
