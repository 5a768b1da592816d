package io.modelwork.tune;

import org.apache.commons.math3.special.Erf;

import java.util.Arrays;
import java.util.Random;

/**
 * A one-dimensional adaptive Parzen estimator on a bounded interval {@code [lo, hi]}: an equally weighted mixture of
 * Gaussians truncated to the interval, one per observation plus a broad prior component centred on the interval
 * (Bergstra et al., NeurIPS 2011, section 4). Each observation's bandwidth is the larger of the distances to its
 * neighbours (the interval ends for the outermost), clipped to {@code [(hi-lo)/min(100, n+1), hi-lo]}; the prior's
 * is {@code hi-lo}. With no observations the estimator is the prior alone.
 */
final class ParzenEstimator {
    private static final double SQRT2 = Math.sqrt(2);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final double lo;
    private final double hi;
    private final double[] mu;
    private final double[] sigma;
    private final double[] logMass; // log of each component's probability mass inside [lo, hi]

    ParzenEstimator(double[] observations, double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
        double width = hi - lo;
        double prior = (lo + hi) / 2;
        int n = observations.length;
        double[] points = Arrays.copyOf(observations, n + 1);
        points[n] = prior;
        Arrays.sort(points);
        mu = points;
        sigma = new double[n + 1];
        double minSigma = width / Math.min(100.0, n + 1.0);
        boolean priorSeen = false;
        for (int i = 0; i <= n; i++) {
            if (!priorSeen && points[i] == prior) {
                priorSeen = true;
                sigma[i] = width;
                continue;
            }
            double left = points[i] - (i > 0 ? points[i - 1] : lo);
            double right = (i < n ? points[i + 1] : hi) - points[i];
            sigma[i] = Math.min(width, Math.max(minSigma, Math.max(left, right)));
        }
        logMass = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            double m = Erf.erf((lo - mu[i]) / (SQRT2 * sigma[i]), (hi - mu[i]) / (SQRT2 * sigma[i])) / 2;
            logMass[i] = Math.log(Math.max(m, 1e-300));
        }
    }

    /** Draws from the truncated mixture: a component uniformly, then a Gaussian draw inside the interval. */
    double sample(Random rnd) {
        int k = rnd.nextInt(mu.length);
        for (int attempt = 0; attempt < 64; attempt++) {
            double x = mu[k] + sigma[k] * rnd.nextGaussian();
            if (x >= lo && x <= hi) return x;
        }
        return Math.min(hi, Math.max(lo, mu[k]));
    }

    /** The log density at {@code x}. */
    double logPdf(double x) {
        double[] terms = new double[mu.length];
        for (int i = 0; i < mu.length; i++) {
            double z = (x - mu[i]) / sigma[i];
            terms[i] = -0.5 * z * z - Math.log(sigma[i]) - LOG_SQRT_2PI - logMass[i];
        }
        return logSumExp(terms) - Math.log(mu.length);
    }

    /** The log probability of the interval {@code [a, b]} (used for integer parameters, one bin per integer). */
    double logProb(double a, double b) {
        double p = 0;
        for (int i = 0; i < mu.length; i++) {
            double m = Erf.erf((a - mu[i]) / (SQRT2 * sigma[i]), (b - mu[i]) / (SQRT2 * sigma[i])) / 2;
            p += m / Math.exp(logMass[i]);
        }
        return Math.log(Math.max(p / mu.length, 1e-300));
    }

    private static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) max = Math.max(max, d);
        double s = 0;
        for (double d : v) s += Math.exp(d - max);
        return max + Math.log(s);
    }
}
