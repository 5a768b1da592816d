package io.modelwork.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.metrics.LinearSumAssignment;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.tracking.metrics.Hota;
import io.modelwork.tracking.metrics.MotMetrics;
import io.modelwork.tracking.metrics.MotText;
import io.modelwork.tracking.track.ByteTracker;
import io.modelwork.tracking.track.IouTracker;
import io.modelwork.tracking.track.TrackBox;
import io.modelwork.tracking.TrackingState.Segment;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** evaluate of the tracking category: TrackEval-exact HOTA/CLEAR/Identity on the validation and test segments. */
final class TrackingEvaluate {
    static final List<String> KEYS = List.of("hota", "deta", "assa", "loca", "mota", "motp", "idf1", "idp", "idr", "idsw", "mt", "ml", "fp", "fn", "frag");

    private TrackingEvaluate() { }

    static void requireGt(TrackingState s, String step) {
        if (!s.hasGt()) throw new ModelworkException("No ground truth attached", step, "attach_dataset with gt=<MOTChallenge gt.txt>");
    }

    /** ByteTrack with {@code p} over a segment's cached detections; frames renumbered from 1. */
    static List<TrackBox> track(TrackingState s, Segment g, ByteTracker.Params p) { return track(s, g, p, s.conf); }

    static List<TrackBox> track(TrackingState s, Segment g, ByteTracker.Params p, double conf) {
        return new ByteTracker(s.paramsFor(g, p)).run(s.window(g, conf));
    }

    static MotMetrics score(TrackingState s, Segment g, List<TrackBox> tracks) {
        TrackingVideo v = s.video(g);
        int n = s.frames(g);
        return Mot.score(v.gtWindow(g.from(), g.from() + n), tracks, n, String.valueOf(v.gtPath));
    }

    /** The segments that can be scored: decoded frames and a ground truth. */
    static List<Segment> scored(TrackingState s, List<Segment> gs) {
        return gs.stream().filter(g -> s.frames(g) > 0 && !s.video(g).gt.isEmpty()).toList();
    }

    /** TrackEval's combined metrics over segments (each its own sequence), tracked with {@code p} at confidence {@code conf}. */
    static MotMetrics score(TrackingState s, List<Segment> gs, ByteTracker.Params p, double conf) {
        return score(s, gs, g -> track(s, g, p, conf));
    }

    static MotMetrics score(TrackingState s, List<Segment> gs, ByteTracker.Params p) { return score(s, gs, p, s.conf); }

    static MotMetrics score(TrackingState s, List<Segment> gs, java.util.function.Function<Segment, List<TrackBox>> tracker) {
        List<Segment> ok = scored(s, gs);
        if (ok.isEmpty()) throw new ModelworkException("No segment with ground truth and decoded frames", "evaluate", "check the split and the ground truth");
        List<MotMetrics> all = new ArrayList<>();
        for (Segment g : ok) all.add(score(s, g, tracker.apply(g)));
        return all.size() == 1 ? all.get(0) : MotMetrics.combine(all);
    }

    static ObjectNode summary(MotMetrics m) {
        ObjectNode all = m.toJson(), o = Json.object();
        for (String k : KEYS) o.set(k, all.get(k));
        o.put("frames", m.sequence().numFrames());
        return o;
    }

    static StepReport evaluate(TrackingState s, Args a, StepContext ctx) {
        s.ensureFitted("evaluate");
        requireGt(s, "evaluate");
        List<Segment> main = scored(s, s.main());
        if (main.isEmpty()) throw new ModelworkException("The test and validation sets have no scored frames", "evaluate", "split so that test holds a video with ground truth");
        MotMetrics test = score(s, main, s.params);
        MotMetrics val = scored(s, s.validation).isEmpty() ? null : score(s, s.validation, s.params);
        MotMetrics greedy = score(s, main, g -> new IouTracker(s.params.trackThresh(), 0.3, 1).run(s.window(g)));
        StepReport r = new StepReport("evaluate", String.format(Locale.ROOT, "ByteTrack on %s: HOTA %.3f, MOTA %.3f, IDF1 %.3f",
                s.describe(main), test.hotaValue(), test.mota(), test.idf1()));
        ObjectNode metrics = r.body().putObject("metrics");
        if (val != null) metrics.set("validation", summary(val));
        metrics.set("test", summary(test));
        r.body().set("greedy_iou_baseline_test", summary(greedy));
        Table t = Table.create("TrackEval metrics (HOTA, CLEAR, Identity)");
        StringColumn k = StringColumn.create("metric");
        DoubleColumn vc = DoubleColumn.create("validation"), tc = DoubleColumn.create("test"), gc = DoubleColumn.create("greedy IoU (test)");
        for (String key : KEYS) {
            k.append(key);
            vc.append(val == null ? Double.NaN : metrics.get("validation").get(key).asDouble());
            tc.append(metrics.get("test").get(key).asDouble());
            gc.append(r.body().get("greedy_iou_baseline_test").get(key).asDouble());
        }
        t.addColumns(k, vc, tc, gc);
        r.table(t);
        // charts, gallery and the annotated video: the first test segment
        Segment g0 = main.get(0);
        TrackingVideo v0 = s.video(g0);
        List<TrackBox> tt = track(s, g0, s.params);
        int n = s.frames(g0);
        List<MotText.Box> gtw = v0.gtWindow(g0.from(), g0.from() + n);
        double[] x = new double[n], g = new double[n], tr = new double[n], de = new double[n];
        for (int i = 0; i < n; i++) x[i] = v0.sourceFrame(g0.from() + i) + 1;
        for (MotText.Box b : gtw) if ((int) b.conf() != 0) g[b.frame() - 1]++;
        for (TrackBox b : tt) tr[b.frame() - 1]++;
        List<List<io.modelwork.tracking.detect.Detection>> w = s.window(g0);
        for (int i = 0; i < n; i++) for (var d : w.get(i)) if (d.score() > s.params.trackThresh()) de[i]++;
        String which = main.size() > 1 ? " (" + s.describe(g0) + ")" : " (test)";
        r.chart(Chart.line("per_frame_counts", "Objects per frame" + which, "frame", "count", List.of(Chart.Series.line("ground truth", x, g),
                Chart.Series.line("tracks", x, tr), Chart.Series.dashed("high-score detections", x, de))));
        double[] alpha = Hota.ALPHAS.clone();
        r.chart(Chart.line("hota_vs_alpha", "HOTA, DetA, AssA vs localisation threshold α (test)", "α", "score", List.of(
                Chart.Series.line("HOTA", alpha, test.hota().hota()), Chart.Series.dashed("DetA", alpha, test.hota().detA()),
                Chart.Series.dashed("AssA", alpha, test.hota().assA()))));
        Path dir = ctx.run().runDir().resolve("tracking");
        for (Segment sg : main)
            TrackingData.writeTracks(dir.resolve(main.size() == 1 ? "tracks_test.txt" : "tracks_test-" + s.video(sg).name() + ".txt"),
                    toSource(s, sg, sg == g0 ? tt : track(s, sg, s.params)));
        r.body().put("tracks_file", dir.resolve(main.size() == 1 ? "tracks_test.txt" : "tracks_test-" + v0.name() + ".txt").toString());
        if (v0.isStream()) {
            r.note("a live stream cannot be decoded again: no gallery and no annotated video (the metrics cover the frames fit decoded)");
        } else {
            r.gallery(gallery(s, g0, gtw, tt, a.getInt("gallery", 3), dir.resolve("gallery")));
            if (a.getBool("video", true)) {
                Path mp4 = TrackingRender.video(v0, g0, tt, dir.resolve("tracks_test.mp4"));
                r.body().put("video", mp4.toString());
                s.videoFile = mp4;
                r.gallery(List.of(new GalleryItem("annotated video", gtw.size() + " ground-truth boxes", tt.size() + " track boxes", 0,
                        Map.of("what", s.describe(g0) + " with track boxes, ids and trails (" + TrackingRender.codec() + " in MP4)"), mp4.toString(), "video/mp4")));
            }
        }
        if (main.size() > 1) r.note("metrics combine " + main.size() + " test videos as TrackEval does (counts summed); charts, gallery and video show " + s.describe(g0));
        for (TrackingVideo v : s.videos)
            if (v.stopReason != null) r.note(v.name() + " stopped early (" + v.stopReason + "): metrics cover the frames decoded");
        return r;
    }

    /** Tracks of a segment renumbered to the video's own 1-based frame numbers (MOTChallenge files). */
    static List<TrackBox> toSource(TrackingState s, Segment g, List<TrackBox> t) {
        TrackingVideo v = s.video(g);
        List<TrackBox> o = new ArrayList<>(t.size());
        for (TrackBox b : t)
            o.add(new TrackBox(v.sourceFrame(g.from() + b.frame() - 1) + 1, b.id(), b.left(), b.top(), b.width(), b.height(), b.score()));
        return o;
    }

    /** An identity switch: ground-truth object {@code gt} matched to {@code before} in frame {@code from}, to {@code after} in {@code to}. */
    record Switch(int gt, int from, int to, int before, int after, double[] boxFrom, double[] boxTo) { }

    /**
     * Galleries: identity switches as before/after crops (the object where it was last matched, and where it is matched
     * to another track id), and the frames with the most misses + false tracks (IoU 0.5 matching), drawn with ground
     * truth green and tracks red with ids.
     */
    static List<GalleryItem> gallery(TrackingState s, Segment seg, List<MotText.Box> gt, List<TrackBox> tracks, int k, Path dir) {
        List<GalleryItem> out = new ArrayList<>();
        int n = s.frames(seg);
        TrackingVideo v = s.video(seg);
        java.util.function.IntUnaryOperator frameNo = i -> v.sourceFrame(seg.from() + i) + 1;
        if (k <= 0 || n == 0) return out;
        List<List<double[]>> gb = new ArrayList<>(), tb = new ArrayList<>();
        for (int i = 0; i < n; i++) { gb.add(new ArrayList<>()); tb.add(new ArrayList<>()); }
        for (MotText.Box b : gt) if ((int) b.conf() != 0) gb.get(b.frame() - 1).add(new double[]{b.left(), b.top(), b.left() + b.width(), b.top() + b.height(), b.id()});
        for (TrackBox b : tracks) tb.get(b.frame() - 1).add(new double[]{b.left(), b.top(), b.left() + b.width(), b.top() + b.height(), b.id()});
        int[][] err = new int[n][];
        List<Switch> switches = new ArrayList<>();
        Map<Integer, Object[]> last = new java.util.HashMap<>(); // gt id -> {frame, track id, box}
        for (int i = 0; i < n; i++) {
            List<int[]> pairs = new ArrayList<>();
            err[i] = errors(gb.get(i), tb.get(i), pairs);
            for (int[] pr : pairs) {
                double[] g = gb.get(i).get(pr[0]);
                int gid = (int) g[4], tid = (int) tb.get(i).get(pr[1])[4];
                Object[] prev = last.get(gid);
                if (prev != null && (int) prev[1] != tid)
                    switches.add(new Switch(gid, (int) prev[0], i, (int) prev[1], tid, (double[]) prev[2], g));
                last.put(gid, new Object[]{i, tid, g});
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        order.sort((p, q) -> Integer.compare(err[q][0] + err[q][1], err[p][0] + err[p][1]));
        List<Integer> pick = order.subList(0, Math.min(k, n)).stream().filter(i -> err[i][0] + err[i][1] > 0).sorted().toList();
        List<Switch> sw = switches.subList(0, Math.min(k, switches.size()));
        java.util.Set<Integer> need = new java.util.TreeSet<>(pick);
        for (Switch x : sw) { need.add(x.from()); need.add(x.to()); }
        if (need.isEmpty()) return out;
        Map<Integer, BufferedImage> imgs = new java.util.HashMap<>();
        v.frames(seg.from(), seg.from() + ((java.util.TreeSet<Integer>) need).last() + 1, (f, i) -> {
            if (need.contains(i - seg.from())) imgs.put(i - seg.from(), f.toImage());
        });
        int q = 0;
        for (Switch x : sw) {
            BufferedImage a = imgs.get(x.from()), b = imgs.get(x.to());
            if (a == null || b == null) continue;
            BufferedImage ca = crop(a, x.boxFrom(), "#" + x.before() + " frame " + frameNo.applyAsInt(x.from())),
                    cb = crop(b, x.boxTo(), "#" + x.after() + " frame " + frameNo.applyAsInt(x.to()));
            BufferedImage panel = new BufferedImage(ca.getWidth() + cb.getWidth() + 4, Math.max(ca.getHeight(), cb.getHeight()), BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = panel.createGraphics();
            g.drawImage(ca, 0, 0, null);
            g.drawImage(cb, ca.getWidth() + 4, 0, null);
            g.dispose();
            Path png = write(panel, dir.resolve(String.format(Locale.ROOT, "%02d-idsw-gt%d-frame%05d.png", q++, x.gt(), frameNo.applyAsInt(x.to()))));
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("kind", "identity switch");
            fields.put("panels", "before (last frame matched to the old id) | after");
            out.add(new GalleryItem("frame " + frameNo.applyAsInt(x.to()) + " gt " + x.gt(), "object " + x.gt(),
                    "track #" + x.before() + " → #" + x.after(), x.to() - x.from(), fields, png.toString(), "image/png"));
        }
        for (int i : pick) {
            BufferedImage img = imgs.get(i);
            Graphics2D gr = img.createGraphics();
            gr.setStroke(new BasicStroke(2));
            gr.setColor(Color.GREEN);
            for (double[] b : gb.get(i)) gr.drawRect((int) b[0], (int) b[1], (int) (b[2] - b[0]), (int) (b[3] - b[1]));
            gr.setColor(Color.RED);
            for (double[] b : tb.get(i)) {
                gr.drawRect((int) b[0], (int) b[1], (int) (b[2] - b[0]), (int) (b[3] - b[1]));
                gr.drawString("#" + (int) b[4], (int) b[0] + 2, (int) b[1] + 12);
            }
            gr.dispose();
            Path png = write(img, dir.resolve(String.format(Locale.ROOT, "%02d-errors-frame%05d.png", q++, frameNo.applyAsInt(i))));
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("kind", "missed and false detections");
            fields.put("missed", Integer.toString(err[i][0]));
            fields.put("false", Integer.toString(err[i][1]));
            fields.put("colours", "ground truth green, tracks red with ids");
            out.add(new GalleryItem("frame " + frameNo.applyAsInt(i), gb.get(i).size() + " objects", tb.get(i).size() + " tracks",
                    err[i][0] + err[i][1], fields, png.toString(), "image/png"));
        }
        return out;
    }

    private static BufferedImage crop(BufferedImage img, double[] b, String label) {
        int pad = 12;
        int x0 = Math.max(0, (int) b[0] - pad), y0 = Math.max(0, (int) b[1] - pad);
        int x1 = Math.min(img.getWidth(), (int) b[2] + pad), y1 = Math.min(img.getHeight(), (int) b[3] + pad);
        BufferedImage c = new BufferedImage(Math.max(1, x1 - x0), Math.max(1, y1 - y0) + 14, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = c.createGraphics();
        g.drawImage(img.getSubimage(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)), 0, 14, null);
        g.setColor(Color.YELLOW);
        g.drawString(label, 1, 11);
        g.dispose();
        return c;
    }

    private static Path write(BufferedImage img, Path png) {
        try {
            Files.createDirectories(png.getParent());
            Path tmp = Files.createTempFile(png.getParent(), ".frame", ".png");
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return png;
        } catch (IOException e) {
            throw new ModelworkException("Cannot write the gallery: " + e.getMessage(), png.toString(), "check free disk space and permissions");
        }
    }

    /** {missed, false} of one frame at IoU ≥ 0.5 (optimal matching); matched [gt index, track index] pairs into {@code pairs}. */
    static int[] errors(List<double[]> g, List<double[]> t, List<int[]> pairs) {
        if (g.isEmpty() || t.isEmpty()) return new int[]{g.size(), t.size()};
        double[][] c = new double[g.size()][t.size()];
        for (int i = 0; i < g.size(); i++) for (int j = 0; j < t.size(); j++) {
            double v = ByteTrackIou.iou(g.get(i), t.get(j));
            c[i][j] = v >= 0.5 ? -v : 0;
        }
        LinearSumAssignment.Result r = LinearSumAssignment.minimize(c);
        int m = 0;
        for (int q = 0; q < r.size(); q++) if (c[r.rows()[q]][r.cols()[q]] < 0) { m++; pairs.add(new int[]{r.rows()[q], r.cols()[q]}); }
        return new int[]{g.size() - m, t.size() - m};
    }

    /** IoU of x1,y1,x2,y2 boxes. */
    static final class ByteTrackIou {
        static double iou(double[] a, double[] b) {
            double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]), ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
            if (iw <= 0 || ih <= 0) return 0;
            double inter = iw * ih, u = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
            return u <= 0 ? 0 : inter / u;
        }
    }
}
