package io.modelwork.ocr;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.metrics.WordErrorRate;
import io.modelwork.ocr.ppocr.OcrConfig;
import io.modelwork.ocr.ppocr.OcrResult;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.StepContext;
import io.modelwork.tune.Direction;
import io.modelwork.tune.Objective;
import io.modelwork.tune.SearchSpace;
import io.modelwork.tune.TunerConfig;
import io.modelwork.tune.TuningReport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/** build, fit (the frozen pipeline, cached), evaluate, tune (detection settings on cached maps) and calibrate. */
final class OcrSteps {
    private OcrSteps() {}

    static StepReport build(OcrState s, Args a, StepContext ctx) {
        s.spec = a.getString("spec", "ocr.ppocr");
        if (!OcrCategory.SPECS.containsKey(s.spec))
            throw new ModelworkException("Unknown OCR spec '" + s.spec + "'", "build spec", "use one of " + OcrCategory.SPECS.keySet());
        s.lang = a.getString("lang", "ch");
        s.det = a.getString("det", null); s.cls = a.getString("cls", null);
        s.rec = a.getString("rec", null); s.dict = a.getString("dict", null);
        s.threads = ctx.run().threads();
        s.device = ctx.run().device() == null ? "cpu" : ctx.run().device();
        s.config = new OcrConfig(s.config.limitSide(), a.getDouble("thresh", 0.3), a.getDouble("box_thresh", 0.6),
                a.getDouble("unclip_ratio", 1.5), 3, s.config.useCls(), a.getDouble("cls_thresh", 0.9), 192, 48, 320,
                a.getInt("batch", 6), a.getDouble("drop_score", 0.5));
        s.resetPipeline();
        var p = s.pipeline();
        StepReport r = new StepReport("build", "Built " + s.spec + " (lang=" + s.lang + "): PP-OCR detection + angle classifier + recognition on ONNX Runtime");
        ObjectNode m = r.body().putObject("models");
        m.put("det", p.models().det().toString()).put("cls", String.valueOf(p.models().cls()))
                .put("rec", p.models().rec().toString()).put("dict", p.models().dict().toString());
        r.body().put("spec", s.spec).put("lang", s.lang).put("classes", p.decoder().classes()).set("config", s.config.toJson());
        if (!p.deviceNote().isEmpty()) r.note(p.deviceNote());
        return r;
    }

    static StepReport fit(OcrState s, Args a, StepContext ctx) {
        List<String> ids = new ArrayList<>(s.train);
        ids.addAll(s.validation);
        String which = "train and validation";
        if (ids.isEmpty()) { ids.addAll(s.test); which = "test (no train/validation pages)"; }
        long t0 = System.nanoTime();
        int lines = 0, k = 0;
        for (OcrDataset.Item it : s.items(ids)) {
            ctx.progress().update("fit", ++k, ids.size(), it.id());
            lines += s.read(it).lines().size();
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        StepReport r = new StepReport("fit", "Ran the frozen pipeline over " + ids.size() + " " + which + " images (no training)");
        r.body().put("trained", false).put("images", ids.size()).put("lines", lines).put("seconds", sec)
                .put("pages_per_second", sec > 0 ? ids.size() / sec : 0).put("lines_per_second", sec > 0 ? lines / sec : 0);
        r.note("no network training is possible here: fit runs the pretrained PP-OCRv4 pipeline, caches the detection maps and "
                + "recognitions so tune and calibrate need not detect again, and reports throughput");
        if (s.deskew) {
            ArrayNode turned = r.body().putArray("pages_turned");
            s.orientations.forEach((id, o) -> {
                if (!o.changes()) return;
                turned.addObject().put("image", id).put("degrees", 90 * o.quarterTurns()).put("skew", o.skewDegrees()).put("share_180", o.share180());
                r.note(String.format(Locale.ROOT, "deskew: %s turned %d° counter-clockwise%s", id, 90 * o.quarterTurns(),
                        o.skewDegrees() == 0 ? "" : String.format(Locale.ROOT, ", skew %.1f° straightened", o.skewDegrees())));
            });
        }
        return r;
    }

    /** What evaluate and tune compute on a set of images. */
    record Scores(double cer, double wer, double exact, double detP, double detR, double detH, boolean hasBoxes,
                  List<String> ids, List<String> refs, List<String> hyps, List<OcrResult> results, WordErrorRate.Result wr) { }

    static Scores score(OcrState s, List<String> ids, boolean caseSensitive, boolean collapse) {
        List<String> refs = new ArrayList<>(), hyps = new ArrayList<>(), used = new ArrayList<>();
        List<OcrResult> results = new ArrayList<>();
        int exact = 0, tp = 0, nd = 0, nr = 0;
        boolean boxes = false;
        for (OcrDataset.Item it : s.items(ids)) {
            if (it.text() == null) continue;
            OcrResult r = s.read(it);
            String ref = OcrScoring.norm(it.text(), caseSensitive, collapse), hyp = OcrScoring.norm(r.text(), caseSensitive, collapse);
            refs.add(ref); hyps.add(hyp); used.add(it.id()); results.add(r);
            if (ref.equals(hyp)) exact++;
            if (it.boxes() != null && !s.lineMode()) {
                boxes = true;
                int[] d = OcrScoring.detection(it.boxes(), r.lines());
                tp += d[0]; nd += d[1]; nr += d[2];
            }
        }
        WordErrorRate.Result wr = WordErrorRate.corpus(refs, hyps, WordErrorRate.Normalize.NONE);
        double p = nd == 0 ? 0 : (double) tp / nd, rc = nr == 0 ? 0 : (double) tp / nr;
        return new Scores(wr.cer(), wr.wer(), refs.isEmpty() ? 0 : (double) exact / refs.size(), p, rc,
                p + rc == 0 ? 0 : 2 * p * rc / (p + rc), boxes, used, refs, hyps, results, wr);
    }

    static List<String> set(OcrState s, String on) {
        return switch (on) {
            case "train" -> s.train;
            case "validation" -> s.validation;
            case "all" -> s.dataset.items.stream().map(OcrDataset.Item::id).toList();
            default -> s.test;
        };
    }

    static StepReport evaluate(OcrState s, Args a, StepContext ctx) {
        String on = a.getString("on", "test");
        List<String> ids = set(s, on);
        if (ids.isEmpty())
            throw new ModelworkException("No images in the '" + on + "' set", "evaluate on=" + on, "split with a " + on + " share, or evaluate on=all");
        boolean cs = a.getBool("case_sensitive", true), collapse = !a.getString("whitespace", "collapse").equals("keep");
        Scores sc = score(s, ids, cs, collapse);
        if (sc.refs().isEmpty())
            throw new ModelworkException("No image of the '" + on + "' set has ground truth", "evaluate", "give <name>.gt.txt files or labels=");
        StepReport r = new StepReport("evaluate", String.format(Locale.ROOT, "CER %.4f, WER %.4f, exact match %.3f on %d %s images",
                sc.cer(), sc.wer(), sc.exact(), sc.refs().size(), on));
        ObjectNode m = r.body().putObject("metrics");
        m.put("cer", sc.cer()).put("wer", sc.wer()).put("exact_match", sc.exact());
        if (sc.hasBoxes()) m.put("det_precision", sc.detP()).put("det_recall", sc.detR()).put("det_hmean", sc.detH());
        r.body().put("cer", sc.cer()).put("wer", sc.wer()).put("exact_match", sc.exact()).put("on", on).put("images", sc.refs().size())
                .put("case_sensitive", cs).put("whitespace", collapse ? "collapse" : "keep")
                .put("ref_chars", sc.wr().chars().refLength()).put("char_errors", sc.wr().chars().refLength() - sc.wr().chars().hits() + sc.wr().chars().insertions());
        Table t = Table.create("per image");
        StringColumn id = StringColumn.create("image"), pred = StringColumn.create("prediction");
        DoubleColumn cer = DoubleColumn.create("cer");
        IntColumn nl = IntColumn.create("boxes");
        ArrayNode per = r.body().putArray("per_image");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sc.refs().size(); i++) {
            double c = sc.wr().charUtterances().get(i).rate();
            id.append(sc.ids().get(i)); pred.append(sc.hyps().get(i)); cer.append(c); nl.append(sc.results().get(i).lines().size());
            per.addObject().put("image", sc.ids().get(i)).put("cer", c).put("text", sc.hyps().get(i));
            order.add(i);
        }
        t.addColumns(id, cer, nl, pred);
        r.table(t);
        // error gallery: the worst lines (crop, truth, prediction with the differing characters marked), then the
        // worst page with the boxes read drawn over it
        List<OcrLineGallery.LineError> lines = new ArrayList<>();
        for (int i = 0; i < sc.ids().size(); i++)
            lines.addAll(OcrLineGallery.lines(sc.ids().get(i), s.dataset.byId(sc.ids().get(i)).text(), sc.results().get(i), cs));
        Path dir = ctx.run().runDir().resolve("gallery");
        List<GalleryItem> g = new ArrayList<>(OcrLineGallery.worst(lines, a.getInt("worst", 5), img -> s.image(s.dataset.byId(img)), dir));
        long badLines = lines.stream().filter(l -> l.alignment().errors() > 0).count();
        r.body().put("lines", lines.size()).put("lines_with_errors", badLines);
        order.sort((x, y) -> Double.compare(sc.wr().charUtterances().get(y).rate(), sc.wr().charUtterances().get(x).rate()));
        if (!order.isEmpty() && sc.wr().charUtterances().get(order.get(0)).errors() > 0) {
            int i = order.get(0);
            WordErrorRate.Alignment al = sc.wr().charUtterances().get(i);
            String media = overlay(s, sc.ids().get(i), sc.results().get(i), dir);
            g.add(new GalleryItem(sc.ids().get(i) + " · worst page, boxes read", "CER " + String.format(Locale.ROOT, "%.4f", al.rate()),
                    sc.results().get(i).lines().size() + " boxes", al.rate(), Map.of("errors", String.valueOf(al.errors())),
                    media, media == null ? null : "image/png"));
        }
        r.gallery(g);
        if (a.getBool("baseline", false)) baseline(s, sc, r, cs, collapse);
        r.note("CER/WER: jiwer's definitions (edit operations summed over the corpus; spaces count for CER)"
                + (collapse ? ", after runs of whitespace and newlines became one space (layout is not scored)" : ""));
        return r;
    }

    /** Tesseract on the same images, side by side (skipped with a note when it is not installed). */
    private static void baseline(OcrState s, Scores sc, StepReport r, boolean cs, boolean collapse) {
        if (!TesseractBaseline.available()) { r.note("baseline: Tesseract is not installed (apt-get install -y tesseract-ocr)"); return; }
        List<String> hyps = new ArrayList<>();
        for (String id : sc.ids()) hyps.add(OcrScoring.norm(TesseractBaseline.read(s.dataset.byId(id).image()), cs, collapse));
        WordErrorRate.Result w = WordErrorRate.corpus(sc.refs(), hyps, WordErrorRate.Normalize.NONE);
        r.body().putObject("baseline").put("engine", "tesseract").put("cer", w.cer()).put("wer", w.wer());
        r.note(String.format(Locale.ROOT, "Tesseract on the same images: CER %.4f, WER %.4f", w.cer(), w.wer()));
    }

    private static String overlay(OcrState s, String id, OcrResult res, Path dir) {
        try {
            BufferedImage img = s.image(s.dataset.byId(id)).toBufferedImage();
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(230, 40, 40));
            g.setStroke(new BasicStroke(Math.max(1f, img.getWidth() / 500f)));
            for (OcrResult.Line l : res.lines()) {
                double[] b = l.box();
                int[] xs = {(int) b[0], (int) b[2], (int) b[4], (int) b[6]}, ys = {(int) b[1], (int) b[3], (int) b[5], (int) b[7]};
                g.drawPolygon(xs, ys, 4);
            }
            g.dispose();
            Files.createDirectories(dir);
            Path f = dir.resolve(id.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
            Path tmp = Files.createTempFile(dir, ".gallery", ".png");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return f.toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> tuneSet(OcrState s, String step) {
        if (!s.validation.isEmpty()) return s.validation;
        if (!s.train.isEmpty()) return s.train;
        throw new ModelworkException("No validation or training images to " + step + " on", step,
                "split with a validation share, e.g. split ratios=0,0.5,0.5 (the test set is never used to " + step + ")");
    }

    /**
     * tune: the shared {@link Tuning} search (grid by default) over {@code thresh}, {@code box_thresh},
     * {@code unclip_ratio} (and {@code limit_side} when given in {@code space=}) on the validation images, minimising
     * CER. Detection maps come from fit's cache (a new side limit detects again) and recognitions are cached by box, so
     * a trial mostly re-runs the post-processing. Trials run one at a time (they share the pipeline and its caches).
     * The best settings are applied only when their validation CER is below the current settings'.
     */
    static StepReport tune(OcrState s, Args a, StepContext ctx) {
        List<String> ids = tuneSet(s, "tune");
        OcrConfig current = s.config;
        double currentCer = score(s, ids, true, true).cer();
        SearchSpace space = Tuning.space(a, SearchSpace.parse("thresh=0.3|0.2|0.4 box_thresh=0.6|0.5|0.7 unclip_ratio=1.5|1.8|2.0"));
        TunerConfig cfg = Tuning.config(a.with("threads", 1).with("strategy", a.getString("strategy", "grid")).with("trials", a.getInt("trials", 12)),
                ctx, "cer", Direction.MINIMIZE, 1);
        Objective obj = (params, budget, seed) -> {
            s.config = apply(current, params);
            try {
                return score(s, ids, true, true).cer();
            } finally {
                s.config = current;
            }
        };
        TuningReport tr = Tuning.run(ctx, space, obj, cfg);
        StepReport r = Tuning.report(cfg.strategy().toString().toLowerCase(Locale.ROOT), tr, currentCer);
        OcrConfig best = apply(current, tr.bestParams());
        boolean keep = Tuning.decide(r, tr, currentCer, a.getBool("apply", true), () -> {
            s.config = best;
            return score(s, ids, true, true).cer();
        });
        s.config = keep ? best : current;
        r.body().put("current_cer", currentCer).put("best_cer", tr.bestValue()).put("trials", tr.trials().size()).set("config", s.config.toJson());
        r.note("the detection maps are fit's (cached) and recognitions are cached by box: a trial re-runs the DB post-processing and recognises only new boxes");
        if (keep) ctx.invalidate(Step.EVALUATE);
        return r;
    }

    private static OcrConfig apply(OcrConfig c, Map<String, Object> p) {
        return c.withDet(p.containsKey("limit_side") ? ((Number) p.get("limit_side")).intValue() : c.limitSide(),
                num(p, "thresh", c.thresh()), num(p, "box_thresh", c.boxThresh()), num(p, "unclip_ratio", c.unclipRatio()));
    }

    private static double num(Map<String, Object> p, String k, double d) {
        Object v = p.get(k);
        return v instanceof Number n ? n.doubleValue() : v == null ? d : Double.parseDouble(String.valueOf(v));
    }

    /**
     * calibrate: the smallest word-confidence threshold at which the kept predicted words reach {@code target_precision}
     * on the validation images (a word is correct when the page's reference has it, each reference word used once; its
     * confidence is the mean of its characters'), written to {@code thresholds.json}.
     */
    static StepReport calibrate(OcrState s, Args a, StepContext ctx) {
        List<String> ids = tuneSet(s, "calibrate");
        double target = a.getDouble("target_precision", 0.95);
        List<double[]> words = new ArrayList<>(); // conf, correct
        for (OcrDataset.Item it : s.items(ids)) {
            if (it.text() == null) continue;
            Map<String, Integer> ref = new HashMap<>();
            for (String w : it.text().trim().split("\\s+")) if (!w.isEmpty()) ref.merge(w, 1, Integer::sum);
            for (OcrResult.Line l : s.read(it).lines()) {
                String text = l.text();
                double[] cs = l.charScores();
                int pos = 0;
                for (String w : text.split(" ", -1)) {
                    int n = w.codePointCount(0, w.length());
                    if (n > 0 && pos + n <= cs.length) {
                        double c = 0;
                        for (int k = pos; k < pos + n; k++) c += cs[k];
                        Integer left = ref.get(w);
                        boolean ok = left != null && left > 0;
                        if (ok) ref.put(w, left - 1);
                        words.add(new double[]{c / n, ok ? 1 : 0});
                    }
                    pos += n + 1;
                }
            }
        }
        words.sort((x, y) -> Double.compare(y[0], x[0]));
        double threshold = 1.0, precision = Double.NaN;
        int kept = 0, correct = 0, bestKept = 0;
        for (int i = 0; i < words.size(); i++) {
            kept++;
            correct += (int) words.get(i)[1];
            boolean boundary = i + 1 == words.size() || words.get(i + 1)[0] < words.get(i)[0];
            if (boundary && (double) correct / kept >= target) { threshold = words.get(i)[0]; precision = (double) correct / kept; bestKept = kept; }
        }
        ObjectNode th = Json.object();
        th.put("word_confidence_threshold", threshold).put("target_precision", target).put("precision", Double.isNaN(precision) ? 0 : precision)
                .put("words_kept", bestKept).put("words", words.size()).put("drop_score", s.config.dropScore());
        s.thresholds = th;
        AtomicFiles.writeString(ctx.run().runDir().resolve("thresholds.json"), Json.write(th));
        StepReport r = new StepReport("calibrate", String.format(Locale.ROOT, "Word confidence ≥ %.4f keeps %d of %d words at precision %.3f (target %.2f)",
                threshold, bestKept, words.size(), Double.isNaN(precision) ? 0 : precision, target));
        r.body().setAll(th);
        if (Double.isNaN(precision)) r.note("no threshold reaches the target precision on the validation words: threshold 1.0 keeps none");
        return r;
    }
}
