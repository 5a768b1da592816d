package io.modelwork.forecast;

import io.modelwork.core.ModelworkException;

/**
 * The orders of a seasonal ARIMA model SARIMA(p,d,q)(P,D,Q)[m]: non-seasonal AR, differencing and MA orders, their
 * seasonal counterparts, and the seasonal period {@code m} (1 for a non-seasonal series).
 */
public record ArimaOrder(int p, int d, int q, int P, int D, int Q, int m) {
    public ArimaOrder {
        if (p < 0 || d < 0 || q < 0 || P < 0 || D < 0 || Q < 0 || m < 1)
            throw new ModelworkException("ARIMA orders must be non-negative and the period at least 1, got " + text(p, d, q, P, D, Q, m),
                    "ArimaOrder", "pass p,d,q,P,D,Q >= 0 and m >= 1");
        if (m == 1 && (P > 0 || D > 0 || Q > 0))
            throw new ModelworkException("Seasonal orders need a seasonal period m > 1, got " + text(p, d, q, P, D, Q, m),
                    "ArimaOrder", "give the period m (e.g. 12 for monthly data) or set P=D=Q=0");
    }

    /** A non-seasonal ARIMA(p,d,q). */
    public static ArimaOrder of(int p, int d, int q) {
        return new ArimaOrder(p, d, q, 0, 0, 0, 1);
    }

    /** A seasonal ARIMA(p,d,q)(P,D,Q)[m]. */
    public static ArimaOrder of(int p, int d, int q, int P, int D, int Q, int m) {
        return new ArimaOrder(p, d, q, P, D, Q, m);
    }

    /** Number of ARMA coefficients p+q+P+Q. */
    public int armaCount() {
        return p + q + P + Q;
    }

    /** Length of the differencing operator, d + D m. */
    public int differencingLength() {
        return d + D * m;
    }

    private static String text(int p, int d, int q, int P, int D, int Q, int m) {
        return "ARIMA(" + p + "," + d + "," + q + ")" + ((P | D | Q) != 0 || m > 1 ? "(" + P + "," + D + "," + Q + ")[" + m + "]" : "");
    }

    /** R's notation, e.g. {@code ARIMA(2,1,1)(0,1,0)[12]}. */
    @Override
    public String toString() {
        return "ARIMA(" + p + "," + d + "," + q + ")" + (m > 1 ? "(" + P + "," + D + "," + Q + ")[" + m + "]" : "");
    }
}
