package io.modelwork.bench;

import io.modelwork.core.Assets;
import io.modelwork.face.*;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.*;

import static io.modelwork.bench.BenchSupport.*;

/**
 * Face recognition on CPU ({@value BenchSupport#THREADS} threads): faces/s of detection + alignment + embedding on
 * the 300 AT&T images and on the six 1920-px group photos, for YuNet / fr_detect × fr512 / MobileFaceNet (decoded
 * images prepared first, so decoding is not counted); then identification latency (one probe against N templates,
 * brute-force cosine over the library's template map) for 1k, 10k and 100k synthetic 512-d unit templates. There is
 * no approximate index to compare with: brute force is what the library does.
 *
 * <pre>bench/run.sh FaceBench [--quick]</pre>
 */
public final class FaceBench {
    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        Path data = Assets.data("face");
        List<BufferedImage> att = new ArrayList<>(), groups = new ArrayList<>();
        for (int s = 1; s <= (fl.quick ? 5 : 30); s++) for (int k = 1; k <= 10; k++) att.add(FacePipeline.read(data.resolve("att_faces/s" + s + "/" + k + ".pgm")));
        for (int i = 1; i <= 6; i++) groups.add(FacePipeline.read(data.resolve("group_photos/sample" + i + ".jpg")));
        System.out.println("| detector | embedding | AT&T faces/s (92×112, main face) | group photos faces/s (1920 px, every face) |\n|---|---|---|---|");
        for (String det : List.of("yunet", "fr_detect"))
            for (String emb : List.of("fr512", "mobilefacenet")) {
                FaceDetector d = det.equals("yunet") ? YuNet.load(1920, THREADS) : FrDetect.load(THREADS);
                try (FacePipeline p = new FacePipeline(d, FaceEmbedder.load(emb, THREADS))) {
                    p.main(att.get(0));
                    long t0 = System.nanoTime();
                    List<FacePipeline.Result> rs = new ArrayList<>();
                    for (BufferedImage im : att) rs.add(p.main(im));
                    p.embed(rs);
                    double attFps = att.size() / ((System.nanoTime() - t0) / 1e9);
                    t0 = System.nanoTime();
                    int faces = 0;
                    for (BufferedImage im : groups) {
                        List<Face> fs = p.faces(im);
                        List<BufferedImage> crops = new ArrayList<>();
                        for (Face f : fs) crops.add(Alignment.crop(im, f.landmarks()));
                        p.embedder.embed(crops, p.flip);
                        faces += fs.size();
                    }
                    double gFps = faces / ((System.nanoTime() - t0) / 1e9);
                    System.out.println("| " + det + " | " + emb + " | " + f(attFps, 1) + " | " + f(gFps, 2) + " |");
                }
            }
        System.out.println("\n| templates (512-d) | identification ms / probe (brute-force cosine, median of 20) |\n|---|---|");
        Random rnd = new Random(1);
        for (int n : fl.quick ? new int[]{1000, 10000} : new int[]{1000, 10000, 100000}) {
            Map<String, float[]> t = new TreeMap<>();
            for (int i = 0; i < n; i++) t.put("id" + i, unit(rnd, 512));
            double[] ms = new double[20];
            for (int r = 0; r < ms.length; r++) {
                float[] q = unit(rnd, 512);
                long t0 = System.nanoTime();
                FaceMetrics.best(t, q);
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            System.out.println("| " + n + " | " + f(ms[ms.length / 2], 3) + " |");
        }
    }

    static float[] unit(Random r, int d) {
        float[] v = new float[d];
        double s = 0;
        for (int i = 0; i < d; i++) { v[i] = (float) r.nextGaussian(); s += v[i] * v[i]; }
        for (int i = 0; i < d; i++) v[i] /= (float) Math.sqrt(s);
        return v;
    }
}
