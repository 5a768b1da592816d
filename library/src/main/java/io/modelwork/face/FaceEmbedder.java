package io.modelwork.face;

import io.modelwork.assets.ModelAssets;
import io.modelwork.assets.PackageAssets;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * An ArcFace-style embedding network on aligned 112×112 RGB crops: {@code fr512} (the faceplugin package's
 * {@code fr_feature.onnx}, 512-d, (x−127)/128; weights of undocumented origin), {@code mobilefacenet} (128-d,
 * (x−127.5)/128) or a user's own ONNX (insightface convention (x−127.5)/127.5, e.g. {@code w600k_r50.onnx}).
 * Embeddings are L2-normalised; {@code flip=true} averages the embedding of the crop and its mirror before
 * normalising (insightface's test-time flip).
 */
public final class FaceEmbedder implements AutoCloseable {
    public static final String NPM = "faceplugin-face-recognition-js", NPM_VERSION = "0.0.1";
    public static final String FR512_ENTRY = "package/model/fr_feature.onnx";
    public static final String FR512_SHA = "87aacdfe57510db2af90c0251df680e8eec88f122ee94712121d09bcaaaf3581";
    public static final String MOBILEFACENET = "face/mobilefacenet_128d.onnx";

    private final String name;
    private final OnnxModel model;
    private final String input, output;
    private final float mean, std;
    private final int dim, batch;

    private FaceEmbedder(String name, OnnxModel model, float mean, float std) {
        this.name = name;
        this.model = model;
        this.input = model.inputs().keySet().iterator().next();
        this.output = model.outputs().keySet().iterator().next();
        long[] in = model.inputs().get(input);
        if (in.length != 4 || (in[1] >= 0 && in[1] != 3) || (in[2] >= 0 && in[2] != 112) || (in[3] >= 0 && in[3] != 112)) {
            model.close();
            throw new ModelworkException("The embedding model's input is " + java.util.Arrays.toString(in) + ", not [N,3,112,112]",
                    model.file().toString(), "give an ArcFace-style model taking aligned 112×112 RGB crops");
        }
        long[] out = model.outputs().get(output);
        this.batch = in[0] < 0 ? 32 : (int) in[0];
        this.mean = mean;
        this.std = std;
        this.dim = out.length >= 2 && out[out.length - 1] > 0 ? (int) out[out.length - 1] : probeDim();
    }

    private int probeDim() { return embedRaw(new float[3 * 112 * 112], 1).length; }

    /** {@code fr512}, {@code mobilefacenet} or the path of an ONNX file. */
    public static FaceEmbedder load(String which, int threads) {
        String w = which == null ? "fr512" : which;
        switch (w.toLowerCase(Locale.ROOT)) {
            case "fr512" -> {
                Path f = PackageAssets.npmFile(NPM, NPM_VERSION, FR512_ENTRY, FR512_SHA);
                return new FaceEmbedder("fr512", OnnxModel.load(f, FR512_SHA, "cpu", threads), 127f, 128f);
            }
            case "mobilefacenet" -> {
                Path f = ModelAssets.resolve(MOBILEFACENET);
                return new FaceEmbedder("mobilefacenet", OnnxModel.load(f, ModelAssets.pin(MOBILEFACENET), "cpu", threads), 127.5f, 128f);
            }
            default -> {
                Path f = Path.of(w);
                if (!Files.isRegularFile(f) || !w.endsWith(".onnx"))
                    throw new ModelworkException("Unknown embedding '" + w + "'", "build embedding=",
                            "use embedding=fr512, embedding=mobilefacenet or the path of your own ArcFace .onnx file");
                return new FaceEmbedder(f.getFileName().toString(), OnnxModel.load(f, null, "cpu", threads), 127.5f, 127.5f);
            }
        }
    }

    public String name() { return name; }

    public int dim() { return dim; }

    public String sha256() { return model.sha256(); }

    public Path file() { return model.file(); }

    /** Writes the normalised CHW RGB tensor of a 112×112 crop at {@code off}, mirrored when {@code flip}. */
    void tensor(BufferedImage crop, float[] x, int off, boolean flip) {
        int[] px = crop.getRGB(0, 0, 112, 112, null, 0, 112);
        int plane = 112 * 112;
        for (int r = 0; r < 112; r++)
            for (int c = 0; c < 112; c++) {
                int p = px[r * 112 + (flip ? 111 - c : c)];
                int o = off + r * 112 + c;
                x[o] = (((p >> 16) & 0xff) - mean) / std;
                x[o + plane] = (((p >> 8) & 0xff) - mean) / std;
                x[o + 2 * plane] = ((p & 0xff) - mean) / std;
            }
    }

    private float[] embedRaw(float[] x, int n) {
        OnnxModel.Tensor t = new OnnxModel.Tensor(x, new long[]{n, 3, 112, 112});
        return model.runBatched(input, t, batch, output).get(output).data();
    }

    /** L2-normalised embeddings of aligned crops, one row of {@link #dim()} per crop. */
    public float[][] embed(List<BufferedImage> crops, boolean flip) {
        int n = crops.size(), per = 3 * 112 * 112;
        if (n == 0) return new float[0][];
        float[] x = new float[n * per];
        for (int i = 0; i < n; i++) tensor(crops.get(i), x, i * per, false);
        float[] e = embedRaw(x, n);
        float[] f = null;
        if (flip) {
            for (int i = 0; i < n; i++) tensor(crops.get(i), x, i * per, true);
            f = embedRaw(x, n);
        }
        int d = e.length / n;
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) out[i][j] = e[i * d + j] + (f == null ? 0 : f[i * d + j]);
            normalise(out[i]);
        }
        return out;
    }

    static void normalise(float[] v) {
        double s = 0;
        for (float a : v) s += a * a;
        double n = Math.sqrt(s);
        if (n > 0) for (int i = 0; i < v.length; i++) v[i] /= n;
    }

    /** Cosine similarity of two L2-normalised vectors. */
    public static float cosine(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return (float) s;
    }

    @Override public void close() { model.close(); }
}
