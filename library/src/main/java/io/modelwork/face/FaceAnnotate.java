package io.modelwork.face;

import io.modelwork.report.GalleryItem;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every face of a photo named from the enrolled gallery (open set): each detected face is aligned and embedded as the
 * gallery was, compared with every identity template by cosine, and named by the best one when its score reaches the
 * threshold (calibrated, else evaluate's FAR 1 % point), else "unknown"; the photo is drawn with the boxes, five
 * landmarks and names — what evaluate shows for loose images and {@code photos=}.
 */
public final class FaceAnnotate {
    private FaceAnnotate() {}

    /** Drawn photos are written at most this wide/high (a notebook gallery, not an archive). */
    public static final int MAX_SIDE = 960;

    /** A face found in a photo and the name given to it ("unknown" below the threshold). */
    public record Named(Face face, String name, double score) { }

    /** The faces of {@code rgb}, largest first as the detector orders them, each named. */
    public static List<Named> identify(FaceState s, BufferedImage rgb, double threshold) {
        s.ensureFitted("identify");
        List<Face> faces = s.pipeline.faces(rgb);
        List<FacePipeline.Result> crops = new ArrayList<>();
        for (Face f : faces) crops.add(new FacePipeline.Result(f, FacePipeline.Source.DETECTED, s.pipeline.align(rgb, f.landmarks()), faces.size()));
        float[][] emb = crops.isEmpty() ? new float[0][] : s.pipeline.embed(crops);
        List<Named> out = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            var best = FaceMetrics.best(s.templates, emb[i]);
            out.add(new Named(faces.get(i), best.getValue() >= threshold ? best.getKey() : "unknown", best.getValue()));
        }
        return out;
    }

    /** A copy of {@code rgb} with each face's box, landmarks and name (green: named, orange: unknown). */
    public static BufferedImage draw(BufferedImage rgb, List<Named> named) {
        BufferedImage out = new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(rgb, 0, 0, null);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        float line = Math.max(2f, rgb.getWidth() / 400f);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, rgb.getWidth() / 60)));
        for (Named n : named) {
            Face f = n.face();
            g.setColor(n.name().equals("unknown") ? new Color(255, 140, 0) : new Color(40, 200, 60));
            g.setStroke(new BasicStroke(line));
            g.drawRect(Math.round(f.x()), Math.round(f.y()), Math.round(f.w()), Math.round(f.h()));
            for (int k = 0; k < 5; k++) g.fillOval(Math.round(f.landmarks()[2 * k] - line), Math.round(f.landmarks()[2 * k + 1] - line), Math.round(2 * line), Math.round(2 * line));
            String label = n.name() + String.format(Locale.ROOT, " %.2f", n.score());
            int ty = Math.max(g.getFontMetrics().getAscent(), Math.round(f.y()) - 4);
            g.drawString(label, Math.round(f.x()), ty);
        }
        g.dispose();
        return out;
    }

    /** Gallery items for {@code photos}: each drawn photo (written atomically under {@code dir}) with its names. */
    static List<GalleryItem> gallery(FaceState s, List<Path> photos, double threshold, Path dir, Map<String, List<String>> names) {
        List<GalleryItem> items = new ArrayList<>();
        for (Path p : photos) {
            BufferedImage rgb;
            try {
                rgb = FacePipeline.read(p);
            } catch (RuntimeException e) {
                continue;   // named unreadable at attach
            }
            List<Named> found = identify(s, rgb, threshold);
            List<String> who = new ArrayList<>();
            for (Named n : found) who.add(n.name());
            names.put(p.getFileName().toString(), who);
            String media = write(draw(rgb, found), dir, "photo-" + p.getFileName().toString().replaceAll("\\.[^.]+$", ""));
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("faces", String.valueOf(found.size()));
            fields.put("named", String.valueOf(who.stream().filter(w -> !w.equals("unknown")).count()));
            items.add(new GalleryItem(p.getFileName().toString(), "faces found and named", String.join(", ", who), found.size(), fields,
                    media, media == null ? null : "image/png"));
        }
        return items;
    }

    private static String write(BufferedImage full, Path dir, String name) {
        try {
            double k = Math.min(1.0, (double) MAX_SIDE / Math.max(full.getWidth(), full.getHeight()));
            BufferedImage img = k < 1 ? io.modelwork.vision.Images.resize(full, (int) Math.round(full.getWidth() * k),
                    (int) Math.round(full.getHeight() * k)) : full;
            Files.createDirectories(dir);
            return io.modelwork.vision.Overlays.write(img, dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png")).toString();
        } catch (IOException | RuntimeException e) {
            return null;   // a gallery picture that cannot be written leaves the item without media, not the step failed
        }
    }
}
