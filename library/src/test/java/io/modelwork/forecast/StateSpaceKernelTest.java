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

    /**
     * Reference: the plain O(r^2) covariance recursion of the ARMA filter (as R's {@code ARIMA_Like} for d = 0, with
     * the predicted covariance frozen once it stops changing).
     */
    static StateSpace.Likelihood covarianceRecursion(double[] phiIn, double[] thetaIn, double[] w) {
        int r = Math.max(phiIn.length, thetaIn.length + 1);
        double[] phi = new double[r], rl = new double[r];
        System.arraycopy(phiIn, 0, phi, 0, phiIn.length);
        rl[0] = 1;
        System.arraycopy(thetaIn, 0, rl, 1, thetaIn.length);
        double[] pm = StateSpace.stationaryCovariance(phi, rl);
        if (pm == null) return null;
        double[] pn = new double[r * r], mv = new double[r], a = new double[r];
        double ssq = 0, sumLog = 0;
        int nu = 0;
        boolean steady = false;
        double f = pm[0], logF = Math.log(f);
        for (int t = 0; t < w.length; t++) {
            if (!steady) {
                f = pm[0];
                logF = Math.log(f);
                for (int i = 0; i < r; i++) mv[i] = pm[i * r];
            }
            double v = w[t] - a[0];
            if (f < StateSpace.DIFFUSE_GAIN) {
                nu++;
                ssq += v * v / f;
                sumLog += logF;
            }
            // state: update then predict; the updated state 0 is w[t]
            double vf = v / f;
            double a0 = w[t];
            for (int i = 0; i < r - 1; i++) a[i] = a[i + 1] + mv[i + 1] * vf + phi[i] * a0;
            a[r - 1] = phi[r - 1] * a0;
            if (steady) continue;
            double maxDiff = 0, scale = 0;
            for (int i = 0; i < r; i++) {
                double mi = i + 1 < r ? mv[i + 1] / f : 0, ri = rl[i];
                int rowNext = (i + 1) * r;
                for (int j = i; j < r; j++) {
                    double v2 = ri * rl[j];
                    if (i + 1 < r && j + 1 < r) v2 += pm[rowNext + j + 1] - mi * mv[j + 1];
                    double old = pm[i * r + j];
                    maxDiff = Math.max(maxDiff, Math.abs(v2 - old));
                    scale = Math.max(scale, Math.abs(v2));
                    pn[i * r + j] = v2;
                    pn[j * r + i] = v2;
                }
            }
            double[] sw = pm; pm = pn; pn = sw;
            if (maxDiff <= 1e-12 * scale) steady = true;
        }
        return new StateSpace.Likelihood(ssq, sumLog, nu);
    }


    @Test
    void chandrasekharRecursionsMatchTheCovarianceRecursion() {
        double[] y = RSeries.load("AirPassengers");
        Random rnd = new Random(3);
        double[] x = new double[800];
        for (int t = 0; t < x.length; t++) x[t] = Math.sin(2 * Math.PI * t / 24) + rnd.nextGaussian();
        Object[][] cases = {
                {ArimaOrder.of(2, 1, 1, 1, 1, 1, 12), new double[]{0.3, 0.2, -0.6, 0.1, -0.5}, y},
                {ArimaOrder.of(0, 1, 1, 0, 1, 1, 12), new double[]{-0.4, -0.99}, y},
                {ArimaOrder.of(2, 0, 2, 2, 1, 0, 24), new double[]{1.3, -0.4, 0.06, 0.28, -0.5, -0.3}, x},
                {ArimaOrder.of(1, 0, 1, 1, 1, 1, 24), new double[]{0.8, -0.3, 0.1, -0.9}, x},
                {ArimaOrder.of(3, 0, 0, 0, 0, 0, 1), new double[]{0.5, 0.2, 0.1}, x}};
        for (Object[] c : cases) {
            ArimaOrder o = (ArimaOrder) c[0];
            double[] par = (double[]) c[1], w = Arima.difference((double[]) c[2], o);
            double[] phi = Arima.expandedAr(par, o), theta = Arima.expandedMa(par, o);
            StateSpace.Likelihood fast = StateSpace.armaLikelihood(phi, theta, w);
            StateSpace.Likelihood ref = covarianceRecursion(phi, theta, w);
            assertEquals(ref.nu(), fast.nu(), o + " nu");
            assertEquals(ref.ssq(), fast.ssq(), 1e-9 * ref.ssq(), o + " ssq");
            assertEquals(ref.sumLog(), fast.sumLog(), 1e-9 * Math.max(1, Math.abs(ref.sumLog())), o + " sumLog");
        }
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
