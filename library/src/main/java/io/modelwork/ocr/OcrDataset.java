package io.modelwork.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * An OCR dataset: images with their reference text and optional line/word boxes. Layouts: a folder with
 * {@code <name>.gt.txt} beside each image (or {@code <prefix>.gt.txt} shared by {@code <prefix>_<variant>.<ext>}, the
 * layout of {@code ../shared/data/ocr/synthetic-lines}), or {@code labels=FILE}, a TSV {@code file<TAB>text}. Boxes:
 * Tesseract {@code .box} files beside the images (character boxes, bottom-left origin; one line box per line as their
 * union) or {@code boxes=FILE}, a JSON {@code {"file": [[x0,y0,x1,y1,x2,y2,x3,y3], …]}}. The document of an image
 * (what split keeps together) is the ground-truth file it reads.
 */
final class OcrDataset {
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp", "gif", "webp");

    /** One image: its id (file name), path, document, reference text (null = none) and boxes (null = none). */
    record Item(String id, Path image, String document, String text, List<double[]> boxes) { }

    final Path root;
    final List<Item> items;
    /** id → why it was left out or how its text was read (unreadable, empty, no ground truth, decoded as …) */
    final Map<String, String> notes;

    OcrDataset(Path root, List<Item> items, Map<String, String> notes) {
        this.root = root;
        this.items = items;
        this.notes = notes;
    }

    Item byId(String id) {
        for (Item i : items) if (i.id().equals(id)) return i;
        throw new ModelworkException("No image '" + id + "' in the dataset", "ocr dataset", "attach the dataset again");
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
    }

    static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Reads a folder (+ optional labels TSV and boxes JSON); {@code include} limits the images by stem (may be empty). */
    static OcrDataset read(Path root, Path labels, Path boxesJson, List<String> include) {
        if (!Files.isDirectory(root))
            throw new ModelworkException("The OCR dataset folder does not exist", String.valueOf(root),
                    "give path= a folder of images with <name>.gt.txt beside each (or labels= a TSV file<TAB>text)");
        List<Path> images;
        try (var s = Files.list(root)) {
            images = s.filter(Files::isRegularFile).filter(OcrDataset::isImage).sorted().toList();
        } catch (IOException e) {
            throw new ModelworkException("Cannot list the dataset folder: " + e.getMessage(), root.toString(), "check its permissions");
        }
        if (!include.isEmpty()) {
            Set<String> want = new HashSet<>(include);
            images = images.stream().filter(p -> want.contains(stem(p.getFileName().toString())) || want.contains(p.getFileName().toString())).toList();
        }
        if (images.isEmpty())
            throw new ModelworkException("No images in the dataset folder", root.toString(),
                    "put PNG/JPEG/TIFF/BMP images there" + (include.isEmpty() ? "" : " (include= matched none)"));
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, String> tsv = labels == null ? Map.of() : readLabels(labels);
        Map<String, List<double[]>> jsonBoxes = boxesJson == null ? Map.of() : readBoxes(boxesJson);
        List<Item> items = new ArrayList<>();
        for (Path img : images) {
            String name = img.getFileName().toString(), st = stem(name);
            String text = null, doc = st;
            if (labels != null) {
                text = tsv.containsKey(name) ? tsv.get(name) : tsv.get(st);
            } else {
                Path gt = root.resolve(st + ".gt.txt");
                if (!Files.isRegularFile(gt) && st.contains("_")) gt = root.resolve(st.substring(0, st.lastIndexOf('_')) + ".gt.txt");
                if (Files.isRegularFile(gt)) {
                    doc = stem(stem(gt.getFileName().toString()));
                    text = readText(gt, name, notes);
                }
            }
            if (text == null) notes.putIfAbsent(name, "no ground truth (read, not scored)");
            List<double[]> boxes = jsonBoxes.containsKey(name) ? jsonBoxes.get(name) : jsonBoxes.get(st);
            Path box = root.resolve(st + ".box");
            if (boxes == null && Files.isRegularFile(box)) boxes = tesseractBoxes(box, img);
            items.add(new Item(name, img, doc, text, boxes));
        }
        return new OcrDataset(root, items, notes);
    }

    /**
     * A text file as UTF-8 (a UTF-8 or UTF-16 byte-order mark is honoured); a file that is not valid UTF-8 is read as
     * windows-1252 and noted. Trailing newlines are removed.
     */
    static String readText(Path f, String id, Map<String, String> notes) {
        byte[] b;
        try {
            b = Files.readAllBytes(f);
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the ground truth: " + e.getMessage(), f.toString(), "check its permissions");
        }
        String s;
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) s = new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
        else if (b.length >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) s = new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
        else {
            int off = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
            try {
                s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, b.length - off)).toString();
            } catch (CharacterCodingException e) {
                s = new String(b, Charset.forName("windows-1252"));
                notes.put(id, "ground truth " + f.getFileName() + " is not UTF-8: read as windows-1252");
            }
        }
        return s.replaceAll("[\\r\\n]+$", "").replace("\r\n", "\n");
    }

    private static Map<String, String> readLabels(Path f) {
        if (!Files.isRegularFile(f))
            throw new ModelworkException("The labels file does not exist", f.toString(), "give labels= a TSV file<TAB>text");
        Map<String, String> m = new LinkedHashMap<>();
        String all = readText(f, f.getFileName().toString(), new HashMap<>());
        int n = 0;
        for (String line : all.split("\n")) {
            n++;
            if (line.isBlank()) continue;
            int tab = line.indexOf('\t');
            if (tab < 0)
                throw new ModelworkException("Line " + n + " of the labels file has no tab", f.toString(), "write file<TAB>text on each line");
            m.put(line.substring(0, tab).trim(), line.substring(tab + 1).replace("\\n", "\n"));
        }
        return m;
    }

    private static Map<String, List<double[]>> readBoxes(Path f) {
        Map<String, List<double[]>> m = new LinkedHashMap<>();
        try {
            JsonNode o = Json.MAPPER.readTree(f.toFile());
            o.fields().forEachRemaining(e -> {
                List<double[]> l = new ArrayList<>();
                for (JsonNode q : e.getValue()) {
                    if (q.size() != 8) throw new IllegalArgumentException("a box of " + e.getKey() + " has " + q.size() + " numbers");
                    double[] d = new double[8];
                    for (int k = 0; k < 8; k++) d[k] = q.get(k).asDouble();
                    l.add(d);
                }
                m.put(e.getKey(), l);
            });
        } catch (IOException | RuntimeException e) {
            throw new ModelworkException("Cannot read the boxes file: " + e.getMessage(), f.toString(),
                    "write a JSON object {\"file\": [[x0,y0,x1,y1,x2,y2,x3,y3], …]} (clockwise from top-left)");
        }
        return m;
    }

    /** Line boxes from a Tesseract character .box file: characters grouped into lines where x goes back or a tab marks the end. */
    static List<double[]> tesseractBoxes(Path box, Path img) {
        int h;
        try {
            h = io.modelwork.vision.Images.size(img)[1];
        } catch (RuntimeException e) {
            return null;
        }
        List<double[]> out = new ArrayList<>();
        double[] cur = null;
        double lastX = -1;
        try {
            for (String line : Files.readAllLines(box, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) continue;
                int n = f.length;
                double x1 = Double.parseDouble(f[n - 5]), y1 = Double.parseDouble(f[n - 4]);
                double x2 = Double.parseDouble(f[n - 3]), y2 = Double.parseDouble(f[n - 2]);
                boolean end = f[0].equals("\t") || line.startsWith("\t");
                if (cur != null && (end || x1 < lastX)) { out.add(cur); cur = null; }
                if (end) continue;
                double top = h - y2, bottom = h - y1;
                if (cur == null) cur = new double[]{x1, top, x2, bottom};
                else cur = new double[]{Math.min(cur[0], x1), Math.min(cur[1], top), Math.max(cur[2], x2), Math.max(cur[3], bottom)};
                lastX = x1;
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (cur != null) out.add(cur);
        List<double[]> quads = new ArrayList<>();
        for (double[] r : out) quads.add(new double[]{r[0], r[1], r[2], r[1], r[2], r[3], r[0], r[3]});
        return quads;
    }

    ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("root", root.toString());
        ArrayNode a = o.putArray("items");
        for (Item i : items) {
            ObjectNode x = a.addObject();
            x.put("id", i.id()).put("image", i.image().toString()).put("document", i.document());
            if (i.text() != null) x.put("text", i.text());
            if (i.boxes() != null) {
                ArrayNode b = x.putArray("boxes");
                for (double[] q : i.boxes()) { ArrayNode qa = b.addArray(); for (double v : q) qa.add(v); }
            }
        }
        ObjectNode n = o.putObject("notes");
        notes.forEach(n::put);
        return o;
    }

    static OcrDataset fromJson(JsonNode o) {
        List<Item> items = new ArrayList<>();
        for (JsonNode x : o.get("items")) {
            List<double[]> boxes = null;
            if (x.has("boxes")) {
                boxes = new ArrayList<>();
                for (JsonNode q : x.get("boxes")) { double[] d = new double[q.size()]; for (int k = 0; k < d.length; k++) d[k] = q.get(k).asDouble(); boxes.add(d); }
            }
            items.add(new Item(x.get("id").asText(), Path.of(x.get("image").asText()), x.get("document").asText(),
                    x.hasNonNull("text") ? x.get("text").asText() : null, boxes));
        }
        Map<String, String> notes = new LinkedHashMap<>();
        o.path("notes").fields().forEachRemaining(e -> notes.put(e.getKey(), e.getValue().asText()));
        return new OcrDataset(Path.of(o.get("root").asText()), items, notes);
    }
}
