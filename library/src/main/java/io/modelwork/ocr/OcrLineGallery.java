package io.modelwork.ocr;

import io.modelwork.metrics.WordErrorRate;
import io.modelwork.ocr.ppocr.BgrImage;
import io.modelwork.ocr.ppocr.OcrResult;
import io.modelwork.report.GalleryItem;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The error gallery of evaluate at the level of lines, as the issue asks: each ground-truth line is paired with a
 * row the pipeline read (the rows of {@link OcrResult#rows()}) by a monotone alignment of the two lists of lines
 * (dynamic programming over character edit distances; a line nobody read, or a row with no truth, pairs with
 * nothing), and the lines with the most character errors are shown with their crop (the row's boxes' bounding
 * rectangle from the prepared image), the truth and the prediction with the differing characters marked.
 */
final class OcrLineGallery {
    private OcrLineGallery() {}

    /** One aligned line: its truth, what was read (empty: missed), the row's boxes (empty: nothing read there). */
    record LineError(String image, int index, String truth, String prediction, WordErrorRate.Alignment alignment,
                     List<OcrResult.Line> row) { }

    /** The aligned lines of one image; {@code truth} is the image's ground truth (lines separated by newlines). */
    static List<LineError> lines(String image, String truth, OcrResult read, boolean caseSensitive) {
        List<String> gt = new ArrayList<>();
        for (String l : (truth == null ? "" : truth).split("\\R")) {
            String n = OcrScoring.norm(l, caseSensitive, true);
            if (!n.isEmpty()) gt.add(n);
        }
        List<List<OcrResult.Line>> rows = read.rows();
        List<String> hyp = new ArrayList<>();
        for (List<OcrResult.Line> r : rows) hyp.add(OcrScoring.norm(OcrResult.rowText(r), caseSensitive, true));
        int n = gt.size(), m = hyp.size();
        int[][] cost = new int[n + 1][m + 1];
        for (int i = 1; i <= n; i++) cost[i][0] = cost[i - 1][0] + gt.get(i - 1).length();
        for (int j = 1; j <= m; j++) cost[0][j] = cost[0][j - 1] + hyp.get(j - 1).length();
        for (int i = 1; i <= n; i++)
            for (int j = 1; j <= m; j++)
                cost[i][j] = Math.min(cost[i - 1][j - 1] + distance(gt.get(i - 1), hyp.get(j - 1)),
                        Math.min(cost[i - 1][j] + gt.get(i - 1).length(), cost[i][j - 1] + hyp.get(j - 1).length()));
        List<LineError> out = new ArrayList<>();
        int i = n, j = m;
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0 && cost[i][j] == cost[i - 1][j - 1] + distance(gt.get(i - 1), hyp.get(j - 1))) {
                out.add(pair(image, i - 1, gt.get(i - 1), hyp.get(j - 1), rows.get(j - 1)));
                i--; j--;
            } else if (i > 0 && cost[i][j] == cost[i - 1][j] + gt.get(i - 1).length()) {
                out.add(pair(image, i - 1, gt.get(i - 1), "", List.of()));
                i--;
            } else {
                out.add(pair(image, -1, "", hyp.get(j - 1), rows.get(j - 1)));
                j--;
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    private static LineError pair(String image, int index, String truth, String prediction, List<OcrResult.Line> row) {
        WordErrorRate.Alignment al = WordErrorRate.align(WordErrorRate.chars(truth, WordErrorRate.Normalize.NONE),
                WordErrorRate.chars(prediction, WordErrorRate.Normalize.NONE));
        return new LineError(image, index, truth, prediction, al, row);
    }

    private static int distance(String a, String b) {
        return WordErrorRate.align(WordErrorRate.chars(a, WordErrorRate.Normalize.NONE), WordErrorRate.chars(b, WordErrorRate.Normalize.NONE)).errors();
    }

    /** The {@code worst} lines with errors over all lines (most character errors first), as gallery items with crops. */
    static List<GalleryItem> worst(List<LineError> all, int worst, java.util.function.Function<String, BgrImage> image, Path dir) {
        List<LineError> bad = new ArrayList<>(all.stream().filter(l -> l.alignment().errors() > 0).toList());
        bad.sort(Comparator.comparingInt((LineError l) -> -l.alignment().errors()).thenComparing(l -> -l.alignment().rate()));
        List<GalleryItem> g = new ArrayList<>();
        for (LineError l : bad.subList(0, Math.min(worst, bad.size()))) {
            String[] mk = OcrScoring.marked(l.alignment());
            String what = l.index() < 0 ? "read where the truth has no line" : l.row().isEmpty() ? "line not read" : "line " + (l.index() + 1);
            String media = l.row().isEmpty() ? null : crop(image.apply(l.image()), l.row(), dir,
                    l.image() + "-line" + (l.index() + 1));
            g.add(new GalleryItem(l.image() + " · " + what, mk[0], l.prediction().isEmpty() ? "(nothing read)" : mk[1], l.alignment().rate(),
                    Map.of("char errors", String.valueOf(l.alignment().errors()), "confidence",
                            l.row().isEmpty() ? "-" : String.format(Locale.ROOT, "%.3f", l.row().stream().mapToDouble(OcrResult.Line::score).min().orElse(0))),
                    media, media == null ? null : "image/png"));
        }
        return g;
    }

    /** The row's bounding rectangle (4 px margin) cut from the image, written atomically as a PNG; null if it cannot be. */
    static String crop(BgrImage img, List<OcrResult.Line> row, Path dir, String name) {
        try {
            double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
            for (OcrResult.Line l : row)
                for (int k = 0; k < 4; k++) {
                    x0 = Math.min(x0, l.box()[2 * k]); x1 = Math.max(x1, l.box()[2 * k]);
                    y0 = Math.min(y0, l.box()[2 * k + 1]); y1 = Math.max(y1, l.box()[2 * k + 1]);
                }
            BufferedImage page = img.toBufferedImage();
            int ax = Math.max(0, (int) Math.floor(x0) - 4), ay = Math.max(0, (int) Math.floor(y0) - 4);
            int bx = Math.min(page.getWidth(), (int) Math.ceil(x1) + 4), by = Math.min(page.getHeight(), (int) Math.ceil(y1) + 4);
            if (bx <= ax || by <= ay) return null;
            BufferedImage c = page.getSubimage(ax, ay, bx - ax, by - ay);
            Files.createDirectories(dir);
            return io.modelwork.vision.Overlays.write(c, dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png")).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
