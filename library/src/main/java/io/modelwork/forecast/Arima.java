package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * A fitted seasonal ARIMA model, SARIMA(p,d,q)(P,D,Q)[m], optionally with a mean or drift term and exogenous
 * regressors (regression with ARIMA errors): {@code y_t = b' x_t + n_t} where {@code n_t} follows the ARIMA process.
 *
 * <p>Estimation follows R's {@code stats::arima} (Ripley 2002, "Time series in R 1.5.0", R News 2/2) as wrapped by
 * {@code forecast::Arima} (Hyndman and Khandakar 2008):
 * <ul>
 *   <li>the exact Gaussian likelihood from a Kalman filter on the state-space form (Gardner, Harvey and Phillips 1980;
 *       Durbin and Koopman 2012), with the differenced part started approximately diffuse ({@code kappa = 1e6}) and
 *       sigma^2 concentrated out ({@link StateSpace}); the optimiser evaluates the same likelihood in its diffuse limit,
 *       the ARMA likelihood of the differenced series by the Chandrasekhar recursions (O(r) per observation, state
 *       dimension r instead of r + d; {@link StateSpace#armaLikelihood}), and the reported likelihood, residuals and
 *       forecasting state come from the full filter with R's {@code kappa} at the optimum;</li>
 *   <li>method {@link Method#CSS_ML} (the default): conditional-sum-of-squares estimates give the starting values for
 *       the maximum-likelihood fit; a non-stationary AR part from CSS is an error, as in R;</li>
 *   <li>stationarity is enforced by optimising the AR parts through partial autocorrelations ({@code tanh} and the
 *       Durbin-Levinson recursion; Jones 1980) and invertibility by flipping MA roots inside the unit circle after the
 *       fit;</li>
 *   <li>regression starting values from OLS on the differenced data, with parameter scale 10 standard errors;</li>
 *   <li>the information criteria and sigma^2 of {@code forecast::Arima}: {@code npar = #coef + 1},
 *       {@code AICc = AIC + 2 npar (npar+1) / (n* - npar - 1)}, {@code BIC = AIC + npar (log n* - 2)} with
 *       {@code n* = n - d - D m}, and {@code sigma^2 = sum(residuals^2) / (n* - npar + 1)};</li>
 *   <li>with a Box-Cox {@code lambda} the model is fitted to the transformed series; the likelihood and criteria are
 *       those of the transformed series (no Jacobian term), fitted values and forecasts are back-transformed.</li>
 * </ul>
 * Optimisation is by BOBYQA (Apache Commons Math) rather than R's BFGS, so estimates agree with R to optimiser
 * tolerance, not bit for bit.
 */
public final class Arima {

    /** Estimation method, as R's {@code arima(method=)}. */
    public enum Method { CSS_ML, ML, CSS }

    /** Fitting options; immutable, use the {@code with...} methods. */
    public static final class Options {
        final Method method;
        final Double lambda;
        final boolean includeMean;
        final boolean includeDrift;
        final double[][] xreg;
        final String[] xregNames;

        private Options(Method method, Double lambda, boolean includeMean, boolean includeDrift, double[][] xreg, String[] xregNames) {
            this.method = method;
            this.lambda = lambda;
            this.includeMean = includeMean;
            this.includeDrift = includeDrift;
            this.xreg = xreg;
            this.xregNames = xregNames;
        }

        /** CSS-ML, no transform, mean included for undifferenced series, no drift, no regressors (R's defaults). */
        public static Options defaults() {
            return new Options(Method.CSS_ML, null, true, false, null, null);
        }

        public Options withMethod(Method m) { return new Options(m, lambda, includeMean, includeDrift, xreg, xregNames); }

        /** Box-Cox lambda (0 = log); null for none. */
        public Options withLambda(Double l) { return new Options(method, l, includeMean, includeDrift, xreg, xregNames); }

        /** Include an intercept when the model has no differencing (ignored otherwise, as in R). */
        public Options withMean(boolean b) { return new Options(method, lambda, b, includeDrift, xreg, xregNames); }

        /** Include a linear drift term {@code 1..n} (only when d + D is 1; dropped for 2 or more, as forecast::Arima). */
        public Options withDrift(boolean b) { return new Options(method, lambda, includeMean, b, xreg, xregNames); }

        /**
         * Exogenous regressors, {@code columns[j][t]} the value of regressor j at time t, with their names
         * (null for xreg1, xreg2, ...).
         */
        public Options withXreg(double[][] columns, String[] names) {
            return new Options(method, lambda, includeMean, includeDrift, columns, names);
        }
    }

    /** BOBYQA's final trust-region radius, in the scaled parameters. */
    static final double STOP_RADIUS = 1e-6;

    /**
     * Evaluation budget of one optimisation, in the spirit of R's {@code optim(maxit = 100)}: near-redundant models
     * (e.g. cancelling AR and MA roots) drift along flat ridges, and the search rejects them anyway.
     */
    static int evalBudget(int npar) {
        return 300 + 150 * npar;
    }

    /** Thrown internally when a fit cannot be completed (e.g. a non-stationary AR part from CSS). */
    static final class FitFailure extends RuntimeException {
        FitFailure(String msg) { super(msg, null, false, false); }
    }

    // ---- the fitted model ----
    private final ArimaOrder order;
    private final Method method;
    private final double[] coef;
    private final String[] names;
    private final Double lambda;
    private final boolean hasIntercept, hasDrift;
    private final int nUser; // number of user regressors
    private final double[] x;         // the (transformed) series
    private final double[] residuals; // on the transformed scale
    private final double[] fitted;    // on the original scale
    private final double sigma2;      // forecast::Arima's unbiased sigma^2
    private final double sigma2Raw;   // stats::arima's sigma^2 (ssq / n.used, or CSS ssq / nu)
    private final double loglik, aic, aicc, bic;
    private final int nobs;
    private final StateSpace ss;

    private Arima(ArimaOrder order, Method method, double[] coef, String[] names, Double lambda, boolean hasIntercept,
                  boolean hasDrift, int nUser, double[] x, double[] residuals, double[] fitted, double sigma2,
                  double sigma2Raw, double loglik, double aic, double aicc, double bic, StateSpace ss, int nobs) {
        this.order = order;
        this.method = method;
        this.coef = coef;
        this.names = names;
        this.lambda = lambda;
        this.hasIntercept = hasIntercept;
        this.hasDrift = hasDrift;
        this.nUser = nUser;
        this.x = x;
        this.residuals = residuals;
        this.fitted = fitted;
        this.sigma2 = sigma2;
        this.sigma2Raw = sigma2Raw;
        this.loglik = loglik;
        this.aic = aic;
        this.aicc = aicc;
        this.bic = bic;
        this.nobs = nobs;
        this.ss = ss;
    }

    /**
     * Fits a SARIMA model to {@code y} (equally spaced, no missing values).
     *
     * @throws ModelworkException for a series that is too short, not finite, constant, or not positive under a log
     *                            transform, and when the fit fails
     */
    public static Arima fit(double[] y, ArimaOrder order, Options opts) {
        String where = "Arima.fit " + order;
        Series.check(y, where, order.differencingLength() + 2);
        double[] xt = opts.lambda == null ? y.clone() : BoxCox.transform(y, opts.lambda, where);
        if (Series.isConstant(y))
            throw new ModelworkException("The series is constant (all values " + y[0] + ")", where,
                    "a constant series has nothing to model; forecast it with Naive, or check the input column");
        boolean drift = opts.includeDrift;
        if (drift && order.d() + order.D() > 1) drift = false; // as forecast::Arima (with a warning there)
        boolean mean = opts.includeMean && order.d() + order.D() == 0;
        int nReg = opts.xreg == null ? 0 : opts.xreg.length;
        if (opts.xreg != null) for (int j = 0; j < nReg; j++) Series.checkColumn(opts.xreg[j], y.length, where + ", xreg column " + j);
        try {
            return fitTransformed(xt, order, opts.method, mean, drift, opts.xreg, opts.xregNames, opts.lambda, y);
        } catch (FitFailure f) {
            throw new ModelworkException("The ARIMA fit failed: " + f.getMessage(), where,
                    "try another order, method ML (Options.withMethod(Method.ML)), or AutoArima");
        }
    }

    /** Regression columns in R's order: intercept or drift first, then the user's. */
    static double[][] designColumns(int n, boolean mean, boolean drift, double[][] xreg) {
        List<double[]> cols = new ArrayList<>();
        if (mean) {
            double[] one = new double[n];
            Arrays.fill(one, 1);
            cols.add(one);
        }
        if (drift) {
            double[] t = new double[n];
            for (int i = 0; i < n; i++) t[i] = i + 1;
            cols.add(t);
        }
        if (xreg != null) cols.addAll(Arrays.asList(xreg));
        return cols.toArray(new double[0][]);
    }

    /** The core fit on an already transformed series; throws {@link FitFailure}. */
    static Arima fitTransformed(double[] x, ArimaOrder o, Method method, boolean mean, boolean drift, double[][] xreg,
                                String[] xregNames, Double lambda, double[] yOriginal) {
        return fitTransformed(x, o, method, mean, drift, xreg, xregNames, lambda, yOriginal, true, null);
    }

    /**
     * As above; with {@code forecastable} false a CSS fit skips building and running the state-space model that only
     * {@link #forecast} needs (AutoArima's approximate search ranks hundreds of CSS fits and forecasts none of them),
     * so the result cannot forecast. A non-null {@code cssEstimate} (the coefficients of an earlier CSS fit of the
     * same series, order and terms, which this method would reproduce exactly) replaces the CSS stage of
     * {@link Method#CSS_ML}: AutoArima's ML refits reuse the CSS fits of its approximate search.
     */
    static Arima fitTransformed(double[] x, ArimaOrder o, Method method, boolean mean, boolean drift, double[][] xreg,
                                String[] xregNames, Double lambda, double[] yOriginal, boolean forecastable,
                                double[] cssEstimate) {
        int n = x.length;
        int p = o.p(), q = o.q(), sp = o.P(), sq = o.Q(), m = o.m();
        int narma = p + q + sp + sq;
        double[][] cols = designColumns(n, mean, drift, xreg);
        int k = cols.length, npar = narma + k;
        double[] delta = Polynomials.differencingDelta(o.d(), o.D(), m);
        int nUsed = n - delta.length;
        if (nUsed < npar + 2)
            throw new FitFailure("the series has " + n + " values, too few for " + npar + " parameters after differencing " + delta.length);
        String[] names = coefNames(o, mean, drift, xreg == null ? 0 : xreg.length, xregNames);

        double[] init = new double[npar], scale = new double[npar];
        Arrays.fill(scale, 1);
        if (k > 0) {
            double[][] reg = regressionStart(x, cols, o);
            for (int j = 0; j < k; j++) {
                init[narma + j] = reg[0][j];
                double se = reg[1][j];
                scale[narma + j] = (se > 0 && Double.isFinite(se)) ? 10 * se : 1;
            }
        }
        int ncond = o.d() + o.D() * m + p + sp * m;

        if (method == Method.CSS_ML && cssEstimate != null) {
            if (cssEstimate.length != npar) throw new IllegalArgumentException("cssEstimate has " + cssEstimate.length + " values, expected " + npar);
            init = cssEstimate.clone();
            if (!Polynomials.arRootsOutside(slice(init, 0, p), 1.0)) throw new FitFailure("non-stationary AR part from CSS");
            if (!Polynomials.arRootsOutside(slice(init, p + q, sp), 1.0)) throw new FitFailure("non-stationary seasonal AR part from CSS");
        } else if (method == Method.CSS || method == Method.CSS_ML) {
            final double[] sc = scale;
            Optim.Result r = Optim.minimize(u -> cssObjective(x, cols, o, ncond, unscale(u, sc)), divide(init, scale), 0.1, STOP_RADIUS, evalBudget(npar));
            init = unscale(r.x(), scale);
            if (method == Method.CSS) return finishCss(x, o, cols, names, init, ncond, nUsed, lambda, yOriginal, mean, drift, k, forecastable);
            if (!Polynomials.arRootsOutside(slice(init, 0, p), 1.0)) throw new FitFailure("non-stationary AR part from CSS");
            if (!Polynomials.arRootsOutside(slice(init, p + q, sp), 1.0)) throw new FitFailure("non-stationary seasonal AR part from CSS");
        }
        // to the unconstrained parametrisation; make the MA parts invertible
        double[] raw = init.clone();
        if (p > 0) {
            double[] t = Polynomials.arToPacf(slice(init, 0, p));
            if (t == null) throw new FitFailure("non-stationary AR starting values");
            System.arraycopy(t, 0, raw, 0, p);
        }
        if (sp > 0) {
            double[] t = Polynomials.arToPacf(slice(init, p + q, sp));
            if (t == null) throw new FitFailure("non-stationary seasonal AR starting values");
            System.arraycopy(t, 0, raw, p + q, sp);
        }
        if (q > 0) System.arraycopy(Polynomials.maInvert(slice(init, p, q)), 0, raw, p, q);
        if (sq > 0) System.arraycopy(Polynomials.maInvert(slice(init, p + q + sp, sq)), 0, raw, p + q + sp, sq);

        final double[] sc = scale;
        final double[] dx = hasNaN(x) ? null : difference(x, o);
        final double[][] dcols = dx == null ? null : differenceCols(cols, o);
        Optim.Result r = Optim.minimize(u -> dx != null
                        ? mlObjectiveDifferenced(dx, dcols, o, untransform(unscale(u, sc), o))
                        : mlObjective(x, cols, o, delta, untransform(unscale(u, sc), o)),
                divide(raw, scale), 0.1, STOP_RADIUS, evalBudget(npar));
        double[] par = untransform(unscale(r.x(), scale), o);
        if (q > 0) System.arraycopy(Polynomials.maInvert(slice(par, p, q)), 0, par, p, q);
        if (sq > 0) System.arraycopy(Polynomials.maInvert(slice(par, p + q + sp, sq)), 0, par, p + q + sp, sq);

        double[] w = regressionResidual(x, cols, par, narma);
        StateSpace model = StateSpace.of(expandedAr(par, o), expandedMa(par, o), delta);
        if (model == null) throw new FitFailure("non-stationary AR part after optimisation");
        double[] resid = new double[n];
        StateSpace.Likelihood lik = model.filter(w, resid);
        if (lik.nu() == 0 || !Double.isFinite(lik.objective())) throw new FitFailure("the likelihood is not finite");
        double value = lik.objective();
        double loglik = -0.5 * (2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI));
        double sigma2Raw = lik.ssq() / nUsed;
        double aic = -2 * loglik + 2 * (npar + 1);
        return assemble(o, method, par, names, lambda, mean, drift, k, x, resid, yOriginal, sigma2Raw, loglik, aic, model);
    }

    private static Arima finishCss(double[] x, ArimaOrder o, double[][] cols, String[] names, double[] par, int ncond,
                                   int nUsed, Double lambda, double[] yOriginal, boolean mean, boolean drift, int k,
                                   boolean forecastable) {
        int narma = o.armaCount();
        double[] w = regressionResidual(x, cols, par, narma);
        double[] resid = new double[x.length];
        double[] sn = css(w, expandedAr(par, o), expandedMa(par, o), o, ncond, resid);
        double sigma2Raw = sn[0] / sn[1];
        if (!Double.isFinite(sigma2Raw)) throw new FitFailure("the CSS residuals are not finite");
        double value = 0.5 * Math.log(sigma2Raw);
        double loglik = -0.5 * (2 * nUsed * value + nUsed + nUsed * Math.log(2 * Math.PI));
        StateSpace model = forecastable ? StateSpace.of(expandedAr(par, o), expandedMa(par, o), Polynomials.differencingDelta(o.d(), o.D(), o.m())) : null;
        if (model != null) model.filter(w, null); // positions the state at the end for forecasting
        return assemble(o, Method.CSS, par, names, lambda, mean, drift, k, x, resid, yOriginal, sigma2Raw, loglik, Double.NaN, model);
    }

    private static Arima assemble(ArimaOrder o, Method method, double[] par, String[] names, Double lambda, boolean mean,
                                  boolean drift, int k, double[] x, double[] resid, double[] yOriginal, double sigma2Raw,
                                  double loglik, double aic, StateSpace model) {
        int n = x.length;
        int npar = par.length + 1;
        int nstar = n - o.d() - o.D() * o.m();
        double aicc = aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1);
        double bic = aic + npar * (Math.log(nstar) - 2);
        double ss = 0;
        for (double v : resid) if (!Double.isNaN(v)) ss += v * v;
        double sigma2 = ss / (nstar - npar + 1);
        double[] fittedT = new double[n];
        for (int i = 0; i < n; i++) fittedT[i] = x[i] - resid[i];
        double[] fitted = lambda == null ? fittedT : BoxCox.inverse(fittedT, lambda);
        int nUser = k - (mean ? 1 : 0) - (drift ? 1 : 0);
        return new Arima(o, method, par, names, lambda, mean, drift, nUser, x, resid, fitted, sigma2, sigma2Raw, loglik,
                aic, aicc, bic, model, x.length);
    }

    // ---- objectives ----

    /** R's CSS objective {@code 0.5 log(ssq / nu)}; parameters not transformed. */
    static double cssObjective(double[] x, double[][] cols, ArimaOrder o, int ncond, double[] par) {
        double[] w = regressionResidual(x, cols, par, o.armaCount());
        double[] sn = css(w, expandedAr(par, o), expandedMa(par, o), o, ncond, null);
        double v = 0.5 * Math.log(sn[0] / sn[1]);
        return Double.isFinite(v) ? v : Optim.PENALTY;
    }

    /**
     * Conditional sum of squares: differences the series, then runs the ARMA recursion from {@code ncond} on with
     * earlier innovations set to zero (Box, Jenkins and Reinsel, ch. 7). Returns {ssq, nu}; fills {@code resid}.
     */
    static double[] css(double[] x, double[] phi, double[] theta, ArimaOrder o, int ncond, double[] resid) {
        int n = x.length;
        double[] w = x.clone();
        for (int i = 0; i < o.d(); i++) for (int l = n - 1; l > 0; l--) w[l] -= w[l - 1];
        int m = o.m();
        for (int i = 0; i < o.D(); i++) for (int l = n - 1; l >= m; l--) w[l] -= w[l - m];
        double[] e = resid != null ? resid : new double[n];
        Arrays.fill(e, 0, Math.min(ncond, n), 0);
        double ssq = 0;
        int nu = 0;
        // the expanded seasonal polynomials are mostly zeros (e.g. 8 of 50 AR lags for (2,0,0)(2,1,0)[24]): visit only
        // the non-zero lags, in the same order, so the sums are unchanged
        int[] pl = nonZeroLags(phi), ql = nonZeroLags(theta);
        for (int l = ncond; l < n; l++) {
            double t = w[l];
            for (int j : pl) t -= phi[j] * w[l - j - 1];
            int jm = l - ncond;
            for (int j : ql) {
                if (j >= jm) break;
                t -= theta[j] * e[l - j - 1];
            }
            e[l] = t;
            if (!Double.isNaN(t)) {
                nu++;
                ssq += t * t;
            }
        }
        return new double[]{ssq, nu};
    }

    private static int[] nonZeroLags(double[] c) {
        int k = 0;
        for (double v : c) if (v != 0) k++;
        int[] out = new int[k];
        k = 0;
        for (int j = 0; j < c.length; j++) if (c[j] != 0) out[k++] = j;
        return out;
    }

    /** R's concentrated ML objective {@code 0.5 (log(ssq/nu) + sumlog/nu)}. */
    static double mlObjective(double[] x, double[][] cols, ArimaOrder o, double[] delta, double[] par) {
        StateSpace model = StateSpace.of(expandedAr(par, o), expandedMa(par, o), delta);
        if (model == null) return Optim.PENALTY;
        double[] w = regressionResidual(x, cols, par, o.armaCount());
        StateSpace.Likelihood lik = model.filter(w, null);
        if (lik.nu() == 0) return Optim.PENALTY;
        double v = lik.objective();
        return Double.isFinite(v) ? v : Optim.PENALTY;
    }

    /**
     * The same objective as {@link #mlObjective} from the differenced series and regressors (see
     * {@link StateSpace#armaLikelihood}): the state holds only the ARMA part, which makes a seasonal model with m = 24
     * several times cheaper to evaluate. Needs a series without missing values.
     */
    static double mlObjectiveDifferenced(double[] dx, double[][] dcols, ArimaOrder o, double[] par) {
        double[] w = regressionResidual(dx, dcols, par, o.armaCount());
        StateSpace.Likelihood lik = StateSpace.armaLikelihood(expandedAr(par, o), expandedMa(par, o), w);
        if (lik == null || lik.nu() == 0) return Optim.PENALTY;
        double v = lik.objective();
        return Double.isFinite(v) ? v : Optim.PENALTY;
    }

    private static boolean hasNaN(double[] x) {
        for (double v : x) if (Double.isNaN(v)) return true;
        return false;
    }

    // ---- parameter helpers ----

    static double[] expandedAr(double[] par, ArimaOrder o) {
        return Polynomials.expandAr(slice(par, 0, o.p()), slice(par, o.p() + o.q(), o.P()), o.m());
    }

    static double[] expandedMa(double[] par, ArimaOrder o) {
        return Polynomials.expandMa(slice(par, o.p(), o.q()), slice(par, o.p() + o.q() + o.P(), o.Q()), o.m());
    }

    /** From the unconstrained parametrisation: AR and seasonal AR through partial autocorrelations. */
    static double[] untransform(double[] raw, ArimaOrder o) {
        double[] par = raw.clone();
        if (o.p() > 0) System.arraycopy(Polynomials.pacfToAr(slice(raw, 0, o.p())), 0, par, 0, o.p());
        if (o.P() > 0) System.arraycopy(Polynomials.pacfToAr(slice(raw, o.p() + o.q(), o.P())), 0, par, o.p() + o.q(), o.P());
        return par;
    }

    static double[] regressionResidual(double[] x, double[][] cols, double[] par, int narma) {
        if (cols.length == 0) return x;
        double[] w = x.clone();
        for (int j = 0; j < cols.length; j++) {
            double b = par[narma + j];
            double[] c = cols[j];
            for (int t = 0; t < w.length; t++) w[t] -= b * c[t];
        }
        return w;
    }

    /**
     * OLS starting values and standard errors for the regression coefficients, on the differenced series and
     * regressors when the model differences (R's {@code arima}); falls back to the undifferenced data when the
     * differenced regressors are degenerate.
     */
    static double[][] regressionStart(double[] x, double[][] cols, ArimaOrder o) {
        double[][] r = o.differencingLength() > 0 ? ols(difference(x, o), differenceCols(cols, o)) : null;
        if (r == null) r = ols(x, cols);
        if (r == null) {
            double[] b = new double[cols.length], se = new double[cols.length];
            Arrays.fill(se, Double.NaN);
            return new double[][]{b, se};
        }
        return r;
    }

    private static double[][] differenceCols(double[][] cols, ArimaOrder o) {
        double[][] out = new double[cols.length][];
        for (int j = 0; j < cols.length; j++) out[j] = difference(cols[j], o);
        return out;
    }

    /** Applies (1-B)^d (1-B^m)^D and drops the first d + D m values. */
    static double[] difference(double[] x, ArimaOrder o) {
        double[] w = x;
        for (int i = 0; i < o.d(); i++) w = Series.diff(w, 1);
        for (int i = 0; i < o.D(); i++) w = Series.diff(w, o.m());
        return w;
    }

    private static double[][] ols(double[] y, double[][] cols) {
        int n = y.length, k = cols.length;
        if (n <= k) return null;
        double[][] xm = new double[n][k];
        for (int t = 0; t < n; t++) for (int j = 0; j < k; j++) xm[t][j] = cols[j][t];
        try {
            OLSMultipleLinearRegression reg = new OLSMultipleLinearRegression();
            reg.setNoIntercept(true);
            reg.newSampleData(y, xm);
            double[] b = reg.estimateRegressionParameters();
            double[] se;
            try {
                se = n > k ? reg.estimateRegressionParametersStandardErrors() : new double[k];
            } catch (RuntimeException e) {
                se = new double[k];
                Arrays.fill(se, Double.NaN);
            }
            for (double v : b) if (!Double.isFinite(v)) return null;
            return new double[][]{b, se};
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String[] coefNames(ArimaOrder o, boolean mean, boolean drift, int nx, String[] xregNames) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= o.p(); i++) out.add("ar" + i);
        for (int i = 1; i <= o.q(); i++) out.add("ma" + i);
        for (int i = 1; i <= o.P(); i++) out.add("sar" + i);
        for (int i = 1; i <= o.Q(); i++) out.add("sma" + i);
        if (mean) out.add("intercept");
        if (drift) out.add("drift");
        for (int j = 0; j < nx; j++) out.add(xregNames != null && j < xregNames.length && xregNames[j] != null ? xregNames[j] : "xreg" + (j + 1));
        return out.toArray(new String[0]);
    }

    static double[] slice(double[] a, int from, int len) {
        return Arrays.copyOfRange(a, from, from + len);
    }

    private static double[] unscale(double[] u, double[] scale) {
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) out[i] = u[i] * scale[i];
        return out;
    }

    private static double[] divide(double[] v, double[] scale) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] / scale[i];
        return out;
    }

    // ---- forecasting ----

    /** Forecasts with the default 80% and 95% intervals. */
    public Forecast forecast(int h, double[][] xregFuture) {
        return forecast(h, xregFuture, 80, 95);
    }

    /**
     * Forecasts {@code h} steps ahead with central prediction intervals at the given levels (percent). The means and
     * variances come from the Kalman filter's state at the end of the series, so the intervals account for the
     * differencing (R's {@code predict.Arima} / {@code KalmanForecast}); {@code se = sqrt(var * sigma2)}, intervals
     * {@code mean +- z se}; with a Box-Cox lambda the means and bounds are back-transformed (the means are then
     * medians, as {@code forecast} without {@code biasadj}).
     *
     * @param xregFuture {@code xregFuture[j][t]}, the future values of each user regressor (null when there are none)
     */
    public Forecast forecast(int h, double[][] xregFuture, double... levels) {
        String where = "Arima.forecast";
        if (h < 1) throw new ModelworkException("The horizon must be at least 1, got " + h, where, "pass h >= 1");
        if (ss == null) throw new ModelworkException("This model (CSS fit with a non-stationary AR part) cannot forecast", where, "refit with method CSS_ML or ML");
        if (nUser > 0) {
            if (xregFuture == null || xregFuture.length != nUser)
                throw new ModelworkException("The model has " + nUser + " regressors but " + (xregFuture == null ? 0 : xregFuture.length)
                        + " future columns were given", where, "pass xregFuture[j][t] for each regressor j and t < h");
            for (int j = 0; j < nUser; j++) Series.checkColumn(xregFuture[j], h, where + ", xregFuture column " + j);
        }
        for (double l : levels)
            if (!(l > 0 && l < 100)) throw new ModelworkException("Interval level " + l + " is not in (0, 100)", where, "use levels such as 80 and 95");
        double[][] mv = ss.forecast(h);
        double[] mean = mv[0];
        int narma = order.armaCount(), j = narma;
        if (hasIntercept) {
            for (int t = 0; t < h; t++) mean[t] += coef[j];
            j++;
        }
        if (hasDrift) {
            for (int t = 0; t < h; t++) mean[t] += coef[j] * (nobs + t + 1);
            j++;
        }
        for (int u = 0; u < nUser; u++, j++) for (int t = 0; t < h; t++) mean[t] += coef[j] * xregFuture[u][t];
        NormalDistribution norm = new NormalDistribution(null, 0, 1);
        double[][] lo = new double[levels.length][h], hi = new double[levels.length][h];
        for (int i = 0; i < levels.length; i++) {
            double z = norm.inverseCumulativeProbability(0.5 + levels[i] / 200);
            for (int t = 0; t < h; t++) {
                double se = Math.sqrt(mv[1][t] * sigma2);
                lo[i][t] = mean[t] - z * se;
                hi[i][t] = mean[t] + z * se;
            }
        }
        if (lambda != null) {
            mean = BoxCox.inverse(mean, lambda);
            for (int i = 0; i < levels.length; i++) {
                lo[i] = BoxCox.inverse(lo[i], lambda);
                hi[i] = BoxCox.inverse(hi[i], lambda);
            }
        }
        return new Forecast(mean, levels.clone(), lo, hi);
    }

    // ---- serialisation ----

    /**
     * Everything {@link #forecast} needs, as plain values: the orders, the coefficients (R's order) and their names,
     * the Box-Cox lambda, the constant terms, sigma^2, the criteria, and the Kalman filter's state at the end of the
     * series ({@code stateMean}, {@code stateCov}, row-major; null when the model cannot forecast). A model rebuilt by
     * {@link #restore} forecasts bit-for-bit as the original; it carries no series, so its {@link #fitted()} and
     * {@link #residuals()} are empty.
     */
    public record State(int p, int d, int q, int P, int D, int Q, int m, String method, double[] coef, String[] names,
                        Double lambda, boolean intercept, boolean drift, int userRegressors, int nobs, double sigma2,
                        double sigma2Mle, double loglik, double aic, double aicc, double bic, double[] stateMean,
                        double[] stateCov) {}

    /** The forecasting state of this model (see {@link State}). */
    public State state() {
        return new State(order.p(), order.d(), order.q(), order.P(), order.D(), order.Q(), order.m(), method.name(), coef.clone(),
                names.clone(), lambda, hasIntercept, hasDrift, nUser, nobs, sigma2, sigma2Raw, loglik, aic, aicc, bic,
                ss == null || ss.a == null ? null : ss.a.clone(), ss == null || ss.pm == null ? null : ss.pm.clone());
    }

    /** Rebuilds a model from {@link #state()}; its forecasts equal the original's exactly. */
    public static Arima restore(State s) {
        String where = "Arima.restore";
        ArimaOrder o = new ArimaOrder(s.p(), s.d(), s.q(), s.P(), s.D(), s.Q(), s.m());
        int k = (s.intercept() ? 1 : 0) + (s.drift() ? 1 : 0) + s.userRegressors();
        if (s.coef() == null || s.coef().length != o.armaCount() + k || s.names() == null || s.names().length != s.coef().length)
            throw new ModelworkException("The saved ARIMA state has " + (s.coef() == null ? 0 : s.coef().length) + " coefficients, expected "
                    + (o.armaCount() + k) + " for " + o, where, "re-export the model; the file is damaged or from another version");
        StateSpace model = null;
        if (s.stateMean() != null) {
            model = StateSpace.of(expandedAr(s.coef(), o), expandedMa(s.coef(), o), Polynomials.differencingDelta(o.d(), o.D(), o.m()));
            if (model == null || s.stateMean().length != model.rd || s.stateCov() == null || s.stateCov().length != model.rd * model.rd)
                throw new ModelworkException("The saved ARIMA state does not fit its orders " + o, where,
                        "re-export the model; the file is damaged or from another version");
            model.a = s.stateMean().clone();
            model.pm = s.stateCov().clone();
        }
        return new Arima(o, Method.valueOf(s.method()), s.coef().clone(), s.names().clone(), s.lambda(), s.intercept(), s.drift(),
                s.userRegressors(), new double[0], new double[0], new double[0], s.sigma2(), s.sigma2Mle(), s.loglik(), s.aic(),
                s.aicc(), s.bic(), model, s.nobs());
    }

    // ---- accessors ----

    public ArimaOrder order() { return order; }
    public Method method() { return method; }
    /** Coefficients in R's order: ar, ma, sar, sma, intercept or drift, regressors. */
    public double[] coefficients() { return coef.clone(); }
    /** Names matching {@link #coefficients()}: ar1.., ma1.., sar1.., sma1.., intercept/drift, regressor names. */
    public String[] coefficientNames() { return names.clone(); }
    /** A coefficient by name, NaN when absent. */
    public double coefficient(String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return coef[i];
        return Double.NaN;
    }
    /** forecast::Arima's sigma^2: sum of squared residuals / (n* - npar + 1). */
    public double sigma2() { return sigma2; }
    /** stats::arima's sigma^2 (the ML estimate ssq / n.used; for CSS the mean squared CSS residual). */
    public double sigma2Mle() { return sigma2Raw; }
    /** Log-likelihood of the (transformed) series; for CSS fits R's CSS pseudo-likelihood. */
    public double logLik() { return loglik; }
    public double aic() { return aic; }
    public double aicc() { return aicc; }
    public double bic() { return bic; }
    public Double lambda() { return lambda; }
    public boolean hasIntercept() { return hasIntercept; }
    public boolean hasDrift() { return hasDrift; }
    /** Number of user regressors (excluding intercept and drift). */
    public int userRegressors() { return nUser; }
    /** Innovations on the (transformed) scale of the fit, as R's {@code residuals()}. */
    public double[] residuals() { return residuals.clone(); }
    /** One-step in-sample fits on the original scale ({@code x - residuals}, back-transformed). */
    public double[] fitted() { return fitted.clone(); }
    public int nobs() { return nobs; }
    /** The series the model was fitted to, on the transformed scale. */
    double[] transformedSeries() { return x.clone(); }

    /** Expanded AR polynomial (AR convention), as R's {@code model$phi}. */
    public double[] phi() { return expandedAr(coef, order); }
    /** Expanded MA polynomial, as R's {@code model$theta}. */
    public double[] theta() { return expandedMa(coef, order); }

    /** R-like one-line description, e.g. {@code ARIMA(2,1,1)(0,1,0)[12] with drift}. */
    @Override
    public String toString() {
        String s = order.toString();
        if (hasDrift) s += " with drift";
        else if (hasIntercept) s += " with non-zero mean";
        else if (order.d() + order.D() == 0) s += " with zero mean";
        return s;
    }
}
