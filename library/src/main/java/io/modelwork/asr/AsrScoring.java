package io.modelwork.asr;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.metrics.WordErrorRate;
import io.modelwork.metrics.WordErrorRate.Normalize;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** evaluate (WER/CER as jiwer defines them, per utterance, alignments, worst cases) and calibrate (word confidence). */
final class AsrScoring {
    private AsrScoring() {}

    private static List<AsrDataset.Utterance> scored(AsrState s, String on) {
        List<String> ids = switch (on) {
            case "train" -> s.train;
            case "all" -> { List<String> x = new ArrayList<>(s.train); x.addAll(s.test); yield x; }
            default -> s.test;
        };
        List<AsrDataset.Utterance> us = s.utterances(ids).stream().filter(AsrDataset.Utterance::hasText).toList();
        if (us.isEmpty())
            throw new ModelworkException("No utterance with a transcript in the " + on + " set", "evaluate on=" + on,
                    on.equals("test") ? "split with test_fraction > 0, or evaluate on=all" : "give transcripts for the audio files");
        return us;
    }

    static StepReport evaluate(AsrState s, Args a, StepContext ctx) {
        String on = a.getString("on", "test");
        Normalize n = Normalize.of(a.getString("normalize", "basic"));
        List<AsrDataset.Utterance> us = scored(s, on);
        List<String> refs = new ArrayList<>(), hyps = new ArrayList<>();
        int i = 0;
        for (AsrDataset.Utterance u : us) {
            ctx.progress().update("evaluate", ++i, us.size(), u.id());
            refs.add(u.text());
            hyps.add(s.transcribe(u).text());
        }
        WordErrorRate.Result res = WordErrorRate.corpus(refs, hyps, n);
        StepReport r = new StepReport("evaluate", String.format("WER %.4f, CER %.4f on %d utterances (%s set, normalize=%s)",
                res.wer(), res.cer(), us.size(), on, n.name().toLowerCase()));
        ObjectNode b = r.body();
        b.put("wer", res.wer()).put("cer", res.cer()).put("on", on).put("normalize", n.name().toLowerCase())
                .put("substitutions", res.words().substitutions()).put("deletions", res.words().deletions())
                .put("insertions", res.words().insertions()).put("hits", res.words().hits()).put("ref_words", res.words().refLength())
                .put("utterances", us.size());
        b.putObject("metrics").putObject(on.equals("train") ? "train" : "test").put("wer", res.wer()).put("cer", res.cer());
        Table t = Table.create("per utterance");
        StringColumn id = StringColumn.create("id"), ref = StringColumn.create("reference"), hyp = StringColumn.create("hypothesis");
        DoubleColumn wer = DoubleColumn.create("wer");
        IntColumn sc = IntColumn.create("S"), dc = IntColumn.create("D"), ic = IntColumn.create("I"), nc = IntColumn.create("words");
        ArrayNode per = b.putArray("per_utterance");
        for (int k = 0; k < us.size(); k++) {
            WordErrorRate.Alignment al = res.utterances().get(k);
            id.append(us.get(k).id()); ref.append(refs.get(k)); hyp.append(hyps.get(k)); wer.append(al.rate());
            sc.append(al.substitutions()); dc.append(al.deletions()); ic.append(al.insertions()); nc.append(al.refLength());
            per.addObject().put("id", us.get(k).id()).put("reference", refs.get(k)).put("hypothesis", hyps.get(k))
                    .put("wer", al.rate()).put("substitutions", al.substitutions()).put("deletions", al.deletions())
                    .put("insertions", al.insertions()).put("ref_words", al.refLength()).put("alignment", al.text());
        }
        t.addColumns(id, nc, wer, sc, dc, ic, ref, hyp);
        r.table(t);
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < us.size(); k++) order.add(k);
        order.sort(Comparator.comparingDouble((Integer k) -> -res.utterances().get(k).rate()).thenComparing(k -> us.get(k).id()));
        List<GalleryItem> worst = new ArrayList<>();
        StringBuilder view = new StringBuilder();
        for (int k : order.subList(0, Math.min(a.getInt("worst", 5), order.size()))) {
            WordErrorRate.Alignment al = res.utterances().get(k);
            if (al.errors() == 0) break;
            Map<String, String> f = new LinkedHashMap<>();
            f.put("alignment", al.text());
            f.put("S/D/I", al.substitutions() + "/" + al.deletions() + "/" + al.insertions());
            worst.add(new GalleryItem(us.get(k).id(), refs.get(k), hyps.get(k), al.rate(), f, us.get(k).audio().toString(), "audio/wav"));
            view.append(us.get(k).id()).append(String.format(" (WER %.3f)%n", al.rate())).append(al.text()).append("\n\n");
        }
        r.gallery(worst);
        if (!view.isEmpty()) r.note("worst utterances, errors in capitals (*** = missing word):\n" + view.toString().strip());
        r.note("WER = (S+D+I)/N summed over the corpus, as jiwer computes it; CER counts spaces; normalize=" + n.name().toLowerCase());
        return r;
    }

    /**
     * The lowest word-confidence threshold whose kept words are correct with at least {@code target_precision}
     * (correct = aligned as a match to the reference), over the cached training transcripts; written to
     * {@code thresholds.json} in the run folder and exported.
     */
    static StepReport calibrate(AsrState s, Args a, StepContext ctx) {
        double target = a.getDouble("target_precision", 0.95);
        Normalize n = Normalize.of(a.getString("normalize", "basic"));
        List<AsrDataset.Utterance> us = s.utterances(s.train).stream().filter(AsrDataset.Utterance::hasText).toList();
        if (us.isEmpty())
            throw new ModelworkException("No training utterance with a transcript to calibrate on", "calibrate",
                    "split with test_fraction < 1 so that the training set has transcribed utterances");
        List<double[]> words = new ArrayList<>(); // {conf, correct}
        for (AsrDataset.Utterance u : us) {
            Transcript t = s.transcribe(u);
            List<String> hw = new ArrayList<>();
            List<Double> conf = new ArrayList<>();
            for (Transcript.Word w : t.words()) {
                List<String> pieces = WordErrorRate.words(w.word(), n);
                for (String p : pieces) { hw.add(p); conf.add(w.conf()); }
            }
            WordErrorRate.Alignment al = WordErrorRate.align(WordErrorRate.words(u.text(), n), hw);
            int h = 0;
            for (WordErrorRate.Op op : al.ops()) {
                if (op.hyp() == null) continue;
                words.add(new double[]{conf.get(h++), op.kind() == WordErrorRate.Kind.EQUAL ? 1 : 0});
            }
        }
        words.sort(Comparator.comparingDouble(w -> w[0]));
        int total = words.size();
        double[] thr = new double[total], prec = new double[total], kept = new double[total];
        double correctAbove = words.stream().mapToDouble(w -> w[1]).sum();
        double chosen = Double.NaN, chosenPrec = Double.NaN, chosenKept = 0;
        for (int k = 0; k < total; k++) {
            // keeping words k..total-1 (confidence ≥ words[k].conf)
            thr[k] = words.get(k)[0];
            prec[k] = correctAbove / (total - k);
            kept[k] = (total - k) / (double) total;
            if (Double.isNaN(chosen) && prec[k] >= target && (k == 0 || words.get(k - 1)[0] < thr[k])) {
                chosen = thr[k]; chosenPrec = prec[k]; chosenKept = kept[k];
            }
            correctAbove -= words.get(k)[1];
        }
        boolean reached = !Double.isNaN(chosen);
        if (!reached) { chosen = total == 0 ? 1.0 : words.get(total - 1)[0]; chosenPrec = total == 0 ? 0 : prec[total - 1]; chosenKept = total == 0 ? 0 : kept[total - 1]; }
        s.confThreshold = chosen;
        ObjectNode c = Json.object();
        c.put("word_confidence_threshold", chosen).put("target_precision", target).put("precision", chosenPrec)
                .put("kept_fraction", chosenKept).put("words", total).put("reached", reached).put("utterances", us.size())
                .put("normalize", n.name().toLowerCase()).put("fit_on", "train");
        s.calibration = c;
        AtomicFiles.writeString(ctx.run().runDir().resolve("thresholds.json"), Json.write(c));
        StepReport r = new StepReport("calibrate", String.format("Word-confidence threshold %.3f: precision %.3f, %.0f%% of words kept",
                chosen, chosenPrec, 100 * chosenKept));
        r.body().setAll(c);
        r.body().put("thresholds_file", ctx.run().runDir().resolve("thresholds.json").toString());
        r.chart(Chart.line("precision_vs_threshold", "Precision of kept words vs confidence threshold", "threshold", "value",
                List.of(Chart.Series.line("precision", thr, prec), Chart.Series.line("kept fraction", thr, kept))));
        if (!reached) r.note("no threshold reaches precision " + target + " on the training words; the highest one is used");
        r.note("calibrated on the cached training transcripts (" + total + " words); evaluate still scores the full text");
        return r;
    }
}
