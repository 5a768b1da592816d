package io.modelwork.vision;

import io.modelwork.core.AtomicFiles;
import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.*;
import java.util.stream.Stream;

/**
 * A set of labelled images in one of three layouts:
 * <ul>
 *   <li>{@code mvtec}: {@code train/good/*}, {@code test/<class>/*}, masks {@code ground_truth/<class>/<stem>_mask.png}
 *       (the layout of MVTec AD and of the shared magnetic-tile set);</li>
 *   <li>{@code folder}: images directly in the folder (label {@code good}), or one sub-folder per label;</li>
 *   <li>{@code csv}: a manifest with columns {@code path,label[,mask]} (header optional; relative paths are relative to
 *       the manifest; a {@code split} column with train/test is honoured when present).</li>
 * </ul>
 * Items are sorted by path, so the order (and everything seeded from it) is stable across machines.
 */
public final class ImageDataset {
    /** Image file name extensions taken from folders. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "pgm", "ppm", "pnm", "webp");
    /** The label of normal images. */
    public static final String NORMAL = "good";

    /** One image: its file, {@code train} or {@code test} (empty when the layout does not say), label, mask or null. */
    public record Item(Path path, String split, String label, Path mask) {
        public boolean normal() { return NORMAL.equals(label); }
        public String name() { return path.getFileName().toString(); }
    }

    private final Path root;
    private final String kind;
    private final List<Item> items;

    private ImageDataset(Path root, String kind, List<Item> items) {
        this.root = root;
        this.kind = kind;
        this.items = List.copyOf(items);
    }

    public Path root() { return root; }
    public String kind() { return kind; }
    public List<Item> items() { return items; }

    /**
     * At most {@code perGroup} items of each (split, label), evenly spaced in name order (0 = all): a fast,
     * deterministic sample of a large folder (its fingerprint covers only the sampled files).
     */
    public ImageDataset sample(int perGroup) {
        if (perGroup <= 0) return this;
        Map<String, List<Item>> by = new LinkedHashMap<>();
        for (Item it : items) by.computeIfAbsent(it.split() + "/" + it.label(), k -> new ArrayList<>()).add(it);
        List<Item> out = new ArrayList<>();
        for (List<Item> g : by.values()) {
            if (g.size() <= perGroup) { out.addAll(g); continue; }
            for (int i = 0; i < perGroup; i++) out.add(g.get((int) ((long) i * g.size() / perGroup)));
        }
        out.sort(Comparator.comparing(it -> it.path().toString()));
        return new ImageDataset(root, kind, out);
    }

    /** Items of one split (train/test). */
    public List<Item> split(String split) { return items.stream().filter(i -> i.split().equals(split)).toList(); }

    /** The layout of {@code path}: mvtec (has train/ and test/), csv (a .csv file), else folder; null when none fits. */
    public static String detect(Path path) {
        if (path == null || !Files.exists(path)) return null;
        if (Files.isRegularFile(path)) return path.toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : null;
        if (Files.isDirectory(path.resolve("train")) && Files.isDirectory(path.resolve("test"))) return "mvtec";
        try (Stream<Path> s = Files.walk(path, 2)) {
            return s.anyMatch(ImageDataset::isImage) ? "folder" : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Opens {@code path} as {@code kind} (mvtec, folder, csv or auto). */
    public static ImageDataset open(Path path, String kind) {
        if (!Files.exists(path))
            throw new ModelworkException("The image dataset does not exist", String.valueOf(path), "check path=");
        String k = kind == null || kind.equals("auto") ? detect(path) : kind;
        if (k == null)
            throw new ModelworkException("No images found and no known layout", path.toString(),
                    "use an MVTec-layout folder (train/good, test/<class>), a folder of images, or a CSV manifest path,label[,mask]");
        Path root = path.toAbsolutePath().normalize();
        try {
            return switch (k) {
                case "mvtec" -> new ImageDataset(root, k, mvtec(root));
                case "folder" -> new ImageDataset(root, k, folder(root));
                case "csv" -> new ImageDataset(root.getParent(), k, csv(root));
                default -> throw new ModelworkException("Unknown image dataset format '" + kind + "'", "attach_dataset format",
                        "use format=mvtec, folder, csv or auto");
            };
        } catch (IOException e) {
            throw new ModelworkException("Cannot list the image dataset: " + e.getMessage(), path.toString(), "check permissions");
        }
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int i = n.lastIndexOf('.');
        return Files.isRegularFile(p) && i > 0 && !n.startsWith(".") && EXTENSIONS.contains(n.substring(i + 1));
    }

    private static List<Path> images(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(ImageDataset::isImage).sorted().toList();
        }
    }

    private static List<Path> dirs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int i = n.lastIndexOf('.');
        return i < 0 ? n : n.substring(0, i);
    }

    private static List<Item> mvtec(Path root) throws IOException {
        List<Item> out = new ArrayList<>();
        for (Path d : dirs(root.resolve("train")))
            for (Path p : images(d)) out.add(new Item(p, "train", d.getFileName().toString(), null));
        for (Path d : dirs(root.resolve("test"))) {
            String label = d.getFileName().toString();
            Path gt = root.resolve("ground_truth").resolve(label);
            for (Path p : images(d)) {
                Path m = null;
                if (!label.equals(NORMAL)) {
                    for (String cand : new String[]{stem(p) + "_mask.png", stem(p) + ".png", stem(p) + "_mask.bmp"})
                        if (Files.isRegularFile(gt.resolve(cand))) { m = gt.resolve(cand); break; }
                }
                out.add(new Item(p, "test", label, m));
            }
        }
        return out;
    }

    private static List<Item> folder(Path root) throws IOException {
        List<Item> out = new ArrayList<>();
        for (Path p : images(root)) out.add(new Item(p, "", NORMAL, null));
        for (Path d : dirs(root))
            for (Path p : images(d)) out.add(new Item(p, "", d.getFileName().toString(), null));
        return out;
    }

    private static List<Item> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Item> out = new ArrayList<>();
        Path base = file.getParent();
        int pathCol = 0, labelCol = 1, maskCol = 2, splitCol = -1;
        int start = 0;
        if (!lines.isEmpty()) {
            List<String> h = Arrays.stream(lines.get(0).split(",", -1)).map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
            if (h.contains("path")) {
                pathCol = h.indexOf("path");
                labelCol = h.indexOf("label");
                maskCol = h.indexOf("mask");
                splitCol = h.indexOf("split");
                start = 1;
            }
        }
        for (int i = start; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            if (f.length <= pathCol || f[pathCol].isBlank())
                throw new ModelworkException("Manifest row has no path", file + " line " + (i + 1), "write rows as path,label[,mask]");
            Path p = base.resolve(f[pathCol].trim()).normalize();
            String label = labelCol >= 0 && labelCol < f.length && !f[labelCol].isBlank() ? f[labelCol].trim() : NORMAL;
            Path m = maskCol >= 0 && maskCol < f.length && !f[maskCol].isBlank() ? base.resolve(f[maskCol].trim()).normalize() : null;
            String split = splitCol >= 0 && splitCol < f.length ? f[splitCol].trim().toLowerCase(Locale.ROOT) : "";
            out.add(new Item(p, split, label, m));
        }
        out.sort(Comparator.comparing(it -> it.path().toString()));
        return out;
    }

    /** SHA-256 over every item's relative path, label, split and the SHA-256 of its image and mask file. */
    public String fingerprint() { return fingerprint(Map.of()); }

    /** {@link #fingerprint()} reusing file hashes already computed ({@code path → sha256}). */
    public String fingerprint(Map<Path, String> known) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Item it : items) {
                md.update((rel(it.path()) + "|" + it.split() + "|" + it.label() + "|").getBytes(StandardCharsets.UTF_8));
                md.update(known.getOrDefault(it.path(), hashOrMissing(it.path())).getBytes(StandardCharsets.UTF_8));
                if (it.mask() != null) md.update(("|" + rel(it.mask()) + "|" + known.getOrDefault(it.mask(), hashOrMissing(it.mask()))).getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A path relative to the dataset root, '/'-separated. */
    public String rel(Path p) {
        try {
            return root.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }

    static String hashOrMissing(Path p) {
        try {
            return Files.isRegularFile(p) ? AtomicFiles.sha256(p) : "missing";
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
