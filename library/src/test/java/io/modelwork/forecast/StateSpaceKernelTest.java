package io.modelwork.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast likelihood kernels against slow references: the O(r^2) stationary covariance against the truncated sum
 * {@code sum_k T^k R R' T'^k}, and the ARMA likelihood of the differenced series against the full (r + d)-state filter
 * with the approximately diffuse start, whose gap must shrink as 1/kappa.
 */
class StateSpaceKernelTest {

    /** {@code sum_{k<K} T^k R R' T'^k} by plain matrix products. */
    static double[] bruteForceQ0(double[] phi, double[] rl, int terms) {
        int r = phi.length;
        double[] t = new double[r * r];
        for (int i = 0; i < r; i++) {
            t[i * r] = phi[i];
            if (i + 1 < r) t[i * r + i + 1] = 1;
        }
        double[] v = rl.clone(); // T^k R
        double[] q = new double[r * r];
        for (int k = 0; k < terms; k++) {
            for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) q[i * r + j] += v[i] * v[j];
            double[] nv = new double[r];
            for (int i = 0; i < r; i++) for (int j = 0; j < r; j++) nv[i] += t[i * r + j] * v[j];
            v = nv;
        }
        return q;
    }

    static double[][] padded(double[] phi, double[] theta) {
        int r = Math.max(phi.length, theta.length + 1);
        double[] ph = new double[r], rl = new double[r];
        System.arraycopy(phi, 0, ph, 0, phi.length);
        rl[0] = 1;
        System.arraycopy(theta, 0, rl, 1, theta.length);
        return new double[][]{ph, rl};
    }

    @Test
    void stationaryCovarianceMatchesTheSumOfItsSeries() {
        ArimaOrder[] orders = {ArimaOrder.of(1, 0, 0, 0, 0, 0, 1), ArimaOrder.of(2, 0, 2, 1, 0, 1, 24),
                ArimaOrder.of(3, 0, 1, 2, 0, 0, 24), ArimaOrder.of(0, 0, 2, 0, 0, 1, 12), ArimaOrder.of(1, 0, 3, 2, 0, 2, 4)};
        Random rnd = new Random(7);
        for (ArimaOrder o : orders) {
            double[] par = new double[o.armaCount()];
            for (int i = 0; i < par.length; i++) par[i] = 0.9 * (2 * rnd.nextDouble() - 1);
            par = Arima.untransform(par, o); // a stationary AR part
            double[][] pr = padded(Arima.expandedAr(par, o), Arima.expandedMa(par, o));
            double[] fast = StateSpace.stationaryCovariance(pr[0], pr[1]);
            double[] slow = bruteForceQ0(pr[0], pr[1], 20000);
            double scale = 0;
            for (double v : slow) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < slow.length; i++) assertEquals(slow[i], fast[i], 1e-9 * scale, o + " element " + i);
        }
        assertNull(StateSpace.stationaryCovariance(new double[]{1.01}, new double[]{1}), "explosive AR(1)");
        assertNull(StateSpace.stationaryCovariance(new double[]{0.5, 0.6}, new double[]{1, 0}), "AR(2) with a root inside");
    }

    @Test
    void differencedLikelihoodIsTheDiffuseLimitOfTheFullFilter() {
        double[] y = RSeries.load("AirPassengers");
        ArimaOrder o = ArimaOrder.of(2, 1, 1, 1, 1, 1, 12);
        double[] par = {0.3, 0.2, -0.6, 0.1, -0.5};
        double[] delta = Polynomials.differencingDelta(1, 1, 12);
        double full = Arima.mlObjective(y, new double[0][], o, delta, par);
        double diffd = Arima.mlObjectiveDifferenced(Arima.difference(y, o), new double[0][], o, par);
        // R's kappa = 1e6 start: the gap is O(1/kappa) per observation
        assertTrue(Math.abs(full - diffd) < 1e-4, "objective " + full + " vs differenced " + diffd);
        StateSpace.Likelihood a = StateSpace.of(Arima.expandedAr(par, o), Arima.expandedMa(par, o), delta).filter(y, null);
        StateSpace.Likelihood b = StateSpace.armaLikelihood(Arima.expandedAr(par, o), Arima.expandedMa(par, o), Arima.difference(y, o));
        assertEquals(a.nu(), b.nu(), "observations in the likelihood");
        assertEquals(a.ssq(), b.ssq(), 1e-4 * a.ssq(), "sum of squares");
    }
}
