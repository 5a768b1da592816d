package io.modelwork.forecast;

/**
 * Choice of the differencing orders, as {@code forecast::ndiffs} (KPSS test) and {@code forecast::nsdiffs} (the
 * seasonal-strength heuristic, test "seas").
 */
final class UnitRoot {
    private UnitRoot() {}

    /** Critical values of the level-stationarity KPSS statistic at 10%, 5%, 2.5%, 1% (Kwiatkowski et al. 1992, table 1). */
    private static final double[] KPSS_CVAL = {0.347, 0.463, 0.574, 0.739};
    private static final double[] KPSS_P = {0.10, 0.05, 0.025, 0.01};

    /**
     * The KPSS statistic for level stationarity (Kwiatkowski, Phillips, Schmidt and Shin 1992): partial sums of the
     * demeaned series against a Newey-West long-run variance with Bartlett weights and {@code lags} lags.
     */
    static double kpssStatistic(double[] x, int lags) {
        int n = x.length;
        double mu = Series.mean(x);
        double[] e = new double[n];
        for (int i = 0; i < n; i++) e[i] = x[i] - mu;
        double s = 0, num = 0;
        for (int i = 0; i < n; i++) {
            s += e[i];
            num += s * s;
        }
        double lrv = 0;
        for (double v : e) lrv += v * v;
        for (int l = 1; l <= lags; l++) {
            double c = 0;
            for (int t = l; t < n; t++) c += e[t] * e[t - l];
            lrv += 2 * (1 - l / (lags + 1.0)) * c;
        }
        lrv /= n;
        return num / ((double) n * n) / lrv;
    }

    /** The p-value by linear interpolation in the critical-value table, clamped to [0.01, 0.10] (as urca/forecast). */
    static double kpssPValue(double stat) {
        if (stat <= KPSS_CVAL[0]) return KPSS_P[0];
        if (stat >= KPSS_CVAL[3]) return KPSS_P[3];
        for (int i = 0; i < 3; i++) {
            if (stat <= KPSS_CVAL[i + 1]) {
                double f = (stat - KPSS_CVAL[i]) / (KPSS_CVAL[i + 1] - KPSS_CVAL[i]);
                return KPSS_P[i] + f * (KPSS_P[i + 1] - KPSS_P[i]);
            }
        }
        return KPSS_P[3];
    }

    /**
     * Number of first differences for stationarity: difference while the KPSS test (lags {@code trunc(3 sqrt(n)/13)})
     * rejects level stationarity at level {@code alpha}, up to {@code maxD}.
     */
    static int ndiffs(double[] x, double alpha, int maxD) {
        alpha = Math.max(0.01, Math.min(0.1, alpha));
        int d = 0;
        if (Series.isConstant(x)) return 0;
        boolean dodiff = rejects(x, alpha);
        while (dodiff && d < maxD) {
            d++;
            x = Series.diff(x, 1);
            if (x.length < 2 || Series.isConstant(x)) return d;
            dodiff = rejects(x, alpha);
        }
        return d;
    }

    private static boolean rejects(double[] x, double alpha) {
        int lags = (int) Math.floor(3 * Math.sqrt(x.length) / 13);
        return kpssPValue(kpssStatistic(x, lags)) < alpha;
    }

    /**
     * Number of seasonal differences: 1 when the STL seasonal strength exceeds 0.64 (forecast's default "seas" test),
     * repeated on the differenced series while {@code D < maxD}.
     */
    static int nsdiffs(double[] x, int m, int maxD) {
        int bigD = 0;
        if (Series.isConstant(x) || m >= x.length) return 0;
        boolean dodiff = strong(x, m);
        while (dodiff && bigD < maxD) {
            bigD++;
            x = Series.diff(x, m);
            if (Series.isConstant(x)) return bigD;
            dodiff = x.length >= 2 * m && bigD < maxD && strong(x, m);
        }
        return bigD;
    }

    private static boolean strong(double[] x, int m) {
        double s = Stl.seasonalStrength(x, m);
        return !Double.isNaN(s) && s > 0.64;
    }
}
