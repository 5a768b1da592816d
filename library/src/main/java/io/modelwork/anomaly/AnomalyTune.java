package io.modelwork.anomaly;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.StepContext;
import io.modelwork.tune.*;
import io.modelwork.vision.ImageDataset.Item;
import io.modelwork.vision.Images;
import io.modelwork.vision.Preprocessing;

import java.util.*;

/**
 * tune of {@code anomaly.patchcore} through the shared {@link Tuning} (over {@link Tuner}): feature layers, image
 * resolution, coreset ratio and k, scored by image AUROC on the validation images (never the test images).
 *
 * <p>The space (key {@code space=}, default built from the current model) takes {@code layers} (backbone outputs
 * joined with {@code +}, e.g. {@code layers=features_stride8+features_stride16|features_stride8}), {@code resolution}
 * (the resize side; with a backbone of fixed input side S, a resolution R &gt; S is resized to R and centre-cropped to
 * S, as anomalib's Resize + CenterCrop; a backbone with a dynamic input gets R×R), {@code coreset_ratio} and
 * {@code k}. The budget is {@code trials=} (default 6; grid search draws a seeded random subset of the grid when it is
 * larger) and optionally {@code budget_s=} (no trial starts after that many seconds; those left are recorded as
 * failed "time budget spent").
 *
 * <p>Feature caching, so that trials differing only in k or the coreset ratio cost one nearest-neighbour pass: the
 * backbone runs once per resolution (training images with the flips of prepare_data, and validation images), for all
 * the layers in the space at once; per (layers, resolution) the patch embedding is built from those maps once and
 * greedy k-center selection runs once, at the largest ratio asked for. Selection is sequential, so the coreset of a
 * smaller ratio is a prefix of a larger one (same data, same seed); the seed is the one fit uses, so the trial of the
 * current configuration reproduces the current model exactly. Trials therefore ignore the tuner's per-trial seed: the
 * objective is deterministic.
 *
 * <p>The best configuration is applied by {@link Tuning#decide}: only when its trial beats the current model on
 * validation; the refit takes the best trial's memory bank from the cache and re-scores validation through the
 * model's own scoring path (a fresh feature pass with the new preprocessing and layers), and is kept only when that
 * beats the current model; otherwise every setting is restored and the report says so.
 */
final class AnomalyTune {
    static final Options OPTIONS = Tuning.OPTIONS.without("strategy", "trials", "max_budget", "min_budget", "eta").plus(
            Option.choice("strategy", "grid", List.of("grid", "random", "tpe"), "search strategy"),
            Option.integer("trials", 6, 1, 10_000, "configurations tried (grid: a random subset of the grid when it is larger)"),
            Option.number("budget_s", null, 1.0, 1e7, "no trial starts after this many seconds"));
    static final Set<String> PARAMS = Set.of("layers", "resolution", "coreset_ratio", "k");
    static final String METRIC = "image_auroc";

    private AnomalyTune() { }

    /** The backbone maps of one resolution, per batch, for every layer in the search. */
    private record Raw(Preprocessing pre, List<PatchCore.Maps> train, List<PatchCore.Maps> validation) { }

    /** One (layers, resolution): the bank at the largest ratio selected so far, and the validation embedding. */
    private static final class Keyed {
        String[] layers;
        int[] heights;
        int channels, trainPatches, selected = -1;
        float[] bank, validation;
        double radius;
        Preprocessing pre;
    }

    static StepReport tune(AnomalyState s, Args a, StepContext ctx) {
        s.ensureFitted("tune");
        if (s.validation.stream().noneMatch(Item::normal) || s.validation.stream().allMatch(Item::normal))
            throw new ModelworkException("Validation needs normal and defect images to tune on image AUROC", "tune",
                    "split with validation > 0 (the test folder's classes are split between validation and test)");
        SearchSpace space = Tuning.space(a, defaultSpace(s));
        for (String n : space.names())
            if (!PARAMS.contains(n))
                throw new ModelworkException("Unknown anomaly tuning parameter '" + n + "'", "tune space=",
                        "tune " + String.join(", ", new TreeSet<>(PARAMS)) + " (e.g. space=\"resolution=224|256 k=1|9\")");
        boolean[] pos = new boolean[s.validation.size()];
        for (int i = 0; i < pos.length; i++) pos[i] = !s.validation.get(i).normal();
        double current = AnomalyMetrics.auroc(AnomalyModel.score(s, "validation", s.validation, ctx.progress(), "tune").scores(), pos);
        Map<String, Object> currentCfg = new LinkedHashMap<>();
        currentCfg.put("layers", String.join("+", s.layers));
        currentCfg.put("resolution", s.pre.resize());
        currentCfg.put("coreset_ratio", s.coresetRatio);
        currentCfg.put("k", s.k);
        String[] union = union(s, space);
        Snapshot before = new Snapshot(s);
        double maxRatio = maxRatio(space, s.coresetRatio);
        long seed = ctx.run().seedFor("coreset");
        Map<Integer, Raw> raws = new HashMap<>();
        Map<String, Keyed> keyed = new HashMap<>();
        int[] coresets = {0};
        long t0 = System.nanoTime();
        Double budgetS = a.has("budget_s") ? a.getDouble("budget_s", 0) : null;
        int[] started = {0}, skipped = {0};
        Objective objective = (p, budget, trialSeed) -> {
            if (budgetS != null && started[0] > 0 && (System.nanoTime() - t0) / 1e9 > budgetS) {
                skipped[0]++;
                throw new ModelworkException("time budget spent", "tune budget_s=" + budgetS, "raise budget_s= or lower trials=");
            }
            started[0]++;
            Map<String, Object> c = merge(currentCfg, p);
            Keyed f = features(s, c, union, maxRatio, seed, raws, keyed, coresets, ctx);
            return validationAuroc(s, f, ratio(c), intOf(c.get("k")), pos);
        };
        TunerConfig cfg = Tuning.config(a.with("threads", 1).with("strategy", a.getString("strategy", "grid"))
                .with("trials", a.getInt("trials", 6)), ctx, METRIC, Direction.MAXIMIZE, 1);
        TuningReport tr = Tuning.run(ctx, space, objective, cfg);
        StepReport r = Tuning.report(a.getString("strategy", "grid"), tr, current);
        Map<String, Object> best = merge(currentCfg, tr.bestParams());
        boolean[] refitted = {false};
        boolean keep = Tuning.decide(r, tr, current, a.getBool("apply", true), () -> {
            refitted[0] = true;
            Keyed f = features(s, best, union, maxRatio, seed, raws, keyed, coresets, ctx);
            apply(s, f, ratio(best), intOf(best.get("k")));
            return AnomalyMetrics.auroc(AnomalyModel.score(s, "validation", s.validation, ctx.progress(), "tune").scores(), pos);
        });
        if (refitted[0] && !keep) before.restore(s);
        if (keep) {
            ctx.invalidate(Step.EVALUATE);
            ctx.invalidate(Step.CALIBRATE);
        }
        long other = tr.trials().stream().filter(t -> t.value() != null).map(t -> merge(currentCfg, t.params()))
                .filter(c -> !String.join("+", split(String.valueOf(c.get("layers")))).equals(currentCfg.get("layers")) || !currentCfg.get("resolution").equals(intOf(c.get("resolution")))).count();
        ObjectNode b = r.body();
        b.put("trials", tr.trials().size()).put("feature_passes", raws.size()).put("feature_sets", keyed.size()).put("coresets", coresets[0])
                .put("trials_other_features", other).put("current_validation_image_auroc", current)
                .put("best_validation_image_auroc", tr.bestValue()).put("layers", String.join("+", s.layers))
                .put("resolution", s.pre.resize()).put("input_size", s.pre.size()).put("coreset_ratio", s.coresetRatio).put("k", s.k);
        if (skipped[0] > 0) b.put("skipped_by_budget", skipped[0]);
        r.table(Tables.keyValues("Feature cache", Map.of("backbone passes (one per resolution)", raws.size(),
                "feature sets (layers × resolution)", keyed.size(), "coreset selections", coresets[0], "trials", tr.trials().size())));
        r.note("scored on the " + s.validation.size() + " validation images (the test images are not seen); trials that differ only in k or "
                + "coreset_ratio reuse the cached features and coreset (a smaller ratio is a prefix of the selection)");
        if (skipped[0] > 0) r.note(skipped[0] + " trial(s) not run: budget_s=" + budgetS + " was spent");
        return r;
    }

    /** Current layers and each single layer; the current resolution and 32 px more; k 1, 3, 9; ratio /2, ×1, ×2. */
    static SearchSpace defaultSpace(AnomalyState s) {
        List<Object> layers = new ArrayList<>(List.of(String.join("+", s.layers)));
        if (s.layers.length > 1) for (String l : s.layers) layers.add(l);
        List<Object> ks = new ArrayList<>(List.of(1, 3, 9));
        if (!ks.contains(s.k)) ks.add(s.k);
        List<Object> ratios = new ArrayList<>(List.of(s.coresetRatio / 2, s.coresetRatio));
        if (s.coresetRatio * 2 <= 1) ratios.add(s.coresetRatio * 2);
        return SearchSpace.builder().add("layers", new Param.Choice(layers))
                .add("resolution", new Param.Choice(new ArrayList<>(List.of(s.pre.resize(), s.pre.resize() + 32))))
                .add("coreset_ratio", new Param.Choice(ratios)).add("k", new Param.Choice(ks)).build();
    }

    /** Features, memory bank and validation embedding for the (layers, resolution) of {@code c}, from the caches. */
    private static Keyed features(AnomalyState s, Map<String, Object> c, String[] union, double maxRatio, long seed,
                                  Map<Integer, Raw> raws, Map<String, Keyed> keyed, int[] coresets, StepContext ctx) {
        int res = intOf(c.get("resolution"));
        String[] layers = layers(s, String.valueOf(c.get("layers")), union);
        Raw raw = raws.get(res);
        if (raw == null) {
            Preprocessing pre = preprocessing(s, res);
            raw = new Raw(pre, maps(s, pre, s.train, s.flips, union, ctx, "features at resolution " + res + " (train)"),
                    maps(s, pre, s.validation, false, union, ctx, "features at resolution " + res + " (validation)"));
            raws.put(res, raw);
        }
        int[] idx = new int[layers.length];
        for (int i = 0; i < layers.length; i++) idx[i] = Arrays.asList(union).indexOf(layers[i]);
        PatchCore.Maps first = raw.train().get(0);
        // finest map first (it sets the patch grid)
        Integer[] order = Arrays.stream(idx).boxed().sorted((u, v) -> Integer.compare(first.heights()[v], first.heights()[u])).toArray(Integer[]::new);
        String key = res + "/" + String.join("+", Arrays.stream(order).map(i -> union[i]).toArray(String[]::new));
        Keyed f = keyed.get(key);
        double ratio = ratio(c);
        if (f == null) {
            f = new Keyed();
            f.pre = raw.pre();
            f.layers = Arrays.stream(order).map(i -> union[i]).toArray(String[]::new);
            f.heights = Arrays.stream(order).mapToInt(i -> first.heights()[i]).toArray();
            f.channels = Arrays.stream(order).mapToInt(i -> first.channels()[i]).sum();
            int grid = f.heights[0];
            for (int l = 0; l < f.heights.length; l++)
                if (f.heights[l] != first.widths()[order[l]] || grid % f.heights[l] != 0)
                    throw new ModelworkException("Layers " + String.join("+", f.layers) + " do not give square maps whose sides divide "
                            + grid, "tune layers=", "tune layer sets whose maps nest, e.g. layers=" + AnomalyModel.DEFAULT_LAYERS.replace(',', '+'));
            if (f.pre.size() % grid != 0)
                throw new ModelworkException("Input size " + f.pre.size() + " is not a multiple of the patch grid " + grid, "tune resolution=",
                        "tune resolutions whose input is a multiple of " + grid);
            f.validation = embed(raw.validation(), order);
            keyed.put(key, f);
        }
        // (re)select when the cached selection is too short, or is the whole set (size ≥ n is not selection-ordered)
        if (f.bank == null || f.selected < size(f.trainPatches, ratio) || f.selected >= f.trainPatches && size(f.trainPatches, ratio) < f.trainPatches) {
            float[] emb = embed(raw.train(), order);
            int n = emb.length / f.channels;
            double r = Math.max(ratio, maxRatio);
            if (size(n, r) >= n && size(n, ratio) < n) r = ratio; // the full set is not selection-ordered
            ctx.progress().update("tune", 0, 1, String.format(Locale.ROOT, "coreset of %s at ratio %.4g", key, r));
            PatchCore.Coreset cs = PatchCore.coreset(emb, n, f.channels, r, seed, s.threads, null);
            coresets[0]++;
            f.bank = new float[cs.indices().length * f.channels];
            for (int i = 0; i < cs.indices().length; i++) System.arraycopy(emb, cs.indices()[i] * f.channels, f.bank, i * f.channels, f.channels);
            f.selected = cs.indices().length;
            f.trainPatches = n;
            f.radius = cs.coverageRadius();
        }
        return f;
    }

    private static double validationAuroc(AnomalyState s, Keyed f, double ratio, int k, boolean[] pos) {
        int rows = Math.min(f.selected, size(f.trainPatches, ratio));
        Scorer sc = new Scorer(Arrays.copyOf(f.bank, rows * f.channels), f.channels, k, f.heights[0], f.pre.size(), s.threads);
        int n = pos.length, p = f.heights[0] * f.heights[0], chunk = Math.max(1, s.batch);
        float[] scores = new float[n];
        for (int start = 0; start < n; start += chunk) {
            int nb = Math.min(chunk, n - start);
            float[] part = Arrays.copyOfRange(f.validation, start * p * f.channels, (start + nb) * p * f.channels);
            System.arraycopy(sc.score(part, nb).scores(), 0, scores, start, nb);
        }
        return AnomalyMetrics.auroc(scores, pos);
    }

    /** Puts a tuned configuration into the state (bank from the cache; thresholds cleared). */
    private static void apply(AnomalyState s, Keyed f, double ratio, int k) {
        int rows = Math.min(f.selected, size(f.trainPatches, ratio));
        s.pre = f.pre;
        s.layers = f.layers.clone();
        s.heights = f.heights.clone();
        s.channels = f.channels;
        s.coresetRatio = ratio;
        s.k = k;
        s.bank = Arrays.copyOf(f.bank, rows * f.channels);
        s.trainPatches = f.trainPatches;
        s.imageThreshold = null;
        s.pixelThreshold = null;
        s.targetFpr = null;
        ObjectNode fs = s.fitStats.deepCopy();
        fs.put("train_patches", f.trainPatches).put("bank_rows", rows).put("embedding_dim", f.channels)
                .put("bank_mb", s.bank.length * 4 / 1e6).put("tuned", true);
        if (rows == f.selected) fs.put("coverage_radius", f.radius); else fs.remove("coverage_radius");
        s.fitStats = fs;
        s.modelChanged();
    }

    /** Everything {@link #apply} changes, to put back when the refit does not beat the current model. */
    private static final class Snapshot {
        final Preprocessing pre;
        final String[] layers;
        final int[] heights;
        final int channels, k, trainPatches;
        final double ratio;
        final float[] bank;
        final ObjectNode fitStats;
        final Double imageThreshold, pixelThreshold, targetFpr;

        Snapshot(AnomalyState s) {
            pre = s.pre; layers = s.layers; heights = s.heights; channels = s.channels; k = s.k; trainPatches = s.trainPatches;
            ratio = s.coresetRatio; bank = s.bank; fitStats = s.fitStats;
            imageThreshold = s.imageThreshold; pixelThreshold = s.pixelThreshold; targetFpr = s.targetFpr;
        }

        void restore(AnomalyState s) {
            s.pre = pre; s.layers = layers; s.heights = heights; s.channels = channels; s.k = k; s.trainPatches = trainPatches;
            s.coresetRatio = ratio; s.bank = bank; s.fitStats = fitStats;
            s.imageThreshold = imageThreshold; s.pixelThreshold = pixelThreshold; s.targetFpr = targetFpr;
            s.modelChanged();
        }
    }

    /**
     * The preprocessing of resolution {@code res}: the current one when equal; with a fixed backbone input side S,
     * resize to res and centre-crop to S (res ≥ S); with a dynamic input, res×res.
     */
    static Preprocessing preprocessing(AnomalyState s, int res) {
        if (res == s.pre.resize()) return s.pre;
        long[] in = s.backbone.inputs().get(s.input);
        boolean fixed = in != null && in.length == 4 && in[2] > 0 && in[3] > 0;
        int side = fixed ? (int) in[2] : res;
        if (fixed && res < side)
            throw new ModelworkException("Resolution " + res + " is below the backbone's fixed input " + side + "×" + side, "tune resolution=",
                    "tune resolutions ≥ " + side + " (they are resized, then centre-cropped to " + side + ")");
        return new Preprocessing(res, res == side ? 0 : side, s.pre.mean(), s.pre.std());
    }

    /** Backbone maps of {@code items} (with flips) under {@code pre}, batched, for the {@code layers}. */
    private static List<PatchCore.Maps> maps(AnomalyState s, Preprocessing pre, List<Item> items, boolean flips, String[] layers,
                                             StepContext ctx, String what) {
        int size = pre.size(), plane = 3 * size * size, per = flips ? 2 : 1;
        List<PatchCore.Maps> out = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int start = 0; start < items.size(); start += s.batch) {
            int nb = Math.min(s.batch, items.size() - start);
            float[] x = new float[nb * per * plane];
            for (int i = 0; i < nb; i++) {
                pre.tensor(Images.read(items.get(start + i).path()).rgb(), x, i * per * plane);
                if (flips) {
                    System.arraycopy(x, i * per * plane, x, (i * per + 1) * plane, plane);
                    pre.flip(x, (i * per + 1) * plane);
                }
            }
            out.add(PatchCore.maps(s.backbone, s.input, x, nb * per, size, layers));
            int done = start + nb;
            double el = (System.nanoTime() - t0) / 1e9;
            ctx.progress().update("tune", done, items.size(), String.format(Locale.ROOT, "%s %d/%d, ETA %.0f s", what, done, items.size(),
                    el / done * (items.size() - done)));
            if (Thread.currentThread().isInterrupted())
                throw new ModelworkException("Tuning was interrupted", "tune", "run tune again");
        }
        return out;
    }

    /** The patch embedding of the layers {@code order} (indices into the maps), over all batches. */
    private static float[] embed(List<PatchCore.Maps> batches, Integer[] order) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (PatchCore.Maps m : batches) {
            int L = order.length;
            float[][] d = new float[L][];
            int[] c = new int[L], h = new int[L], w = new int[L];
            for (int i = 0; i < L; i++) {
                d[i] = m.data()[order[i]];
                c[i] = m.channels()[order[i]];
                h[i] = m.heights()[order[i]];
                w[i] = m.widths()[order[i]];
            }
            float[] e = PatchCore.embed(new PatchCore.Maps(d, m.n(), c, h, w));
            parts.add(e);
            total += e.length;
        }
        float[] out = new float[total];
        int off = 0;
        for (float[] e : parts) { System.arraycopy(e, 0, out, off, e.length); off += e.length; }
        return out;
    }

    /** Every backbone output named by the current model or the space's layer sets (checked against the backbone). */
    private static String[] union(AnomalyState s, SearchSpace space) {
        LinkedHashSet<String> u = new LinkedHashSet<>(Arrays.asList(s.layers));
        Param p = space.param("layers");
        if (p != null) {
            if (!p.enumerable()) throw new ModelworkException("layers must be a list of layer sets", "tune space= layers",
                    "e.g. layers=features_stride8+features_stride16|features_stride8");
            for (Object v : p.gridValues()) u.addAll(split(String.valueOf(v)));
        }
        for (String l : u)
            if (!s.backbone.outputs().containsKey(l))
                throw new ModelworkException("The backbone has no output '" + l + "'", "tune space= layers",
                        didYouMean(l, s.backbone.outputs().keySet()) + "use outputs of " + s.backbonePath.getFileName() + ": "
                                + s.backbone.outputs().keySet() + ", joined with +");
        return u.toArray(String[]::new);
    }

    private static String didYouMean(String k, Collection<String> valid) {
        String c = Options.closest(k, valid);
        return c == null ? "" : "did you mean '" + c + "'? ";
    }

    private static String[] layers(AnomalyState s, String v, String[] union) {
        List<String> l = split(v);
        if (l.isEmpty()) throw new ModelworkException("An empty layer set", "tune layers=", "join outputs with +, e.g. " + String.join("+", s.layers));
        return l.toArray(String[]::new);
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        for (String x : v.split("[+,]")) if (!x.isBlank()) out.add(x.trim());
        return out;
    }

    private static double maxRatio(SearchSpace space, double dflt) {
        Param p = space.param("coreset_ratio");
        double m = dflt;
        if (p == null) return m;
        if (p instanceof Param.Uniform u) return Math.max(m, u.hi());
        if (p instanceof Param.LogUniform u) return Math.max(m, u.hi());
        for (Object v : p.gridValues()) m = Math.max(m, ((Number) v).doubleValue());
        return Math.min(1, m);
    }

    private static int size(int n, double ratio) { return Math.max(1, (int) (n * ratio)); }

    private static double ratio(Map<String, Object> c) {
        double r = ((Number) c.get("coreset_ratio")).doubleValue();
        if (!(r > 0 && r <= 1)) throw new ModelworkException("coreset_ratio " + r + " is outside (0, 1]", "tune coreset_ratio=", "tune ratios in (0, 1]");
        return r;
    }

    private static int intOf(Object o) { return o instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(o).trim()); }

    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> p) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.putAll(p);
        return m;
    }
}
