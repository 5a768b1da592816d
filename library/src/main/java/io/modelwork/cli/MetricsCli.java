package io.modelwork.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.asr.Transcripts;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.metrics.WordErrorRate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code modelwork metrics wer --ref REF.tsv --hyp HYP.tsv [--normalize none|lower|basic]}: jiwer's corpus WER and CER
 * of two transcript files matched by utterance id, printed as JSON
 * {@code {wer, cer, substitutions, deletions, insertions, ref_words, utterances}}.
 */
final class MetricsCli {
    private MetricsCli() {}

    static final String USAGE = "usage: modelwork metrics wer --ref REF.tsv --hyp HYP.tsv [--normalize none|lower|basic]\n"
            + "  REF/HYP: id<TAB>text lines (or the Sphinx transcription format); every reference id needs a hypothesis";

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("wer")) {
            (args.length == 0 ? err : args[0].equals("--help") ? out : err).println(USAGE);
            return args.length > 0 && args[0].equals("--help") ? 0 : 2;
        }
        Path ref = null, hyp = null;
        String norm = "none";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--ref" -> { if (i + 1 < args.length) ref = Path.of(args[++i]); }
                case "--hyp" -> { if (i + 1 < args.length) hyp = Path.of(args[++i]); }
                case "--normalize" -> { if (i + 1 < args.length) norm = args[++i]; }
                case "--help", "-h" -> { out.println(USAGE); return 0; }
                default -> { err.println("unexpected argument '" + args[i] + "'\n" + USAGE); return 2; }
            }
        }
        if (ref == null || hyp == null) { err.println(USAGE); return 2; }
        WordErrorRate.Normalize n = WordErrorRate.Normalize.of(norm);
        Map<String, Transcripts.Entry> r = Transcripts.read(ref), h = Transcripts.read(hyp);
        List<String> refs = new ArrayList<>(), hyps = new ArrayList<>();
        for (Transcripts.Entry e : r.values()) {
            Transcripts.Entry x = h.get(e.id());
            if (x == null) throw new ModelworkException("No hypothesis for utterance '" + e.id() + "'", hyp.toString(),
                    "add a line '" + e.id() + "<TAB>text' to the hypothesis file (an empty text counts as all deleted)");
            refs.add(e.text());
            hyps.add(x.text());
        }
        for (String id : h.keySet()) if (!r.containsKey(id))
            throw new ModelworkException("Hypothesis '" + id + "' has no reference", ref.toString(), "add it to the reference file or remove it from the hypotheses");
        WordErrorRate.Result res = WordErrorRate.corpus(refs, hyps, n);
        ObjectNode o = Json.object();
        o.put("wer", res.wer()).put("cer", res.cer())
                .put("substitutions", res.words().substitutions()).put("deletions", res.words().deletions())
                .put("insertions", res.words().insertions()).put("ref_words", res.words().refLength())
                .put("utterances", refs.size()).put("normalize", n.name().toLowerCase(java.util.Locale.ROOT));
        out.println(Json.write(o));
        return 0;
    }
}
