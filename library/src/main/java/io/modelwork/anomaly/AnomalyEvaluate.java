package io.modelwork.anomaly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.vision.ImageDataset;
import io.modelwork.vision.ImageDataset.Item;
import io.modelwork.vision.Images;
import io.modelwork.vision.Overlays;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.*;

/** evaluate and calibrate of the anomaly category (metrics as anomalib defines them, see {@link AnomalyMetrics}). */
final class AnomalyEvaluate {
    static final double DEFAULT_FPR = 0.05;

    private AnomalyEvaluate() { }

    /** The image threshold: the calibrated one, else FPR 5 % on the validation normals (NaN when there are none). */
    static double threshold(AnomalyState s, StepContext ctx) {
        if (s.imageThreshold != null) return s.imageThreshold;
        AnomalyState.Scored v = AnomalyModel.score(s, "validation", s.validation, ctx.progress(), "evaluate");
        float[] neg = split(v, false);
        return neg.length == 0 ? Double.NaN : AnomalyMetrics.thresholdAtFpr(neg, DEFAULT_FPR);
    }

    static float[] split(AnomalyState.Scored sc, boolean defects) {
        int n = 0;
        for (Item it : sc.items()) if (it.normal() != defects) n++;
        float[] out = new float[n];
        int q = 0;
        for (int i = 0; i < sc.items().size(); i++) if (sc.items().get(i).normal() != defects) out[q++] = sc.scores()[i];
        return out;
    }

    /** The metrics of one scored set. */
    static ObjectNode metrics(AnomalyState.Scored sc, double threshold, int side) {
        ObjectNode m = Json.object();
        float[] pos = split(sc, true), neg = split(sc, false);
        m.put("images", sc.items().size()).put("normal", neg.length).put("defect", pos.length);
        put(m, "image_auroc", AnomalyMetrics.auroc(pos, neg));
        List<float[]> maps = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        long px = 0;
        for (int i = 0; i < sc.items().size(); i++)
            if (sc.masks()[i] != null) { maps.add(sc.maps()[i]); masks.add(sc.masks()[i]); px += sc.maps()[i].length; }
        float[] all = new float[(int) px];
        boolean[] lab = new boolean[(int) px];
        int q = 0;
        for (int i = 0; i < maps.size(); i++) {
            System.arraycopy(maps.get(i), 0, all, q, maps.get(i).length);
            System.arraycopy(masks.get(i), 0, lab, q, masks.get(i).length);
            q += maps.get(i).length;
        }
        put(m, "pixel_auroc", AnomalyMetrics.auroc(all, lab));
        AnomalyMetrics.Pro pro = AnomalyMetrics.aupro(maps, masks, side, 0.3);
        put(m, "aupro", pro.aupro());
        m.put("defect_regions", pro.regions());
        put(m, "recall_at_fpr_1pct", AnomalyMetrics.recallAtFpr(pos, neg, 0.01));
        put(m, "recall_at_fpr_5pct", AnomalyMetrics.recallAtFpr(pos, neg, 0.05));
        if (!Double.isNaN(threshold)) {
            put(m, "f1", pos.length == 0 ? Double.NaN : AnomalyMetrics.f1(pos, neg, threshold));
            put(m, "fpr_at_threshold", AnomalyMetrics.rateAbove(neg, threshold));
            put(m, "recall_at_threshold", AnomalyMetrics.rateAbove(pos, threshold));
            m.put("threshold", threshold);
        }
        return m;
    }

    private static void put(ObjectNode m, String k, double v) {
        if (Double.isNaN(v)) m.putNull(k); else m.put(k, v);
    }

    static StepReport evaluate(AnomalyState s, Args a, StepContext ctx) {
        s.ensureFitted("evaluate");
        int side = s.pre.size();
        double th = threshold(s, ctx);
        AnomalyState.Scored v = AnomalyModel.score(s, "validation", s.validation, ctx.progress(), "evaluate");
        AnomalyState.Scored t = AnomalyModel.score(s, "test", s.test, ctx.progress(), "evaluate");
        StepReport r = new StepReport("evaluate", "PatchCore: validation and test");
        ObjectNode metrics = r.body().putObject("metrics");
        metrics.set("validation", metrics(v, th, side));
        metrics.set("test", metrics(t, th, side));
        r.body().put("threshold_source", s.imageThreshold != null ? "calibrate (target_fpr " + s.targetFpr + ")" : "FPR 5% on validation normals");
        Table mt = Table.create("Metrics");
        StringColumn name = StringColumn.create("metric");
        DoubleColumn vc = DoubleColumn.create("validation"), tc = DoubleColumn.create("test");
        for (String k : List.of("image_auroc", "pixel_auroc", "aupro", "recall_at_fpr_1pct", "recall_at_fpr_5pct", "f1")) {
            name.append(k);
            vc.append(metrics.get("validation").path(k).isNumber() ? metrics.get("validation").get(k).asDouble() : Double.NaN);
            tc.append(metrics.get("test").path(k).isNumber() ? metrics.get("test").get(k).asDouble() : Double.NaN);
        }
        mt.addColumns(name, vc, tc);
        r.table(mt);
        AnomalyState.Scored main = s.test.isEmpty() ? v : t;
        r.table(perClass(main, th));
        float[] pos = split(main, true), neg = split(main, false);
        if (pos.length > 0 && neg.length > 0) {
            double[][] roc = AnomalyMetrics.roc(pos, neg);
            r.chart(Chart.line("roc", "Image ROC (" + (s.test.isEmpty() ? "validation" : "test") + ")", "false positive rate",
                    "true positive rate", List.of(Chart.Series.line("PatchCore", roc[0], roc[1]),
                            Chart.Series.dashed("chance", new double[]{0, 1}, new double[]{0, 1}))));
        }
        List<float[]> maps = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        for (int i = 0; i < main.items().size(); i++) if (main.masks()[i] != null) { maps.add(main.maps()[i]); masks.add(main.masks()[i]); }
        AnomalyMetrics.Pro pro = AnomalyMetrics.aupro(maps, masks, side, 0.3);
        if (pro.fpr().length > 1)
            r.chart(Chart.line("pro", "Per-region overlap up to FPR 0.3", "false positive rate (pixels)", "PRO",
                    List.of(Chart.Series.line("PatchCore", pro.fpr(), pro.pro()))));
        r.gallery(gallery(s, main, th, a.getInt("gallery", 4), ctx.run().runDir().resolve("gallery")));
        return r;
    }

    static Table perClass(AnomalyState.Scored sc, double th) {
        Map<String, List<Integer>> by = new TreeMap<>();
        for (int i = 0; i < sc.items().size(); i++) by.computeIfAbsent(sc.items().get(i).label(), x -> new ArrayList<>()).add(i);
        float[] neg = split(sc, false);
        Table t = Table.create("Per class");
        StringColumn cls = StringColumn.create("class");
        IntColumn n = IntColumn.create("images");
        DoubleColumn auc = DoubleColumn.create("image_auroc_vs_good"), flagged = DoubleColumn.create("flagged_at_threshold"),
                mean = DoubleColumn.create("mean_score");
        for (Map.Entry<String, List<Integer>> e : by.entrySet()) {
            float[] sc2 = new float[e.getValue().size()];
            for (int i = 0; i < sc2.length; i++) sc2[i] = sc.scores()[e.getValue().get(i)];
            cls.append(e.getKey());
            n.append(sc2.length);
            auc.append(e.getKey().equals(ImageDataset.NORMAL) ? Double.NaN : AnomalyMetrics.auroc(sc2, neg));
            flagged.append(Double.isNaN(th) ? Double.NaN : AnomalyMetrics.rateAbove(sc2, th));
            double m = 0;
            for (float f : sc2) m += f;
            mean.append(m / sc2.length);
        }
        t.addColumns(cls, n, auc, flagged, mean);
        return t;
    }

    /** The worst false positives (normals, highest scores) and false negatives (defects, lowest scores) as PNG panels. */
    static List<GalleryItem> gallery(AnomalyState s, AnomalyState.Scored sc, double th, int per, Path dir) {
        List<GalleryItem> out = new ArrayList<>();
        if (per <= 0 || sc.items().isEmpty()) return out;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float[] m : sc.maps()) for (float v : m) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        double pixTh = s.pixelThreshold != null ? s.pixelThreshold : lo + 0.5 * (hi - lo);
        List<Integer> normals = new ArrayList<>(), defects = new ArrayList<>();
        for (int i = 0; i < sc.items().size(); i++) (sc.items().get(i).normal() ? normals : defects).add(i);
        normals.sort((x, y) -> Float.compare(sc.scores()[y], sc.scores()[x]));
        defects.sort((x, y) -> Float.compare(sc.scores()[x], sc.scores()[y]));
        int q = 0;
        for (List<Integer> group : List.of(normals, defects)) {
            for (int i : group.subList(0, Math.min(per, group.size()))) {
                Item it = sc.items().get(i);
                boolean fp = it.normal();
                var img = s.pre.geometry(Images.read(it.path()).rgb());
                Path png = Overlays.write(Overlays.panels(img, sc.maps()[i], sc.masks()[i], lo, hi, pixTh),
                        dir.resolve(String.format(Locale.ROOT, "%02d-%s-%s.png", q++, fp ? "fp" : "fn", it.name().replaceAll("[^A-Za-z0-9._-]", "_"))));
                String pred = Double.isNaN(th) ? "score " + sc.scores()[i] : (sc.scores()[i] > th ? "anomalous" : "normal");
                Map<String, String> f = new LinkedHashMap<>();
                f.put("kind", fp ? "worst false positive" : "worst false negative");
                f.put("panels", "image | heat map | true mask (white) with predicted outline (red)");
                out.add(new GalleryItem(it.path().toString(), it.label(), pred, fp ? sc.scores()[i] : -sc.scores()[i], f, png.toString(), "image/png"));
            }
        }
        return out;
    }

    static StepReport calibrate(AnomalyState s, Args a, StepContext ctx) {
        s.ensureFitted("calibrate");
        double target = a.getDouble("target_fpr", DEFAULT_FPR);
        AnomalyState.Scored v = AnomalyModel.score(s, "validation", s.validation, ctx.progress(), "calibrate");
        float[] neg = split(v, false);
        if (neg.length == 0)
            throw new ModelworkException("No normal validation images to calibrate on", "calibrate",
                    "split with validation > 0 so that some test/good images go to validation");
        double th = AnomalyMetrics.thresholdAtFpr(neg, target);
        int pxCount = 0;
        for (int i = 0; i < v.items().size(); i++) if (v.items().get(i).normal()) pxCount += v.maps()[i].length;
        float[] px = new float[pxCount];
        int q = 0;
        for (int i = 0; i < v.items().size(); i++)
            if (v.items().get(i).normal()) { System.arraycopy(v.maps()[i], 0, px, q, v.maps()[i].length); q += v.maps()[i].length; }
        double pth = AnomalyMetrics.thresholdAtFpr(px, target);
        s.imageThreshold = th;
        s.pixelThreshold = pth;
        s.targetFpr = target;
        ObjectNode j = Json.object();
        j.put("image_threshold", th).put("pixel_threshold", pth).put("target_fpr", target).put("rule", "anomalous when score > threshold")
                .put("validation_normals", neg.length).put("validation_fpr", AnomalyMetrics.rateAbove(neg, th))
                .put("validation_recall", AnomalyMetrics.rateAbove(split(v, true), th));
        Path file = ctx.run().runDir().resolve("thresholds.json");
        AtomicFiles.writeString(file, Json.write(j));
        ctx.invalidate(Step.EVALUATE);
        StepReport r = new StepReport("calibrate", "Thresholds for FPR ≤ " + target);
        r.body().setAll(j);
        r.body().put("file", file.toString());
        r.table(io.modelwork.report.Tables.keyValues("Thresholds", Map.of("image_threshold", th, "pixel_threshold", pth,
                "validation FPR", j.get("validation_fpr").asDouble(), "validation recall", j.get("validation_recall").asDouble())));
        if (neg.length < 1 / target)
            r.note("only " + neg.length + " validation normals: FPR " + target + " cannot be resolved finer than 1/" + neg.length);
        return r;
    }
}
