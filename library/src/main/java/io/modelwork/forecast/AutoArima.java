package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * Automatic ARIMA order selection after Hyndman and Khandakar (2008), "Automatic time series forecasting: the forecast
 * package for R", Journal of Statistical Software 27(3), with the defaults of {@code forecast::auto.arima} 8.x:
 * <ol>
 *   <li>optional Box-Cox transform; all tests and fits run on the transformed series (criteria included);</li>
 *   <li>{@code D}: 1 when the STL seasonal strength exceeds 0.64 ({@code nsdiffs}, test "seas"), 0 when
 *       {@code n <= 2m}; {@code d}: repeated KPSS tests at level 0.05 on the seasonally differenced series
 *       ({@code ndiffs}), up to {@code maxD}; with regressors the tests run on the residuals of an OLS fit;</li>
 *   <li>a constant (drift when {@code d + D = 1}, a mean when {@code d + D = 0}) is considered, never for
 *       {@code d + D >= 2};</li>
 *   <li>the stepwise search: the start model (2,d,2)(1,D,1), the null model, (1,d,0)(1,D,0), (0,d,1)(0,D,1), the
 *       null model without constant; then repeatedly the neighbours changing P, Q, (P,Q), p, q, (p,q) by one and
 *       toggling the constant, moving to the first that improves the criterion, until none does or 94 models were
 *       tried; or the exhaustive search over all orders with {@code p+q+P+Q <= maxOrder};</li>
 *   <li>a model whose AR or MA polynomial has a root of modulus below 1.01 is rejected;</li>
 *   <li>for long series ({@code n > 150} or {@code m > 12}) the search ranks models by CSS approximations of the
 *       criterion (offset by the ML fit of the null model) and refits the best ones by exact ML, taking the first
 *       that succeeds.</li>
 * </ol>
 */
public final class AutoArima {
    private AutoArima() {}

    /** The information criterion that ranks models. */
    public enum Ic { AIC, AICC, BIC }

    /** Search options with auto.arima's defaults; immutable, use the {@code with...} methods. */
    public static final class Options {
        int maxP = 5, maxQ = 5, maxSP = 2, maxSQ = 2, maxOrder = 5, maxD = 2, maxSD = 1;
        int startP = 2, startQ = 2, startSP = 1, startSQ = 1;
        Integer d, bigD;
        Ic ic = Ic.AICC;
        boolean stepwise = true, allowDrift = true, allowMean = true, seasonal = true;
        Boolean approximation;
        Double lambda;
        boolean autoLambda;
        double[][] xreg;
        String[] xregNames;
        int nmodels = 94;
        double alpha = 0.05;

        public static Options defaults() { return new Options(); }

        private Options copy() {
            Options o = new Options();
            o.maxP = maxP; o.maxQ = maxQ; o.maxSP = maxSP; o.maxSQ = maxSQ; o.maxOrder = maxOrder; o.maxD = maxD; o.maxSD = maxSD;
            o.startP = startP; o.startQ = startQ; o.startSP = startSP; o.startSQ = startSQ; o.d = d; o.bigD = bigD; o.ic = ic;
            o.stepwise = stepwise; o.allowDrift = allowDrift; o.allowMean = allowMean; o.seasonal = seasonal;
            o.approximation = approximation; o.lambda = lambda; o.autoLambda = autoLambda; o.xreg = xreg; o.xregNames = xregNames; o.nmodels = nmodels; o.alpha = alpha;
            return o;
        }

        /** Box-Cox lambda (0 = log); null for none. */
        public Options withLambda(Double l) { Options o = copy(); o.lambda = l; o.autoLambda = false; return o; }
        /**
         * Choose lambda from the data, as {@code auto.arima(lambda = "auto")}: {@link BoxCox#autoLambda} (Guerrero on
         * [-0.9, 2]) with the seasonal period; the model then carries that lambda.
         */
        public Options withAutoLambda() { Options o = copy(); o.lambda = null; o.autoLambda = true; return o; }
        public Options withIc(Ic ic) { Options o = copy(); o.ic = ic; return o; }
        /** False for the exhaustive search over all orders with p+q+P+Q <= maxOrder. */
        public Options withStepwise(boolean b) { Options o = copy(); o.stepwise = b; return o; }
        /** Force (true/false) or leave automatic (null: n > 150 or m > 12) the CSS approximation during the search. */
        public Options withApproximation(Boolean b) { Options o = copy(); o.approximation = b; return o; }
        /** Fix d and/or D (null: chosen by the tests). */
        public Options withDifferencing(Integer d, Integer bigD) { Options o = copy(); o.d = d; o.bigD = bigD; return o; }
        public Options withMaxOrders(int p, int q, int sp, int sq, int order) {
            Options o = copy(); o.maxP = p; o.maxQ = q; o.maxSP = sp; o.maxSQ = sq; o.maxOrder = order; return o;
        }
        public Options withMaxDifferences(int d, int bigD) { Options o = copy(); o.maxD = d; o.maxSD = bigD; return o; }
        public Options withStart(int p, int q, int sp, int sq) {
            Options o = copy(); o.startP = p; o.startQ = q; o.startSP = sp; o.startSQ = sq; return o;
        }
        public Options withDrift(boolean allow) { Options o = copy(); o.allowDrift = allow; return o; }
        public Options withMean(boolean allow) { Options o = copy(); o.allowMean = allow; return o; }
        /** False to fit non-seasonal models only. */
        public Options withSeasonal(boolean b) { Options o = copy(); o.seasonal = b; return o; }
        /** Exogenous regressors {@code columns[j][t]} and their names (null for xreg1, ...). */
        public Options withXreg(double[][] columns, String[] names) { Options o = copy(); o.xreg = columns; o.xregNames = names; return o; }
    }

    /** One model the search evaluated, with its criterion (+Infinity when the fit failed or was rejected). */
    public record Candidate(ArimaOrder order, boolean constant, double ic) {
        @Override
        public String toString() {
            return order + (constant ? " with constant" : "") + " : " + ic;
        }
    }

    /** The chosen model, the differencing found by the tests, and every candidate tried in order. */
    public record Result(Arima model, int d, int bigD, boolean approximation, List<Candidate> tried) {}

    /** Selects and fits a model for {@code y} with seasonal period {@code m} (1 for none). */
    public static Arima fit(double[] y, int m, Options opts) {
        return search(y, m, opts).model();
    }

    /** As {@link #fit} and also returns the search trace. */
    public static Result search(double[] y, int m, Options opts) {
        String where = "AutoArima";
        if (m < 1) throw new ModelworkException("The seasonal period must be at least 1, got " + m, where, "pass m = 1 for non-seasonal data");
        Series.check(y, where, 3);
        if (Series.isConstant(y))
            throw new ModelworkException("The series is constant (all values " + y[0] + "); there is nothing to model", where,
                    "forecast a constant series with Naive, or check that the right column was selected");
        int n = y.length;
        if (opts.seasonal && m > 1 && n <= m)
            throw new ModelworkException("The series has " + n + " values, not more than one seasonal period (m=" + m + ")", where,
                    "use a longer series, or m=1 / Options.withSeasonal(false) for a non-seasonal model");
        int nx = opts.xreg == null ? 0 : opts.xreg.length;
        for (int j = 0; j < nx; j++) Series.checkColumn(opts.xreg[j], n, where + ", xreg column " + j);
        if (opts.autoLambda) opts = opts.withLambda(BoxCox.autoLambda(y, m));
        double[] x = opts.lambda == null ? y.clone() : BoxCox.transform(y, opts.lambda, where);
        if (!opts.seasonal) m = 1;

        int maxP = Math.min(opts.maxP, n / 3), maxQ = Math.min(opts.maxQ, n / 3);
        int maxSP = Math.min(opts.maxSP, n / 3 / m), maxSQ = Math.min(opts.maxSQ, n / 3 / m);
        Ic ic = n <= 3 ? Ic.AIC : opts.ic;

        double[] xx = nx > 0 ? olsResiduals(x, opts.xreg) : x;
        int bigD;
        if (m == 1) {
            bigD = 0;
            maxSP = maxSQ = 0;
        } else if (opts.bigD != null) bigD = opts.bigD;
        else if (xx.length <= 2 * m) bigD = 0;
        else bigD = UnitRoot.nsdiffs(xx, m, opts.maxSD);
        double[] dx = xx;
        for (int i = 0; i < bigD; i++) dx = Series.diff(dx, m);
        int d = opts.d != null ? opts.d : UnitRoot.ndiffs(dx, opts.alpha, opts.maxD);
        for (int i = 0; i < d; i++) dx = Series.diff(dx, 1);
        if (dx.length == 0)
            throw new ModelworkException("Not enough data after differencing (d=" + d + ", D=" + bigD + ")", where, "use a longer series");
        if (Series.isConstant(dx) && nx == 0)
            throw new ModelworkException("The series is deterministic after differencing (d=" + d + ", D=" + bigD
                    + "): an exact polynomial or seasonal pattern, not suited to ARIMA", where,
                    "forecast it with Naive or SeasonalNaive, or check the data");
        if (m > 1) {
            if (maxSP > 0) maxP = Math.min(maxP, m - 1);
            if (maxSQ > 0) maxQ = Math.min(maxQ, m - 1);
        }
        boolean approx = opts.approximation != null ? opts.approximation : (n > 150 || m > 12);
        Ctx ctx = new Ctx(x, y, m, d, bigD, ic, opts);
        if (approx) {
            try {
                Arima nullFit = Arima.fitTransformed(x, new ArimaOrder(0, d, 0, 0, bigD, 0, m), Arima.Method.CSS_ML,
                        d + bigD == 0, false, opts.xreg, opts.xregNames, opts.lambda, y);
                ctx.offset = -2 * nullFit.logLik() - n * Math.log(nullFit.sigma2Mle());
            } catch (RuntimeException e) {
                ctx.offset = 0;
            }
        }
        boolean allowDrift = opts.allowDrift && d + bigD == 1;
        boolean allowMean = opts.allowMean && d + bigD == 0;
        boolean constant = allowDrift || allowMean;

        Fit best;
        if (!opts.stepwise) {
            best = exhaustive(ctx, maxP, maxQ, maxSP, maxSQ, opts.maxOrder, allowDrift || allowMean, approx);
        } else {
            best = stepwise(ctx, maxP, maxQ, maxSP, maxSQ, constant, allowDrift || allowMean, approx, opts);
        }
        if (best == null || best.model == null || best.ic == Double.POSITIVE_INFINITY)
            throw new ModelworkException("No suitable ARIMA model was found", where,
                    "check the series (length, outliers), or fix d/D, or use a baseline such as SeasonalNaive");
        return new Result(best.model, d, bigD, approx, List.copyOf(ctx.tried));
    }

    /** A fitted candidate and its criterion. */
    private record Fit(Arima model, double ic) {}

    private static final class Ctx {
        final double[] x, y;
        final int m, d, bigD;
        final Ic ic;
        final Options opts;
        double offset;
        final List<Candidate> tried = new ArrayList<>();

        Ctx(double[] x, double[] y, int m, int d, int bigD, Ic ic, Options opts) {
            this.x = x; this.y = y; this.m = m; this.d = d; this.bigD = bigD; this.ic = ic; this.opts = opts;
        }
    }

    /** forecast's {@code myarima}: one fit, its criterion, and the rejection of near-unit roots. */
    private static Fit fitOne(Ctx c, int p, int q, int sp, int sq, boolean constant, boolean approx) {
        return fitOne(c, p, q, sp, sq, constant, approx, null);
    }

    /** As above; {@code cssEstimate}: the coefficients of this model's CSS fit from the approximate search, if any. */
    private static Fit fitOne(Ctx c, int p, int q, int sp, int sq, boolean constant, boolean approx, double[] cssEstimate) {
        ArimaOrder o = new ArimaOrder(p, c.d, q, sp, c.bigD, sq, c.m);
        int diffs = c.d + c.bigD;
        boolean drift = constant && diffs == 1, mean = constant && diffs == 0;
        Arima.Method method = approx ? Arima.Method.CSS : Arima.Method.CSS_ML;
        double value = Double.POSITIVE_INFINITY;
        Arima fit = null;
        try {
            fit = Arima.fitTransformed(c.x, o, method, mean, drift, c.opts.xreg, c.opts.xregNames, c.opts.lambda, c.y, !approx,
                    approx ? null : cssEstimate);
            int n = c.x.length, nstar = n - c.d - c.bigD * c.m, npar = fit.coefficients().length + 1;
            double aic = approx ? c.offset + nstar * Math.log(fit.sigma2Mle()) + 2 * npar : fit.aic();
            if (Double.isFinite(aic)) {
                double bic = aic + npar * (Math.log(nstar) - 2);
                double aicc = aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1);
                value = switch (c.ic) {
                    case AIC -> aic;
                    case AICC -> aicc;
                    case BIC -> bic;
                };
                if (Double.isNaN(value)) value = Double.POSITIVE_INFINITY;
            }
            if (p + sp > 0 && !Polynomials.arRootsOutside(fit.phi(), 1.01)) value = Double.POSITIVE_INFINITY;
            if (q + sq > 0 && value < Double.POSITIVE_INFINITY && !Polynomials.maRootsOutside(fit.theta(), 1.01))
                value = Double.POSITIVE_INFINITY;
        } catch (Arima.FitFailure | ModelworkException e) {
            value = Double.POSITIVE_INFINITY;
        }
        c.tried.add(new Candidate(o, constant, value));
        return new Fit(fit, value);
    }

    private static boolean isNew(List<int[]> results, int p, int q, int sp, int sq, boolean constant) {
        for (int[] r : results) if (r[0] == p && r[1] == q && r[2] == sp && r[3] == sq && r[4] == (constant ? 1 : 0)) return false;
        return true;
    }

    /** The order of neighbour moves in auto.arima's stepwise search: {dp, dq, dP, dQ}. */
    private static final int[][] MOVES = {
            {0, 0, -1, 0}, {0, 0, 0, -1}, {0, 0, 1, 0}, {0, 0, 0, 1},
            {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
            {-1, 0, 0, 0}, {0, -1, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0},
            {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}};

    private static Fit stepwise(Ctx c, int maxP, int maxQ, int maxSP, int maxSQ, boolean constant, boolean allowConstantToggle,
                                boolean approx, Options opts) {
        int n = c.x.length, m = c.m;
        int startP = opts.startP, startQ = opts.startQ, startSP = opts.startSP, startSQ = opts.startSQ;
        if (n < 10) {
            startP = Math.min(startP, 1);
            startQ = Math.min(startQ, 1);
            startSP = 0;
            startSQ = 0;
        }
        int p = Math.min(startP, maxP), q = Math.min(startQ, maxQ), sp = Math.min(startSP, maxSP), sq = Math.min(startSQ, maxSQ);
        List<int[]> results = new ArrayList<>();
        List<Double> ics = new ArrayList<>();
        List<double[]> cssCoef = new ArrayList<>(); // the search's CSS estimates, reused by the ML refits
        Fit best = fitOne(c, p, q, sp, sq, constant, approx);
        record(results, ics, cssCoef, p, q, sp, sq, constant, best);
        Fit f = fitOne(c, 0, 0, 0, 0, constant, approx);
        record(results, ics, cssCoef, 0, 0, 0, 0, constant, f);
        if (f.ic < best.ic) { best = f; p = q = sp = sq = 0; }
        if (maxP > 0 || maxSP > 0) {
            int ap = maxP > 0 ? 1 : 0, asp = (m > 1 && maxSP > 0) ? 1 : 0;
            f = fitOne(c, ap, 0, asp, 0, constant, approx);
            record(results, ics, cssCoef, ap, 0, asp, 0, constant, f);
            if (f.ic < best.ic) { best = f; p = ap; sp = asp; q = sq = 0; }
        }
        if (maxQ > 0 || maxSQ > 0) {
            int aq = maxQ > 0 ? 1 : 0, asq = (m > 1 && maxSQ > 0) ? 1 : 0;
            f = fitOne(c, 0, aq, 0, asq, constant, approx);
            record(results, ics, cssCoef, 0, aq, 0, asq, constant, f);
            if (f.ic < best.ic) { best = f; p = sp = 0; q = aq; sq = asq; }
        }
        if (constant) {
            f = fitOne(c, 0, 0, 0, 0, false, approx);
            record(results, ics, cssCoef, 0, 0, 0, 0, false, f);
            if (f.ic < best.ic) { best = f; p = q = sp = sq = 0; }
        }
        int k = results.size();
        int startk = 0;
        int nmodels = opts.nmodels;
        outer:
        while (startk < k && k < nmodels) {
            startk = k;
            for (int[] mv : MOVES) {
                int np = p + mv[0], nq = q + mv[1], nsp = sp + mv[2], nsq = sq + mv[3];
                if (np < 0 || nq < 0 || nsp < 0 || nsq < 0 || np > maxP || nq > maxQ || nsp > maxSP || nsq > maxSQ) continue;
                if (!isNew(results, np, nq, nsp, nsq, constant)) continue;
                k++;
                if (k > nmodels) continue outer;
                f = fitOne(c, np, nq, nsp, nsq, constant, approx);
                record(results, ics, cssCoef, np, nq, nsp, nsq, constant, f);
                if (f.ic < best.ic) {
                    best = f;
                    p = np; q = nq; sp = nsp; sq = nsq;
                    continue outer;
                }
            }
            if (allowConstantToggle && isNew(results, p, q, sp, sq, !constant)) {
                k++;
                if (k > nmodels) continue;
                f = fitOne(c, p, q, sp, sq, !constant, approx);
                record(results, ics, cssCoef, p, q, sp, sq, !constant, f);
                if (f.ic < best.ic) {
                    best = f;
                    constant = !constant;
                }
            }
        }
        if (approx) {
            // refit the candidates by exact ML in order of their approximate criterion; keep the first that succeeds
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) idx.add(i);
            idx.sort(Comparator.comparingDouble(ics::get));
            best = null;
            for (int i : idx) {
                int[] r = results.get(i);
                Fit g = fitOne(c, r[0], r[1], r[2], r[3], r[4] == 1, false, cssCoef.get(i));
                if (g.ic < Double.POSITIVE_INFINITY) {
                    best = g;
                    break;
                }
            }
        }
        return best;
    }

    private static void record(List<int[]> results, List<Double> ics, List<double[]> cssCoef, int p, int q, int sp, int sq,
                               boolean constant, Fit f) {
        results.add(new int[]{p, q, sp, sq, constant ? 1 : 0});
        ics.add(f.ic);
        cssCoef.add(f.model != null && f.model.method() == Arima.Method.CSS ? f.model.coefficients() : null);
    }

    private static Fit exhaustive(Ctx c, int maxP, int maxQ, int maxSP, int maxSQ, int maxOrder, boolean allowConstant, boolean approx) {
        Fit best = null;
        boolean bestConstant = false;
        int maxK = allowConstant ? 1 : 0;
        for (int i = 0; i <= maxP; i++)
            for (int j = 0; j <= maxQ; j++)
                for (int sp = 0; sp <= maxSP; sp++)
                    for (int sq = 0; sq <= maxSQ; sq++) {
                        if (i + j + sp + sq > maxOrder) continue;
                        for (int kk = 0; kk <= maxK; kk++) {
                            Fit f = fitOne(c, i, j, sp, sq, kk == 1, approx);
                            if (best == null || f.ic < best.ic) {
                                if (f.ic < Double.POSITIVE_INFINITY) {
                                    best = f;
                                    bestConstant = kk == 1;
                                }
                            }
                        }
                    }
        if (best != null && approx) {
            ArimaOrder o = best.model.order();
            Fit g = fitOne(c, o.p(), o.q(), o.P(), o.Q(), bestConstant, false);
            if (g.ic == Double.POSITIVE_INFINITY) return exhaustive(c, maxP, maxQ, maxSP, maxSQ, maxOrder, allowConstant, false);
            best = g;
        }
        return best;
    }

    /** Residuals of an OLS regression of x on an intercept and the regressors (the series the tests see). */
    private static double[] olsResiduals(double[] x, double[][] cols) {
        int n = x.length, k = cols.length;
        double[][] xm = new double[n][k];
        for (int t = 0; t < n; t++) for (int j = 0; j < k; j++) xm[t][j] = cols[j][t];
        try {
            OLSMultipleLinearRegression reg = new OLSMultipleLinearRegression();
            reg.newSampleData(x.clone(), xm);
            return reg.estimateResiduals();
        } catch (RuntimeException e) {
            throw new ModelworkException("The regressors are rank deficient (collinear or constant columns)", "AutoArima, xreg",
                    "drop constant or collinear regressor columns");
        }
    }
}
