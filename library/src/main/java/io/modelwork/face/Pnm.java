package io.modelwork.face;

import io.modelwork.core.ModelworkException;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A binary/ASCII PGM and binary PPM reader (P2, P5, P6; 8- or 16-bit). Hand-written because Java's ImageIO has no PNM
 * plugin and TwelveMonkeys' {@code imageio-pnm} is not served by the Maven repository this project builds from;
 * {@link io.modelwork.vision.Images#read} rejects AT&T/ORL's PGM files. Replace by that plugin when it can be added.
 */
final class Pnm {
    private Pnm() { }

    static boolean is(byte[] b) { return b.length > 2 && b[0] == 'P' && (b[1] == '2' || b[1] == '5' || b[1] == '6'); }

    static BufferedImage read(Path file) {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the image: " + e.getMessage(), file.toString(), "check that it exists and is readable");
        }
        try {
            int[] pos = {2};
            int w = next(b, pos), h = next(b, pos), max = next(b, pos);
            if (w <= 0 || h <= 0 || max <= 0 || max > 65535 || (long) w * h > 60_000_000L) throw new IllegalArgumentException("bad header");
            pos[0]++; // the single whitespace after maxval
            char kind = (char) b[1];
            int ch = kind == '6' ? 3 : 1, bytes = max > 255 ? 2 : 1;
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int[] px = new int[w * h];
            for (int i = 0; i < w * h; i++) {
                int[] v = new int[ch];
                for (int c = 0; c < ch; c++) {
                    int s;
                    if (kind == '2') s = next(b, pos);
                    else if (bytes == 2) { s = ((b[pos[0]] & 0xff) << 8) | (b[pos[0] + 1] & 0xff); pos[0] += 2; }
                    else s = b[pos[0]++] & 0xff;
                    v[c] = Math.min(255, s * 255 / max);
                }
                px[i] = ch == 1 ? (v[0] << 16) | (v[0] << 8) | v[0] : (v[0] << 16) | (v[1] << 8) | v[2];
            }
            img.setRGB(0, 0, w, h, px, 0, w);
            return img;
        } catch (RuntimeException e) {
            throw new ModelworkException("Corrupt or truncated PGM/PPM image (" + e.getClass().getSimpleName() + ")", file.toString(),
                    "replace or remove the file");
        }
    }

    private static int next(byte[] b, int[] pos) {
        int i = pos[0];
        while (true) {
            while (Character.isWhitespace(b[i])) i++;
            if (b[i] == '#') { while (b[i] != '\n') i++; } else break;
        }
        int v = 0;
        if (!Character.isDigit(b[i])) throw new IllegalArgumentException("not a number");
        while (i < b.length && Character.isDigit(b[i])) v = v * 10 + (b[i++] - '0');
        pos[0] = i;
        return v;
    }
}
