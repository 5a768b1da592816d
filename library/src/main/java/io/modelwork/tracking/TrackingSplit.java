package io.modelwork.tracking;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.tracking.TrackingState.Segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * split of the tracking category. Frames of one video never go to two sets: several videos are split by whole
 * video; a single video is cut into contiguous time segments ({@code segments=} or {@code fractions=}), the only
 * way to tune and test on one recording.
 */
final class TrackingSplit {
    private TrackingSplit() { }

    static StepReport bySegments(TrackingState s, Args a) {
        TrackingVideo v = s.first();
        int k = a.getInt("segments", 3);
        int n = v.frames;
        if (a.has("validation") || a.has("test"))
            throw new ModelworkException("validation= and test= name whole videos, and one video is attached", "split",
                    "cut the video with segments= or fractions=, or attach a folder / comma list of videos");
        if (n < k)
            throw new ModelworkException(n + " frames cannot be cut into " + k + " segments", "split segments", "use fewer segments or more frames");
        double[] w = a.getDoubles("fractions", null);
        int trainEnd, valEnd;
        if (w != null) {
            double[] f = fractions(w);
            trainEnd = (int) Math.round(n * f[0]);
            valEnd = (int) Math.round(n * (f[0] + f[1]));
        } else {
            // k equal time segments: the first k-2 train, then one validation (tune/calibrate), the last test
            int seg = n / k;
            trainEnd = seg * Math.max(1, k - 2);
            valEnd = trainEnd + seg;
        }
        s.train = seg(0, 0, trainEnd);
        s.validation = seg(0, trainEnd, valEnd);
        s.test = seg(0, valEnd, n);
        return report(s, "Time segments of one video (frames never mixed)");
    }

    private static List<Segment> seg(int video, int from, int to) {
        return to > from ? List.of(new Segment(video, from, to)) : List.of();
    }

    private static double[] fractions(double[] w) {
        if (w.length != 3) throw new ModelworkException("fractions needs three values (train, validation, test)", "split fractions", "e.g. fractions=0.4,0.3,0.3");
        double sum = w[0] + w[1] + w[2];
        if (sum <= 0) throw new ModelworkException("fractions sum to 0", "split fractions", "e.g. fractions=0.4,0.3,0.3");
        return new double[]{w[0] / sum, w[1] / sum, w[2] / sum};
    }

    static StepReport byVideo(TrackingState s, Args a) {
        int n = s.videos.size();
        if (a.has("segments"))
            throw new ModelworkException("segments= cuts one video into time segments; " + n + " videos are split by whole video", "split segments",
                    "leave segments= out (last video test, the one before validation), or give fractions= or validation=/test= video names");
        int[] set = new int[n]; // 0 train, 1 validation, 2 test
        if (a.has("validation") || a.has("test")) {
            java.util.Arrays.fill(set, 0);
            mark(s, a.has("validation") ? a.getList("validation") : List.of(), 1, set);
            mark(s, a.has("test") ? a.getList("test") : List.of(), 2, set);
        } else if (a.has("fractions")) {
            double[] f = fractions(a.getDoubles("fractions", null));
            int tr = (int) Math.round(n * f[0]), va = (int) Math.round(n * (f[0] + f[1]));
            for (int i = 0; i < n; i++) set[i] = i < tr ? 0 : i < va ? 1 : 2;
        } else {
            for (int i = 0; i < n; i++) set[i] = i == n - 1 ? 2 : i == n - 2 ? 1 : 0;
        }
        List<Segment> tr = new ArrayList<>(), va = new ArrayList<>(), te = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Segment g = new Segment(i, 0, s.videos.get(i).frames);
            (set[i] == 0 ? tr : set[i] == 1 ? va : te).add(g);
        }
        if (va.isEmpty() && te.isEmpty())
            throw new ModelworkException("No video is left for validation or test", "split", "give test= (video names) or fractions= with a test share");
        s.train = tr;
        s.validation = va;
        s.test = te;
        return report(s, "By video: " + tr.size() + " train, " + va.size() + " validation, " + te.size() + " test");
    }

    private static void mark(TrackingState s, List<String> names, int set, int[] out) {
        for (String raw : names) {
            String name = raw.strip();
            int k = -1;
            for (int i = 0; i < s.videos.size(); i++) if (s.videos.get(i).name().equals(name)) k = i;
            if (k < 0) {
                List<String> all = s.videos.stream().map(TrackingVideo::name).toList();
                String near = io.modelwork.core.Options.closest(name, all);
                throw new ModelworkException("No video named '" + name + "'", "split " + (set == 1 ? "validation" : "test"),
                        (near != null ? "did you mean '" + near + "'? " : "") + "the videos are " + all);
            }
            if (out[k] != 0 && out[k] != set)
                throw new ModelworkException("Video '" + name + "' is named for both validation and test", "split",
                        "a video goes to one set (its frames are never mixed)");
            out[k] = set;
        }
    }

    private static StepReport report(TrackingState s, String title) {
        StepReport r = new StepReport("split", title);
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("train", s.describe(s.train));
        kv.put("validation", s.describe(s.validation));
        kv.put("test", s.describe(s.test));
        r.table(Tables.keyValues("Segments", kv));
        r.body().put("train", s.describe(s.train)).put("validation", s.describe(s.validation)).put("test", s.describe(s.test))
                .put("by", s.videos.size() > 1 ? "video" : "time");
        for (String k : List.of("train", "validation", "test")) {
            var arr = r.body().putArray(k + "_segments");
            for (Segment g : k.equals("train") ? s.train : k.equals("validation") ? s.validation : s.test)
                arr.addObject().put("video", s.video(g).name()).put("from", g.from() + 1).put("to", g.to());
        }
        return r;
    }
}
