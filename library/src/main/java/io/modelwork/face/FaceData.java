package io.modelwork.face;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;
import io.modelwork.vision.ImageDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.Stream;

/** attach_dataset (identity folders, pairs file, profile and validation), prepare_data and split of the face category. */
final class FaceData {
    private FaceData() { }

    /** Natural order: digit runs compare as numbers (1.pgm &lt; 2.pgm &lt; 10.pgm; s2 &lt; s10). */
    static final Comparator<String> NATURAL = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i), y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i, sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
                while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
                int c = Long.compare(Long.parseLong(a.substring(si, Math.min(i, si + 18))), Long.parseLong(b.substring(sj, Math.min(j, sj + 18))));
                if (c != 0) return c;
            } else {
                if (x != y) return Character.compare(x, y);
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return Files.isRegularFile(p) && dot > 0 && ImageDataset.EXTENSIONS.contains(n.substring(dot + 1));
    }

    static List<Path> images(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(FaceData::isImage).sorted((x, y) -> NATURAL.compare(x.getFileName().toString(), y.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new ModelworkException("Cannot list the folder: " + e.getMessage(), dir.toString(), "check that it exists and is readable");
        }
    }

    /** Identity folders under {@code root}: sub-folder name → its images (natural order); only folders holding images. */
    static Map<String, List<Path>> identities(Path root) {
        Map<String, List<Path>> m = new TreeMap<>(NATURAL);
        try (Stream<Path> s = Files.list(root)) {
            for (Path d : s.filter(Files::isDirectory).toList()) {
                List<Path> im = images(d);
                if (!im.isEmpty()) m.put(d.getFileName().toString(), im);
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot list the dataset folder: " + e.getMessage(), root.toString(), "check the path");
        }
        return m;
    }

    static StepReport attach(FaceState s, Args a, StepContext ctx) {
        Path root = Path.of(a.requireString("path", "give path= (a folder with one sub-folder of images per person)")).toAbsolutePath().normalize();
        if (!Files.isDirectory(root))
            throw new ModelworkException("The face dataset must be a folder", root.toString(), "give a folder with one sub-folder of images per person (person_id = folder name)");
        Map<String, List<Path>> people = identities(root);
        int limit = a.getInt("identities", 0);
        if (limit > 0) {
            Map<String, List<Path>> cut = new TreeMap<>(NATURAL);
            for (var e : people.entrySet()) if (cut.size() < limit) cut.put(e.getKey(), e.getValue());
            people = cut;
        }
        List<Path> loose = images(root);
        if (people.isEmpty())
            throw new ModelworkException("No identity folders with images", root.toString(),
                    "put each person's images in a sub-folder named by the person (e.g. alice/1.jpg, bob/1.jpg); "
                            + (loose.isEmpty() ? "" : "the " + loose.size() + " loose images are used for detection only"));
        s.root = root;
        s.photos = null;
        if (a.has("photos")) {
            Path ph = Path.of(a.getString("photos", null)).toAbsolutePath().normalize();
            if (!Files.isDirectory(ph) || images(ph).isEmpty())
                throw new ModelworkException("photos= must be a folder of images", ph.toString(),
                        "give a folder of (group) photos: evaluate finds every face in them and names it from the gallery");
            s.photos = ph;
        }
        s.people.clear();
        s.people.putAll(people);
        s.threads = ctx.run().threads();
        // pairs file
        List<String[]> pairs = new ArrayList<>();
        if (a.has("pairs")) pairs = pairs(Path.of(a.getString("pairs", null)), root);
        s.pairs = pairs;
        // profile + validation
        StepReport r = new StepReport("attach_dataset", "Faces: " + root.getFileName());
        ObjectNode b = r.body();
        int images = people.values().stream().mapToInt(List::size).sum();
        b.put("path", root.toString()).put("identities", people.size()).put("images", images).put("pairs", pairs.size())
                .put("detection_only_images", loose.size()).put("photos", s.photos == null ? 0 : images(s.photos).size());
        ArrayNode problems = b.putArray("problems");
        Map<String, List<String>> byHash = new LinkedHashMap<>();
        StringBuilder fp = new StringBuilder();
        for (var e : people.entrySet())
            for (Path f : e.getValue()) {
                try {
                    String h = AtomicFiles.sha256(f);
                    fp.append(h);
                    byHash.computeIfAbsent(h, k -> new ArrayList<>()).add(e.getKey() + "/" + f.getFileName());
                } catch (IOException ex) {
                    problems.addObject().put("kind", "unreadable").put("file", f.toString()).put("message", ex.getMessage());
                }
            }
        s.fingerprint = Integer.toHexString(fp.toString().hashCode());
        for (List<String> same : byHash.values()) {
            if (same.size() < 2) continue;
            Set<String> ids = new TreeSet<>();
            same.forEach(x -> ids.add(x.substring(0, x.indexOf('/'))));
            problems.addObject().put("kind", ids.size() > 1 ? "duplicate_across_identities" : "duplicate").put("file", String.join(", ", same))
                    .put("message", ids.size() > 1 ? "the same image is filed under " + ids.size() + " identities " + ids : "the same image twice");
        }
        if (a.getBool("detect", true)) FaceProfile.profile(s, r, problems, a.getDouble("min_score", s.minScore));
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("identities", people.size());
        kv.put("images", images);
        IntSummaryStatistics per = people.values().stream().mapToInt(List::size).summaryStatistics();
        kv.put("images per identity", per.getMin() + "–" + per.getMax() + " (mean " + String.format(Locale.ROOT, "%.1f", per.getAverage()) + ")");
        kv.put("pairs", pairs.size());
        kv.put("detection-only images (loose in the folder)", loose.size());
        b.put("images_per_identity_min", per.getMin()).put("images_per_identity_max", per.getMax());
        r.table(Tables.keyValues("Dataset", kv));
        if (problems.size() > 0) r.note("validation found " + problems.size() + " problem(s): see problems (no face / several faces / tiny faces / duplicates are named)");
        return r;
    }

    /**
     * An LFW-style pairs file: an optional header line ("10 300"), then {@code name i j} (same person) or
     * {@code name1 i name2 j} (different); image i of a person is its i-th image in natural order (1-based), or the file
     * named {@code name_%04d} / {@code i} when present.
     */
    static List<String[]> pairs(Path file, Path root) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the pairs file: " + e.getMessage(), file.toString(), "check the path");
        }
        List<String[]> out = new ArrayList<>();
        int no = 0;
        for (String line : lines) {
            no++;
            String[] t = line.trim().split("\\s+");
            if (line.isBlank() || (no == 1 && t.length == 2 && t[0].matches("\\d+") && t[1].matches("\\d+"))) continue;
            try {
                if (t.length == 3) out.add(new String[]{image(root, t[0], t[1]).toString(), image(root, t[0], t[2]).toString(), "same"});
                else if (t.length == 4) out.add(new String[]{image(root, t[0], t[1]).toString(), image(root, t[2], t[3]).toString(), "different"});
                else throw new IllegalArgumentException("expected 'name i j' or 'name1 i name2 j'");
            } catch (RuntimeException e) {
                throw new ModelworkException("Bad pairs line " + no + ": " + e.getMessage(), file + ":" + no,
                        "each line is 'name i j' (same person) or 'name1 i name2 j' (different), i 1-based");
            }
        }
        return out;
    }

    private static Path image(Path root, String name, String idx) {
        Path dir = root.resolve(name);
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("no folder " + name);
        List<Path> im = images(dir);
        int i = Integer.parseInt(idx);
        for (Path p : im) {
            String base = p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            if (base.equals(String.format(Locale.ROOT, "%s_%04d", name, i))) return p;
        }
        if (i < 1 || i > im.size()) throw new IllegalArgumentException(name + " has " + im.size() + " images, no image " + i);
        return im.get(i - 1);
    }

    static StepReport prepare(FaceState s, Args a, StepContext ctx) {
        s.minScore = (float) a.getDouble("min_score", 0.7);
        s.align = a.getBool("align", true);
        s.flip = a.getBool("flip", true);
        s.cropFallback = a.getBool("crop_fallback", true);
        s.minFace = a.getInt("min_face", 20);
        if (s.pipeline != null) {
            s.pipeline.minScore = s.minScore;
            s.pipeline.align = s.align;
            s.pipeline.flip = s.flip;
            s.pipeline.cropFallback = s.cropFallback;
            s.pipeline.minFace = s.minFace;
        }
        s.pipelineChanged();
        StepReport r = new StepReport("prepare_data", "Face detection and alignment settings");
        r.body().put("min_score", s.minScore).put("align", s.align).put("flip", s.flip).put("crop_fallback", s.cropFallback).put("min_face", s.minFace);
        r.table(Tables.keyValues("Preparation", Map.of("detector score ≥", s.minScore, "alignment", s.align ? "ArcFace 112×112 template" : "off",
                "flip averaging", s.flip, "no face found", s.cropFallback ? "retry padded, then take the image as a face crop (named warning)" : "image left out (named)",
                "tiny face warning below", s.minFace + " px")));
        return r;
    }

    static StepReport split(FaceState s, Args a, StepContext ctx) {
        if (s.people.isEmpty()) throw new ModelworkException("No dataset attached", "split", "run attach_dataset first");
        double val = a.getDouble("validation", 0.3);
        s.gallery = a.getInt("gallery", 5);
        List<String> ids = new ArrayList<>(s.people.keySet());
        Collections.shuffle(ids, new Random(ctx.run().seed()));
        int nVal = (int) Math.round(val * ids.size());
        if (ids.size() - nVal < 2)
            throw new ModelworkException("Too few identities left for evaluation (" + (ids.size() - nVal) + ")", "split validation=" + val,
                    "lower validation= or attach more people");
        List<String> v = new ArrayList<>(ids.subList(0, nVal)), t = new ArrayList<>(ids.subList(nVal, ids.size()));
        v.sort(NATURAL);
        t.sort(NATURAL);
        s.validationIds = v;
        s.testIds = t;
        s.trainIds = List.of();
        List<String> noProbe = new ArrayList<>();
        int g = 0, p = 0;
        for (String id : t) {
            var gp = s.galleryProbes(id);
            g += gp.get(0).size();
            p += gp.get(1).size();
            if (gp.get(1).isEmpty()) noProbe.add(id);
        }
        StepReport r = new StepReport("split", "Split by identity: " + v.size() + " validation, " + t.size() + " evaluation people");
        r.body().put("validation_identities", v.size()).put("evaluation_identities", t.size()).put("gallery", s.gallery)
                .put("gallery_images", g).put("probe_images", p);
        r.body().set("validation_ids", FaceState.strings(v));
        r.table(Tables.keyValues("Split (a person is never in two sets)", Map.of("validation people (calibrate)", v.size(),
                "evaluation people", t.size(), "gallery images (first " + s.gallery + " per person, natural name order)", g, "probe images", p)));
        r.note("the embedding network is pretrained and not fine-tuned: no training identities are needed");
        if (!noProbe.isEmpty()) r.note("no probe image left for " + noProbe + " (gallery=" + s.gallery + " takes them all)");
        return r;
    }
}
