package io.modelwork.face;

import io.modelwork.core.ModelworkException;
import io.modelwork.vision.Images;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Detection → alignment → embedding for one image. An identity image yields its main face (highest score). Images
 * in which the detector finds nothing are retried once on a copy padded by half its size on every side (small,
 * tightly cropped faces such as AT&T/ORL's 92×112 are missed when the face touches the border); with
 * {@code cropFallback} an image that still has no face is taken as an already-cropped face (template landmarks scaled
 * to the image; the result says {@link Source#CROP}). {@code detector=none} takes every image as a crop.
 */
public final class FacePipeline implements AutoCloseable {
    /** Where a face's landmarks came from. */
    public enum Source { DETECTED, PADDED, CROP }

    /** One image's main face: detection (null for a crop), how it was found, its aligned crop and faces found. */
    public record Result(Face face, Source source, BufferedImage aligned, int facesFound) { }

    public final FaceDetector detector;   // null = none
    public final FaceEmbedder embedder;
    public float minScore = 0.7f;
    public boolean align = true, flip = true, cropFallback = true;
    public int minFace = 20;

    public FacePipeline(FaceDetector detector, FaceEmbedder embedder) {
        this.detector = detector;
        this.embedder = embedder;
    }

    /** Every face of an image (detection only), best first. */
    public List<Face> faces(BufferedImage rgb) {
        if (detector == null) return List.of();
        return detector.detect(rgb, minScore);
    }

    /** The main face of an identity image, or null when none (and no crop fallback). */
    public Result main(BufferedImage rgb) {
        if (detector != null) {
            List<Face> f = detector.detect(rgb, minScore);
            if (!f.isEmpty()) return result(rgb, f.get(0), Source.DETECTED, f.size());
            int px = rgb.getWidth() / 2, py = rgb.getHeight() / 2;
            BufferedImage padded = pad(rgb, px, py);
            f = detector.detect(padded, minScore);
            if (!f.isEmpty()) {
                Face g = f.get(0);
                float[] lm = g.landmarks().clone();
                for (int k = 0; k < 5; k++) { lm[2 * k] -= px; lm[2 * k + 1] -= py; }
                return result(rgb, new Face(g.x() - px, g.y() - py, g.w(), g.h(), g.score(), lm), Source.PADDED, f.size());
            }
            if (!cropFallback) return null;
        }
        return new Result(null, Source.CROP, align(rgb, Alignment.cropLandmarks(rgb.getWidth(), rgb.getHeight())), 0);
    }

    private Result result(BufferedImage rgb, Face f, Source s, int n) { return new Result(f, s, align(rgb, f.landmarks()), n); }

    BufferedImage align(BufferedImage rgb, float[] lm) {
        if (align) return Alignment.crop(rgb, lm);
        // alignment off: the face box (landmark extent enlarged) resized to 112×112
        float x0 = Float.MAX_VALUE, y0 = Float.MAX_VALUE, x1 = -Float.MAX_VALUE, y1 = -Float.MAX_VALUE;
        for (int k = 0; k < 5; k++) {
            x0 = Math.min(x0, lm[2 * k]); x1 = Math.max(x1, lm[2 * k]);
            y0 = Math.min(y0, lm[2 * k + 1]); y1 = Math.max(y1, lm[2 * k + 1]);
        }
        float cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, side = Math.max(x1 - x0, y1 - y0) * 2.2f;
        int ix = Math.max(0, (int) (cx - side / 2)), iy = Math.max(0, (int) (cy - side / 2));
        int iw = Math.max(1, Math.min(rgb.getWidth() - ix, (int) side)), ih = Math.max(1, Math.min(rgb.getHeight() - iy, (int) side));
        return Images.resize(rgb.getSubimage(ix, iy, iw, ih), 112, 112);
    }

    static BufferedImage pad(BufferedImage rgb, int px, int py) {
        BufferedImage out = new BufferedImage(rgb.getWidth() + 2 * px, rgb.getHeight() + 2 * py, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(rgb, px, py, null);
        g.dispose();
        return out;
    }

    /** Embeddings of the main faces of {@code results} (nulls skipped by the caller). */
    public float[][] embed(List<Result> results) {
        List<BufferedImage> crops = new ArrayList<>();
        for (Result r : results) crops.add(r.aligned());
        return embedder.embed(crops, flip);
    }

    /** Reads an image as RGB (grayscale PGM becomes three equal channels); a corrupt file is a named error. */
    public static BufferedImage read(Path file) {
        byte[] head = new byte[3];
        try (var in = java.nio.file.Files.newInputStream(file)) {
            int n = in.read(head);
            if (n == 3 && Pnm.is(head)) return Pnm.read(file);
        } catch (java.io.IOException e) {
            throw new ModelworkException("Cannot read the image: " + e.getMessage(), file.toString(), "check that it exists and is readable");
        }
        return Images.read(file).rgb();
    }

    @Override public void close() {
        if (detector != null) detector.close();
        embedder.close();
    }
}
