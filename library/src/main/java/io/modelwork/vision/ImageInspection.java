package io.modelwork.vision;

import io.modelwork.core.ModelworkException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Profile and validation of an {@link ImageDataset}, in one pass that decodes every image and mask once:
 * counts per split and label, image sizes, channels, bit depths and formats; problems found — unreadable or corrupt
 * files (named; left out of the usable items unless {@code strict}, then an error), masks whose size differs from
 * their image, defect images without a mask, duplicate files (same SHA-256), an empty {@code train/good}. The
 * fingerprint reuses the file hashes computed here.
 */
public final class ImageInspection {
    /** One finding: its kind, the file, and a message. */
    public record Problem(String kind, String file, String message) { }

    /** Per item: original width, height, channels, bit depth (for the profile and the mask check). */
    public record Info(int width, int height, int channels, int bitDepth, String format) { }

    private final ImageDataset dataset;
    private final List<ImageDataset.Item> usable = new ArrayList<>();
    private final Map<Path, Info> infos = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private final String fingerprint;

    private ImageInspection(ImageDataset dataset, boolean strict) {
        this.dataset = dataset;
        Map<Path, String> hashes = new HashMap<>();
        Map<String, Path> byHash = new HashMap<>();
        for (ImageDataset.Item it : dataset.items()) {
            String rel = dataset.rel(it.path());
            if (!Files.isRegularFile(it.path())) {
                problems.add(new Problem("missing", rel, "listed but not found"));
                continue;
            }
            String h = ImageDataset.hashOrMissing(it.path());
            hashes.put(it.path(), h);
            Path first = byHash.putIfAbsent(h, it.path());
            if (first != null)
                problems.add(new Problem("duplicate", rel, "same bytes as " + dataset.rel(first)));
            Info info;
            try {
                Images.Decoded d = Images.read(it.path());
                info = new Info(d.width(), d.height(), d.channels(), d.bitDepth(), d.format());
            } catch (ModelworkException e) {
                problems.add(new Problem("unreadable", rel, e.what()));
                continue;
            }
            infos.put(it.path(), info);
            if (it.mask() != null) {
                hashes.put(it.mask(), ImageDataset.hashOrMissing(it.mask()));
                try {
                    int[] ms = Images.size(it.mask());
                    if (ms[0] != info.width() || ms[1] != info.height())
                        problems.add(new Problem("mask_size", dataset.rel(it.mask()), "mask is " + ms[0] + "×" + ms[1]
                                + " but its image is " + info.width() + "×" + info.height()));
                } catch (ModelworkException e) {
                    problems.add(new Problem("unreadable_mask", dataset.rel(it.mask()), e.what()));
                }
            } else if (!it.normal() && !dataset.kind().equals("folder")) {
                problems.add(new Problem("no_mask", rel, "defect image (" + it.label() + ") without a mask: left out of pixel metrics"));
            }
            usable.add(it);
            counts.merge((it.split().isEmpty() ? "" : it.split() + "/") + it.label(), 1, Integer::sum);
        }
        if (strict) {
            List<Problem> bad = problems.stream().filter(p -> p.kind().startsWith("unreadable") || p.kind().equals("missing")).toList();
            if (!bad.isEmpty())
                throw new ModelworkException(bad.size() + " unreadable image file(s): " + bad.stream().limit(5).map(Problem::file).toList(),
                        dataset.root().toString(), "replace or remove them, or attach without strict=true to leave them out");
        }
        this.fingerprint = dataset.fingerprint(hashes);
    }

    /** Inspects {@code dataset}; {@code strict} makes unreadable files an error instead of a named warning. */
    public static ImageInspection of(ImageDataset dataset, boolean strict) { return new ImageInspection(dataset, strict); }

    public ImageDataset dataset() { return dataset; }

    /** The items that decoded, in order. */
    public List<ImageDataset.Item> usable() { return Collections.unmodifiableList(usable); }

    public List<Problem> problems() { return Collections.unmodifiableList(problems); }

    /** Decoded size etc. of an item's image, or null when it did not decode. */
    public Info info(Path image) { return infos.get(image); }

    /** Usable images per {@code split/label}. */
    public Map<String, Integer> counts() { return Collections.unmodifiableMap(counts); }

    public String fingerprint() { return fingerprint; }

    /** Profile as name → value (sizes, channels, bit depths, formats). */
    public Map<String, Object> profile() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("images", usable.size());
        IntSummaryStatistics w = infos.values().stream().mapToInt(Info::width).summaryStatistics();
        IntSummaryStatistics h = infos.values().stream().mapToInt(Info::height).summaryStatistics();
        if (!infos.isEmpty()) {
            m.put("width_min", w.getMin());
            m.put("width_max", w.getMax());
            m.put("height_min", h.getMin());
            m.put("height_max", h.getMax());
        }
        Map<String, Integer> ch = new TreeMap<>(), bits = new TreeMap<>(), fmt = new TreeMap<>();
        for (Info i : infos.values()) {
            ch.merge(String.valueOf(i.channels()), 1, Integer::sum);
            bits.merge(String.valueOf(i.bitDepth()), 1, Integer::sum);
            fmt.merge(i.format(), 1, Integer::sum);
        }
        m.put("channels", ch);
        m.put("bit_depth", bits);
        m.put("formats", fmt);
        m.put("masks", usable.stream().filter(i -> i.mask() != null).count());
        return m;
    }
}
