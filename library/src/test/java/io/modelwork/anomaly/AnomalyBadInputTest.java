package io.modelwork.anomaly;

import io.modelwork.assets.ModelAssets;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import io.modelwork.onnx.OnnxModel;
import io.modelwork.session.Session;
import io.modelwork.vision.ImageDataset;
import io.modelwork.vision.ImageInspection;
import io.modelwork.vision.Images;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Bad input for the vision layer and the anomaly category: each a clear error or a named warning. */
class AnomalyBadInputTest {
    @TempDir Path tmp;

    private Path tile(String cls, int i) throws Exception {
        try (var s = Files.list(MagneticTileSubset.source().resolve("test").resolve(cls))) {
            return s.sorted().skip(i).findFirst().orElseThrow();
        }
    }

    @Test
    void corruptJpegAndTextPngAreNamedAndLeftOut() throws Exception {
        Path data = MagneticTileSubset.create(tmp.resolve("d"), 3, 2);
        byte[] jpg = Files.readAllBytes(tile("good", 5));
        Files.write(data.resolve("train/good/truncated.jpg"), Arrays.copyOf(jpg, 40)); // header only
        Files.writeString(data.resolve("train/good/notes.png"), "this is not an image\n");
        Files.write(data.resolve("train/good/huge.png"), hugePngHeader());
        ImageInspection ins = ImageInspection.of(ImageDataset.open(data, "auto"), false);
        assertTrue(ins.problems().stream().anyMatch(p -> p.kind().equals("unreadable") && p.file().endsWith("huge.png")
                && p.message().contains("too large")), ins.problems().toString());
        assertTrue(ins.problems().stream().anyMatch(p -> p.kind().equals("unreadable") && p.file().endsWith("truncated.jpg")), ins.problems().toString());
        assertTrue(ins.problems().stream().anyMatch(p -> p.kind().equals("unreadable") && p.file().endsWith("notes.png")
                && p.message().contains("Not an image")), ins.problems().toString());
        assertEquals(3, ins.counts().get("train/good"));
        ModelworkException e = assertThrows(ModelworkException.class, () -> ImageInspection.of(ImageDataset.open(data, "auto"), true));
        assertTrue(e.getMessage().contains("truncated.jpg"), e.getMessage());
    }

    @Test
    void wrongSizeMaskDuplicateAndMissingMaskAreReported() throws Exception {
        Path data = MagneticTileSubset.create(tmp.resolve("d"), 3, 2);
        Path gt = data.resolve("ground_truth/blowhole");
        Path someMask;
        try (var s = Files.list(gt)) { someMask = s.sorted().findFirst().orElseThrow(); }
        Files.delete(someMask);
        ImageIO.write(new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY), "png", someMask.toFile());
        Path mask2;
        try (var s = Files.list(data.resolve("ground_truth/break"))) { mask2 = s.sorted().findFirst().orElseThrow(); }
        Files.delete(mask2);
        Path first;
        try (var s = Files.list(data.resolve("train/good"))) { first = s.sorted().findFirst().orElseThrow(); }
        Files.copy(first, data.resolve("train/good/zz-copy.jpg"));
        ImageInspection ins = ImageInspection.of(ImageDataset.open(data, "mvtec"), false);
        assertTrue(ins.problems().stream().anyMatch(p -> p.kind().equals("mask_size") && p.message().contains("10×10")), ins.problems().toString());
        assertTrue(ins.problems().stream().anyMatch(p -> p.kind().equals("no_mask")), ins.problems().toString());
        assertTrue(ins.problems().stream().anyMatch(p -> p.kind().equals("duplicate") && p.file().endsWith("zz-copy.jpg")), ins.problems().toString());
    }

    @Test
    void emptyTrainGoodIsAnErrorNamingTheFolder() throws Exception {
        Path data = MagneticTileSubset.create(tmp.resolve("d"), 2, 2);
        try (var s = Files.list(data.resolve("train/good"))) { for (Path p : s.toList()) Files.delete(p); }
        try (Session session = Session.create(tmp.resolve("runs"))) {
            session.configure(Args.of("run_dir", tmp.resolve("run").toString(), "progress", false));
            ModelworkException e = assertThrows(ModelworkException.class, () -> session.attachDataset(Args.of("path", data.toString())));
            assertTrue(e.where().endsWith("train/good"), e.getMessage());
            assertTrue(e.what().contains("train/good is empty"), e.getMessage());
        }
    }

    @Test
    void sixteenBitPngBecomesEightBitRgb() throws Exception {
        BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_USHORT_GRAY);
        for (int x = 0; x < 20; x++) img.getRaster().setSample(x, 0, 0, 65535);
        img.getRaster().setSample(3, 5, 0, 32768);
        Path f = tmp.resolve("deep.png");
        ImageIO.write(img, "png", f.toFile());
        Images.Decoded d = Images.read(f);
        assertEquals(16, d.bitDepth());
        assertEquals(1, d.channels());
        assertEquals(0xFFFFFF, d.rgb().getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x808080, d.rgb().getRGB(3, 5) & 0xFFFFFF);
    }

    @Test
    void hugeImageIsRefusedBeforeDecoding() throws Exception {
        // a 10,000 × 10,000 PNG header with no pixel data: refused by size, not by an out-of-memory error
        Path f = tmp.resolve("huge.png");
        Files.write(f, hugePngHeader());
        ModelworkException e = assertThrows(ModelworkException.class, () -> Images.read(f));
        assertTrue(e.getMessage().contains("too large") || e.getMessage().contains("Cannot decode"), e.getMessage());
    }

    /** A 10,000 × 10,000 PNG: a 1×1 PNG whose IHDR says 10,000 × 10,000 (CRC is not checked before the size is read). */
    private static byte[] hugePngHeader() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        byte[] b = out.toByteArray();
        java.nio.ByteBuffer.wrap(b, 16, 8).putInt(10_000).putInt(10_000);
        return b;
    }

    @Test
    void backboneWithoutTheNamedOutputsIsAClearError() throws Exception {
        Path data = MagneticTileSubset.create(tmp.resolve("d"), 3, 2);
        try (Session session = Session.create(tmp.resolve("runs"))) {
            session.configure(Args.of("run_dir", tmp.resolve("run").toString(), "progress", false));
            session.attachDataset(Args.of("path", data.toString()));
            session.prepareData(Args.empty());
            session.split(Args.empty());
            ModelworkException e = assertThrows(ModelworkException.class, () -> session.build(Args.of("backbone", "backbone/mobilenetv2-12-int8.onnx")));
            assertTrue(e.what().contains("no output named 'features_stride8'"), e.getMessage());
            assertTrue(e.fix().contains("output"), e.getMessage());
            ModelworkException r = assertThrows(ModelworkException.class, () -> session.build(Args.empty().with("spec", "anomaly.patchcore").with("k", 0)));
            assertTrue(r.getMessage().contains("out of range"), r.getMessage());
        }
    }

    @Test
    void onnxWrapperChecksShapesHashesAndDevice() {
        Path p = ModelAssets.resolve("backbone/mobilenetv2-12-int8-features.onnx");
        try (OnnxModel m = OnnxModel.load(p, ModelAssets.pin("backbone/mobilenetv2-12-int8-features.onnx"), "cuda", 1)) {
            assertEquals(ModelAssets.pin("backbone/mobilenetv2-12-int8-features.onnx"), m.sha256());
            ModelworkException e = assertThrows(ModelworkException.class, () -> m.expectInput("input", -1, 3, 256, 256));
            assertTrue(e.getMessage().contains("[-1, 3, 224, 224]"), e.getMessage());
            if (m.device().equals("cpu")) assertFalse(m.deviceNote().isEmpty(), "a CPU fallback must say why");
        }
        ModelworkException bad = assertThrows(ModelworkException.class, () -> OnnxModel.load(p, "00ff", "cpu", 1));
        assertTrue(bad.getMessage().contains("SHA-256"), bad.getMessage());
        ModelworkException missing = assertThrows(ModelworkException.class, () -> ModelAssets.resolve("backbone/nope.onnx"));
        assertTrue(missing.getMessage().contains("MODELWORK_ASSETS") && missing.getMessage().contains(Assets.root().toString()), missing.getMessage());
    }

    @Test
    void csvManifestAndPlainFolderLayouts() throws Exception {
        Path a = tile("good", 0), b = tile("blowhole", 0);
        Path csv = tmp.resolve("m.csv");
        Files.writeString(csv, "path,label,mask\n" + a + ",good,\n" + b + ",blowhole,\n");
        ImageDataset ds = ImageDataset.open(csv, "auto");
        assertEquals("csv", ds.kind());
        assertEquals(2, ds.items().size());
        Path folder = tmp.resolve("f/defect");
        Files.createDirectories(folder);
        Files.copy(b, folder.resolve("x.jpg"));
        Files.copy(a, tmp.resolve("f/y.jpg"));
        ImageDataset f = ImageDataset.open(tmp.resolve("f"), "auto");
        assertEquals("folder", f.kind());
        assertEquals(2, f.items().size());
        assertTrue(f.items().stream().anyMatch(i -> i.label().equals("defect")));
        assertNotEquals(ds.fingerprint(), f.fingerprint());
    }
}
