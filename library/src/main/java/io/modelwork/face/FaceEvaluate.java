package io.modelwork.face;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.vision.Overlays;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.*;

/**
 * evaluate and calibrate of the face category. Identification: each probe of an evaluation identity against the
 * enrolled templates (rank-1, rank-5); open-set: validation people's images as non-mated probes give the threshold
 * at FAR 1%, DIR = mated probes identified at rank 1 above it. Verification: every pair of evaluation faces (gallery
 * and probes), ROC, EER, TAR@FAR 1e-1/1e-2/1e-3 ({@link FaceMetrics}); the LFW 10-fold accuracy when a pairs file is
 * attached; faces per loose (detection-only) image.
 */
final class FaceEvaluate {
    static final double[] FARS = {0.1, 0.01, 0.001};

    private FaceEvaluate() { }

    record Faces(List<Path> files, List<String> ids, float[][] emb) { }

    /** The embedded faces of {@code ids} (all their images), without images where no face was found. */
    static Faces faces(FaceState s, List<String> ids, boolean probesOnly) {
        List<Path> files = new ArrayList<>();
        List<String> who = new ArrayList<>();
        for (String id : ids) {
            var gp = s.galleryProbes(id);
            List<Path> use = probesOnly ? gp.get(1) : s.people.get(id);
            for (Path f : use) { files.add(f); who.add(id); }
        }
        float[][] e = s.embed(files);
        List<Path> f2 = new ArrayList<>();
        List<String> i2 = new ArrayList<>();
        List<float[]> e2 = new ArrayList<>();
        for (int i = 0; i < e.length; i++) if (e[i] != null) { f2.add(files.get(i)); i2.add(who.get(i)); e2.add(e[i]); }
        return new Faces(f2, i2, e2.toArray(new float[0][]));
    }

    static StepReport evaluate(FaceState s, Args a, StepContext ctx) {
        s.ensureFitted("evaluate");
        Faces probes = faces(s, s.testIds, true);
        int[] ranks = FaceMetrics.ranks(s.templates, probes.emb(), probes.ids());
        Faces all = faces(s, s.testIds, false);
        List<FaceMetrics.Pair> pairs = FaceMetrics.allPairs(all.emb(), all.ids());
        FaceMetrics.Roc roc = FaceMetrics.roc(pairs);
        ObjectNode m = Json.object();
        m.put("rank1", FaceMetrics.rankK(ranks, 1)).put("rank5", FaceMetrics.rankK(ranks, 5)).put("eer", roc.eer()).put("auc", roc.auc());
        for (double far : FARS) m.put("tar@far=" + (far == 0.1 ? "0.1" : far == 0.01 ? "0.01" : "0.001"), roc.tarAt(far));
        m.put("probes", probes.emb().length).put("genuine_pairs", roc.genuine()).put("impostor_pairs", roc.impostor());
        if (!s.validationIds.isEmpty()) {
            Faces non = faces(s, s.validationIds, false);
            double[] best = new double[non.emb().length];
            boolean[] neg = new boolean[best.length];
            for (int i = 0; i < best.length; i++) best[i] = FaceMetrics.best(s.templates, non.emb()[i]).getValue();
            // open-set DIR at each FAR: the threshold lets that share of non-mated probes (validation people, never
            // enrolled) through; a mated probe counts when its best template is its own and reaches the threshold
            // (with n non-mated probes a FAR below 1/n means "above all of them")
            FaceMetrics.Roc nonMated = best.length == 0 ? null : FaceMetrics.roc(best, neg);
            for (double far : FARS) {
                double th = nonMated == null ? 1 : nonMated.thresholdAt(far);
                int hit = 0;
                for (int i = 0; i < probes.emb().length; i++) {
                    var b = FaceMetrics.best(s.templates, probes.emb()[i]);
                    if (b.getKey().equals(probes.ids().get(i)) && b.getValue() >= th) hit++;
                }
                m.put("dir@far=" + (far == 0.1 ? "0.1" : far == 0.01 ? "0.01" : "0.001"), probes.emb().length == 0 ? 0 : (double) hit / probes.emb().length);
            }
            m.put("non_mated_probes", best.length);
        }
        if (!s.pairs.isEmpty()) m.put("lfw_10fold_accuracy", tenFold(s));
        List<Path> loose = FaceData.images(s.root);
        if (!loose.isEmpty() && s.pipeline.detector != null) {
            ObjectNode per = m.putObject("faces_per_image");
            for (Path f : loose) per.put(f.getFileName().toString(), s.pipeline.faces(FacePipeline.read(f)).size());
        }
        double th = s.threshold != null ? s.threshold : roc.thresholdAt(0.01);
        int fm = 0, fnm = 0;
        for (FaceMetrics.Pair p : pairs) { if (!p.genuine() && p.score() >= th) fm++; if (p.genuine() && p.score() < th) fnm++; }
        m.put("threshold", th).put("false_matches", fm).put("false_non_matches", fnm);
        StepReport r = new StepReport("evaluate", String.format(Locale.ROOT, "rank-1 %.4f, TAR@FAR=0.001 %.4f", m.get("rank1").asDouble(), m.get("tar@far=0.001").asDouble()));
        r.body().set("metrics", m);
        Map<String, Object> kv = new LinkedHashMap<>();
        m.fields().forEachRemaining(e -> { if (!e.getValue().isObject()) kv.put(e.getKey(), e.getValue().isDouble() ? String.format(Locale.ROOT, "%.4f", e.getValue().asDouble()) : e.getValue().asText()); });
        r.table(Tables.keyValues("Identification and verification", kv));
        r.chart(Chart.line("roc", "ROC (all evaluation pairs)", "FAR", "TAR", List.of(Chart.Series.line("ROC", roc.fpr(), roc.tpr()))));
        r.gallery(gallery(s, all, pairs, th, a.getInt("gallery", 4), ctx.run().runDir().resolve("gallery")));
        List<Path> photos = new ArrayList<>(loose);
        if (s.photos != null) photos.addAll(FaceData.images(s.photos));
        if (!photos.isEmpty() && s.pipeline.detector != null) {
            Map<String, List<String>> named = new LinkedHashMap<>();
            r.gallery(FaceAnnotate.gallery(s, photos, th, ctx.run().runDir().resolve("gallery"), named));
            ObjectNode idn = m.putObject("names_per_photo");
            named.forEach((k, v) -> { var arr = idn.putArray(k); v.forEach(arr::add); });
            r.note("photos: every face detected, named from the gallery when its cosine score reaches " + String.format(Locale.ROOT, "%.4f", th) + ", else 'unknown'");
        }
        r.note("threshold " + String.format(Locale.ROOT, "%.4f", th) + (s.threshold != null ? " (calibrated, target FAR " + s.targetFar + ")" : " (FAR 1% on these pairs; run calibrate for one set on validation people)"));
        String tiny = s.tinyNote(all.files());
        if (!tiny.isEmpty()) r.note(tiny);
        long crops = s.sources.values().stream().filter(x -> x == FacePipeline.Source.CROP).count();
        if (crops > 0) r.note("crop_fallback: " + crops + " images had no detected face and were taken as already-cropped faces");
        return r;
    }

    /** LFW protocol: 10 consecutive folds; the best threshold on 9 folds is applied to the 10th; mean accuracy. */
    static double tenFold(FaceState s) {
        List<Path> files = new ArrayList<>();
        for (String[] p : s.pairs) { files.add(Path.of(p[0])); files.add(Path.of(p[1])); }
        float[][] e = s.embed(files);
        int n = s.pairs.size();
        double[] sc = new double[n];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            sc[i] = e[2 * i] == null || e[2 * i + 1] == null ? -1 : FaceEmbedder.cosine(e[2 * i], e[2 * i + 1]);
            same[i] = s.pairs.get(i)[2].equals("same");
        }
        int folds = Math.min(10, n);
        double acc = 0;
        for (int f = 0; f < folds; f++) {
            int lo = f * n / folds, hi = (f + 1) * n / folds;
            double bestT = 0, bestA = -1;
            for (int c = 0; c < n; c++) {
                if (c >= lo && c < hi) continue;
                int ok = 0, tot = 0;
                for (int i = 0; i < n; i++) if (i < lo || i >= hi) { tot++; if ((sc[i] >= sc[c]) == same[i]) ok++; }
                double aa = tot == 0 ? 0 : (double) ok / tot;
                if (aa > bestA) { bestA = aa; bestT = sc[c]; }
            }
            int ok = 0;
            for (int i = lo; i < hi; i++) if ((sc[i] >= bestT) == same[i]) ok++;
            acc += hi == lo ? 0 : (double) ok / (hi - lo);
        }
        return acc / folds;
    }

    static List<GalleryItem> gallery(FaceState s, Faces all, List<FaceMetrics.Pair> pairs, double th, int per, Path dir) {
        List<FaceMetrics.Pair> imp = new ArrayList<>(), gen = new ArrayList<>();
        for (FaceMetrics.Pair p : pairs) (p.genuine() ? gen : imp).add(p);
        imp.sort((x, y) -> Double.compare(y.score(), x.score()));
        gen.sort(Comparator.comparingDouble(FaceMetrics.Pair::score));
        List<GalleryItem> out = new ArrayList<>();
        int q = 0;
        for (List<FaceMetrics.Pair> group : List.of(imp, gen)) {
            for (FaceMetrics.Pair p : group.subList(0, Math.min(per, group.size()))) {
                boolean fm = !p.genuine();
                Path a = all.files().get(p.a()), b = all.files().get(p.b());
                BufferedImage panel = new BufferedImage(224, 112, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = panel.createGraphics();
                var ra = s.pipeline.main(FacePipeline.read(a));
                var rb = s.pipeline.main(FacePipeline.read(b));
                if (ra != null) g.drawImage(ra.aligned(), 0, 0, null);
                if (rb != null) g.drawImage(rb.aligned(), 112, 0, null);
                g.dispose();
                Path png = Overlays.write(panel, dir.resolve(String.format(Locale.ROOT, "%02d-%s.png", q++, fm ? "false-match" : "false-non-match")));
                Map<String, String> f = new LinkedHashMap<>();
                f.put("kind", fm ? "highest-scoring impostor pair" : "lowest-scoring genuine pair");
                f.put("a", s.root.relativize(a).toString());
                f.put("b", s.root.relativize(b).toString());
                f.put("score", String.format(Locale.ROOT, "%.4f", p.score()));
                f.put("error at threshold", String.valueOf(fm ? p.score() >= th : p.score() < th));
                out.add(new GalleryItem(f.get("a") + " | " + f.get("b"), fm ? "different" : "same", p.score() >= th ? "match" : "non-match",
                        fm ? p.score() : -p.score(), f, png.toString(), "image/png"));
            }
        }
        return out;
    }

    static StepReport calibrate(FaceState s, Args a, StepContext ctx) {
        s.ensureFitted("calibrate");
        double target = a.getDouble("target_far", 0.001);
        if (s.validationIds.isEmpty())
            throw new ModelworkException("No validation people to calibrate on", "calibrate", "run split validation=0.3 (a share of the identities is kept apart for the threshold)");
        Faces v = faces(s, s.validationIds, false);
        List<FaceMetrics.Pair> pairs = FaceMetrics.allPairs(v.emb(), v.ids());
        FaceMetrics.Roc roc = FaceMetrics.roc(pairs);
        if (roc.impostor() == 0) throw new ModelworkException("No impostor pairs among the validation people", "calibrate", "keep at least two people for validation");
        double th = roc.thresholdAt(target);
        int above = 0;
        for (FaceMetrics.Pair p : pairs) if (!p.genuine() && p.score() >= th) above++;
        s.threshold = th;
        s.targetFar = target;
        ObjectNode j = Json.object();
        j.put("threshold", th).put("target_far", target).put("rule", "same person when cosine similarity ≥ threshold")
                .put("validation_identities", s.validationIds.size()).put("impostor_pairs", roc.impostor()).put("genuine_pairs", roc.genuine())
                .put("validation_far", (double) above / roc.impostor()).put("validation_tar", roc.tarAt(target))
                .put("embedding", s.embeddingName).put("embedding_sha256", s.embeddingSha);
        Path file = ctx.run().runDir().resolve("thresholds.json");
        AtomicFiles.writeString(file, Json.write(j));
        ctx.invalidate(Step.EVALUATE);
        StepReport r = new StepReport("calibrate", "Threshold for FAR ≤ " + target);
        r.body().setAll(j);
        r.body().put("file", file.toString());
        r.table(Tables.keyValues("Threshold (validation impostor pairs)", Map.of("threshold", th, "validation FAR", j.get("validation_far").asDouble(),
                "validation TAR", j.get("validation_tar").asDouble(), "impostor pairs", roc.impostor())));
        if (roc.impostor() < 1 / target) r.note("only " + roc.impostor() + " impostor pairs: FAR " + target + " cannot be resolved finer than 1/" + roc.impostor());
        return r;
    }
}
