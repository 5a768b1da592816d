package io.modelwork.face;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.StepContext;
import io.modelwork.tune.Direction;
import io.modelwork.tune.SearchSpace;
import io.modelwork.tune.TunerConfig;
import io.modelwork.tune.TuningReport;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.*;

/**
 * tune of the face category through {@link Tuning}: detector score ({@code min_score}), alignment on/off
 * ({@code align}), flip averaging ({@code flip}) and the embedding ({@code embedding=fr512|mobilefacenet}) scored by
 * TAR at {@code target_far} over every pair of the validation people (never the evaluation people). Trials run one at
 * a time (the ONNX sessions are shared); the best configuration is applied, and the gallery re-enrolled, only when it
 * beats the current pipeline on validation.
 */
final class FaceTune {
    static final Options OPTIONS = Tuning.OPTIONS.plus(Options.of(
            Option.number("target_far", 0.01, 1e-6, 0.5, "FAR at which validation TAR is maximised")));
    static final String DEFAULT_SPACE = "align=true|false flip=true|false";

    private FaceTune() { }

    static StepReport tune(FaceState s, Args a, StepContext ctx) {
        s.ensureFitted("tune");
        if (s.validationIds.isEmpty())
            throw new ModelworkException("No validation people to tune on", "tune", "run split validation=0.3 first");
        double far = a.getDouble("target_far", 0.01);
        String metric = "tar@far=" + far;
        SearchSpace space = Tuning.space(a, SearchSpace.parse(DEFAULT_SPACE));
        for (String n : space.names())
            if (!Set.of("min_score", "align", "flip", "embedding").contains(n))
                throw new ModelworkException("Unknown face tuning parameter '" + n + "'", "tune space=", "tune min_score, align, flip and embedding (e.g. space=\"embedding=fr512|mobilefacenet flip=true|false\")");
        List<Path> files = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String id : s.validationIds) for (Path f : s.people.get(id)) { files.add(f); ids.add(id); }
        List<BufferedImage> images = new ArrayList<>();
        for (Path f : files) images.add(FacePipeline.read(f));
        Map<String, FaceEmbedder> embedders = new HashMap<>();
        FaceEmbedder original = s.pipeline.embedder;
        embedders.put(s.embeddingArg, original);
        boolean[] refitted = {false};
        try {
            Map<String, Object> currentCfg = Map.of("min_score", (double) s.minScore, "align", s.align, "flip", s.flip, "embedding", s.embeddingArg);
            double current = score(s, images, ids, currentCfg, embedders, far);
            TunerConfig cfg = Tuning.config(a.with("threads", 1), ctx, metric, Direction.MAXIMIZE, 1);
            TuningReport tr = Tuning.run(ctx, space, (p, budget, seed) -> score(s, images, ids, merge(currentCfg, p), embedders, far), cfg);
            StepReport r = Tuning.report(a.getString("strategy", "tpe"), tr, current);
            Map<String, Object> best = merge(currentCfg, tr.bestParams());
            boolean keep = Tuning.decide(r, tr, current, a.getBool("apply", true), () -> {
                refitted[0] = true;
                apply(s, best, ctx);
                return score(s, images, ids, best, Map.of(s.embeddingArg, s.pipeline.embedder), far);
            });
            if (refitted[0] && !keep) apply(s, currentCfg, ctx);
            r.note("tuned on every pair of the " + s.validationIds.size() + " validation people; the evaluation people are not seen");
            return r;
        } finally {
            for (FaceEmbedder e : embedders.values()) if (e != original && (s.pipeline == null || e != s.pipeline.embedder)) e.close();
        }
    }

    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> p) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.putAll(p);
        return m;
    }

    static boolean bool(Object o) { return o instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(o)); }

    /** Validation TAR at {@code far} for one configuration (nothing in the state changes). */
    static double score(FaceState s, List<BufferedImage> images, List<String> ids, Map<String, Object> c,
                        Map<String, FaceEmbedder> embedders, double far) {
        String emb = String.valueOf(c.get("embedding"));
        FaceEmbedder e = embedders.computeIfAbsent(emb, k -> FaceEmbedder.load(k, s.threads));
        FacePipeline p = new FacePipeline(s.pipeline.detector, e);
        p.minScore = ((Number) c.get("min_score")).floatValue();
        p.align = bool(c.get("align"));
        p.flip = bool(c.get("flip"));
        p.cropFallback = s.cropFallback;
        List<FacePipeline.Result> rs = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            FacePipeline.Result r = p.main(images.get(i));
            if (r != null) { rs.add(r); kept.add(ids.get(i)); }
        }
        if (rs.size() < 2) return Double.NaN;
        return FaceMetrics.roc(FaceMetrics.allPairs(p.embed(rs), kept)).tarAt(far);
    }

    /** Puts a configuration into the state and re-enrols the gallery. */
    static void apply(FaceState s, Map<String, Object> c, StepContext ctx) {
        s.minScore = ((Number) c.get("min_score")).floatValue();
        s.align = bool(c.get("align"));
        s.flip = bool(c.get("flip"));
        String emb = String.valueOf(c.get("embedding"));
        if (!emb.equals(s.embeddingArg)) FaceModel.open(s, s.detectorName, emb);
        s.pipeline.minScore = s.minScore;
        s.pipeline.align = s.align;
        s.pipeline.flip = s.flip;
        s.pipelineChanged();
        FaceModel.fit(s, Args.empty(), ctx);
        ctx.invalidate(Step.EVALUATE);
        ctx.invalidate(Step.CALIBRATE);
    }
}
