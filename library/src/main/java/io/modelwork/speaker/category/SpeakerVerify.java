package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.audio.AudioProfile;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.speaker.diarization.Backend;
import io.modelwork.speaker.diarization.Verification;
import io.modelwork.speaker.diarization.XVectors;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code speaker.verification}: one Vosk x-vector per utterance (the whole file), split by speaker (a speaker is never
 * in two sets), fit = the back end (mean, shrunk whitening, LDA with ≥ {@link Backend#MIN_LDA_SPEAKERS} speakers)
 * learnt on the training speakers, evaluate = cosine scores of every pair of test utterances as trials (same speaker =
 * target) with EER, minDCF and the DET curve, calibrate = the score threshold for a target false-acceptance rate on the
 * training speakers' trials (→ {@code thresholds.json}).
 *
 * <p>minDCF is the normalised minimum detection cost of NIST SRE and Kaldi's {@code compute_min_dcf.py}:
 * {@code min over thresholds of (c_miss·P_miss·p_target + c_fa·P_fa·(1−p_target)) / min(c_miss·p_target, c_fa·(1−p_target))},
 * by default {@code p_target = 0.01, c_miss = c_fa = 1}. speechbrain's {@code minDCF} (same defaults) returns the
 * unnormalised cost, reported beside it as {@code min_dcf_unnormalised}.
 */
final class SpeakerVerify {
    private SpeakerVerify() {}

    static boolean asked(Args a) {
        String t = a.getString("task", "");
        return t.equals("verification") || t.equals("speaker_verification");
    }

    static StepReport attach(SpeakerState s, Args a, StepContext ctx) {
        java.nio.file.Path path = java.nio.file.Path.of(a.requireString("path", "give path=FOLDER of utterances (FOLDER/<speaker>/x.wav or <speaker>_<n>.wav)"));
        SpeakerUtterances u = SpeakerUtterances.read(path, a.has("labels") ? java.nio.file.Path.of(a.getString("labels", null)) : null);
        s.reset();
        s.utterances = u;
        s.spec = "speaker.verification";
        Table t = Table.create("speakers");
        StringColumn sp = StringColumn.create("speaker"), issues = StringColumn.create("issues");
        IntColumn n = IntColumn.create("utterances");
        DoubleColumn secs = DoubleColumn.create("speech_s"), mean = DoubleColumn.create("mean_s");
        List<String> warnings = new ArrayList<>();
        int i = 0;
        for (var e : u.bySpeaker().entrySet()) {
            double tot = 0;
            int ok = 0;
            List<String> prob = new ArrayList<>();
            for (String id : e.getValue()) {
                ctx.progress().update("attach_dataset", ++i, u.audio().size(), id);
                try {
                    AudioProfile p = AudioDecoder.profile(u.audio().get(id));
                    if (p.frames() == 0) { s.excluded.put(id, "zero-length audio"); continue; }
                    if (p.silent()) { s.excluded.put(id, "silence only: no voice to embed"); continue; }
                    if (p.sampleRate() < 16_000) prob.add(id + ": " + p.sampleRate() + " Hz (upsampled to 16 kHz)");
                    if (p.durationSeconds() < 1.0) prob.add(String.format(Locale.ROOT, "%s: %.2f s (x-vectors of under a second are unreliable)", id, p.durationSeconds()));
                    s.durations.put(id, p.durationSeconds());
                    tot += p.durationSeconds();
                    ok++;
                } catch (ModelworkException ex) {
                    s.excluded.put(id, "unreadable: " + ex.what());
                }
            }
            if (ok == 1) prob.add("one utterance: in non-target trials only");
            sp.append(e.getKey()); n.append(ok); secs.append(tot); mean.append(ok == 0 ? 0 : tot / ok); issues.append(String.join("; ", prob));
            if (!prob.isEmpty()) warnings.add(e.getKey() + ": " + String.join("; ", prob));
        }
        t.addColumns(sp, n, secs, mean, issues);
        long speakers = u.bySpeaker().values().stream().filter(ids -> ids.stream().anyMatch(s.durations::containsKey)).count();
        if (speakers < 3)
            throw new ModelworkException("Verification needs utterances of at least 3 speakers (found " + speakers + ")", path.toString(),
                    "add speakers: split keeps each in one set, and the test set needs two for non-target trials");
        StepReport r = new StepReport("attach_dataset", "Verification data: " + s.durations.size() + " utterances of " + speakers + " speakers");
        ObjectNode b = r.body();
        b.put("category", "speaker").put("task", "verification").put("path", path.toString()).put("utterances", s.durations.size()).put("speakers", speakers);
        ObjectNode v = b.putObject("validation");
        ObjectNode ex = v.putObject("excluded");
        s.excluded.forEach(ex::put);
        warnings.forEach(v.putArray("warnings")::add);
        r.table(t);
        if (!s.excluded.isEmpty()) r.note("left out: " + s.excluded);
        warnings.forEach(r::note);
        return r;
    }

    static StepReport prepare(SpeakerState s, Args a, StepContext ctx) {
        StepReport r = new StepReport("prepare_data", "One x-vector per utterance (the whole file; Vosk keeps the frames its acoustic model finds voiced)");
        r.note("audio is decoded by FFmpeg to 16 kHz mono; x-vectors are computed on first use and cached with the state");
        return r;
    }

    static StepReport split(SpeakerState s, Args a, StepContext ctx) {
        List<String> spk = new ArrayList<>();
        s.utterances.bySpeaker().forEach((k, ids) -> { if (ids.stream().anyMatch(s.durations::containsKey)) spk.add(k); });
        Collections.shuffle(spk, new Random(ctx.run().seedFor("speaker.split")));
        long want = Math.max(2, Math.min(spk.size() - 1, Math.round(a.getDouble("test_fraction", 0.5) * spk.size())));
        s.train.clear();
        s.test.clear();
        for (String k : spk) (s.test.size() < want ? s.test : s.train).add(k);
        Collections.sort(s.train);
        Collections.sort(s.test);
        s.fitted = false;
        StepReport r = new StepReport("split", "Split by speaker: " + s.train.size() + " training / " + s.test.size() + " test speakers");
        r.body().put("by", "speaker").put("train", s.train.size()).put("test", s.test.size());
        s.train.forEach(r.body().putArray("train_speakers")::add);
        s.test.forEach(r.body().putArray("test_speakers")::add);
        r.note("the test set keeps at least two speakers (non-target trials need them) and the training set at least one");
        return r;
    }

    /** Utterance ids (with audio) of the given speakers, and their x-vectors computed or taken from the cache. */
    static List<String> ids(SpeakerState s, List<String> speakers, StepContext ctx, String step) {
        List<String> ids = new ArrayList<>();
        for (String k : speakers) for (String id : s.utterances.bySpeaker().getOrDefault(k, List.of())) if (s.durations.containsKey(id)) ids.add(id);
        int i = 0;
        for (String id : ids) {
            ctx.progress().update(step, ++i, ids.size(), "x-vector of " + id);
            s.utteranceVector(id);
        }
        return ids.stream().filter(id -> s.utteranceVector(id) != null).toList();
    }

    static List<Verification.Trial> trials(SpeakerState s, List<String> ids, Backend b) {
        return Verification.allPairs(ids, ids.stream().map(s.utterances.speaker()::get).toList(), ids.stream().map(s::utteranceVector).toList(), b);
    }

    static StepReport fit(SpeakerState s, Args a, StepContext ctx) {
        List<String> ids = ids(s, s.train, ctx, "fit");
        if (ids.size() < 2) throw new ModelworkException("Too few training utterances with an x-vector (" + ids.size() + ")", "fit",
                "split with a smaller test_fraction, or add utterances");
        List<double[]> xs = ids.stream().map(s::utteranceVector).toList();
        List<String> who = ids.stream().map(s.utterances.speaker()::get).toList();
        long speakers = who.stream().distinct().count();
        String want = a.getString("backend", "auto");
        double shrink = a.getDouble("shrink", 1.0);
        boolean ldaOk = a.getBool("lda", true);
        Table cvTable = null;
        if (want.equals("auto")) {
            cvTable = crossValidate(xs, who, shrink, ldaOk, a);
            want = cvTable.rowCount() == 0 ? "none" : best(cvTable);
        }
        if (want.equals("lda") && speakers < Backend.MIN_LDA_SPEAKERS)
            throw new ModelworkException("LDA needs ≥ " + Backend.MIN_LDA_SPEAKERS + " training speakers (" + speakers + " here)", "fit backend=lda",
                    "use backend=whitening or auto, or add speakers");
        Backend b = fitBackend(want, xs, who, shrink);
        s.backend = b;
        s.fitted = true;
        ctx.invalidate(Step.EVALUATE);
        Verification.Result train = score(trials(s, ids, b), a);
        StepReport r = new StepReport("fit", String.format(Locale.ROOT, "Fitted the back end %s on %d utterances of %d training speakers (training EER %.2f %%)",
                b.kind(), ids.size(), speakers, 100 * train.eer()));
        r.body().put("backend", b.kind()).put("backend_choice", a.getString("backend", "auto")).put("training_utterances", ids.size()).put("training_speakers", speakers)
                .put("lda_min_speakers", Backend.MIN_LDA_SPEAKERS).put("train_eer", train.eer());
        r.body().putObject("metrics").putObject("train").put("eer", train.eer()).put("min_dcf", train.minDcf());
        if (cvTable != null) {
            r.table(cvTable);
            r.note("backend=auto: each candidate (none = length normalisation of Vosk's x-vector, which has the model's own mean and LDA "
                    + "applied; mean; mean + shrunk whitening; + LDA when the fold's training speakers are ≥ " + Backend.MIN_LDA_SPEAKERS
                    + ") is fitted with two training speakers held out, for every such pair, and scored by the EER of the held-out pairs; "
                    + "the lowest mean EER wins and is refitted on all training speakers");
        }
        r.note("the training EER is optimistic (the back end saw those speakers)");
        return r;
    }

    static Backend fitBackend(String kind, List<double[]> xs, List<String> who, double shrink) {
        return switch (kind) {
            case "none" -> Backend.identity();
            case "mean" -> Backend.centring(xs);
            case "whitening" -> Backend.fit(xs, who, shrink, false);
            default -> Backend.fit(xs, who, shrink, true);
        };
    }

    /**
     * Speaker-held-out cross-validation of the back ends: for every pair of training speakers (at most 45 pairs, drawn
     * with the split's order), the candidates are fitted on the other speakers and scored by the EER of the pair's
     * utterances. Empty with fewer than 4 training speakers (a fold needs two to fit on).
     */
    static Table crossValidate(List<double[]> xs, List<String> who, double shrink, boolean lda, Args a) {
        List<String> spk = who.stream().distinct().sorted().toList();
        Table t = Table.create("back end, speaker-held-out cross-validation (mean EER of the held-out pairs)");
        StringColumn kc = StringColumn.create("backend");
        DoubleColumn ec = DoubleColumn.create("cv_eer");
        IntColumn fc = IntColumn.create("folds");
        if (spk.size() < 4) { t.addColumns(kc, ec, fc); return t; }
        List<String[]> pairs = new ArrayList<>();
        for (int i = 0; i < spk.size(); i++) for (int j = i + 1; j < spk.size(); j++) pairs.add(new String[]{spk.get(i), spk.get(j)});
        if (pairs.size() > 45) { Collections.shuffle(pairs, new Random(spk.size())); pairs = pairs.subList(0, 45); }
        List<String> kinds = new ArrayList<>(List.of("none", "mean", "whitening"));
        if (lda && spk.size() - 2 >= Backend.MIN_LDA_SPEAKERS) kinds.add("lda");
        for (String k : kinds) {
            double sum = 0;
            int n = 0;
            for (String[] p : pairs) {
                List<double[]> fx = new ArrayList<>(), hx = new ArrayList<>();
                List<String> fw = new ArrayList<>(), hw = new ArrayList<>(), ids = new ArrayList<>();
                for (int i = 0; i < xs.size(); i++)
                    if (who.get(i).equals(p[0]) || who.get(i).equals(p[1])) { hx.add(xs.get(i)); hw.add(who.get(i)); ids.add(String.valueOf(i)); }
                    else { fx.add(xs.get(i)); fw.add(who.get(i)); }
                List<Verification.Trial> tr = Verification.allPairs(ids, hw, hx, fitBackend(k, fx, fw, shrink));
                if (tr.stream().noneMatch(Verification.Trial::target)) continue; // two single-utterance speakers
                sum += score(tr, a).eer();
                n++;
            }
            if (n == 0) continue;
            kc.append(k); ec.append(sum / n); fc.append(n);
        }
        t.addColumns(kc, ec, fc);
        return t;
    }

    /** The back end of lowest cross-validated EER (the simpler one on a tie: the table lists them simplest first). */
    static String best(Table t) {
        int arg = 0;
        for (int i = 1; i < t.rowCount(); i++) if (t.doubleColumn("cv_eer").get(i) < t.doubleColumn("cv_eer").get(arg) - 1e-12) arg = i;
        return t.stringColumn("backend").get(arg);
    }

    static Verification.Result score(List<Verification.Trial> t, Args a) {
        return Verification.score(t, a.getDouble("p_target", 0.01), a.getDouble("c_miss", 1.0), a.getDouble("c_fa", 1.0), a.getDouble("target_far", 0.01));
    }

    static StepReport evaluate(SpeakerState s, Args a, StepContext ctx) {
        String on = a.getString("on", "test");
        List<String> speakers = on.equals("train") ? s.train : on.equals("all") ? new ArrayList<>(s.utterances.bySpeaker().keySet()) : s.test;
        List<String> ids = ids(s, speakers, ctx, "evaluate");
        List<Verification.Trial> tr = trials(s, ids, s.backend);
        double pT = a.getDouble("p_target", 0.01), cM = a.getDouble("c_miss", 1.0), cF = a.getDouble("c_fa", 1.0);
        Verification.Result res = score(tr, a);
        double norm = Math.min(cM * pT, cF * (1 - pT));
        StepReport r = new StepReport("evaluate", String.format(Locale.ROOT, "EER %.2f %%, minDCF %.3f (p_target %.3g) over %d trials (%d target) of %d %s speakers",
                100 * res.eer(), res.minDcf(), pT, res.trials(), res.targets(), speakers.size(), on));
        ObjectNode b = r.body();
        ObjectNode m = b.putObject("metrics");
        m.put("eer", res.eer()).put("min_dcf", res.minDcf()).put("min_dcf_unnormalised", res.minDcf() * norm)
                .put("trials", res.trials()).put("targets", res.targets());
        b.setAll(res.toJson());
        b.put("min_dcf_unnormalised", res.minDcf() * norm).put("on", on);
        b.putObject("dcf").put("p_target", pT).put("c_miss", cM).put("c_fa", cF).put("normaliser", norm);
        b.put("backend", s.backend.kind());
        if (s.calibration != null && s.calibration.has("score_threshold")) {
            double th = s.calibration.get("score_threshold").asDouble();
            double[] fr = Verification.ratesAt(tr, th);
            b.put("threshold", th).put("far", fr[0]).put("frr", fr[1]);
            m.put("far_at_threshold", fr[0]).put("frr_at_threshold", fr[1]);
            r.note(String.format(Locale.ROOT, "at the calibrated threshold %.4f (target FAR %.3g on the training speakers): FAR %.4f, FRR %.4f here",
                    th, s.calibration.get("target_far").asDouble(), fr[0], fr[1]));
        }
        double[][] det = Verification.det(tr);
        r.chart(Chart.line("det", "DET curve (" + on + " trials): false rejection against false acceptance", "false acceptance rate",
                "false rejection rate", List.of(Chart.Series.line("DET", det[0], det[1]),
                        Chart.Series.dashed("FAR = FRR", new double[]{0, 1}, new double[]{0, 1}),
                        Chart.Series.markers("EER", new double[]{res.eer()}, new double[]{res.eer()}))));
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("EER", res.eer());
        kv.put("EER threshold", res.eerThreshold());
        kv.put("minDCF (normalised)", res.minDcf());
        kv.put("minDCF threshold", res.minDcfThreshold());
        kv.put("trials / target", res.trials() + " / " + res.targets());
        r.table(Tables.keyValues("Verification", kv)).table(hardest(tr, 5));
        r.note("trials: every pair of " + on + " utterances (a target trial when both are one speaker); cosine of the back-end-transformed x-vectors");
        return r;
    }

    /** The lowest-scored target trials and the highest-scored non-target ones. */
    static Table hardest(List<Verification.Trial> tr, int n) {
        Table t = Table.create("hardest trials");
        StringColumn a = StringColumn.create("a"), bb = StringColumn.create("b"), kind = StringColumn.create("kind");
        DoubleColumn sc = DoubleColumn.create("score");
        List<Verification.Trial> tg = tr.stream().filter(Verification.Trial::target).sorted(java.util.Comparator.comparingDouble(Verification.Trial::score)).limit(n).toList();
        List<Verification.Trial> nt = tr.stream().filter(x -> !x.target()).sorted(java.util.Comparator.comparingDouble(Verification.Trial::score).reversed()).limit(n).toList();
        for (Verification.Trial x : tg) { a.append(x.a()); bb.append(x.b()); kind.append("target"); sc.append(x.score()); }
        for (Verification.Trial x : nt) { a.append(x.a()); bb.append(x.b()); kind.append("non-target"); sc.append(x.score()); }
        t.addColumns(kind, a, bb, sc);
        return t;
    }

    static StepReport calibrate(SpeakerState s, Args a, StepContext ctx) {
        double far = a.getDouble("target_far", 0.01);
        List<Verification.Trial> tr = trials(s, ids(s, s.train, ctx, "calibrate"), s.backend);
        Verification.Result res = score(tr, a);
        double[] at = Verification.ratesAt(tr, res.farThreshold());
        s.calibration = Json.object();
        s.calibration.put("score_threshold", res.farThreshold()).put("target_far", far).put("train_far", at[0]).put("train_frr", at[1])
                .put("train_trials", res.trials()).put("train_eer_threshold", res.eerThreshold()).put("backend", s.backend.kind());
        ctx.invalidate(Step.EVALUATE);
        StepReport r = new StepReport("calibrate", String.format(Locale.ROOT, "Score threshold %.4f for FAR ≤ %.3g (training trials: FAR %.4f, FRR %.4f)",
                res.farThreshold(), far, at[0], at[1]));
        r.body().set("thresholds", s.calibration);
        long non = res.trials() - res.targets();
        if (non * far < 1)
            r.note(String.format(Locale.ROOT, "%d non-target training trials resolve FAR only to %.3g: the threshold rejects every one of them", non, 1.0 / non));
        r.note("accept a trial when its cosine score ≥ the threshold; evaluate reports the FAR/FRR it gives on the test speakers");
        return r;
    }

    static ObjectNode pipeline(SpeakerState s) {
        ObjectNode p = Json.object();
        p.put("format", "modelwork.speaker/1").put("spec", "speaker.verification").put("fitted", s.fitted)
                .put("scoring", "cosine of normalise(W (x − mean)) over whole-utterance x-vectors");
        p.putObject("audio").put("decoder", "FFmpeg (JavaCV 1.5.11)").put("sample_rate", XVectors.RATE).put("channels", 1);
        s.train.forEach(p.putArray("training_speakers")::add);
        return p;
    }
}
