package io.modelwork.asr;

import io.modelwork.audio.SileroVad;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.metrics.WordErrorRate;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tune: a grid over the segmentation (VAD threshold × segment length, VAD on), scored by WER on the training
 * utterances; the best setting is applied only when it beats the current one (the current setting is trial 0).
 */
final class AsrTuning {
    private AsrTuning() {}

    static StepReport tune(AsrState s, Args a, StepContext ctx) {
        double[] thresholds = a.getDoubles("vad_threshold", new double[]{0.35, 0.5, 0.65});
        double[] segLens = a.getDoubles("seg_len", new double[]{10, 30});
        WordErrorRate.Normalize n = WordErrorRate.Normalize.of(a.getString("normalize", "basic"));
        List<AsrDataset.Utterance> us = s.utterances(s.train).stream().filter(AsrDataset.Utterance::hasText).toList();
        if (us.isEmpty())
            throw new ModelworkException("No training utterance with a transcript to tune on", "tune",
                    "split with test_fraction < 1 so that the training set has transcribed utterances");
        String vad0 = s.vad;
        SileroVad.Config cfg0 = s.vadConfig;
        double seg0 = s.segLen;
        Map<String, Transcript> cache0 = new LinkedHashMap<>(s.cache);
        Table t = Table.create("trials");
        IntColumn trial = IntColumn.create("trial");
        StringColumn vadC = StringColumn.create("vad");
        DoubleColumn thrC = DoubleColumn.create("vad_threshold"), segC = DoubleColumn.create("seg_len"), werC = DoubleColumn.create("train_wer");
        double base = wer(s, us, n);
        trial.append(0); vadC.append(vad0); thrC.append(cfg0.threshold()); segC.append(seg0); werC.append(base);
        double best = base;
        double[] bestSetting = null;
        Map<String, Transcript> bestCache = null;
        int k = 0, total = thresholds.length * segLens.length;
        for (double seg : segLens)
            for (double thr : thresholds) {
                ctx.progress().update("tune", ++k, total, "vad_threshold=" + thr + " seg_len=" + seg);
                s.vad = "on";
                s.segLen = seg;
                s.vadConfig = cfg0.withThreshold(thr);
                for (AsrDataset.Utterance u : us) s.cache.remove(u.id());
                double w = wer(s, us, n);
                trial.append(k); vadC.append("on"); thrC.append(thr); segC.append(seg); werC.append(w);
                if (w < best) { best = w; bestSetting = new double[]{thr, seg}; bestCache = new LinkedHashMap<>(s.cache); }
            }
        t.addColumns(trial, vadC, thrC, segC, werC);
        boolean applied = bestSetting != null;
        if (applied) {
            s.vad = "on";
            s.vadConfig = cfg0.withThreshold(bestSetting[0]);
            s.segLen = bestSetting[1];
            s.cache.clear();
            s.cache.putAll(bestCache);
            for (String id : s.test) s.cache.remove(id);
            ctx.invalidate(Step.EVALUATE);
        } else {
            s.vad = vad0;
            s.vadConfig = cfg0;
            s.segLen = seg0;
            s.cache.clear();
            s.cache.putAll(cache0);
        }
        StepReport r = new StepReport("tune", applied
                ? String.format("Applied vad=on vad_threshold=%.2f seg_len=%.0f: train WER %.4f → %.4f", bestSetting[0], bestSetting[1], base, best)
                : String.format("Kept the current segmentation: no setting beat train WER %.4f", base));
        r.body().put("applied", applied).put("baseline_wer", base).put("best_wer", best).put("trials", total);
        r.body().set("settings", s.settingsJson());
        r.table(t);
        r.note("scored on the " + us.size() + " training utterances; the test set is never seen by tune");
        return r;
    }

    private static double wer(AsrState s, List<AsrDataset.Utterance> us, WordErrorRate.Normalize n) {
        List<String> refs = new ArrayList<>(), hyps = new ArrayList<>();
        for (AsrDataset.Utterance u : us) { refs.add(u.text()); hyps.add(s.transcribe(u).text()); }
        return WordErrorRate.corpus(refs, hyps, n).wer();
    }
}
