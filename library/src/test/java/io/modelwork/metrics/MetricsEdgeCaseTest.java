package io.modelwork.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;

/** Input validation and the conventions that the sklearn reference file does not cover. */
class MetricsEdgeCaseTest {

    @Test
    void rocAucWithSingleClassExplainsTheFix() {
        int[] y = {1, 1, 1};
        double[][] proba = {{0.2, 0.8}, {0.6, 0.4}, {0.5, 0.5}};
        ModelworkException e = assertThrows(ModelworkException.class, () -> ClassificationMetrics.rocAuc(y, proba));
        assertTrue(e.what().contains("only one class"), e.what());
        assertTrue(e.where().contains("rocAuc"), e.where());
        assertTrue(e.fix().contains("both classes"), e.fix());
        assertThrows(ModelworkException.class, () -> ClassificationMetrics.all(y, proba));
    }

    @Test
    void multiclassRocAucNeedsEveryClassAndProbabilities() {
        int[] y = {0, 1, 0, 1};
        double[][] proba = {{0.5, 0.3, 0.2}, {0.1, 0.8, 0.1}, {0.6, 0.2, 0.2}, {0.3, 0.3, 0.4}};
        ModelworkException e = assertThrows(ModelworkException.class, () -> ClassificationMetrics.rocAuc(y, proba));
        assertTrue(e.what().contains("class 2"), e.what());
        int[] y3 = {0, 1, 2, 1};
        double[][] scores = {{0.5, 0.3, 0.9}, {0.1, 0.8, 0.1}, {0.6, 0.2, 0.2}, {0.3, 0.3, 0.4}};
        e = assertThrows(ModelworkException.class, () -> ClassificationMetrics.rocAuc(y3, scores));
        assertTrue(e.what().contains("sums to"), e.what());
    }

    @Test
    void nanInPredictionsIsRejected() {
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> RegressionMetrics.rmse(new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3}));
        assertTrue(e.what().contains("predictions[1]"), e.what());
        assertTrue(e.fix().contains("NaN"), e.fix());
        assertThrows(ModelworkException.class,
                () -> ClassificationMetrics.logLoss(new int[] {0, 1}, new double[][] {{0.5, 0.5}, {Double.NaN, 1}}));
        assertThrows(ModelworkException.class,
                () -> ClassificationMetrics.rocCurve(new int[] {0, 1}, new double[] {0.1, Double.POSITIVE_INFINITY}));
    }

    @Test
    void lengthsLabelsAndShapesAreValidated() {
        assertThrows(ModelworkException.class, () -> RegressionMetrics.mae(new double[0], new double[0]));
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> RegressionMetrics.mae(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.what().contains("2") && e.what().contains("1"), e.what());
        assertThrows(ModelworkException.class, () -> RegressionMetrics.mae(null, new double[] {1}));
        assertThrows(ModelworkException.class, () -> ClassificationMetrics.f1(new int[] {0, 3}, new int[] {0, 1}, 3));
        assertThrows(ModelworkException.class, () -> ClassificationMetrics.f1(new int[] {0, 1}, new int[] {0, 1}, 1));
        assertThrows(ModelworkException.class,
                () -> ClassificationMetrics.brier(new int[] {0, 1}, new double[][] {{0.5, 0.5}, {0.5}}));
        assertThrows(ModelworkException.class,
                () -> ClassificationMetrics.predictAtThreshold(new double[][] {{0.2, 0.3, 0.5}}, 0.5));
        assertThrows(ModelworkException.class,
                () -> ClassificationMetrics.rocCurve(new int[] {0, 2}, new double[] {0.1, 0.2}));
        assertThrows(ModelworkException.class,
                () -> ClassificationMetrics.calibrationCurve(new int[] {0, 1}, new double[] {0.1, 1.2}, 5));
        assertThrows(ModelworkException.class,
                () -> ClassificationMetrics.calibrationCurve(new int[] {0, 1}, new double[] {0.1, 0.2}, 0));
    }

    @Test
    void r2FollowsSklearnConventions() {
        assertTrue(Double.isNaN(RegressionMetrics.r2(new double[] {1}, new double[] {2})), "n < 2 -> NaN");
        assertEquals(1.0, RegressionMetrics.r2(new double[] {2, 2}, new double[] {2, 2}));
        assertEquals(0.0, RegressionMetrics.r2(new double[] {2, 2}, new double[] {2, 3}));
    }

    @Test
    void averagePrecisionWithoutPositivesIsZeroAndPerfectRankingIsOne() {
        assertEquals(0.0, ClassificationMetrics.prAuc(new int[] {0, 0, 0}, new double[] {0.1, 0.5, 0.9}));
        assertEquals(1.0, ClassificationMetrics.prAuc(new int[] {0, 0, 1}, new double[] {0.1, 0.5, 0.9}));
        assertEquals(1.0, ClassificationMetrics.rocAuc(new int[] {0, 0, 1}, new double[] {0.1, 0.5, 0.9}));
    }

    @Test
    void rocCurveWithoutNegativesHasNanFprLikeSklearn() {
        Curve c = ClassificationMetrics.rocCurve(new int[] {1, 1}, new double[] {0.3, 0.7});
        assertTrue(Double.isNaN(c.x()[1]));
        assertArrayEquals(new double[] {0.0, 0.5, 1.0}, c.y());
        assertArrayEquals(new double[] {1.7, 0.7, 0.3}, c.thresholds());
    }

    @Test
    void curveIsImmutableAndComparesContents() {
        double[] x = {0, 1};
        Curve a = new Curve("roc", "fpr", x, "tpr", new double[] {0, 1}, null);
        x[0] = 9;
        assertEquals(0.0, a.x()[0]);
        a.x()[1] = 7;
        assertEquals(1.0, a.x()[1]);
        assertEquals(a, new Curve("roc", "fpr", new double[] {0, 1}, "tpr", new double[] {0, 1}, new double[0]));
        assertEquals(2, a.size());
        assertThrows(IllegalArgumentException.class,
                () -> new Curve("roc", "fpr", new double[] {0}, "tpr", new double[] {0, 1}, null));
    }

    @Test
    void multiclassBrierIsTheSquaredDistanceToOneHot() {
        int[] y = {0, 2};
        double[][] proba = {{0.7, 0.2, 0.1}, {0.3, 0.3, 0.4}};
        double expected = ((0.09 + 0.04 + 0.01) + (0.09 + 0.09 + 0.36)) / 2;
        assertEquals(expected, ClassificationMetrics.brier(y, proba), 1e-12);
    }
}
