package io.modelwork.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.shared.Tuning;
import io.modelwork.spi.StepContext;
import io.modelwork.tracking.detect.Detection;
import io.modelwork.tracking.metrics.MotMetrics;
import io.modelwork.tracking.TrackingState.Segment;
import io.modelwork.tracking.track.ByteTracker;
import io.modelwork.tune.Direction;
import io.modelwork.tune.SearchSpace;
import io.modelwork.tune.TunerConfig;
import io.modelwork.tune.TuningReport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * tune, backtest and calibrate of the tracking category. All three re-run only the tracker on the detections fit
 * cached (the detector's confidence is a filter on them: it can be raised, not lowered below the fitted one; NMS IoU
 * is fixed at build, since the cache holds boxes after NMS).
 */
final class TrackingTune {
    static final String SPACE = "track_thresh=0.3..0.75 match_thresh=0.6..0.95 buffer=int:5..90";

    private TrackingTune() { }

    static double metric(MotMetrics m, String metric) {
        return switch (metric) {
            case "hota" -> m.hotaValue();
            case "mota" -> m.mota();
            case "idf1" -> m.idf1();
            default -> throw new ModelworkException("Unknown tuning metric '" + metric + "'", "tune metric", "use hota, mota or idf1");
        };
    }

    static ByteTracker.Params apply(ByteTracker.Params p, Map<String, Object> c) {
        if (c.containsKey("track_thresh")) p = p.withTrack(((Number) c.get("track_thresh")).doubleValue());
        if (c.containsKey("match_thresh")) p = p.withMatch(((Number) c.get("match_thresh")).doubleValue());
        if (c.containsKey("buffer")) p = p.withBuffer(((Number) c.get("buffer")).intValue());
        if (c.containsKey("low_thresh")) p = p.withLow(((Number) c.get("low_thresh")).doubleValue());
        if (c.containsKey("new_track_margin")) p = p.withMargin(((Number) c.get("new_track_margin")).doubleValue());
        return p;
    }

    static double score(TrackingState s, List<Segment> gs, ByteTracker.Params p, double conf, String metric) {
        return metric(TrackingEvaluate.score(s, gs, p, conf), metric);
    }

    static StepReport tune(TrackingState s, Args a, StepContext ctx) {
        s.ensureFitted("tune");
        TrackingEvaluate.requireGt(s, "tune");
        if (TrackingEvaluate.scored(s, s.validation).isEmpty())
            throw new ModelworkException("The validation set is empty (or has no ground truth)", "tune", "split with segments ≥ 3, or name validation= videos");
        String metric = a.getString("metric", "hota");
        SearchSpace space = Tuning.space(a, SearchSpace.parse(SPACE));
        TunerConfig cfg = Tuning.config(a, ctx, metric, Direction.MAXIMIZE, 1);
        double current = score(s, s.validation, s.params, s.conf, metric);
        TuningReport tr = Tuning.run(ctx, space, (params, budget, seed) -> {
            double c = params.containsKey("conf") ? ((Number) params.get("conf")).doubleValue() : s.conf;
            return score(s, s.validation, apply(s.params, params), Math.max(c, s.conf), metric);
        }, cfg);
        StepReport r = Tuning.report(a.getString("strategy", "tpe"), tr, current);
        boolean keep = Tuning.decide(r, tr, current, a.getBool("apply", true), () -> {
            double c = tr.bestParams().containsKey("conf") ? ((Number) tr.bestParams().get("conf")).doubleValue() : s.conf;
            return score(s, s.validation, apply(s.params, tr.bestParams()), Math.max(c, s.conf), metric);
        });
        if (keep) {
            s.params = apply(s.params, tr.bestParams());
            if (tr.bestParams().containsKey("conf")) s.conf = (float) Math.max(s.conf, ((Number) tr.bestParams().get("conf")).doubleValue());
            ctx.invalidate(Step.EVALUATE);
        }
        r.body().set("params", Json.MAPPER.valueToTree(s.params));
        r.note("tuned on the cached detections of the validation segment (the detector is not re-run)");
        return r;
    }

    /**
     * Validation and test replayed in time order (video by video) and cut into {@code windows} equal windows of
     * frames; each window is scored on its own (a fresh tracker per piece; a window over two videos combines their
     * pieces as TrackEval combines sequences), with the detections per frame and their mean confidence as drift.
     */
    static StepReport backtest(TrackingState s, Args a, StepContext ctx) {
        s.ensureFitted("backtest");
        TrackingEvaluate.requireGt(s, "backtest");
        List<Segment> all = new ArrayList<>(TrackingEvaluate.scored(s, s.validation));
        all.addAll(TrackingEvaluate.scored(s, s.test));
        all.sort(java.util.Comparator.comparingInt(Segment::video).thenComparingInt(Segment::from));
        int n = s.frames(all);
        if (n == 0) throw new ModelworkException("Validation and test hold no scored frames", "backtest", "split so that they hold frames with ground truth");
        int windows = Math.max(1, Math.min(a.getInt("windows", 4), n));
        StepReport r = new StepReport("backtest", "Replay of " + s.describe(all) + " in " + windows + " windows");
        Table t = Table.create("Windows");
        StringColumn fr = StringColumn.create("frames");
        DoubleColumn mota = DoubleColumn.create("mota"), idf1 = DoubleColumn.create("idf1"), hota = DoubleColumn.create("hota"),
                dpf = DoubleColumn.create("detections_per_frame"), mc = DoubleColumn.create("mean_confidence");
        IntColumn idsw = IntColumn.create("idsw");
        double[] x = new double[windows], ym = new double[windows], yi = new double[windows], yd = new double[windows], yc = new double[windows];
        var arr = r.body().putArray("windows");
        for (int w = 0; w < windows; w++) {
            List<Segment> pieces = pieces(s, all, n * w / windows, n * (w + 1) / windows);
            MotMetrics m = TrackingEvaluate.score(s, pieces, s.params);
            int dets = 0, len = 0;
            double conf = 0;
            for (Segment g : pieces) {
                len += s.frames(g);
                for (var f : s.window(g)) for (Detection d : f) { dets++; conf += d.score(); }
            }
            String label = s.describe(pieces);
            fr.append(label);
            mota.append(m.mota()); idf1.append(m.idf1()); hota.append(m.hotaValue()); idsw.append(m.clear().idsw());
            double perFrame = (double) dets / Math.max(1, len), meanConf = dets == 0 ? 0 : conf / dets;
            dpf.append(perFrame); mc.append(meanConf);
            x[w] = w + 1; ym[w] = m.mota(); yi[w] = m.idf1(); yd[w] = perFrame; yc[w] = meanConf;
            ObjectNode o = arr.addObject();
            o.put("window", w + 1).put("frames", label).put("from", s.video(pieces.get(0)).sourceFrame(pieces.get(0).from()) + 1)
                    .put("to", s.video(pieces.get(pieces.size() - 1)).sourceFrame(pieces.get(pieces.size() - 1).to() - 1) + 1)
                    .put("mota", m.mota()).put("idf1", m.idf1()).put("hota", m.hotaValue()).put("idsw", m.clear().idsw())
                    .put("detections_per_frame", perFrame).put("mean_confidence", meanConf);
        }
        t.addColumns(fr, mota, idf1, hota, idsw, dpf, mc);
        r.table(t);
        r.chart(Chart.line("backtest", "MOTA and IDF1 per window", "window (time order)", "score",
                List.of(Chart.Series.line("MOTA", x, ym), Chart.Series.line("IDF1", x, yi))));
        r.chart(Chart.line("detection_drift", "Detections per frame per window", "window (time order)", "detections / frame",
                List.of(Chart.Series.line("detections", x, yd))));
        r.chart(Chart.line("confidence_drift", "Mean detection confidence per window", "window (time order)", "confidence",
                List.of(Chart.Series.line("mean confidence", x, yc))));
        double d0 = yd[0], d1 = yd[windows - 1], c0 = yc[0], c1 = yc[windows - 1];
        r.body().put("detections_per_frame_change", d1 - d0).put("mean_confidence_change", c1 - c0);
        r.note(String.format(Locale.ROOT, "windows replay validation then test in time order, each with a fresh tracker; first → last window: "
                + "detections per frame %.2f → %.2f, mean confidence %.3f → %.3f", d0, d1, c0, c1));
        return r;
    }

    /** The parts of {@code all} (in order) covering global frame positions {@code [from, to)}. */
    static List<Segment> pieces(TrackingState s, List<Segment> all, int from, int to) {
        List<Segment> out = new ArrayList<>();
        int pos = 0;
        for (Segment g : all) {
            int len = s.frames(g);
            int a = Math.max(from, pos), b = Math.min(to, pos + len);
            if (b > a) out.add(new Segment(g.video(), g.from() + a - pos, g.from() + b - pos));
            pos += len;
        }
        return out;
    }

    /**
     * The dual threshold and the start hysteresis: a grid over {@code low_thresh} (floor of the second association)
     * and {@code new_track_margin} (a track starts at track_thresh + margin; the reference uses 0.1), on validation
     * HOTA; applied only when better than the current pair.
     */
    static StepReport calibrate(TrackingState s, Args a, StepContext ctx) {
        s.ensureFitted("calibrate");
        TrackingEvaluate.requireGt(s, "calibrate");
        double[] lows = a.getDoubles("low_thresh", new double[]{0.05, 0.1, 0.2, 0.3});
        double[] margins = a.getDoubles("new_track_margin", new double[]{0.0, 0.1, 0.2});
        double current = score(s, s.validation, s.params, s.conf, "hota");
        double best = current;
        ByteTracker.Params bestP = s.params;
        Table t = Table.create("Grid (validation HOTA)");
        DoubleColumn lc = DoubleColumn.create("low_thresh"), mc = DoubleColumn.create("new_track_margin"), hc = DoubleColumn.create("hota");
        List<double[]> grid = new ArrayList<>();
        for (double lo : lows) for (double m : margins) if (lo < s.params.trackThresh()) grid.add(new double[]{lo, m});
        int q = 0;
        for (double[] g : grid) {
            ByteTracker.Params p = s.params.withLow(g[0]).withMargin(g[1]);
            double h = score(s, s.validation, p, Math.min(s.conf, g[0]), "hota");
            lc.append(g[0]); mc.append(g[1]); hc.append(h);
            if (h > best + 1e-12) { best = h; bestP = p; }
            ctx.progress().update("calibrate", ++q, grid.size(), String.format(Locale.ROOT, "low %.2f margin %.2f: HOTA %.4f", g[0], g[1], h));
        }
        t.addColumns(lc, mc, hc);
        boolean applied = bestP != s.params;
        s.params = bestP;
        if (applied) ctx.invalidate(Step.EVALUATE);
        StepReport r = new StepReport("calibrate", String.format(Locale.ROOT, "Thresholds: high %.2f, low %.2f, start at %.2f",
                s.params.trackThresh(), s.params.lowThresh(), s.params.trackThresh() + s.params.newTrackMargin()));
        r.table(t);
        r.body().put("applied", applied).put("validation_hota_before", current).put("validation_hota_after", best)
                .put("track_thresh", s.params.trackThresh()).put("low_thresh", s.params.lowThresh()).put("new_track_margin", s.params.newTrackMargin())
                .put("max_time_lost", s.params.maxTimeLost());
        r.note("a low threshold below the fitted detector confidence (" + s.conf + ") sees only the cached detections ≥ " + s.conf
                + "; ending a track is the lost buffer (" + s.params.maxTimeLost() + " frames), tuned by tune");
        return r;
    }
}
