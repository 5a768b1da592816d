package io.modelwork.vision;

import io.modelwork.core.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Gallery pictures for perception reports: the image, the heat map blended over it (a blue→red "jet" ramp between
 * {@code lo} and {@code hi}), and the true mask (white) with the predicted mask's outline (red, pixels above the
 * pixel threshold) — side by side, written as PNG atomically.
 */
public final class Overlays {
    private Overlays() { }

    /** Three panels (image | heat map over image | true mask with predicted outline) of side {@code s}. */
    public static BufferedImage panels(BufferedImage img, float[] map, boolean[] truth, double lo, double hi, double pixelThreshold) {
        int s = img.getWidth();
        BufferedImage out = new BufferedImage(3 * s, s, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) {
                int p = img.getRGB(x, y), i = y * s + x;
                out.setRGB(x, y, p);
                double v = hi > lo ? Math.max(0, Math.min(1, (map[i] - lo) / (hi - lo))) : 0;
                int heat = jet(v);
                out.setRGB(s + x, y, blend(p, heat, 0.45));
                boolean pred = map[i] > pixelThreshold;
                boolean edge = pred && (x == 0 || y == 0 || x == s - 1 || y == s - 1
                        || !(map[i - 1] > pixelThreshold && map[i + 1] > pixelThreshold && map[i - s] > pixelThreshold && map[i + s] > pixelThreshold));
                int base = truth != null && truth[i] ? 0xFFFFFF : 0x202020;
                out.setRGB(2 * s + x, y, edge ? 0xFF2020 : base);
            }
        return out;
    }

    /** PNG bytes of an image. */
    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bo);
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a PNG atomically; returns the path. */
    public static Path write(BufferedImage img, Path file) {
        AtomicFiles.write(file, png(img));
        return file;
    }

    static int jet(double v) {
        double r = clamp(1.5 - Math.abs(4 * v - 3)), g = clamp(1.5 - Math.abs(4 * v - 2)), b = clamp(1.5 - Math.abs(4 * v - 1));
        return ((int) (r * 255) << 16) | ((int) (g * 255) << 8) | (int) (b * 255);
    }

    private static double clamp(double v) { return Math.max(0, Math.min(1, v)); }

    private static int blend(int a, int b, double t) {
        int r = (int) (((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
        int g = (int) (((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
        int bl = (int) ((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return (r << 16) | (g << 8) | bl;
    }
}
