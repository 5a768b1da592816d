package io.modelwork.face;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/** build (detector + embedding) and fit (enrolment) of {@code face.arcface}. */
final class FaceModel {
    static final String SPEC = "face.arcface";

    private FaceModel() { }

    /** Loads the detector and embedding named by the user into {@code s} (closing what was there). */
    static void open(FaceState s, String detector, String embedding) {
        FaceDetector det;
        String d = detector.toLowerCase(Locale.ROOT);
        switch (d) {
            case "yunet" -> det = YuNet.load(s.maxSide, s.threads);
            case "none" -> det = null;
            case "fr_detect" -> det = FrDetect.load(s.threads);
            default -> {
                Path f = Path.of(detector);
                if (!Files.isRegularFile(f))
                    throw new ModelworkException("Unknown detector '" + detector + "'", "build detector=",
                            "use detector=yunet, detector=fr_detect, detector=none (images are already face crops) or the path of a YuNet-format .onnx (outputs cls/obj/bbox/kps per stride)");
                det = new YuNet(f, null, s.maxSide, 0.3f, s.threads);
            }
        }
        FaceEmbedder emb;
        try {
            emb = FaceEmbedder.load(embedding, s.threads);
        } catch (RuntimeException e) {
            if (det != null) det.close();
            throw e;
        }
        if (s.pipeline != null) s.pipeline.close();
        FacePipeline p = new FacePipeline(det, emb);
        p.minScore = s.minScore;
        p.align = s.align;
        p.flip = s.flip;
        p.cropFallback = s.cropFallback;
        p.minFace = s.minFace;
        s.pipeline = p;
        s.detectorName = det == null ? "none" : detector;
        s.embeddingName = emb.name();
        s.embeddingArg = embedding;
        s.detectorSha = det == null ? null : det.sha256();
        s.embeddingSha = emb.sha256();
        s.dim = emb.dim();
        s.pipelineChanged();
    }

    static StepReport build(FaceState s, Args a, StepContext ctx) {
        String spec = a.getString("spec", SPEC);
        if (!spec.equals(SPEC))
            throw new ModelworkException("Unknown face spec '" + spec + "'", "build spec=", "use spec=" + SPEC);
        s.threads = ctx.run().threads();
        s.maxSide = a.getInt("max_side", s.maxSide);
        open(s, a.getString("detector", "yunet"), a.getString("embedding", "fr512"));
        StepReport r = new StepReport("build", "Face pipeline: " + s.detectorName + " → align → " + s.embeddingName);
        r.body().put("spec", SPEC).put("detector", s.detectorName).put("embedding", s.embeddingName).put("dim", s.dim)
                .put("detector_sha256", s.detectorSha).put("embedding_sha256", s.embeddingSha).put("max_side", s.maxSide);
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("detector", s.detectorName + (s.detectorName.equals("none") ? " (every image is taken as a face crop)" : ""));
        kv.put("alignment", s.align ? "similarity transform to the ArcFace 112×112 template" : "off (landmark box resized)");
        kv.put("embedding", s.embeddingName + ", " + s.dim + "-d, L2-normalised" + (s.flip ? ", flip-averaged" : ""));
        r.table(Tables.keyValues("Pipeline", kv));
        if (s.embeddingName.equals("fr512"))
            r.note("fr512 comes from the faceplugin-face-recognition-js 0.0.1 package (MIT); the origin of its weights is undocumented");
        if (!s.templates.isEmpty() && s.indexDim() != s.dim)
            r.note("the new embedding gives " + s.dim + "-d vectors but the enrolled index is " + s.indexDim() + "-d: run fit again before evaluate");
        return r;
    }

    static StepReport fit(FaceState s, Args a, StepContext ctx) {
        s.ensureBuilt("fit");
        if (s.testIds.isEmpty()) throw new ModelworkException("No evaluation identities to enrol", "fit", "run split first");
        List<Path> files = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String id : s.testIds) for (Path f : s.galleryProbes(id).get(0)) { files.add(f); ids.add(id); }
        float[][] e = s.embed(files);
        List<float[]> keep = new ArrayList<>();
        List<String> kIds = new ArrayList<>(), kPaths = new ArrayList<>(), missed = new ArrayList<>();
        for (int i = 0; i < e.length; i++) {
            if (e[i] == null) { missed.add(s.root.relativize(files.get(i)).toString()); continue; }
            keep.add(e[i]);
            kIds.add(ids.get(i));
            kPaths.add(files.get(i).toString());
        }
        s.indexEmb = keep.toArray(new float[0][]);
        s.indexIds = kIds;
        s.indexPaths = kPaths;
        s.templates = FaceMetrics.templates(s.indexEmb, s.indexIds);
        ctx.invalidate(io.modelwork.core.Step.CALIBRATE);
        StepReport r = new StepReport("fit", "Enrolled " + s.templates.size() + " identities");
        r.body().put("identities", s.templates.size()).put("embeddings", s.indexEmb.length).put("dim", s.dim)
                .put("gallery_per_identity", s.gallery).put("images_without_face", missed.size());
        r.table(Tables.keyValues("Index", Map.of("identities", s.templates.size(), "gallery embeddings", s.indexEmb.length,
                "template", "re-normalised mean of an identity's embeddings", "dimension", s.dim)));
        r.note("fit enrols the gallery: the embedding index is the trained state; fine-tuning the embedding network is not possible here "
                + "(the ONNX models are inference-only)");
        if (!missed.isEmpty()) r.note("no face found (not enrolled): " + missed);
        String tiny = s.tinyNote(files);
        if (!tiny.isEmpty()) r.note(tiny);
        return r;
    }
}
