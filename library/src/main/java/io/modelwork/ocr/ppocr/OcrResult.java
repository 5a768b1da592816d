package io.modelwork.ocr.ppocr;

import java.util.ArrayList;
import java.util.List;

/** What the pipeline read on one image: its text boxes in reading order. */
public record OcrResult(List<Line> lines) {

    /** One recognised box: the quadrilateral (x0,y0,…,x3,y3 clockwise from top-left), text, confidence, per-character confidences. */
    public record Line(double[] box, String text, double score, double[] charScores) { }

    /**
     * The page's text: boxes whose vertical centre lies within the previous box's vertical extent are one row
     * (joined by a space, left to right); rows are joined by newlines. No text is an empty string, not an error.
     */
    public String text() {
        StringBuilder sb = new StringBuilder();
        List<Line> row = new ArrayList<>();
        double lo = 0, hi = 0;
        for (Line l : lines) {
            double[] b = l.box();
            double top = Math.min(b[1], b[3]), bottom = Math.max(b[5], b[7]), centre = (top + bottom) / 2;
            if (!row.isEmpty() && centre >= lo && centre <= hi) {
                row.add(l);
            } else {
                flush(sb, row);
                row.clear();
                row.add(l);
            }
            lo = top;
            hi = bottom;
        }
        flush(sb, row);
        return sb.toString();
    }

    private static void flush(StringBuilder sb, List<Line> row) {
        if (row.isEmpty()) return;
        row.sort((a, b) -> Double.compare(a.box()[0], b.box()[0]));
        if (sb.length() > 0) sb.append('\n');
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) sb.append(' ');
            sb.append(row.get(i).text().strip());
        }
    }
}
