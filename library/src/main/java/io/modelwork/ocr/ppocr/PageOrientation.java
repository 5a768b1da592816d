package io.modelwork.ocr.ppocr;

import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Page deskew and rotation for {@code prepare_data deskew=true}, from the pipeline's own models (PP-OCRv4 has no page
 * orientation model; PaddleOCR 3's {@code PP-LCNet_x1_0_doc_ori} cannot be had here):
 * <ol>
 *   <li>a page turned by 90°: most detected boxes are tall (height/width ≥ 1.5, the crops PaddleOCR turns 90°) —
 *       the page is turned 90° counter-clockwise and detected again;</li>
 *   <li>skew: the length-weighted median angle of the boxes' top edges; a page skewed by 0.3°–15° is rotated back
 *       (bicubic, white fill, canvas grown to keep the corners);</li>
 *   <li>upside down: the angle classifier votes over the (at most 32 longest) text crops, weighted by width; more than
 *       half classified '180' above {@code cls_thresh} turns the page 180° (a page read 90° clockwise thus becomes 270°).</li>
 * </ol>
 * An upright page is left as it is (no box, or skew under 0.3° and no vote): the step changes nothing it need not.
 *
 * @param quarterTurns counter-clockwise quarter turns applied (0–3)
 * @param skewDegrees  the skew corrected, degrees counter-clockwise (0: none)
 * @param boxes        the text boxes the decision was made on
 * @param share180     the width-weighted share of crops the classifier read upside down
 */
public record PageOrientation(int quarterTurns, double skewDegrees, int boxes, double share180) {
    static final double MIN_SKEW = 0.3, MAX_SKEW = 15;
    static final int VOTERS = 32;

    public static final PageOrientation UPRIGHT = new PageOrientation(0, 0, 0, 0);

    public boolean changes() { return quarterTurns != 0 || skewDegrees != 0; }

    /** The page as the pipeline should read it. */
    public BgrImage apply(BgrImage img) {
        BgrImage out = img;
        if (quarterTurns % 2 == 1) out = out.rot90();
        if (skewDegrees != 0) out = rotate(out, skewDegrees);
        if (quarterTurns >= 2) out = out.rotate180();
        return out;
    }

    /** Decides the orientation of {@code img} with {@code ocr}'s detector and angle classifier. */
    public static PageOrientation of(PpOcr ocr, BgrImage img) {
        List<double[]> boxes = ocr.boxes(ocr.detect(img));
        if (boxes.isEmpty()) return UPRIGHT;
        int turns = 0;
        BgrImage page = img;
        long tall = boxes.stream().filter(b -> height(b) >= 1.5 * width(b)).count();
        if (tall * 2 > boxes.size()) {
            turns = 1;
            page = img.rot90();
            boxes = ocr.boxes(ocr.detect(page));
            if (boxes.isEmpty()) return new PageOrientation(1, 0, 0, 0);
        }
        double skew = skew(boxes);
        if (Math.abs(skew) < MIN_SKEW || Math.abs(skew) > MAX_SKEW) skew = 0;
        if (skew != 0) {
            page = rotate(page, skew);
            boxes = ocr.boxes(ocr.detect(page));
        }
        List<double[]> voters = new ArrayList<>(boxes);
        voters.sort(Comparator.comparingDouble(b -> -width(b)));
        voters = voters.subList(0, Math.min(VOTERS, voters.size()));
        List<BgrImage> crops = new ArrayList<>();
        for (double[] b : voters) crops.add(page.crop(b));
        double[] p180 = ocr.upsideDown(crops);
        double up = 0, all = 0;
        for (int i = 0; i < crops.size(); i++) {
            all += crops.get(i).width;
            if (p180[i] > ocr.config().clsThresh()) up += crops.get(i).width;
        }
        double share = all == 0 ? 0 : up / all;
        if (share > 0.5) turns += 2;
        return new PageOrientation(turns, skew, boxes.size(), share);
    }

    /** Length-weighted median angle of the boxes' top edges, degrees counter-clockwise in image terms (y down). */
    static double skew(List<double[]> boxes) {
        List<double[]> angles = new ArrayList<>();   // [angle, weight]
        double total = 0;
        for (double[] b : boxes) {
            double dx = b[2] - b[0], dy = b[3] - b[1], len = Math.hypot(dx, dy);
            if (len < 1) continue;
            angles.add(new double[]{Math.toDegrees(Math.atan2(-dy, dx)), len});
            total += len;
        }
        if (angles.isEmpty()) return 0;
        angles.sort(Comparator.comparingDouble(a -> a[0]));
        double acc = 0;
        for (double[] a : angles) {
            acc += a[1];
            if (acc >= total / 2) return a[0];
        }
        return angles.get(angles.size() - 1)[0];
    }

    /** The page turned so that text at {@code degrees} (counter-clockwise) becomes level: Java2D, bicubic, white fill. */
    static BgrImage rotate(BgrImage img, double degrees) {
        double t = Math.toRadians(degrees);   // text rising by +t: turn the page clockwise by t
        double cos = Math.abs(Math.cos(t)), sin = Math.abs(Math.sin(t));
        int w = (int) Math.ceil(img.width * cos + img.height * sin), h = (int) Math.ceil(img.height * cos + img.width * sin);
        BufferedImage src = img.toBufferedImage(), dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = dst.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        AffineTransform at = new AffineTransform();
        at.translate(w / 2.0, h / 2.0);
        at.rotate(t);                          // Java2D: positive angle turns clockwise on screen (y down)
        at.translate(-img.width / 2.0, -img.height / 2.0);
        g.drawImage(src, at, null);
        g.dispose();
        return BgrImage.of(dst);
    }

    private static double width(double[] b) { return Math.max(Math.hypot(b[2] - b[0], b[3] - b[1]), Math.hypot(b[4] - b[6], b[5] - b[7])); }

    private static double height(double[] b) { return Math.max(Math.hypot(b[6] - b[0], b[7] - b[1]), Math.hypot(b[4] - b[2], b[5] - b[3])); }
}
