package io.modelwork.metrics;

/** A Neumaier-compensated running sum: accurate to about one rounding regardless of the number of terms. */
final class Sum {
    private double sum;
    private double compensation;

    void add(double v) {
        double t = sum + v;
        if (Math.abs(sum) >= Math.abs(v)) {
            compensation += (sum - t) + v;
        } else {
            compensation += (v - t) + sum;
        }
        sum = t;
    }

    double value() {
        return sum + compensation;
    }
}
