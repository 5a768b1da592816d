package io.modelwork.ocr;

import io.modelwork.metrics.WordErrorRate;
import io.modelwork.ocr.ppocr.OcrResult;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OCR metrics. Text: CER and WER with jiwer's definitions ({@link WordErrorRate}: edit operations summed over the
 * corpus, spaces count for CER), after the layout is removed (runs of whitespace, newlines included, become one
 * space — page layout is not what the recogniser is scored on; Tesseract's 0.063 on {@code bill.png} in ASSETS.md is
 * this figure); exact match per image. Detection: precision, recall and Hmean at IoU ≥ 0.5, each reference box
 * matched to at most one detection (greedy by IoU), polygons intersected with JTS.
 */
final class OcrScoring {
    private static final GeometryFactory GF = new GeometryFactory();

    private OcrScoring() {}

    /** The text compared: whitespace runs to one space (when {@code collapse}), stripped, lower-cased unless case-sensitive. */
    static String norm(String s, boolean caseSensitive, boolean collapse) {
        String t = s == null ? "" : s;
        if (collapse) t = t.replaceAll("\\s+", " ");
        t = t.strip();
        return caseSensitive ? t : t.toLowerCase(Locale.ROOT);
    }

    /** {@code [tp, detections, references]} at IoU ≥ 0.5. */
    static int[] detection(List<double[]> refs, List<OcrResult.Line> dets) {
        List<Geometry> r = new ArrayList<>(), d = new ArrayList<>();
        for (double[] q : refs) r.add(poly(q));
        for (OcrResult.Line l : dets) d.add(poly(l.box()));
        boolean[] used = new boolean[d.size()];
        int tp = 0;
        for (Geometry g : r) {
            int best = -1;
            double bestIou = 0.5;
            for (int j = 0; j < d.size(); j++) {
                if (used[j]) continue;
                double iou = iou(g, d.get(j));
                if (iou >= bestIou) { bestIou = iou; best = j; }
            }
            if (best >= 0) { used[best] = true; tp++; }
        }
        return new int[]{tp, d.size(), r.size()};
    }

    static double iou(Geometry a, Geometry b) {
        try {
            double inter = a.intersection(b).getArea();
            double union = a.getArea() + b.getArea() - inter;
            return union <= 0 ? 0 : inter / union;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static Geometry poly(double[] q) {
        Coordinate[] c = new Coordinate[5];
        for (int k = 0; k < 4; k++) c[k] = new Coordinate(q[2 * k], q[2 * k + 1]);
        c[4] = c[0];
        Geometry g = GF.createPolygon(c);
        return g.isValid() ? g : g.buffer(0);
    }

    /** Truth and prediction with the differing characters in brackets: {@code [x]} substituted/deleted/inserted. */
    static String[] marked(WordErrorRate.Alignment al) {
        StringBuilder t = new StringBuilder(), p = new StringBuilder();
        for (WordErrorRate.Op o : al.ops()) {
            switch (o.kind()) {
                case EQUAL -> { t.append(o.ref()); p.append(o.hyp()); }
                case SUBSTITUTE -> { t.append('[').append(o.ref()).append(']'); p.append('[').append(o.hyp()).append(']'); }
                case DELETE -> { t.append('[').append(o.ref()).append(']'); p.append("[_]"); }
                case INSERT -> p.append('[').append(o.hyp()).append(']');
            }
        }
        return new String[]{t.toString(), p.toString()};
    }
}
