package io.modelwork.asr;

import io.modelwork.audio.SileroVad;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.metrics.WordErrorRate;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.shared.Tuning;
import io.modelwork.tune.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tune: a grid over the segmentation (VAD threshold × segment length, VAD on) through the engine-neutral
 * {@link io.modelwork.tune.Tuner} ({@link Tuning}), scored by WER on the training utterances; the best setting is
 * applied only when it beats the current one.
 */
final class AsrTuning {
    private AsrTuning() {}

    static StepReport tune(AsrState s, Args a, StepContext ctx) {
        double[] thresholds = a.getDoubles("vad_threshold", new double[]{0.35, 0.5, 0.65});
        double[] segLens = a.getDoubles("seg_len", new double[]{10, 30});
        double beam0 = s.beam();
        double[] beams = a.has("beam") ? a.getDoubles("beam", new double[]{beam0}) : new double[]{beam0};
        WordErrorRate.Normalize n = WordErrorRate.Normalize.of(a.getString("normalize", "basic"));
        List<AsrDataset.Utterance> us = s.utterances(s.train).stream().filter(AsrDataset.Utterance::hasText).toList();
        if (us.isEmpty())
            throw new ModelworkException("No training utterance with a transcript to tune on", "tune",
                    "split with test_fraction < 1 so that the training set has transcribed utterances");
        String vad0 = s.vad;
        SileroVad.Config cfg0 = s.vadConfig;
        double seg0 = s.segLen;
        Map<String, Transcript> cache0 = new LinkedHashMap<>(s.cache);
        double base = wer(s, us, n);
        List<Object> thr = new ArrayList<>(), seg = new ArrayList<>(), bm = new ArrayList<>();
        for (double v : thresholds) thr.add(v);
        for (double v : segLens) seg.add(v);
        for (double v : beams) bm.add(v);
        SearchSpace.Builder sb = SearchSpace.builder().add("vad_threshold", new Param.Choice(thr)).add("seg_len", new Param.Choice(seg));
        if (a.has("beam")) sb.add("beam", new Param.Choice(bm));
        SearchSpace space = sb.build();
        // one recogniser: trials run one at a time (threads=1); each trial's transcripts are kept for the winner
        TunerConfig cfg = TunerConfig.builder("grid").maxTrials(thr.size() * seg.size() * bm.size()).threads(1)
                .seed(ctx.run().seedFor("tune")).metric("train_wer", Direction.MINIMIZE).maxBudget(1).build();
        Map<Map<String, Object>, Map<String, Transcript>> caches = new java.util.HashMap<>();
        Objective objective = (params, budget, seed) -> {
            s.vad = "on";
            s.segLen = ((Number) params.get("seg_len")).doubleValue();
            s.vadConfig = cfg0.withThreshold(((Number) params.get("vad_threshold")).doubleValue());
            if (params.containsKey("beam") && ((Number) params.get("beam")).doubleValue() != s.beam())
                s.useBeam(((Number) params.get("beam")).doubleValue());
            for (AsrDataset.Utterance u : us) s.cache.remove(u.id());
            double w = wer(s, us, n);
            caches.put(Map.copyOf(params), new LinkedHashMap<>(s.cache));
            return w;
        };
        TuningReport tr = Tuning.run(ctx, space, objective, cfg);
        StepReport r = Tuning.report("grid", tr, base);
        // transcription is deterministic: the refit of the best setting is its trial
        boolean applied = Tuning.decide(r, tr, base, true, tr::bestValue);
        if (applied) {
            Map<String, Object> best = tr.bestParams();
            s.vad = "on";
            s.vadConfig = cfg0.withThreshold(((Number) best.get("vad_threshold")).doubleValue());
            s.segLen = ((Number) best.get("seg_len")).doubleValue();
            if (best.containsKey("beam") && ((Number) best.get("beam")).doubleValue() != s.beam()) s.useBeam(((Number) best.get("beam")).doubleValue());
            s.cache.clear();
            s.cache.putAll(caches.get(Map.copyOf(best)));
            for (String id : s.test) s.cache.remove(id);
            ctx.invalidate(Step.EVALUATE);
        } else {
            s.vad = vad0;
            s.vadConfig = cfg0;
            s.segLen = seg0;
            if (s.beam() != beam0) s.useBeam(beam0);
            s.cache.clear();
            s.cache.putAll(cache0);
        }
        r.body().put("baseline_wer", base).put("best_wer", applied ? tr.bestValue() : base).put("trials", tr.trials().size());
        r.body().set("settings", s.settingsJson());
        r.body().put("beam", s.beam());
        r.note("scored on the " + us.size() + " training utterances; the test set is never seen by tune");
        return r;
    }

    private static double wer(AsrState s, List<AsrDataset.Utterance> us, WordErrorRate.Normalize n) {
        List<String> refs = new ArrayList<>(), hyps = new ArrayList<>();
        for (AsrDataset.Utterance u : us) { refs.add(u.text()); hyps.add(s.transcribe(u).text()); }
        return WordErrorRate.corpus(refs, hyps, n).wer();
    }
}
