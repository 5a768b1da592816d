package io.modelwork.anomaly;

import io.modelwork.core.ModelworkException;
import io.modelwork.core.Progress;
import io.modelwork.onnx.OnnxModel;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * PatchCore's training maths, following anomalib ({@code models/image/patchcore/torch_model.py},
 * {@code components/sampling/k_center_greedy.py}, {@code components/dimensionality_reduction/random_projection.py}).
 *
 * <p><b>Embedding</b>: each feature map gets a 3×3 average pool (stride 1, padding 1, zero padding counted, i.e.
 * divide by 9); the deeper map is upsampled bilinearly (half-pixel centres, as {@code F.interpolate(align_corners=False)})
 * to the first map's size; channels are concatenated; the result is laid out patch-major {@code [N·H·W, C]}.
 *
 * <p><b>Coreset</b>: greedy k-center selection of {@code int(n·ratio)} patches. As in anomalib the start index is
 * random and is not itself added (anomalib #3459). The distances are computed on a sparse random projection
 * (eps 0.9, Johnson–Lindenstrauss dimension) <em>when that dimension is below the feature dimension</em>; anomalib
 * projects even when it is larger (n = 47,040 patches give 265 dimensions for 128 features), which only costs time
 * and adds distortion, so here the exact features are used then. The loops are hand-written (plain float arrays,
 * axpy-shaped so the JIT vectorises them): no Java library offers a k-center coreset, and a BLAS binding would not
 * help the per-step O(n·d) update.
 */
public final class PatchCore {
    private PatchCore() { }

    /** Feature maps of one batch: names, each {@code [N,C,H,W]}. */
    public record Maps(float[][] data, int n, int[] channels, int[] heights, int[] widths) { }

    /** Runs the backbone on {@code x [N,3,S,S]} and returns the named maps. */
    public static Maps maps(OnnxModel model, String input, float[] x, int n, int size, String[] layers) {
        var out = model.run(input, new OnnxModel.Tensor(x, new long[]{n, 3, size, size}), layers);
        float[][] d = new float[layers.length][];
        int[] c = new int[layers.length], h = new int[layers.length], w = new int[layers.length];
        for (int i = 0; i < layers.length; i++) {
            OnnxModel.Tensor t = out.get(layers[i]);
            if (t.shape().length != 4)
                throw new ModelworkException("Backbone output '" + layers[i] + "' has shape " + Arrays.toString(t.shape())
                        + ", not a feature map [N,C,H,W]", model.file().toString(), "name 4-D feature outputs in layers=");
            d[i] = t.data();
            c[i] = (int) t.shape()[1];
            h[i] = (int) t.shape()[2];
            w[i] = (int) t.shape()[3];
        }
        return new Maps(d, n, c, h, w);
    }

    /** The patch embedding {@code [N·H·W, C]} of a batch (H, W of the first layer; C the sum of channels). */
    public static float[] embed(Maps m) {
        int n = m.n(), H = m.heights()[0], W = m.widths()[0];
        int C = Arrays.stream(m.channels()).sum();
        float[] out = new float[n * H * W * C];
        int cOff = 0;
        for (int l = 0; l < m.data().length; l++) {
            int c = m.channels()[l], h = m.heights()[l], w = m.widths()[l];
            float[] pooled = avgPool3(m.data()[l], n * c, h, w);
            for (int b = 0; b < n; b++)
                for (int ch = 0; ch < c; ch++) {
                    int src = (b * c + ch) * h * w;
                    float[] plane = (h == H && w == W) ? null : bilinear(pooled, src, h, w, H, W);
                    for (int y = 0; y < H; y++)
                        for (int x = 0; x < W; x++) {
                            float v = plane == null ? pooled[src + y * w + x] : plane[y * W + x];
                            out[((b * H + y) * W + x) * C + cOff + ch] = v;
                        }
                }
            cOff += c;
        }
        return out;
    }

    /** AvgPool2d(3, stride 1, padding 1, count_include_pad=True) over {@code planes} planes of h×w. */
    static float[] avgPool3(float[] in, int planes, int h, int w) {
        float[] out = new float[in.length];
        for (int p = 0; p < planes; p++) {
            int o = p * h * w;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    float s = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int yy = y + dy;
                        if (yy < 0 || yy >= h) continue;
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            if (xx >= 0 && xx < w) s += in[o + yy * w + xx];
                        }
                    }
                    out[o + y * w + x] = s / 9f;
                }
        }
        return out;
    }

    /** Bilinear resize of one plane with half-pixel centres and edge clamping (PyTorch align_corners=False). */
    static float[] bilinear(float[] in, int off, int h, int w, int H, int W) {
        float[] out = new float[H * W];
        float sy = (float) h / H, sx = (float) w / W;
        for (int y = 0; y < H; y++) {
            float fy = Math.max(0f, (y + 0.5f) * sy - 0.5f);
            int y0 = Math.min((int) fy, h - 1), y1 = Math.min(y0 + 1, h - 1);
            float ly = fy - y0;
            for (int x = 0; x < W; x++) {
                float fx = Math.max(0f, (x + 0.5f) * sx - 0.5f);
                int x0 = Math.min((int) fx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                float lx = fx - x0;
                float a = in[off + y0 * w + x0], b = in[off + y0 * w + x1], c = in[off + y1 * w + x0], d = in[off + y1 * w + x1];
                out[y * W + x] = (1 - ly) * ((1 - lx) * a + lx * b) + ly * ((1 - lx) * c + lx * d);
            }
        }
        return out;
    }

    /** Johnson–Lindenstrauss minimum dimension for {@code n} samples at eps (sklearn's formula, as anomalib). */
    public static int jlDimension(long n, double eps) {
        return (int) Math.floor(4 * Math.log(n) / (eps * eps / 2 - eps * eps * eps / 3));
    }

    /** Result of a coreset selection: chosen row indices and the coverage radius (max distance of any row to the set). */
    public record Coreset(int[] indices, double coverageRadius, int projectedDim) { }

    /**
     * Greedy k-center coreset of {@code int(n·ratio)} rows of {@code x [n, d]} (at least 1), on {@code threads}
     * threads: one O(n·d) pass per selected point, column-major so the pass is a vectorised axpy. (An exact
     * triangle-inequality pruning was tried and measured 3.6× slower on the 400 magnetic-tile images: in 128
     * dimensions almost no group of points is far enough from a new centre to be skipped.)
     */
    public static Coreset coreset(float[] x, int n, int d, double ratio, long seed, int threads, Progress progress) {
        int size = Math.max(1, (int) (n * ratio));
        if (size >= n) return new Coreset(IntStream.range(0, n).toArray(), 0, d);
        SplittableRandom rnd = new SplittableRandom(seed);
        int k = jlDimension(n, 0.9);
        float[] feats;
        int dim;
        if (k < d) {
            feats = sparseProject(x, n, d, k, rnd);
            dim = k;
        } else {
            feats = x;
            dim = d;
        }
        // column-major copy [dim][n] so the per-step update is a vectorisable axpy over n
        float[][] cols = new float[dim][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < dim; j++) cols[j][i] = feats[i * dim + j];
        float[] minD = new float[n];
        Arrays.fill(minD, Float.POSITIVE_INFINITY);
        int[] chosen = new int[size];
        int idx = rnd.nextInt(n);
        int chunks = Math.max(1, Math.min(threads, 64));
        ForkJoinPool pool = chunks > 1 ? new ForkJoinPool(chunks) : null;
        try {
            long t0 = System.nanoTime();
            for (int s = 0; s < size; s++) {
                final int c = idx;
                float[] centre = new float[dim];
                for (int j = 0; j < dim; j++) centre[j] = cols[j][c];
                int[] best = new int[chunks];
                float[] bestV = new float[chunks];
                Runnable[] work = new Runnable[chunks];
                for (int t = 0; t < chunks; t++) {
                    final int lo = (int) ((long) n * t / chunks), hi = (int) ((long) n * (t + 1) / chunks), tt = t;
                    work[t] = () -> {
                        float[] acc = new float[hi - lo];
                        for (int j = 0; j < dim; j++) {
                            float cj = centre[j];
                            float[] col = cols[j];
                            for (int i = lo; i < hi; i++) {
                                float diff = col[i] - cj;
                                acc[i - lo] += diff * diff;
                            }
                        }
                        int b = lo;
                        float bv = -1;
                        for (int i = lo; i < hi; i++) {
                            float v = Math.min(minD[i], acc[i - lo]);
                            minD[i] = v;
                            if (v > bv) { bv = v; b = i; }
                        }
                        best[tt] = b;
                        bestV[tt] = bv;
                    };
                }
                if (pool == null) work[0].run();
                else pool.submit(() -> Arrays.stream(work).parallel().forEach(Runnable::run)).join();
                int b = best[0];
                float bv = bestV[0];
                for (int t = 1; t < chunks; t++) if (bestV[t] > bv) { bv = bestV[t]; b = best[t]; }
                idx = b;
                chosen[s] = idx;
                minD[idx] = 0;
                if (progress != null && (s % 256 == 0 || s == size - 1)) {
                    double el = (System.nanoTime() - t0) / 1e9, eta = el / (s + 1) * (size - s - 1);
                    progress.update("fit", s + 1, size, String.format("coreset %d/%d, ETA %.0f s", s + 1, size, eta));
                }
                if (Thread.currentThread().isInterrupted())
                    throw new ModelworkException("Coreset selection was interrupted", "fit", "run fit again");
            }
        } finally {
            if (pool != null) pool.shutdown();
        }
        float radius = 0;
        for (float v : minD) radius = Math.max(radius, v);
        return new Coreset(chosen, Math.sqrt(radius), dim);
    }

    /**
     * Sparse random projection to {@code k} dimensions (density 1/√d; entries ±√(1/density)/√k, else 0), as
     * anomalib's {@code SparseRandomProjection}.
     */
    static float[] sparseProject(float[] x, int n, int d, int k, SplittableRandom rnd) {
        double density = 1 / Math.sqrt(d);
        float v = (float) (Math.sqrt(1 / density) / Math.sqrt(k));
        float[][] comp = new float[d][k];
        for (int j = 0; j < k; j++)
            for (int i = 0; i < d; i++)
                if (rnd.nextDouble() < density) comp[i][j] = rnd.nextBoolean() ? v : -v;
        float[] out = new float[n * k];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++) {
                float a = x[r * d + i];
                if (a == 0) continue;
                float[] row = comp[i];
                for (int j = 0; j < k; j++) out[r * k + j] += a * row[j];
            }
        return out;
    }
}
