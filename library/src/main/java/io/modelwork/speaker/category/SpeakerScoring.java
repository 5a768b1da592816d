package io.modelwork.speaker.category;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.speaker.diarization.Diarizer;
import io.modelwork.speaker.diarization.XVectors;
import io.modelwork.speaker.metrics.DiarizationMetrics;
import io.modelwork.speaker.metrics.Rttm;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** evaluate (DER/JER, per-file and per-speaker tables, timeline), tune, calibrate and export of the speaker category. */
final class SpeakerScoring {
    private SpeakerScoring() {}

    static List<String> on(SpeakerState s, String on) {
        return switch (on) {
            case "train" -> s.train;
            case "validation" -> s.validation;
            case "all" -> new ArrayList<>(s.durations.keySet());
            default -> s.test;
        };
    }

    static StepReport evaluate(SpeakerState s, Args a, StepContext ctx) {
        if (s.dataset.ref().isEmpty()) throw new ModelworkException("evaluate needs a reference", "evaluate", "attach with rttm=REF.rttm");
        double collar = a.getDouble("collar", s.calibration == null ? 0.0 : s.calibration.path("collar").asDouble(0));
        boolean skip = a.getBool("skip_overlap", false);
        List<String> us = on(s, a.getString("on", "test"));
        Map<String, List<Rttm.Turn>> hyp = s.diarize(us, s.config, s.backend, ctx, "evaluate");
        DiarizationMetrics.Result res = DiarizationMetrics.evaluate(s.dataset.refOf(us), hyp, s.dataset.uemOf(us), collar, skip);
        StepReport r = new StepReport("evaluate", String.format(Locale.ROOT, "DER %.2f %%, JER %.2f %% on %d recording(s) (collar %.2f s%s)",
                100 * res.der(), 100 * res.jer(), us.size(), collar, skip ? ", overlap skipped" : ""));
        ObjectNode b = r.body();
        b.put("der", res.der()).put("jer", res.jer()).put("collar", collar).put("skip_overlap", skip).put("on", a.getString("on", "test"));
        b.put("false_alarm", res.falseAlarm()).put("missed", res.missed()).put("confusion", res.confusion()).put("total", res.total());
        Map<String, SpeakerOverlap> ovs = new LinkedHashMap<>();
        SpeakerOverlap ov = SpeakerOverlap.zero();
        for (String u : us) {
            SpeakerOverlap o = SpeakerOverlap.of(s.dataset.turns(u), hyp.getOrDefault(u, List.of()), s.durations.getOrDefault(u, 0.0));
            ovs.put(u, o);
            ov = ov.plus(o);
        }
        b.put("reference_overlap_share", ov.speech() == 0 ? 0 : ov.overlap() / ov.speech());
        b.set("overlap", ov.toJson(res.missed()));
        ObjectNode m = b.putObject("metrics");
        m.put("der", res.der()).put("jer", res.jer()).put("false_alarm", res.falseAlarm()).put("missed", res.missed())
                .put("confusion", res.confusion()).put("total", res.total());
        b.set("config", s.config.toJson());
        Table files = Table.create("per file");
        StringColumn fu = StringColumn.create("uri");
        DoubleColumn fd = DoubleColumn.create("der"), fj = DoubleColumn.create("jer"), ffa = DoubleColumn.create("false_alarm_s"),
                fm = DoubleColumn.create("missed_s"), fc = DoubleColumn.create("confusion_s"), ft = DoubleColumn.create("total_s"),
                fs = DoubleColumn.create("hyp_speakers"), fo = DoubleColumn.create("overlap_s"), fom = DoubleColumn.create("missed_in_overlap_s");
        for (DiarizationMetrics.FileResult f : res.files()) {
            fu.append(f.uri()); fd.append(f.der()); fj.append(f.jer()); ffa.append(f.falseAlarm()); fm.append(f.missed());
            fc.append(f.confusion()); ft.append(f.total());
            fs.append(hyp.getOrDefault(f.uri(), List.of()).stream().map(Rttm.Turn::speaker).distinct().count());
            SpeakerOverlap o = ovs.getOrDefault(f.uri(), SpeakerOverlap.zero());
            fo.append(o.overlap()); fom.append(o.missedInOverlap());
        }
        files.addColumns(fu, fd, fj, ffa, fm, fc, ft, fs, fo, fom);
        r.table(files).table(perSpeaker(s, us, hyp));
        if (!us.isEmpty()) r.chart(timeline(us.get(0), s.dataset.turns(us.get(0)), hyp.get(us.get(0))));
        r.gallery(worstClips(s, us, hyp, a.getInt("worst", 3), ctx));
        ObjectNode h = b.putObject("hypothesis");
        hyp.forEach((u, ts) -> { var arr = h.putArray(u); for (Rttm.Turn t : ts) arr.addArray().add(t.start()).add(t.end()).add(t.speaker()); });
        res.warnings().forEach(r::note);
        r.note(String.format(Locale.ROOT, "overlapped speech: %.2f s, %.1f %% of the reference speech; %.2f s of speech missed inside it "
                + "(%.0f %% of all missed speech; 10 ms frames, no collar); the pipeline gives one speaker per frame, so the second speaker of "
                + "an overlap is always missed (hypothesis overlap %.2f s)", ov.overlap(), 100 * (ov.speech() == 0 ? 0 : ov.overlap() / ov.speech()),
                ov.missedInOverlap(), 100 * b.get("overlap").get("share_of_missed").asDouble(), ov.detected()));
        return r;
    }

    /**
     * The reference turns (≥ 0.5 s) least covered by the hypothesis label of their speaker (the label covering most of
     * that speaker's speech), written as WAV clips under {@code <run>/clips/} for audio players.
     */
    static List<io.modelwork.report.GalleryItem> worstClips(SpeakerState s, List<String> us, Map<String, List<Rttm.Turn>> hyp, int n, StepContext ctx) {
        record Bad(String uri, Rttm.Turn turn, String label, double covered) {}
        List<Bad> bad = new ArrayList<>();
        for (String u : us) {
            List<Rttm.Turn> hs = hyp.getOrDefault(u, List.of());
            Map<String, Map<String, Double>> o = new LinkedHashMap<>();
            for (Rttm.Turn r : s.dataset.turns(u)) for (Rttm.Turn h : hs) {
                double v = Math.min(r.end(), h.end()) - Math.max(r.start(), h.start());
                if (v > 0) o.computeIfAbsent(r.speaker(), k -> new LinkedHashMap<>()).merge(h.speaker(), v, Double::sum);
            }
            for (Rttm.Turn r : s.dataset.turns(u)) {
                if (r.end() - r.start() < 0.5) continue;
                String main = o.getOrDefault(r.speaker(), Map.of()).entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
                double cov = 0;
                for (Rttm.Turn h : hs) if (h.speaker().equals(main)) cov += Math.max(0, Math.min(r.end(), h.end()) - Math.max(r.start(), h.start()));
                bad.add(new Bad(u, r, main, cov / (r.end() - r.start())));
            }
        }
        bad.sort(java.util.Comparator.comparingDouble(Bad::covered));
        List<io.modelwork.report.GalleryItem> out = new ArrayList<>();
        Path dir = ctx.run().runDir().resolve("clips");
        Map<String, io.modelwork.audio.Audio> audio = new LinkedHashMap<>();
        for (Bad x : bad.subList(0, Math.min(n, bad.size()))) {
            if (x.covered() >= 0.999) break;
            io.modelwork.audio.Audio a = audio.computeIfAbsent(x.uri(), u -> io.modelwork.audio.AudioDecoder.decode(s.dataset.audio().get(u)));
            String id = String.format(Locale.ROOT, "%s_%07.2f", x.uri(), x.turn().start()).replaceAll("[^A-Za-z0-9._-]", "_");
            Path f = dir.resolve(id + ".wav");
            io.modelwork.core.AtomicFiles.write(f, a.slice((int) (x.turn().start() * a.sampleRate()), (int) (x.turn().end() * a.sampleRate())).wav());
            out.add(new io.modelwork.report.GalleryItem(id, x.turn().speaker(), x.label(), x.covered(),
                    Map.of("uri", x.uri(), "start", String.format(Locale.ROOT, "%.2f", x.turn().start()), "end", String.format(Locale.ROOT, "%.2f", x.turn().end())),
                    f.toString(), "audio/wav"));
        }
        return out;
    }

    /** Per reference speaker: speech, the hypothesis label covering most of it, and the share it covers. */
    static Table perSpeaker(SpeakerState s, List<String> us, Map<String, List<Rttm.Turn>> hyp) {
        Table t = Table.create("per speaker");
        StringColumn fu = StringColumn.create("uri"), sp = StringColumn.create("speaker"), best = StringColumn.create("main_label");
        DoubleColumn dur = DoubleColumn.create("speech_s"), cov = DoubleColumn.create("covered_by_main_label");
        for (String u : us) {
            Map<String, List<Rttm.Turn>> by = new LinkedHashMap<>();
            for (Rttm.Turn x : s.dataset.turns(u)) by.computeIfAbsent(x.speaker(), k -> new ArrayList<>()).add(x);
            for (var e : by.entrySet()) {
                double total = e.getValue().stream().mapToDouble(x -> x.end() - x.start()).sum();
                Map<String, Double> o = new LinkedHashMap<>();
                for (Rttm.Turn r : e.getValue())
                    for (Rttm.Turn h : hyp.getOrDefault(u, List.of())) {
                        double v = Math.min(r.end(), h.end()) - Math.max(r.start(), h.start());
                        if (v > 0) o.merge(h.speaker(), v, Double::sum);
                    }
                var m = o.entrySet().stream().max(Map.Entry.comparingByValue()).orElse(null);
                fu.append(u); sp.append(e.getKey()); dur.append(total);
                best.append(m == null ? "" : m.getKey()); cov.append(m == null || total == 0 ? 0 : m.getValue() / total);
            }
        }
        t.addColumns(fu, sp, dur, best, cov);
        return t;
    }

    /** Reference and hypothesis rows per speaker (a turn is a horizontal bar; NaN separates bars). */
    static Chart timeline(String uri, List<Rttm.Turn> ref, List<Rttm.Turn> hyp) {
        List<Chart.Series> series = new ArrayList<>();
        int row = 0;
        for (String kind : List.of("ref", "hyp")) {
            List<Rttm.Turn> ts = kind.equals("ref") ? ref : hyp;
            for (String spk : new TreeSet<>(ts.stream().map(Rttm.Turn::speaker).toList())) {
                List<Rttm.Turn> mine = ts.stream().filter(x -> x.speaker().equals(spk)).toList();
                double[] x = new double[mine.size() * 3], y = new double[mine.size() * 3];
                for (int i = 0; i < mine.size(); i++) {
                    x[3 * i] = mine.get(i).start(); x[3 * i + 1] = mine.get(i).end(); x[3 * i + 2] = Double.NaN;
                    y[3 * i] = row; y[3 * i + 1] = row; y[3 * i + 2] = Double.NaN;
                }
                series.add(Chart.Series.line(kind + " " + spk, x, y));
                row++;
            }
        }
        return Chart.line("timeline", "Timeline of " + uri + ": reference rows, then hypothesis rows", "time (s)", "speaker row", series);
    }

    static StepReport calibrate(SpeakerState s, Args a, StepContext ctx) {
        double tol = a.getDouble("max_der_gap", 0.01);
        Map<String, List<Rttm.Turn>> hyp = s.diarize(s.train, s.config, s.backend, ctx, "calibrate");
        Table t = Table.create("collar policy (training sessions)");
        DoubleColumn cc = DoubleColumn.create("collar"), cd = DoubleColumn.create("der"), cj = DoubleColumn.create("jer");
        for (double c : new double[]{0, 0.25, 0.5}) {
            var res = DiarizationMetrics.evaluate(s.dataset.refOf(s.train), hyp, s.dataset.uemOf(s.train), c, false);
            cc.append(c); cd.append(res.der()); cj.append(res.jer());
        }
        t.addColumns(cc, cd, cj);
        // the smallest collar whose DER is within tol of the 0.5 s one: boundary errors that matter less than tol are forgiven
        double chosen = 0.5;
        for (int i = 0; i < cc.size(); i++) if (cd.get(i) <= cd.get(cd.size() - 1) + tol) { chosen = cc.get(i); break; }
        s.calibration = Json.object();
        s.calibration.put("threshold", s.config.threshold()).put("method", s.config.method()).put("collar", chosen)
                .put("max_der_gap", tol).put("backend", s.backend.kind());
        ctx.invalidate(Step.EVALUATE);
        StepReport r = new StepReport("calibrate", String.format(Locale.ROOT, "Collar policy %.2f s; clustering threshold %.2f", chosen, s.config.threshold()));
        r.body().set("thresholds", s.calibration);
        r.table(t);
        r.note("evaluate uses the calibrated collar unless collar= is given; the threshold is fit's (or tune's)");
        return r;
    }

    static StepReport export(SpeakerState s, Args a, StepContext ctx) {
        Path dir = a.has("dir") ? Path.of(a.getString("dir", null)) : ctx.run().runDir().resolve("export");
        if (!a.has("dir")) for (int k = 2; Files.exists(dir); k++) dir = ctx.run().runDir().resolve("export-" + k);
        try (BundleWriter b = BundleWriter.create(dir, "export")) {
            ObjectNode p;
            if (s.verification()) p = SpeakerVerify.pipeline(s);
            else {
                p = Json.object();
                p.put("format", "modelwork.speaker/1").put("spec", s.spec).put("fitted", s.fitted);
                p.set("config", s.config.toJson());
                p.putObject("audio").put("decoder", "FFmpeg (JavaCV 1.5.11)").put("sample_rate", 16000).put("channels", 1);
                p.put("vad", "silero_vad_v5.onnx (@ricky0123/vad-web@0.0.31)");
            }
            b.json("pipeline.json", p);
            b.json("backend.json", s.backend.toJson());
            b.json("model.json", XVectors.reference());
            if (s.calibration != null) b.json("thresholds.json", s.calibration);
            ctx.report(Step.EVALUATE).ifPresent(ev -> b.json("metrics.json", ev.body().get("metrics")));
            b.manifest().put("format", "modelwork.speaker/1").put("spec", s.spec);
            s.exportDir = b.publish();
        }
        StepReport r = new StepReport("export", "Exported the " + (s.verification() ? "verification" : "diarization") + " pipeline to " + s.exportDir);
        r.body().put("dir", s.exportDir.toString());
        r.note("the bundle references the Vosk models (names, versions, SHA-256) instead of copying them");
        return r;
    }
}
