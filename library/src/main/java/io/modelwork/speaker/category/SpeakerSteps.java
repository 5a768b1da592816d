package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.audio.AudioDecoder;
import io.modelwork.audio.AudioProfile;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.speaker.diarization.Backend;
import io.modelwork.speaker.diarization.Clustering;
import io.modelwork.speaker.diarization.Diarizer;
import io.modelwork.speaker.diarization.XVectors;
import io.modelwork.speaker.metrics.DiarizationMetrics;
import io.modelwork.speaker.metrics.Rttm;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** attach_dataset, prepare_data, split, build and fit of the speaker category. */
final class SpeakerSteps {
    private SpeakerSteps() {}

    static StepReport attach(SpeakerState s, Args a, StepContext ctx) {
        Path path = Path.of(a.requireString("path", "give path=FOLDER (audio named <uri>.wav) or path=FILE, and rttm=REF.rttm"));
        List<Path> rttms = a.has("rttm") ? a.getList("rttm").stream().map(Path::of).toList() : List.of();
        SpeakerDataset d = SpeakerDataset.read(path, rttms, a.has("uem") ? Path.of(a.getString("uem", null)) : null,
                a.has("list") ? Path.of(a.getString("list", null)) : null);
        s.reset();
        s.dataset = d;
        List<String> outside = new ArrayList<>(), warnings = new ArrayList<>();
        Table t = Table.create("recordings");
        StringColumn uri = StringColumn.create("uri"), issues = StringColumn.create("issues");
        IntColumn rate = IntColumn.create("sample_rate"), spk = IntColumn.create("speakers"), turns = IntColumn.create("turns");
        DoubleColumn dur = DoubleColumn.create("duration_s"), speech = DoubleColumn.create("speech_share"),
                over = DoubleColumn.create("overlap_share"), mean = DoubleColumn.create("mean_turn_s");
        int i = 0;
        for (String u : d.usable()) {
            ctx.progress().update("attach_dataset", ++i, d.usable().size(), u);
            List<String> prob = new ArrayList<>();
            AudioProfile p;
            try {
                p = AudioDecoder.profile(d.audio().get(u));
            } catch (ModelworkException e) {
                s.excluded.put(u, "unreadable: " + e.what());
                continue;
            }
            if (p.frames() == 0) { s.excluded.put(u, "zero-length audio"); continue; }
            double len = p.durationSeconds();
            s.durations.put(u, len);
            if (p.silent()) prob.add("silence only: no speech is expected");
            if (p.sampleRate() < 16_000) prob.add(p.sampleRate() + " Hz audio is upsampled to 16 kHz (no information above " + p.sampleRate() / 2 + " Hz)");
            if (len < 2 * s.config.window()) prob.add(String.format("short recording (%.1f s): few windows to cluster", len));
            List<Rttm.Turn> ts = d.turns(u);
            for (Rttm.Turn x : ts)
                if (x.end() > len + 0.05) outside.add(String.format("%s line %d: turn %.2f–%.2f s ends after the audio (%.2f s)", u, x.line(), x.start(), x.end(), len));
            Profile pr = Profile.of(ts, len);
            if (pr.duplicates > 0) prob.add(pr.duplicates + " identical RTTM line(s): pyannote scores each as its own track (the speaker overlapping itself), so the copy counts as missed speech");
            s.profiles.add(pr.json().put("uri", u).put("duration_s", len).put("sample_rate", p.sampleRate()));
            uri.append(u); rate.append(p.sampleRate()); dur.append(len); spk.append(pr.speakers); turns.append(ts.size());
            speech.append(pr.speechShare); over.append(pr.overlapShare); mean.append(pr.meanTurn);
            prob.addAll(p.warnings());
            issues.append(String.join("; ", prob));
            if (!prob.isEmpty()) warnings.add(u + ": " + String.join("; ", prob));
        }
        t.addColumns(uri, rate, dur, spk, turns, speech, over, mean, issues);
        if (s.durations.isEmpty())
            throw new ModelworkException("No usable recording: " + (d.uris().isEmpty() ? "the RTTM lists no URI and no audio was found"
                    : "none of " + d.uris() + " has readable audio under " + path), path.toString(),
                    "name each audio file after its RTTM URI (" + (d.uris().isEmpty() ? "uri" : d.uris().get(0)) + ".wav) under path=");
        if (d.uem() != null)
            for (String u : s.durations.keySet())
                if (!d.uem().containsKey(u)) warnings.add("the UEM has no line for '" + u + "': scored over pyannote's default extent");
                else {
                    var res = DiarizationMetrics.evaluate(d.refOf(List.of(u)), d.refOf(List.of(u)), d.uemOf(List.of(u)), 0, false);
                    res.warnings().stream().filter(w -> w.contains("unscored")).forEach(warnings::add);
                }
        StepReport r = new StepReport("attach_dataset", "Diarization data: " + s.durations.size() + " recording(s), "
                + String.format("%.1f s", s.durations.values().stream().mapToDouble(Double::doubleValue).sum()));
        ObjectNode b = r.body();
        b.put("category", "speaker").put("path", path.toString()).put("recordings", s.durations.size());
        b.set("profiles", s.profiles);
        ObjectNode v = b.putObject("validation");
        d.missingAudio().forEach(v.putArray("uris_without_audio")::add);
        outside.forEach(v.putArray("turns_outside_audio")::add);
        ObjectNode ex = v.putObject("excluded");
        s.excluded.forEach(ex::put);
        warnings.forEach(v.putArray("warnings")::add);
        r.table(t);
        if (!d.missingAudio().isEmpty()) r.note("URIs without audio (left out): " + d.missingAudio());
        if (!outside.isEmpty()) r.note("RTTM turns after the end of the audio: " + outside);
        if (!s.excluded.isEmpty()) r.note("left out: " + s.excluded);
        if (d.ref().isEmpty()) r.note("no reference RTTM: diarization runs, DER cannot be scored (give rttm=)");
        warnings.forEach(r::note);
        return r;
    }

    /** Speakers, speech and overlap shares, turn lengths of one reference. */
    record Profile(int speakers, double speechShare, double overlapShare, double meanTurn, int duplicates) {
        static Profile of(List<Rttm.Turn> ts, double len) {
            double[] grid = new double[(int) Math.ceil(len / 0.01) + 1];
            java.util.Set<String> seen = new java.util.HashSet<>();
            int dup = 0;
            for (Rttm.Turn t : ts) {
                if (!seen.add(t.speaker() + "/" + t.start() + "/" + t.end())) { dup++; continue; }
                for (int k = (int) Math.floor(t.start() / 0.01); k < Math.min(grid.length, Math.ceil(t.end() / 0.01)); k++) if (k >= 0) grid[k]++;
            }
            int sp = 0, ov = 0;
            for (double g : grid) { if (g > 0) sp++; if (g > 1) ov++; }
            return new Profile((int) ts.stream().map(Rttm.Turn::speaker).distinct().count(), grid.length == 0 ? 0 : sp / (double) grid.length,
                    sp == 0 ? 0 : ov / (double) sp, ts.stream().mapToDouble(t -> t.end() - t.start()).average().orElse(0), dup);
        }

        ObjectNode json() {
            ObjectNode o = io.modelwork.core.Json.object();
            o.put("speakers", speakers).put("speech_share", speechShare).put("overlap_share", overlapShare).put("mean_turn_s", meanTurn)
                    .put("duplicate_lines", duplicates);
            return o;
        }
    }

    static StepReport prepare(SpeakerState s, Args a, StepContext ctx) {
        s.config = s.config.withVad(a.getDouble("vad_threshold", 0.5), a.getDouble("window", 1.5), a.getDouble("hop", 0.75));
        if (s.config.hop() > s.config.window())
            throw new ModelworkException("hop " + s.config.hop() + " s is longer than the window " + s.config.window() + " s", "prepare_data hop",
                    "use a hop ≤ window (e.g. half of it) so every frame of speech lies in a window");
        s.fitted = false;
        StepReport r = new StepReport("prepare_data", String.format("Silero VAD (threshold %.2f) → %.2f s windows every %.2f s → x-vectors",
                s.config.vadThreshold(), s.config.window(), s.config.hop()));
        r.body().set("config", s.config.toJson());
        r.note("audio is decoded by FFmpeg to 16 kHz mono; x-vectors are computed on first use and cached per VAD/window setting");
        return r;
    }

    static StepReport split(SpeakerState s, Args a, StepContext ctx) {
        List<String> us = new ArrayList<>(s.durations.keySet());
        double frac = a.getDouble("test_fraction", 0.5);
        Collections.shuffle(us, new Random(ctx.run().seedFor("speaker.split")));
        s.train.clear();
        s.test.clear();
        s.validation.clear();
        StepReport r;
        if (us.size() == 1) {
            s.train.add(us.get(0));
            s.test.add(us.get(0));
            r = new StepReport("split", "One recording: it is both the training and the test session");
            r.note("with one recording, fit and evaluate see the same session: the DER is a training figure; attach more recordings for a held-out one");
        } else {
            long want = frac <= 0 ? 0 : Math.max(1, Math.min(us.size() - 1, Math.round(frac * us.size())));
            double vf = a.getDouble("validation_fraction", 0.0);
            long room = us.size() - want - 1;
            long val = vf <= 0 || room < 1 ? 0 : Math.max(1, Math.min(room, Math.round(vf * us.size())));
            for (String u : us) (s.test.size() < want ? s.test : s.validation.size() < val ? s.validation : s.train).add(u);
            r = new StepReport("split", "Split by session: " + s.train.size() + " train / " + (val > 0 ? s.validation.size() + " validation / " : "")
                    + s.test.size() + " test recordings");
            if (vf > 0 && val == 0) r.note("too few recordings for a validation set (each set keeps at least one): tune scores on the training sessions");
        }
        r.body().put("by", "session").put("train", s.train.size()).put("validation", s.validation.size()).put("test", s.test.size());
        s.validation.forEach(r.body().putArray("validation_uris")::add);
        s.train.forEach(r.body().putArray("train_uris")::add);
        s.test.forEach(r.body().putArray("test_uris")::add);
        return r;
    }

    static StepReport build(SpeakerState s, Args a, StepContext ctx) {
        String spec = a.getString("spec", s.verification() ? "speaker.verification" : "speaker.diarization");
        if (!SpeakerCategory.SPECS.containsKey(spec))
            throw new ModelworkException("Unknown speaker spec '" + spec + "'", "build spec", "use " + String.join(" or ", SpeakerCategory.SPECS.keySet()));
        if (spec.equals("speaker.verification") != s.verification())
            throw new ModelworkException(spec + " does not fit the attached data (" + (s.verification() ? "utterances labelled by speaker" : "recordings with an RTTM") + ")",
                    "build spec", s.verification() ? "build spec=speaker.verification, or attach recordings with rttm= for diarization"
                            : "build spec=speaker.diarization, or attach utterances with task=verification");
        if (s.verification()) {
            s.spec = spec;
            s.backend = Backend.identity();
            s.fitted = false;
            XVectors.speakerModelDir();
            StepReport r = new StepReport("build", "Built speaker.verification (whole-utterance x-vectors, cosine scoring)");
            r.body().put("spec", spec).set("model", XVectors.reference());
            return r;
        }
        Clustering.Bounds b = new Clustering.Bounds(a.getInt("num_speakers", 0), a.getInt("min_speakers", 1), a.getInt("max_speakers", 0));
        if (b.max() > 0 && b.min() > b.max())
            throw new ModelworkException("min_speakers " + b.min() + " > max_speakers " + b.max(), "build", "give min_speakers ≤ max_speakers");
        s.config = new Diarizer.Config(s.config.vadThreshold(), s.config.window(), s.config.hop(), a.getString("method", "ahc"),
                a.getDouble("threshold", Diarizer.Config.defaults().threshold()), b, a.getDouble("min_turn", 0.5));
        s.spec = spec;
        s.backend = Backend.identity();
        s.fitted = false;
        XVectors.speakerModelDir(); // fetches and checks the speaker model now, not in the middle of fit
        StepReport r = new StepReport("build", "Built " + spec + " (" + s.config.method() + ", threshold " + s.config.threshold() + ")");
        r.body().put("spec", spec).set("config", s.config.toJson());
        r.body().set("model", XVectors.reference());
        return r;
    }

    /** Reference speaker of a window: the one covering most of it, when it covers ≥ 60 % and nobody else speaks. */
    static String windowSpeaker(List<Rttm.Turn> ref, Diarizer.Window w) {
        Map<String, Double> cover = new LinkedHashMap<>();
        for (Rttm.Turn t : ref) {
            double o = Math.min(t.end(), w.end()) - Math.max(t.start(), w.start());
            if (o > 0) cover.merge(t.speaker(), o, Double::sum);
        }
        if (cover.size() != 1) return null;
        var e = cover.entrySet().iterator().next();
        return e.getValue() >= 0.6 * (w.end() - w.start()) ? e.getKey() : null;
    }

    /** What fit learns from some sessions: the back end, the threshold, the training DER, and the search table. */
    record Learnt(Backend backend, double threshold, double der, Table table, int windows, long speakers) {}

    static Learnt learn(SpeakerState s, List<String> train, Diarizer.Config config, double shrink, boolean lda, StepContext ctx, String step) {
        List<double[]> xs = new ArrayList<>();
        List<String> who = new ArrayList<>();
        int i = 0;
        for (String u : train) {
            ctx.progress().update(step, ++i, train.size(), "x-vectors of " + u);
            for (Diarizer.Window w : s.embedded(u, config).windows()) {
                String sp = windowSpeaker(s.dataset.turns(u), w);
                if (sp != null) { xs.add(w.x()); who.add(u + "/" + sp); }
            }
        }
        List<Backend> candidates = new ArrayList<>(List.of(Backend.identity()));
        long speakers = who.stream().distinct().count();
        if (xs.size() >= 4 && speakers >= 2) candidates.add(Backend.fit(xs, who, shrink, lda));
        Table t = Table.create("threshold search (training sessions)");
        StringColumn be = StringColumn.create("backend");
        DoubleColumn th = DoubleColumn.create("threshold"), der = DoubleColumn.create("der");
        double best = Double.POSITIVE_INFINITY;
        Backend bestB = Backend.identity();
        double bestT = config.threshold();
        for (Backend b : candidates) {
            List<double[]> curve = new ArrayList<>();
            for (int k = 0; k <= 24; k++) {
                double x = 0.3 + 0.05 * k;
                double d = trainDer(s, train, config.withThreshold(x), b);
                be.append(b.kind()); th.append(x); der.append(d);
                curve.add(new double[]{x, d});
            }
            // the middle of the longest run of thresholds at this back end's lowest DER: a plateau edge would
            // over- or under-cluster the next recording
            double low = curve.stream().mapToDouble(c -> c[1]).min().orElse(1);
            int runStart = -1, bestLen = 0, bestStart = 0;
            for (int k = 0; k <= curve.size(); k++) {
                boolean at = k < curve.size() && curve.get(k)[1] <= low + 1e-9;
                if (at && runStart < 0) runStart = k;
                if (!at && runStart >= 0) { if (k - runStart > bestLen) { bestLen = k - runStart; bestStart = runStart; } runStart = -1; }
            }
            double mid = curve.get(bestStart + (bestLen - 1) / 2)[0];
            if (low < best - 1e-9) { best = low; bestB = b; bestT = mid; }
        }
        t.addColumns(be, th, der);
        return new Learnt(bestB, Math.round(bestT * 100) / 100.0, best, t, xs.size(), speakers);
    }

    static StepReport fit(SpeakerState s, Args a, StepContext ctx) {
        if (s.dataset.ref().isEmpty())
            throw new ModelworkException("fit needs a reference", "fit", "attach the data with rttm=REF.rttm");
        Learnt l = learn(s, s.train, s.config, a.getDouble("shrink", 1.0), a.getBool("lda", true), ctx, "fit");
        long speakers = l.speakers();
        double best = l.der();
        s.backend = l.backend();
        s.config = s.config.withThreshold(l.threshold());
        s.fitted = true;
        ctx.invalidate(io.modelwork.core.Step.EVALUATE);
        StepReport r = new StepReport("fit", String.format("Fitted the scorer: back end %s, threshold %.2f (training DER %.2f %%)",
                s.backend.kind(), s.config.threshold(), 100 * best));
        r.body().put("backend", s.backend.kind()).put("threshold", s.config.threshold()).put("train_der", best)
                .put("training_windows", l.windows()).put("training_speakers", speakers).put("lda_min_speakers", Backend.MIN_LDA_SPEAKERS);
        r.body().putObject("metrics").putObject("train").put("der", best);
        r.table(l.table());
        r.note("the back end (mean + shrunk whitening" + (speakers >= Backend.MIN_LDA_SPEAKERS ? " + LDA" : "; LDA needs ≥ " + Backend.MIN_LDA_SPEAKERS + " speakers")
                + ") is kept only when it lowers the training DER; the agglomerative threshold is the one minimising it");
        return r;
    }

    static double trainDer(SpeakerState s, List<String> train, Diarizer.Config c, Backend b) {
        Map<String, List<Rttm.Turn>> hyp = new LinkedHashMap<>();
        for (String u : train) hyp.put(u, Diarizer.label(s.embedded(u, c), b, c));
        return DiarizationMetrics.evaluate(s.dataset.refOf(train), hyp, s.dataset.uemOf(train), 0, false).der();
    }
}
