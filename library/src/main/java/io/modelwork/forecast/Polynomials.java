package io.modelwork.forecast;

import org.apache.commons.math3.analysis.solvers.LaguerreSolver;
import org.apache.commons.math3.complex.Complex;

/**
 * Lag-polynomial helpers for ARIMA models: products of seasonal and non-seasonal factors, the partial-autocorrelation
 * reparametrisation that keeps an AR part stationary, a root-free stationarity test, and MA root flipping.
 *
 * <p>Conventions: an AR vector {@code a} stands for {@code 1 - a[0] B - a[1] B^2 - ...}; an MA vector {@code b} for
 * {@code 1 + b[0] B + b[1] B^2 + ...} (Box, Jenkins and Reinsel; the sign convention of R's {@code arima}).
 */
final class Polynomials {
    private Polynomials() {}

    /**
     * Expanded AR coefficients of {@code (1 - sum ar_i B^i)(1 - sum sar_j B^{jm})}, as a vector in the AR convention
     * of length {@code p + P m}.
     */
    static double[] expandAr(double[] ar, double[] sar, int m) {
        double[] a = lagPoly(ar, 1, -1), s = lagPoly(sar, m, -1);
        double[] prod = multiply(a, s);
        double[] out = new double[prod.length - 1];
        for (int i = 1; i < prod.length; i++) out[i - 1] = -prod[i];
        return out;
    }

    /** Expanded MA coefficients of {@code (1 + sum ma_i B^i)(1 + sum sma_j B^{jm})}, length {@code q + Q m}. */
    static double[] expandMa(double[] ma, double[] sma, int m) {
        double[] a = lagPoly(ma, 1, 1), s = lagPoly(sma, m, 1);
        double[] prod = multiply(a, s);
        double[] out = new double[prod.length - 1];
        System.arraycopy(prod, 1, out, 0, out.length);
        return out;
    }

    /** The full polynomial {@code 1 + sign * sum c_i B^{i*lag}} as coefficients of B^0..B^{k*lag}. */
    static double[] lagPoly(double[] c, int lag, int sign) {
        double[] p = new double[c.length * lag + 1];
        p[0] = 1;
        for (int i = 0; i < c.length; i++) p[(i + 1) * lag] = sign * c[i];
        return p;
    }

    static double[] multiply(double[] a, double[] b) {
        double[] out = new double[a.length + b.length - 1];
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) continue;
            for (int j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
        }
        return out;
    }

    /**
     * The differencing operator {@code (1-B)^d (1-B^m)^D} written as {@code 1 - sum delta_i B^i}; returns delta
     * (length {@code d + D m}), the vector R's {@code makeARIMA} calls {@code Delta}.
     */
    static double[] differencingDelta(int d, int bigD, int m) {
        double[] p = {1};
        for (int i = 0; i < d; i++) p = multiply(p, new double[]{1, -1});
        for (int i = 0; i < bigD; i++) p = multiply(p, lagPoly(new double[]{1}, m, -1));
        double[] delta = new double[p.length - 1];
        for (int i = 1; i < p.length; i++) delta[i - 1] = -p[i];
        return delta;
    }

    /**
     * Maps unconstrained values to the coefficients of a stationary AR polynomial: {@code tanh} gives partial
     * autocorrelations in (-1, 1), the Durbin-Levinson recursion turns them into AR coefficients (Jones 1980;
     * Barndorff-Nielsen and Schou 1973; the transformation R's {@code arima} uses with {@code transform.pars=TRUE}).
     */
    static double[] pacfToAr(double[] raw) {
        int p = raw.length;
        double[] k = new double[p];
        for (int i = 0; i < p; i++) k[i] = Math.tanh(raw[i]);
        return levinson(k);
    }

    /** Durbin-Levinson: partial autocorrelations to AR coefficients. */
    static double[] levinson(double[] k) {
        int p = k.length;
        double[] phi = new double[p], prev = new double[p];
        for (int j = 0; j < p; j++) {
            System.arraycopy(phi, 0, prev, 0, j);
            phi[j] = k[j];
            for (int i = 0; i < j; i++) phi[i] = prev[i] - k[j] * prev[j - i - 1];
        }
        return phi;
    }

    /**
     * The inverse of {@link #levinson}: the partial autocorrelations (reflection coefficients) of an AR polynomial by
     * the step-down recursion. All of them lie strictly inside (-1, 1) exactly when the polynomial is stationary
     * (Schur-Cohn). Returns null when some reflection coefficient has modulus 1 or more.
     */
    static double[] reflection(double[] ar) {
        int p = ar.length;
        double[] a = ar.clone(), k = new double[p], tmp = new double[p];
        for (int j = p - 1; j >= 0; j--) {
            double kj = a[j];
            if (!(Math.abs(kj) < 1)) return null;
            k[j] = kj;
            double den = 1 - kj * kj;
            for (int i = 0; i < j; i++) tmp[i] = (a[i] + kj * a[j - i - 1]) / den;
            System.arraycopy(tmp, 0, a, 0, j);
        }
        return k;
    }

    /** Inverse of {@link #pacfToAr}; null when the AR polynomial is not stationary. */
    static double[] arToPacf(double[] ar) {
        double[] k = reflection(ar);
        if (k == null) return null;
        double[] raw = new double[k.length];
        for (int i = 0; i < k.length; i++) raw[i] = atanh(k[i]);
        return raw;
    }

    static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }

    /**
     * True when every root of {@code 1 - sum ar_i z^i} has modulus greater than {@code radius}. The test rescales
     * {@code z = radius * u} and runs the step-down recursion, so no roots are computed.
     */
    static boolean arRootsOutside(double[] ar, double radius) {
        int last = ar.length - 1;
        while (last >= 0 && Math.abs(ar[last]) <= 1e-8) last--;
        if (last < 0) return true;
        double[] s = new double[last + 1];
        double f = 1;
        for (int i = 0; i <= last; i++) {
            f *= radius;
            s[i] = ar[i] * f;
        }
        return reflection(s) != null;
    }

    /** True when every root of {@code 1 + sum ma_i z^i} has modulus greater than {@code radius}. */
    static boolean maRootsOutside(double[] ma, double radius) {
        double[] neg = new double[ma.length];
        for (int i = 0; i < ma.length; i++) neg[i] = -ma[i];
        return arRootsOutside(neg, radius);
    }

    /**
     * Makes an MA polynomial {@code 1 + sum ma_i B^i} invertible by replacing each root inside the unit circle with
     * its reciprocal (the likelihood of a Gaussian MA process is unchanged by this, up to the innovation variance).
     * Roots are found with Laguerre's method.
     */
    static double[] maInvert(double[] ma) {
        int q0 = ma.length;
        while (q0 > 0 && ma[q0 - 1] == 0) q0--;
        if (q0 == 0) return ma.clone();
        double[] c = new double[q0 + 1];
        c[0] = 1;
        System.arraycopy(ma, 0, c, 1, q0);
        Complex[] roots;
        try {
            roots = new LaguerreSolver(1e-12).solveAllComplex(c, 0);
        } catch (RuntimeException e) {
            return ma.clone();
        }
        boolean any = false;
        for (Complex z : roots) if (z.abs() < 1) any = true;
        if (!any) return ma.clone();
        double[] out = new double[ma.length];
        if (q0 == 1) {
            out[0] = 1 / ma[0];
            return out;
        }
        // rebuild prod (1 - z/r_i) from the flipped roots
        Complex[] poly = {Complex.ONE};
        for (Complex z : roots) {
            Complex r = z.abs() < 1 ? Complex.ONE.divide(z) : z;
            Complex[] next = new Complex[poly.length + 1];
            for (int i = 0; i < next.length; i++) next[i] = Complex.ZERO;
            for (int i = 0; i < poly.length; i++) {
                next[i] = next[i].add(poly[i]);
                next[i + 1] = next[i + 1].subtract(poly[i].divide(r));
            }
            poly = next;
        }
        for (int i = 0; i < q0; i++) out[i] = poly[i + 1].getReal();
        return out;
    }
}
