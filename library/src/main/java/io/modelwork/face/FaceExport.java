package io.modelwork.face;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StepContext;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.*;

/**
 * export of the face category (through {@link BundleWriter}): the index (identity names, a template per identity and
 * every enrolled embedding, float32 little-endian), {@code thresholds.json}, {@code pipeline.json} (detector,
 * alignment template, normalisation, embedding, SHA-256s), the two ONNX models and {@code BIOMETRIC_DATA.md}: the
 * templates are biometric data. With {@code encrypt=true} the index files are encrypted with AES-GCM (JDK
 * {@code javax.crypto}; 96-bit random IV prefixed, 128-bit tag, the file name as associated data) under a key read
 * from the environment variable {@code key_env} (base64 of 16, 24 or 32 bytes); the key is never written.
 */
final class FaceExport {
    static final String INDEX_FILE = "index.json";
    static final String DEFAULT_KEY_ENV = "MODELWORK_FACE_KEY";

    private FaceExport() { }

    static byte[] key(String env) {
        String v = System.getenv(env);
        if (v == null) v = System.getProperty(env);   // an embedding JVM (and the tests) may pass it as a system property
        if (v == null || v.isBlank())
            throw new ModelworkException("export encrypt=true needs a key in the environment variable " + env, "export",
                    "set " + env + " to the base64 of 32 random bytes (e.g. `openssl rand -base64 32`) before starting the kernel, or name another variable with key_env=");
        byte[] k;
        try {
            k = Base64.getDecoder().decode(v.trim());
        } catch (IllegalArgumentException e) {
            throw new ModelworkException("The key in " + env + " is not base64", "export", "set it to the base64 of 16, 24 or 32 random bytes");
        }
        if (k.length != 16 && k.length != 24 && k.length != 32)
            throw new ModelworkException("The key in " + env + " is " + k.length + " bytes", "export", "an AES key is 16, 24 or 32 bytes (base64 of `openssl rand 32`)");
        return k;
    }

    static byte[] encrypt(byte[] key, String name, byte[] plain) {
        try {
            byte[] iv = new byte[12];
            new SecureRandom().nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, 12 + ct.length);
            System.arraycopy(ct, 0, out, 12, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new ModelworkException("AES-GCM encryption failed: " + e.getMessage(), "export encrypt=true", "check the key");
        }
    }

    /** Decrypts what {@link #encrypt} wrote (for a consumer of the bundle and the tests); a wrong key is an error. */
    static byte[] decrypt(byte[] key, String name, byte[] blob) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, blob, 0, 12));
            c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(blob, 12, blob.length - 12);
        } catch (GeneralSecurityException e) {
            throw new ModelworkException("Cannot decrypt " + name + " (wrong key or damaged file)", name, "use the key it was exported with");
        }
    }

    static StepReport export(FaceState s, Args a, StepContext ctx) {
        s.ensureFitted("export");
        Path target = a.has("target") ? Path.of(a.getString("target", null)) : ctx.run().runDir().resolve("export");
        if (Files.exists(target) && !a.has("target")) target = ctx.run().runDir().resolve("export-" + System.currentTimeMillis());
        boolean enc = a.getBool("encrypt", false);
        String keyEnv = a.getString("key_env", DEFAULT_KEY_ENV);
        byte[] key = enc ? key(keyEnv) : null;
        List<String> names = new ArrayList<>(s.templates.keySet());
        float[][] tpl = new float[names.size()][];
        for (int i = 0; i < tpl.length; i++) tpl[i] = s.templates.get(names.get(i));
        ObjectNode index = Json.object();
        index.set("identities", FaceState.strings(names));
        index.set("embedding_identities", FaceState.strings(s.indexIds));
        index.put("dim", s.dim).put("templates", "templates.f32: float32 little-endian [identities, dim], L2-normalised mean per identity")
                .put("embeddings", "embeddings.f32: float32 little-endian [embedding_identities, dim], one per enrolled image");
        double th = s.threshold != null ? s.threshold : Double.NaN;
        try (BundleWriter b = BundleWriter.create(target, "export")) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(INDEX_FILE, Json.write(index).getBytes(StandardCharsets.UTF_8));
            files.put("templates.f32", FaceState.floats(tpl));
            files.put("embeddings.f32", FaceState.floats(s.indexEmb));
            for (var e : files.entrySet())
                if (enc) b.bytes(e.getKey() + ".aesgcm", encrypt(key, e.getKey(), e.getValue()));
                else b.bytes(e.getKey(), e.getValue());
            ObjectNode t = Json.object();
            t.put("threshold", Double.isNaN(th) ? null : th).put("target_far", s.targetFar)
                    .put("rule", "same person when cosine similarity ≥ threshold")
                    .put("source", s.threshold != null ? "calibrate on validation impostor pairs" : "calibrate not run: no threshold");
            b.json("thresholds.json", t);
            ObjectNode p = Json.object();
            p.put("spec", FaceModel.SPEC).put("detector", s.detectorName).put("detector_sha256", s.detectorSha)
                    .put("detector_min_score", s.minScore).put("detector_input", "BGR 0–255, padded to multiples of 32, longest side ≤ " + s.maxSide)
                    .put("alignment", s.align ? "least-squares similarity transform of the 5 landmarks to the template, bilinear, black border" : "off")
                    .put("embedding", s.embeddingName).put("embedding_sha256", s.embeddingSha).put("dim", s.dim).put("flip_average", s.flip)
                    .put("embedding_input", "[N,3,112,112] RGB " + (s.embeddingName.equals("fr512") ? "(x−127)/128" : s.embeddingName.equals("mobilefacenet") ? "(x−127.5)/128" : "(x−127.5)/127.5"))
                    .put("similarity", "cosine of L2-normalised embeddings");
            ArrayNode tp = p.putArray("template_112");
            for (double v : Alignment.TEMPLATE) tp.add(v);
            b.json("pipeline.json", p);
            if (s.pipeline.detector instanceof YuNet) b.copy(yunetFile(s), "detector.onnx");
            if (s.pipeline.detector instanceof FrDetect) {
                b.copy(io.modelwork.assets.PackageAssets.npmFile(FaceEmbedder.NPM, FaceEmbedder.NPM_VERSION, FrDetect.DETECT_ENTRY, FrDetect.DETECT_SHA), "detector.onnx");
                b.copy(io.modelwork.assets.PackageAssets.npmFile(FaceEmbedder.NPM, FaceEmbedder.NPM_VERSION, FrDetect.LANDMARK_ENTRY, FrDetect.LANDMARK_SHA), "landmarks.onnx");
            }
            b.copy(s.pipeline.embedder.file(), "embedding.onnx");
            b.text("BIOMETRIC_DATA.md", notice(s, enc, keyEnv));
            b.manifest().put("format", "modelwork-face-index").put("biometric_data", true).put("encrypted", enc);
            if (enc) b.manifest().put("encryption", "AES-GCM, key " + (key.length * 8) + " bit from $" + keyEnv
                    + "; file = 12-byte IV ‖ ciphertext ‖ 16-byte tag; associated data = the file name without .aesgcm");
            b.publish();
        } catch (ModelworkException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelworkException("Cannot write the export: " + e.getMessage(), target.toString(), "check free disk space and permissions");
        }
        s.exportDir = target;
        StepReport r = new StepReport("export", "Exported face index (" + names.size() + " identities" + (enc ? ", encrypted" : "") + ")");
        r.body().put("target", target.toString()).put("identities", names.size()).put("embeddings", s.indexEmb.length)
                .put("encrypted", enc).put("biometric_data", true);
        r.table(Tables.keyValues("Bundle", Map.of("folder", target, "index", enc ? "AES-GCM encrypted (key from $" + keyEnv + ")" : "plain float32",
                "threshold", Double.isNaN(th) ? "none (run calibrate)" : th)));
        r.note("the bundle holds face templates: biometric data (see BIOMETRIC_DATA.md)" + (enc ? "" : " — export encrypt=true encrypts them"));
        return r;
    }

    private static Path yunetFile(FaceState s) {
        return s.detectorName.equals("yunet") ? io.modelwork.assets.ModelAssets.resolve(YuNet.ASSET) : Path.of(s.detectorName);
    }

    static String notice(FaceState s, boolean enc, String keyEnv) {
        return "# Biometric data\n\n"
                + "This bundle holds face templates and embeddings of " + s.templates.size() + " people (" + s.indexEmb.length
                + " enrolled images). Face templates are biometric data: in many jurisdictions (e.g. GDPR art. 9, BIPA) storing, "
                + "sharing and using them needs the enrolled people's explicit consent, a stated purpose and a retention limit.\n\n"
                + (enc ? "The index files (*.aesgcm) are encrypted with AES-GCM under the key in $" + keyEnv + "; the key is not in this bundle.\n"
                : "The index files are NOT encrypted. Re-export with `export encrypt=true` (key in $" + DEFAULT_KEY_ENV + ") before sharing.\n")
                + "\nDelete the bundle when the purpose ends; the templates cannot be turned back into photos exactly, but they do identify people.\n";
    }
}
