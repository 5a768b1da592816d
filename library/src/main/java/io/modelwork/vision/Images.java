package io.modelwork.vision;

import io.modelwork.core.ModelworkException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Image decoding for every perception category. Decodes with {@code javax.imageio} (the TwelveMonkeys JPEG plugin
 * registers itself for CMYK/YCCK and damaged-but-readable JPEGs), then normalises to 8-bit RGB: grayscale becomes 3
 * equal channels, 16-bit samples are scaled to 8 bits ({@code v >> 8}), alpha is dropped, and the JPEG EXIF
 * orientation (tag 0x0112) is applied. The EXIF reader is a 40-line APP1 scan (the orientation tag only): the
 * metadata plugins would be a heavier dependency for one field.
 */
public final class Images {
    /** Images above this many pixels are refused before decoding (a 10,000 × 10,000 image would need 400 MB). */
    public static final long MAX_PIXELS = 60_000_000L;

    private Images() { }

    /** A decoded image: 8-bit RGB, with what the file had. */
    public record Decoded(BufferedImage rgb, int width, int height, int channels, int bitDepth, String format) { }

    /** Width and height read from the header only (no decode); an error when unreadable. */
    public static int[] size(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader r = reader(in, file);
            try {
                r.setInput(in, true, true);
                return new int[]{r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelworkException m) throw m;
            throw unreadable(file, e);
        }
    }

    /** Decodes {@code file}; an unreadable, truncated or non-image file is a {@link ModelworkException} naming it. */
    public static Decoded read(Path file) {
        BufferedImage img;
        String format;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw unreadable(file, null);
            ImageReader r = reader(in, file);
            try {
                r.setInput(in, true, true);
                long px = (long) r.getWidth(0) * r.getHeight(0);
                if (px > MAX_PIXELS)
                    throw new ModelworkException("Image is too large to decode: " + r.getWidth(0) + "×" + r.getHeight(0)
                            + " pixels (limit " + MAX_PIXELS + ")", file.toString(), "downscale it first, or leave it out of the dataset");
                format = r.getFormatName().toLowerCase(java.util.Locale.ROOT);
                img = r.read(0);
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelworkException m) throw m;
            throw unreadable(file, e);
        }
        if (img == null) throw unreadable(file, null);
        Raster ras = img.getRaster();
        int bands = ras.getNumBands();
        int bits = ras.getSampleModel().getSampleSize(0);
        int w = img.getWidth(), h = img.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        boolean indexed = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (!indexed && bands <= 2) {
            int[] row = new int[w];
            int shift = Math.max(0, bits - 8);
            for (int y = 0; y < h; y++) {
                ras.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = Math.min(255, row[x] >> shift);
                    row[x] = (v << 16) | (v << 8) | v;
                }
                rgb.setRGB(0, y, w, 1, row, 0, w);
            }
        } else if (!indexed && bits > 8 && bands >= 3) {
            int[] px = new int[bands];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    ras.getPixel(x, y, px);
                    rgb.setRGB(x, y, ((px[0] >> (bits - 8)) << 16) | ((px[1] >> (bits - 8)) << 8) | (px[2] >> (bits - 8)));
                }
        } else {
            Graphics2D g = rgb.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
        }
        int channels = indexed ? 3 : (bands <= 2 ? 1 : 3);
        if (format.contains("jpeg") || format.contains("jpg")) rgb = orient(rgb, exifOrientation(file));
        return new Decoded(rgb, w, h, channels, bits, format);
    }

    private static ImageReader reader(ImageInputStream in, Path file) {
        if (in == null) throw unreadable(file, null);
        Iterator<ImageReader> it = ImageIO.getImageReaders(in);
        if (!it.hasNext())
            throw new ModelworkException("Not an image file (no decoder recognises its content)", file.toString(),
                    "remove it or replace it with a PNG/JPEG/BMP/TIFF/GIF image (its name ends in ."
                            + ext(file) + " but the bytes are not that format)");
        return it.next();
    }

    private static String ext(Path f) {
        String n = f.getFileName().toString();
        int i = n.lastIndexOf('.');
        return i < 0 ? "" : n.substring(i + 1);
    }

    private static ModelworkException unreadable(Path file, Exception e) {
        return new ModelworkException("Cannot decode the image" + (e == null || e.getMessage() == null ? "" : ": " + e.getMessage()),
                file.toString(), "the file is corrupt or truncated: replace or remove it");
    }

    /** Bilinear resize to {@code w}×{@code h}, halving first while the image is more than twice the target. */
    public static BufferedImage resize(BufferedImage src, int w, int h) {
        BufferedImage cur = src;
        while (cur.getWidth() >= 2 * w && cur.getHeight() >= 2 * h) cur = draw(cur, cur.getWidth() / 2, cur.getHeight() / 2, true);
        return cur.getWidth() == w && cur.getHeight() == h ? cur : draw(cur, w, h, true);
    }

    /** Nearest-neighbour resize (for masks). */
    public static BufferedImage resizeNearest(BufferedImage src, int w, int h) { return draw(src, w, h, false); }

    private static BufferedImage draw(BufferedImage src, int w, int h, boolean bilinear) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, bilinear
                ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** Applies an EXIF orientation (1..8: flips, transposes, rotations by 90°) to an image. */
    static BufferedImage orient(BufferedImage img, int o) {
        if (o <= 1 || o > 8) return img;
        int w = img.getWidth(), h = img.getHeight();
        boolean swap = o >= 5;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int dx, dy;
                switch (o) {
                    case 2 -> { dx = w - 1 - x; dy = y; }
                    case 3 -> { dx = w - 1 - x; dy = h - 1 - y; }
                    case 4 -> { dx = x; dy = h - 1 - y; }
                    case 5 -> { dx = y; dy = x; }
                    case 6 -> { dx = h - 1 - y; dy = x; }
                    case 7 -> { dx = h - 1 - y; dy = w - 1 - x; }
                    default -> { dx = y; dy = w - 1 - x; }
                }
                out.setRGB(dx, dy, img.getRGB(x, y));
            }
        return out;
    }

    /** The EXIF orientation of a JPEG (1 when absent or unreadable). */
    static int exifOrientation(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(65536 + 4);
            int i = 2;
            if (head.length < 4 || (head[0] & 0xff) != 0xFF || (head[1] & 0xff) != 0xD8) return 1;
            while (i + 4 < head.length && (head[i] & 0xff) == 0xFF) {
                int marker = head[i + 1] & 0xff, len = ((head[i + 2] & 0xff) << 8) | (head[i + 3] & 0xff);
                if (marker == 0xE1 && i + 10 < head.length && new String(head, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("Exif")) {
                    int t = i + 10; // TIFF header
                    boolean le = head[t] == 'I';
                    int ifd = t + u32(head, t + 4, le);
                    int n = u16(head, ifd, le);
                    for (int k = 0; k < n; k++) {
                        int e = ifd + 2 + 12 * k;
                        if (e + 12 > head.length) break;
                        if (u16(head, e, le) == 0x0112) return u16(head, e + 8, le);
                    }
                    return 1;
                }
                if (marker == 0xDA) break;
                i += 2 + len;
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
        return 1;
    }

    private static int u16(byte[] b, int i, boolean le) {
        return le ? (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) : ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static int u32(byte[] b, int i, boolean le) {
        return le ? u16(b, i, true) | (u16(b, i + 2, true) << 16) : (u16(b, i, false) << 16) | u16(b, i + 2, false);
    }
}
