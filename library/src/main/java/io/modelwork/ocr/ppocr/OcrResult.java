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
        for (List<Line> row : rows()) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(rowText(row));
        }
        return sb.toString();
    }

    /** The boxes grouped into rows as {@link #text()} joins them, each row left to right. */
    public List<List<Line>> rows() {
        List<List<Line>> rows = new ArrayList<>();
        List<Line> row = new ArrayList<>();
        double lo = 0, hi = 0;
        for (Line l : lines) {
            double[] b = l.box();
            double top = Math.min(b[1], b[3]), bottom = Math.max(b[5], b[7]), centre = (top + bottom) / 2;
            if (row.isEmpty() || centre < lo || centre > hi) {
                if (!row.isEmpty()) rows.add(row);
                row = new ArrayList<>();
            }
            row.add(l);
            lo = top;
            hi = bottom;
        }
        if (!row.isEmpty()) rows.add(row);
        for (List<Line> r : rows) r.sort((a, b) -> Double.compare(a.box()[0], b.box()[0]));
        return rows;
    }

    /** One row's text: its boxes' texts, stripped, joined by a space. */
    public static String rowText(List<Line> row) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
            if (i > 0) sb.append(' ');
            sb.append(row.get(i).text().strip());
        }
        return sb.toString();
    }
}
