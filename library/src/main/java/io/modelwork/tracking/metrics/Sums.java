package io.modelwork.tracking.metrics;

/**
 * numpy's pairwise summation ({@code numpy/core/src/umath/loops_utils.h.src}, {@code pairwise_sum}) for a contiguous
 * reduction, so that sums TrackEval takes with {@code np.sum} / {@code .sum(1)} round the same way: below 8 values a
 * plain loop; up to 128 eight interleaved accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus the tail;
 * above that, split in halves at a multiple of 8.
 */
final class Sums {
    private Sums() {}

    static double pairwise(double[] a) {
        return pairwise(a, 0, a.length);
    }

    static double pairwise(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) res += a[off + i];
            return res;
        } else if (n <= 128) {
            double[] r = new double[8];
            for (int k = 0; k < 8; k++) r[k] = a[off + k];
            int i;
            for (i = 8; i < n - (n % 8); i += 8)
                for (int k = 0; k < 8; k++) r[k] += a[off + i + k];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[off + i];
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
        }
    }
}
