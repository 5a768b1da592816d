package io.modelwork.face;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Progress;
import io.modelwork.report.StepReport;
import io.modelwork.session.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.*;
import java.util.*;

import static org.junit.jupiter.api.Assertions.*;

/** The face category through a session: AT&T lifecycle with quality asserted, encrypted export, and the bad inputs. */
class FaceCategoryTest {
    static final Path DATA = Assets.root().resolve("data/face");

    @Test void attLifecycleCalibrateAndEncryptedExport(@TempDir Path tmp) throws Exception {
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("seed", 7, "run_dir", tmp.resolve("run").toString(), "threads", 2));
            StepReport at = s.attachDataset(Args.of("path", DATA.resolve("att_faces").toString(), "task", "face"));
            assertEquals("face", s.category().name());
            assertEquals(30, at.body().get("identities").asInt());
            assertEquals(300, at.body().get("grayscale_images").asInt(), "AT&T PGMs are grayscale");
            assertEquals(0, at.body().get("no_face").asInt());
            s.prepareData(Args.empty());
            StepReport sp = s.split(Args.of("validation", 0.3, "gallery", 5));
            assertEquals(9, sp.body().get("validation_identities").asInt());
            assertEquals(21 * 5, sp.body().get("probe_images").asInt());
            s.build(Args.of("spec", "face.arcface", "embedding", "fr512"));
            StepReport fit = s.fit(Args.empty());
            assertEquals(21, fit.body().get("identities").asInt());
            JsonNode m = s.evaluate(Args.empty()).body().get("metrics");
            // measured (seed 7, 21 evaluation people): rank-1 1.0, EER ≈ 0.003, TAR@FAR=0.001 ≈ 0.99
            assertTrue(m.get("rank1").asDouble() >= 0.98, m.toString());
            assertTrue(m.get("rank5").asDouble() >= m.get("rank1").asDouble());
            assertTrue(m.get("tar@far=0.01").asDouble() >= 0.97, m.toString());
            assertTrue(m.get("tar@far=0.001").asDouble() >= 0.93, m.toString());
            assertTrue(m.get("eer").asDouble() <= 0.03, m.toString());
            // open-set DIR at three FARs, non-increasing as the FAR tightens
            double d1 = m.get("dir@far=0.1").asDouble(), d2 = m.get("dir@far=0.01").asDouble(), d3 = m.get("dir@far=0.001").asDouble();
            assertTrue(d1 >= d2 && d2 >= d3 && d3 >= 0.8, m.toString());
            assertTrue(d2 >= 0.95, "DIR at FAR 1%: " + d2);
            // tune: alignment on/off × flip on validation people; alignment off must not win
            StepReport tu = s.tune(Args.of("strategy", "grid", "trials", 4, "space", "align=true|false flip=true|false", "target_far", 0.01));
            assertEquals(4, tu.body().get("tuning_report").get("trials").size());
            assertTrue(tu.body().get("best_config").get("align").asBoolean(), tu.body().get("best_config").toString());
            StepReport cal = s.calibrate(Args.of("target_far", 0.01));
            double th = cal.body().get("threshold").asDouble();
            assertTrue(th > 0 && th < 1, "cosine threshold " + th);
            assertTrue(cal.body().get("validation_far").asDouble() <= 0.011, cal.body().toString());
            JsonNode tj = Json.MAPPER.readTree(tmp.resolve("run/thresholds.json").toFile());
            assertEquals(th, tj.get("threshold").asDouble(), 1e-12);
            // encrypted export: key from the environment (here a system property of the same name)
            byte[] key = new byte[32];
            new Random(1).nextBytes(key);
            System.setProperty("FACE_TEST_KEY", Base64.getEncoder().encodeToString(key));
            StepReport ex = s.export(Args.of("encrypt", true, "key_env", "FACE_TEST_KEY", "target", tmp.resolve("bundle").toString()));
            Path b = Path.of(ex.body().get("target").asText());
            assertTrue(Files.exists(b.resolve("templates.f32.aesgcm")));
            assertFalse(Files.exists(b.resolve("templates.f32")), "no plain templates in an encrypted bundle");
            assertTrue(Files.readString(b.resolve("BIOMETRIC_DATA.md")).contains("biometric data"));
            byte[] plain = FaceExport.decrypt(key, "templates.f32", Files.readAllBytes(b.resolve("templates.f32.aesgcm")));
            assertEquals(21 * 512 * 4, plain.length);
            byte[] wrong = key.clone();
            wrong[0] ^= 1;
            assertThrows(ModelworkException.class, () -> FaceExport.decrypt(wrong, "templates.f32", Files.readAllBytes(b.resolve("templates.f32.aesgcm"))));
            ModelworkException noKey = assertThrows(ModelworkException.class,
                    () -> s.export(Args.of("encrypt", true, "key_env", "FACE_TEST_KEY_MISSING")));
            assertTrue(noKey.getMessage().contains("FACE_TEST_KEY_MISSING"), noKey.getMessage());
            // an embedding whose size differs from the index: a clear error until fit runs again
            s.build(Args.of("embedding", "mobilefacenet"));
            ModelworkException dim = assertThrows(ModelworkException.class, () -> s.evaluate(Args.empty()));
            assertTrue(dim.getMessage().contains("128-d") && dim.getMessage().contains("512-d"), dim.getMessage());
        } finally {
            System.clearProperty("FACE_TEST_KEY");
        }
    }

    @Test void badInputsAreNamed(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("people");
        Path a = Files.createDirectories(root.resolve("alice")), b = Files.createDirectories(root.resolve("bob"));
        for (int k = 1; k <= 3; k++) Files.copy(DATA.resolve("att_faces/s1/" + k + ".pgm"), a.resolve(k + ".pgm"));
        for (int k = 1; k <= 3; k++) Files.copy(DATA.resolve("att_faces/s2/" + k + ".pgm"), b.resolve(k + ".pgm"));
        Files.copy(DATA.resolve("att_faces/s1/1.pgm"), b.resolve("dup.pgm"));                // duplicate across identities
        Files.copy(DATA.resolve("group_photos/sample5.jpg"), a.resolve("group.jpg"));       // several faces
        BufferedImage blank = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(blank, "png", b.resolve("blank.png").toFile());                      // no face
        Files.writeString(b.resolve("broken.jpg"), "not a jpeg");                           // corrupt
        BufferedImage face = FacePipeline.read(DATA.resolve("group_photos/sample6.jpg"));
        ImageIO.write(io.modelwork.vision.Images.resize(face, 160, 128), "png", a.resolve("tiny.png").toFile()); // faces ≈ 15 px
        Files.copy(DATA.resolve("group_photos/sample4.jpg"), root.resolve("group4.jpg"));      // loose: detection only
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("run_dir", tmp.resolve("run").toString(), "threads", 2));
            StepReport r = s.attachDataset(Args.of("path", root.toString(), "task", "face", "min_score", 0.5));
            Map<String, Set<String>> kinds = new TreeMap<>();
            for (JsonNode p : r.body().get("problems")) kinds.computeIfAbsent(p.get("kind").asText(), k -> new TreeSet<>()).add(p.get("file").asText());
            assertTrue(kinds.getOrDefault("duplicate_across_identities", Set.of()).stream().anyMatch(f -> f.contains("bob/dup.pgm")), kinds.toString());
            assertTrue(kinds.getOrDefault("several_faces", Set.of()).contains("alice/group.jpg"), kinds.toString());
            assertTrue(kinds.getOrDefault("no_face", Set.of()).contains("bob/blank.png"), kinds.toString());
            assertTrue(kinds.getOrDefault("unreadable", Set.of()).contains("bob/broken.jpg"), kinds.toString());
            assertTrue(kinds.getOrDefault("tiny_face", Set.of()).contains("alice/tiny.png"), kinds.toString());
            // unknown embedding / detector: clear errors
            s.prepareData(Args.empty());
            s.split(Args.of("validation", 0.0, "gallery", 2));
            assertEquals(1, r.body().get("detection_only_images").asInt());
            ModelworkException e = assertThrows(ModelworkException.class, () -> s.build(Args.of("embedding", "nope")));
            assertTrue(e.fix().contains("fr512"), e.fix());
            ModelworkException d = assertThrows(ModelworkException.class, () -> s.build(Args.of("detector", "/no/such/detector.onnx")));
            assertTrue(d.fix().contains("yunet"), d.fix());
            s.build(Args.of("embedding", "mobilefacenet"));
            s.fit(Args.empty());
            StepReport ev = s.evaluate(Args.of("gallery", 1));
            JsonNode m = ev.body().get("metrics");
            assertTrue(ev.notes().stream().anyMatch(n -> n.contains("tiny faces") && n.contains("alice/tiny.png")), ev.notes().toString());
            assertEquals(4, m.get("faces_per_image").get("group4.jpg").asInt(), "faces found per loose group photo");
        }
    }

    @Test void lfwStylePairsFileGivesTenFoldAccuracy(@TempDir Path tmp) throws Exception {
        // 40 pairs over AT&T s1..s6: 20 same ("s3 2 7"), 20 different ("s1 4 s5 9")
        StringBuilder sb = new StringBuilder("10 4\n");
        Random r = new Random(3);
        for (int i = 0; i < 40; i++) {
            int a = 1 + r.nextInt(6), b = 1 + (a + r.nextInt(5)) % 6, k = 1 + r.nextInt(10), j = 1 + (k + r.nextInt(9)) % 10;
            sb.append(i % 2 == 0 ? "s" + a + " " + k + " " + j : "s" + a + " " + k + " s" + b + " " + j).append('\n');
        }
        Path pairs = Files.writeString(tmp.resolve("pairs.txt"), sb.toString());
        try (Session s = Session.create(tmp)) {
            s.progress(Progress.silent());
            s.configure(Args.of("run_dir", tmp.resolve("run").toString(), "threads", 2));
            StepReport at = s.attachDataset(Args.of("path", DATA.resolve("att_faces").toString(), "pairs", pairs.toString(), "identities", 6, "detect", false));
            assertEquals("face", s.category().name(), "a pairs file chooses the face category");
            assertEquals(40, at.body().get("pairs").asInt());
            s.prepareData(Args.empty());
            s.split(Args.of("validation", 0.0, "gallery", 5));
            s.build(Args.of("embedding", "mobilefacenet"));
            s.fit(Args.empty());
            JsonNode m = s.evaluate(Args.of("gallery", 0)).body().get("metrics");
            assertTrue(m.get("lfw_10fold_accuracy").asDouble() >= 0.95, m.toString());
            Path bad = Files.writeString(tmp.resolve("bad.txt"), "s1 1\n");
            ModelworkException e = assertThrows(ModelworkException.class,
                    () -> s.attachDataset(Args.of("path", DATA.resolve("att_faces").toString(), "pairs", bad.toString(), "task", "face", "detect", false)));
            assertTrue(e.where().contains("bad.txt:1"), e.where());
        }
    }
}
