package io.modelwork.face;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.*;

/**
 * The face profile of an attached dataset (YuNet on every image): faces per image and per identity, face sizes, and
 * the validation problems named by file — unreadable or corrupt images (left out), no face, more than one face in an
 * identity folder, faces under the tiny-face size — plus the faces found on loose (detection-only) images.
 */
final class FaceProfile {
    static final int TINY = 20;

    private FaceProfile() { }

    static void profile(FaceState s, StepReport r, ArrayNode problems, double minScore) {
        List<Float> sizes = new ArrayList<>();
        int none = 0, several = 0, tiny = 0, gray = 0;
        ObjectNode perId = r.body().putObject("faces_per_identity");
        try (YuNet y = YuNet.load(s.maxSide, s.threads)) {
            for (var e : s.people.entrySet()) {
                int found = 0;
                List<Path> ok = new ArrayList<>();
                for (Path f : e.getValue()) {
                    BufferedImage img;
                    try {
                        img = FacePipeline.read(f);
                    } catch (ModelworkException ex) {
                        problems.addObject().put("kind", "unreadable").put("file", s.root.relativize(f).toString()).put("message", ex.getMessage());
                        continue;
                    }
                    ok.add(f);
                    if (isGray(img)) gray++;
                    List<Face> faces = y.detect(img, (float) minScore);
                    if (faces.isEmpty()) faces = y.detect(FacePipeline.pad(img, img.getWidth() / 2, img.getHeight() / 2), (float) minScore);
                    String rel = s.root.relativize(f).toString();
                    if (faces.isEmpty()) {
                        none++;
                        problems.addObject().put("kind", "no_face").put("file", rel)
                                .put("message", "no face found" + (s.cropFallback ? " — will be taken as an already-cropped face (prepare_data crop_fallback=false leaves it out)" : ""));
                    } else {
                        found++;
                        if (faces.size() > 1) {
                            several++;
                            problems.addObject().put("kind", "several_faces").put("file", rel)
                                    .put("message", faces.size() + " faces in an identity image: the highest-scoring one is used");
                        }
                        float size = faces.get(0).size();
                        sizes.add(size);
                        if (size < TINY) {
                            tiny++;
                            problems.addObject().put("kind", "tiny_face").put("file", rel)
                                    .put("message", String.format(Locale.ROOT, "face of %.0f px (< %d px): embeddings of tiny faces are unreliable", size, TINY));
                        }
                    }
                }
                e.setValue(ok);
                perId.put(e.getKey(), found);
            }
        }
        s.people.values().removeIf(List::isEmpty);
        Collections.sort(sizes);
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("images with one face or more", sizes.size());
        kv.put("no face", none);
        kv.put("several faces", several);
        kv.put("tiny faces (< " + TINY + " px)", tiny);
        kv.put("grayscale images", gray);
        if (!sizes.isEmpty())
            kv.put("face size px (min / median / max)", String.format(Locale.ROOT, "%.0f / %.0f / %.0f", sizes.get(0), sizes.get(sizes.size() / 2), sizes.get(sizes.size() - 1)));
        r.body().put("no_face", none).put("several_faces", several).put("tiny_faces", tiny).put("grayscale_images", gray);
        if (!sizes.isEmpty()) r.body().put("face_size_median", sizes.get(sizes.size() / 2));
        r.table(Tables.keyValues("Face profile (YuNet, score ≥ " + minScore + ")", kv));
        if (gray > 0) r.note(gray + " grayscale images: read as three equal channels (the embeddings are trained on colour faces)");
    }

    static boolean isGray(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        for (int y = 0; y < h; y += Math.max(1, h / 16))
            for (int x = 0; x < w; x += Math.max(1, w / 16)) {
                int p = img.getRGB(x, y);
                if (((p >> 16) & 0xff) != (p & 0xff) || ((p >> 8) & 0xff) != (p & 0xff)) return false;
            }
        return true;
    }
}
