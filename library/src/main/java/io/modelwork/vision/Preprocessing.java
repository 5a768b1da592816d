package io.modelwork.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.awt.image.BufferedImage;

/**
 * The frozen image preprocessing of a model: resize to {@code resize}×{@code resize} (bilinear), then an optional
 * centre crop to {@code crop}×{@code crop}, then per-channel {@code (x/255 − mean) / std} in RGB order, laid out CHW.
 * Masks go through the same geometry with nearest-neighbour resizing. Saved as {@code preprocessing.json} in
 * checkpoints and exports, so serving code reproduces it exactly.
 */
public record Preprocessing(int resize, int crop, float[] mean, float[] std) {
    /** ImageNet statistics (what the backbones were trained with). */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public Preprocessing {
        if (resize < 8) throw new ModelworkException("Image resize " + resize + " is too small", "prepare_data resize", "use resize ≥ 8");
        if (crop < 0 || crop > resize)
            throw new ModelworkException("Centre crop " + crop + " is larger than the resize " + resize, "prepare_data crop",
                    "use crop=0 (none) or a crop ≤ resize");
    }

    public static Preprocessing imagenet(int resize, int crop) { return new Preprocessing(resize, crop, IMAGENET_MEAN, IMAGENET_STD); }

    /** The side of the model input. */
    public int size() { return crop > 0 ? crop : resize; }

    /** Resized and cropped RGB image (what the model sees, before normalisation; used for overlays). */
    public BufferedImage geometry(BufferedImage rgb) {
        BufferedImage r = Images.resize(rgb, resize, resize);
        return crop > 0 ? centreCrop(r) : r;
    }

    private BufferedImage centreCrop(BufferedImage r) {
        int off = (resize - crop) / 2;
        BufferedImage out = new BufferedImage(crop, crop, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[crop];
        for (int y = 0; y < crop; y++) {
            r.getRGB(off, off + y, crop, 1, row, 0, crop);
            out.setRGB(0, y, crop, 1, row, 0, crop);
        }
        return out;
    }

    /** Writes the normalised CHW tensor of one image into {@code out} at {@code offset} (3·size² floats). */
    public void tensor(BufferedImage rgb, float[] out, int offset) {
        BufferedImage g = geometry(rgb);
        int s = size(), plane = s * s;
        int[] px = g.getRGB(0, 0, s, s, null, 0, s);
        for (int i = 0; i < plane; i++) {
            int p = px[i];
            out[offset + i] = (((p >> 16) & 0xff) / 255f - mean[0]) / std[0];
            out[offset + plane + i] = (((p >> 8) & 0xff) / 255f - mean[1]) / std[1];
            out[offset + 2 * plane + i] = ((p & 0xff) / 255f - mean[2]) / std[2];
        }
    }

    /** Mirrors a CHW tensor of one image left–right in place (the optional flip augmentation). */
    public void flip(float[] t, int offset) {
        int s = size();
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < s; y++) {
                int row = offset + c * s * s + y * s;
                for (int x = 0; x < s / 2; x++) {
                    float v = t[row + x];
                    t[row + x] = t[row + s - 1 - x];
                    t[row + s - 1 - x] = v;
                }
            }
    }

    /** A binary mask (any channel &gt; 127 = defect) through the same geometry, nearest-neighbour, size² values. */
    public boolean[] mask(BufferedImage maskRgb) {
        BufferedImage r = Images.resizeNearest(maskRgb, resize, resize);
        if (crop > 0) r = centreCrop(r);
        int s = size();
        int[] px = r.getRGB(0, 0, s, s, null, 0, s);
        boolean[] out = new boolean[s * s];
        for (int i = 0; i < out.length; i++) {
            int p = px[i];
            out[i] = Math.max((p >> 16) & 0xff, Math.max((p >> 8) & 0xff, p & 0xff)) > 127;
        }
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("resize", resize).put("resize_interpolation", "bilinear").put("crop", crop).put("channel_order", "RGB")
                .put("layout", "NCHW").put("scale", "1/255").put("input_size", size());
        var m = o.putArray("mean");
        for (float v : mean) m.add(v);
        var s = o.putArray("std");
        for (float v : std) s.add(v);
        o.put("formula", "(pixel/255 - mean) / std per channel, after resize (and centre crop)");
        return o;
    }

    public static Preprocessing fromJson(JsonNode o) {
        float[] mean = new float[3], std = new float[3];
        for (int i = 0; i < 3; i++) {
            mean[i] = (float) o.path("mean").path(i).asDouble();
            std[i] = (float) o.path("std").path(i).asDouble();
        }
        return new Preprocessing(o.path("resize").asInt(), o.path("crop").asInt(0), mean, std);
    }
}
