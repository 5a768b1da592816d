package io.modelwork.ocr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.CtcDecoder;
import io.modelwork.ocr.ppocr.PpOcr;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.vision.Images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/** attach_dataset (read, validate, profile), prepare_data (rotation, size limit, denoise) and split (by document). */
final class OcrData {
    private OcrData() {}

    static StepReport attach(OcrState s, Args a, StepContext ctx) {
        Path root = Path.of(a.requireString("path", "give path= a folder of images with <name>.gt.txt beside each"));
        Path labels = a.has("labels") ? Path.of(a.getString("labels", null)) : null;
        Path boxes = a.has("boxes") ? Path.of(a.getString("boxes", null)) : null;
        OcrDataset ds = OcrDataset.read(root, labels, boxes, a.has("include") ? a.getList("include") : List.of());
        s.excluded.clear();
        List<OcrDataset.Item> kept = new ArrayList<>();
        int minW = Integer.MAX_VALUE, maxW = 0, minH = Integer.MAX_VALUE, maxH = 0;
        for (OcrDataset.Item it : ds.items) {
            try {
                if (Files.size(it.image()) == 0) { s.excluded.put(it.id(), "empty file"); continue; }
                int[] wh = Images.size(it.image());
                minW = Math.min(minW, wh[0]); maxW = Math.max(maxW, wh[0]);
                minH = Math.min(minH, wh[1]); maxH = Math.max(maxH, wh[1]);
                kept.add(it);
            } catch (ModelworkException | java.io.IOException e) {
                s.excluded.put(it.id(), "unreadable image: " + e.getMessage());
            }
        }
        if (a.getBool("strict", false) && !s.excluded.isEmpty())
            throw new ModelworkException("Images left out: " + s.excluded, root.toString(), "replace or remove them, or attach without strict=true");
        if (kept.isEmpty())
            throw new ModelworkException("No readable image in the dataset", root.toString(), "the images are all corrupt or empty: " + s.excluded);
        s.dataset = new OcrDataset(ds.root, kept, ds.notes);
        // profile: sizes, text lengths, characters the recogniser cannot produce
        CtcDecoder dict = CtcDecoder.read(a.has("dict") ? Path.of(a.getString("dict", null)) : PpOcr.Models.defaults().dict());
        Map<String, Integer> unknown = new TreeMap<>();
        boolean ascii = true;
        int withText = 0, chars = 0, minLen = Integer.MAX_VALUE, maxLen = 0;
        for (OcrDataset.Item it : kept) {
            if (it.text() == null) continue;
            withText++;
            String t = it.text();
            int len = t.codePointCount(0, t.length());
            chars += len;
            minLen = Math.min(minLen, len);
            maxLen = Math.max(maxLen, len);
            ascii &= t.codePoints().allMatch(cp -> Character.isWhitespace(cp) || (cp >= 33 && cp <= 126));
            t.codePoints().forEach(cp -> {
                String ch = new String(Character.toChars(cp));
                if (!Character.isWhitespace(cp) && !dict.canProduce(ch)) unknown.merge(ch, 1, Integer::sum);
            });
        }
        ObjectNode p = Json.object();
        p.put("images", kept.size()).put("with_ground_truth", withText).put("excluded", s.excluded.size())
                .put("documents", kept.stream().map(OcrDataset.Item::document).distinct().count())
                .put("with_boxes", kept.stream().filter(i -> i.boxes() != null).count())
                .put("width_min", minW).put("width_max", maxW).put("height_min", minH).put("height_max", maxH)
                .put("text_chars", chars).put("text_len_min", withText == 0 ? 0 : minLen).put("text_len_max", maxLen)
                .put("dictionary_size", dict.classes() - 2).put("ascii_only", withText > 0 && ascii);
        ObjectNode u = p.putObject("chars_not_in_dictionary");
        unknown.forEach(u::put);
        s.profile = p;
        StepReport r = new StepReport("attach_dataset", "Attached " + kept.size() + " images (" + withText + " with ground truth) from " + root);
        r.body().setAll(p);
        r.table(Tables.keyValues("profile", Map.of("images", kept.size(), "with ground truth", withText,
                "sizes", minW + "–" + maxW + " × " + minH + "–" + maxH, "text length", (withText == 0 ? 0 : minLen) + "–" + maxLen,
                "characters not in the dictionary", unknown.isEmpty() ? "none" : String.join(" ", unknown.keySet()))));
        if (withText > 0 && ascii)
            r.note("the ground truth is plain ASCII: build lang=en (PaddleOCR's English models) reads Latin text better than the default lang=ch");
        if (!unknown.isEmpty()) r.note("the recogniser cannot produce " + unknown.keySet() + ": these count as errors in CER");
        ObjectNode ex = r.body().putObject("excluded_images");
        s.excluded.forEach(ex::put);
        ObjectNode notes = r.body().putObject("notes");
        ds.notes.forEach(notes::put);
        s.excluded.forEach((k, v) -> r.note(k + ": " + v));
        ds.notes.forEach((k, v) -> r.note(k + ": " + v));
        s.resetPipeline();
        return r;
    }

    static StepReport prepare(OcrState s, Args a, StepContext ctx) {
        s.denoise = a.getBool("denoise", false);
        s.deskew = a.getBool("deskew", false);
        s.orientations.clear();
        s.config = s.config.withDet(a.getInt("limit_side", 960), s.config.thresh(), s.config.boxThresh(), s.config.unclipRatio())
                .withCls(a.getBool("rotate", true));
        s.detCache.clear();
        s.recCache.clear();
        StepReport r = new StepReport("prepare_data", "Detection side limit " + s.config.limitSide() + ", angle classifier "
                + (s.config.useCls() ? "on" : "off") + (s.denoise ? ", 3×3 median denoise" : "") + (s.deskew ? ", page deskew" : ""));
        r.body().put("limit_side", s.config.limitSide()).put("rotate", s.config.useCls()).put("denoise", s.denoise).put("deskew", s.deskew);
        if (s.deskew) r.note("deskew: each page's turn (90°/180°/270°) and skew are decided at its first read with the built pipeline "
                + "(most boxes tall → 90°; the boxes' median top-edge angle → skew; the angle classifier's vote → 180°); fit lists the pages turned");
        r.note("rotation: each text crop is turned 180° when the angle classifier says so above cls_thresh; tall crops (h/w ≥ 1.5) are turned 90°");
        return r;
    }

    static StepReport split(OcrState s, Args a, StepContext ctx) {
        double[] r = a.getDoubles("ratios", new double[]{0, 0, 1});
        if (r.length != 3 || Arrays.stream(r).anyMatch(x -> x < 0) || Math.abs(Arrays.stream(r).sum() - 1) > 1e-6)
            throw new ModelworkException("Split ratios must be three non-negative numbers that sum to 1, got " + Arrays.toString(r),
                    "split ratios", "e.g. ratios=0,0,1 (all test: a pretrained pipeline) or 0,0.5,0.5");
        List<String> docs = new ArrayList<>(new TreeSet<>(s.dataset.items.stream().map(OcrDataset.Item::document).toList()));
        Collections.shuffle(docs, new Random(ctx.run().seed()));
        int n = docs.size();
        int nTrain = (int) Math.round(r[0] * n), nVal = (int) Math.round(r[1] * n);
        if (nTrain + nVal > n) nVal = n - nTrain;
        Set<String> tr = new HashSet<>(docs.subList(0, nTrain)), va = new HashSet<>(docs.subList(nTrain, nTrain + nVal));
        s.train.clear(); s.validation.clear(); s.test.clear();
        for (OcrDataset.Item it : s.dataset.items) {
            if (tr.contains(it.document())) s.train.add(it.id());
            else if (va.contains(it.document())) s.validation.add(it.id());
            else s.test.add(it.id());
        }
        StepReport rep = new StepReport("split", "Split " + n + " documents by document: " + s.train.size() + " train, "
                + s.validation.size() + " validation, " + s.test.size() + " test images");
        rep.body().put("documents", n).put("train", s.train.size()).put("validation", s.validation.size()).put("test", s.test.size());
        rep.note("images that share a ground-truth file (one document) are never in two sets");
        return rep;
    }

    /** A 3×3 median filter per channel (replicated border): the optional denoise of prepare_data. */
    static BgrImage median3(BgrImage img) {
        int w = img.width, h = img.height;
        int[] out = new int[img.data.length], win = new int[9];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                for (int c = 0; c < 3; c++) {
                    int k = 0;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                            win[k++] = img.get(Math.min(w - 1, Math.max(0, x + dx)), Math.min(h - 1, Math.max(0, y + dy)), c);
                    Arrays.sort(win);
                    out[(y * w + x) * 3 + c] = win[4];
                }
        return new BgrImage(w, h, out);
    }
}
