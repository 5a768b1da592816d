package io.modelwork.anomaly;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * PatchCore's inference (anomalib {@code torch_model.py} {@code forward}, {@code compute_anomaly_score},
 * {@code anomaly_map.py}): per patch the distance to the nearest memory-bank entry,
 * {@code sqrt(clamp(|x|² − 2x·m + |m|², 0))}; the image score re-weights the largest patch distance s* by
 * {@code 1 − softmax(d(x*, N_k(m*)))[0]} over the k bank entries nearest to its neighbour m* (k = 1: the max);
 * the anomaly map is the patch-score grid upsampled (nearest) to the input size and blurred with a normalised
 * Gaussian (σ = 4, kernel 33, reflect padding). Arithmetic is float and in the same order as the exported ONNX graph
 * ({@link PatchCoreOnnx}), so both agree to ~1e-5.
 */
public final class Scorer {
    /** Blur σ of the anomaly map. */
    public static final double SIGMA = 4.0;

    private final float[] bank;   // [M, C]
    private final float[][] bankT; // [C][M]
    private final float[] norms;  // [M]
    private final int m, c, k, grid, size, threads;
    private final float[] kernel;

    /** Per batch: image scores [n], patch scores [n, grid²], anomaly maps [n, size²]. */
    public record Result(float[] scores, float[] patches, float[] maps) { }

    public Scorer(float[] bank, int c, int k, int grid, int size, int threads) {
        this.bank = bank;
        this.c = c;
        this.m = bank.length / c;
        this.k = Math.max(1, Math.min(k, m));
        this.grid = grid;
        this.size = size;
        this.threads = Math.max(1, threads);
        bankT = new float[c][m];
        norms = new float[m];
        for (int i = 0; i < m; i++) {
            float s = 0;
            for (int j = 0; j < c; j++) {
                float v = bank[i * c + j];
                bankT[j][i] = v;
                s += v * v;
            }
            norms[i] = s;
        }
        kernel = gaussian(SIGMA);
    }

    public int bankSize() { return m; }
    public int neighbours() { return k; }
    public float[] bank() { return bank; }

    /** The normalised 1-D Gaussian of kornia/anomalib: size 2·int(4σ+0.5)+1. */
    public static float[] gaussian(double sigma) {
        int ks = 2 * (int) (4 * sigma + 0.5) + 1;
        float[] g = new float[ks];
        double sum = 0;
        for (int i = 0; i < ks; i++) {
            double x = i - ks / 2;
            g[i] = (float) Math.exp(-x * x / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < ks; i++) g[i] = (float) (g[i] / sum);
        return g;
    }

    /** Scores a batch of {@code n} embeddings {@code [n·grid², C]}. */
    public Result score(float[] emb, int n) {
        int p = grid * grid;
        float[] patches = new float[n * p];
        float[] scores = new float[n];
        float[] maps = new float[n * size * size];
        Runnable job = () -> IntStream.range(0, n).parallel().forEach(b -> {
            int[] nn = new int[p];
            float[][] acc = new float[4][m];
            float[] x2 = new float[4];
            for (int i0 = 0; i0 < p; i0 += 4) {
                int rows = Math.min(4, p - i0);
                dots4(emb, (b * p + i0) * c, rows, acc, x2);
                for (int r = 0; r < rows; r++) {
                    float best = Float.POSITIVE_INFINITY;
                    int arg = 0;
                    float[] ar = acc[r];
                    float xr = x2[r];
                    for (int j = 0; j < m; j++) {
                        float d2 = (xr - 2 * ar[j]) + norms[j];
                        if (d2 < best) { best = d2; arg = j; }
                    }
                    patches[b * p + i0 + r] = (float) Math.sqrt(Math.max(0f, best));
                    nn[i0 + r] = arg;
                }
            }
            scores[b] = imageScore(emb, b, patches, nn);
            blur(patches, b * p, maps, b * size * size);
        });
        if (threads > 1) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try { pool.submit(job).join(); } finally { pool.shutdown(); }
        } else job.run();
        return new Result(scores, patches, maps);
    }

    /** acc[r][j] = x_r·bank[j] for {@code rows} (≤ 4) consecutive rows from {@code off}; x2[r] = |x_r|². */
    private void dots4(float[] x, int off, int rows, float[][] acc, float[] x2) {
        if (rows < 4) {
            for (int r = 0; r < rows; r++) x2[r] = dots(x, off + r * c, acc[r]);
            return;
        }
        float[] a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
        Arrays.fill(a0, 0f); Arrays.fill(a1, 0f); Arrays.fill(a2, 0f); Arrays.fill(a3, 0f);
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int j = 0; j < c; j++) {
            float v0 = x[off + j], v1 = x[off + c + j], v2 = x[off + 2 * c + j], v3 = x[off + 3 * c + j];
            s0 += v0 * v0; s1 += v1 * v1; s2 += v2 * v2; s3 += v3 * v3;
            float[] col = bankT[j];
            for (int i = 0; i < m; i++) {
                float bv = col[i];
                a0[i] += v0 * bv;
                a1[i] += v1 * bv;
                a2[i] += v2 * bv;
                a3[i] += v3 * bv;
            }
        }
        x2[0] = s0; x2[1] = s1; x2[2] = s2; x2[3] = s3;
    }

    /** acc[j] = x·bank[j] for the row at {@code off}; returns |x|². */
    private float dots(float[] x, int off, float[] acc) {
        Arrays.fill(acc, 0f);
        float x2 = 0;
        for (int j = 0; j < c; j++) {
            float a = x[off + j];
            x2 += a * a;
            if (a == 0) continue;
            float[] col = bankT[j];
            for (int i = 0; i < m; i++) acc[i] += a * col[i];
        }
        return x2;
    }

    private float imageScore(float[] emb, int b, float[] patches, int[] nn) {
        int p = grid * grid, arg = 0;
        float sStar = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < p; i++) if (patches[b * p + i] > sStar) { sStar = patches[b * p + i]; arg = i; }
        if (k == 1) return sStar;
        int mStar = nn[arg];
        // the k bank entries nearest to m* (m* first), by clamped squared distance, ties by index
        float[] acc = new float[m];
        float r2 = dots(bank, mStar * c, acc);
        float[] d = new float[m];
        for (int j = 0; j < m; j++) d[j] = Math.max(0f, (r2 - 2 * acc[j]) + norms[j]);
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (u, v) -> d[u] != d[v] ? Float.compare(d[u], d[v]) : Integer.compare(u, v));
        int row = (b * p + arg) * c;
        float f2 = 0;
        for (int j = 0; j < c; j++) f2 += emb[row + j] * emb[row + j];
        double[] dist = new double[k];
        double mx = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < k; q++) {
            int s = order[q];
            float dot = 0;
            for (int j = 0; j < c; j++) dot += emb[row + j] * bank[s * c + j];
            dist[q] = Math.sqrt(Math.max(0f, (f2 - 2 * dot) + norms[s]));
            mx = Math.max(mx, dist[q]);
        }
        double z = 0;
        for (int q = 0; q < k; q++) z += Math.exp(dist[q] - mx);
        double w = 1 - Math.exp(dist[0] - mx) / z;
        return (float) (w * sStar);
    }

    /** Nearest upsample of one patch grid to size², reflect pad, separable Gaussian (horizontal, then vertical). */
    private void blur(float[] patches, int off, float[] out, int outOff) {
        int s = size, r = kernel.length / 2, scale = s / grid;
        float[] up = new float[s * s];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) up[y * s + x] = patches[off + (y / scale) * grid + x / scale];
        float[] h = new float[s * s];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) {
                float v = 0;
                for (int t = -r; t <= r; t++) v += kernel[t + r] * up[y * s + reflect(x + t, s)];
                h[y * s + x] = v;
            }
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) {
                float v = 0;
                for (int t = -r; t <= r; t++) v += kernel[t + r] * h[reflect(y + t, s) * s + x];
                out[outOff + y * s + x] = v;
            }
    }

    static int reflect(int i, int n) {
        if (i < 0) return -i;
        if (i >= n) return 2 * (n - 1) - i;
        return i;
    }
}
