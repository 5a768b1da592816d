package io.modelwork.speaker.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.metrics.LinearSumAssignment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DER and JER exactly as pyannote.metrics (3.x, {@code diarization.py}, {@code identification.py},
 * {@code matcher.py}, {@code utils.py}) computes them.
 *
 * <p>Per file ({@code UEMSupportMixin.uemify}, then {@code DiarizationErrorRate.compute_components}):
 * <ol>
 *   <li>UEM: the given one, else the extent {@code r_extent | h_extent} (one segment from the earliest start to the
 *       latest end of reference and hypothesis together, gaps included), as pyannote does with a warning.</li>
 *   <li>Extrusion (only when {@code collar > 0} or {@code skip_overlap}): the support of the collars
 *       {@code [t − collar/2, t + collar/2]} around every reference segment's start and end, plus (with
 *       {@code skip_overlap}) every intersection of two different reference tracks, is removed from the UEM. So
 *       {@code collar} is the <em>total</em> width, pyannote 0.5 = md-eval ±0.25.</li>
 *   <li>Reference and hypothesis are cropped to that UEM.</li>
 *   <li>Mapping: {@code HungarianMapper}: {@code linear_sum_assignment(−cooccurrence)} over hypothesis × reference
 *       labels (reference renamed A, B, … and hypothesis 0, 1, … first, rows and columns in pyannote's
 *       {@code sorted(key=str)} order, which decides ties); only pairs with a co-occurrence &gt; 0 are kept.</li>
 *   <li>On the common timeline (every boundary of either side, pieces in gaps of both dropped) each piece of duration
 *       d with N_ref reference and N_hyp hypothesis tracks adds d·N_ref to total, d·(N_ref − min) to missed,
 *       d·(N_hyp − min) to false alarm, d·(min − correct) to confusion, where min = min(N_ref, N_hyp) and correct =
 *       Σ over labels of min(count in reference, count of hypothesis tracks mapped to it) ({@code LabelMatcher}).
 *       Overlapping speech therefore counts once per speaker.</li>
 * </ol>
 * DER = (false alarm + missed + confusion)/total over the accumulated components (0 when both are 0, 1 when only the
 * total is 0).
 *
 * <p>JER ({@code JaccardErrorRate}): the same uemified files; the mapping is recomputed the other way round
 * (reference × hypothesis, {@code optimal_mapping(hypothesis, reference)}); for each reference speaker, 1 when it is
 * not mapped, else (FA + miss)/|r ∪ h| with FA = |h| − |h ∩ r| and miss = |r| − |r ∩ h| on the speakers' timelines;
 * JER = Σ speaker errors / number of reference speakers, over all files.
 *
 * <p>pyannote.metrics itself could not be installed here; these rules are transcribed from its source and checked by
 * hand-computed tests. Sums are taken in pyannote's order (files sorted by URI, pieces in time order).
 */
public final class DiarizationMetrics {
    private DiarizationMetrics() {}

    /** The components of one file (seconds) and its JER parts. */
    public record FileResult(String uri, double falseAlarm, double missed, double confusion, double correct,
                             double total, double speakerError, int speakerCount, Map<String, Double> jerPerSpeaker,
                             Map<String, String> mapping, boolean uemGiven) {
        public double der() { return rate(falseAlarm + missed + confusion, total); }
        public double jer() { return speakerCount == 0 ? Double.NaN : speakerError / speakerCount; }
    }

    /** Accumulated over files. */
    public record Result(List<FileResult> files, double collar, boolean skipOverlap, List<String> warnings) {
        public double falseAlarm() { return files.stream().mapToDouble(FileResult::falseAlarm).reduce(0, Double::sum); }
        public double missed() { return files.stream().mapToDouble(FileResult::missed).reduce(0, Double::sum); }
        public double confusion() { return files.stream().mapToDouble(FileResult::confusion).reduce(0, Double::sum); }
        public double correct() { return files.stream().mapToDouble(FileResult::correct).reduce(0, Double::sum); }
        public double total() { return files.stream().mapToDouble(FileResult::total).reduce(0, Double::sum); }
        public double der() { return rate(falseAlarm() + missed() + confusion(), total()); }
        /** NaN when no file has a reference speaker (pyannote divides by zero there). */
        public double jer() {
            double e = files.stream().mapToDouble(FileResult::speakerError).reduce(0, Double::sum);
            int n = files.stream().mapToInt(FileResult::speakerCount).sum();
            return n == 0 ? Double.NaN : e / n;
        }

        /** The JSON object {@code metrics der} prints. */
        public ObjectNode toJson() {
            ObjectNode o = Json.object();
            o.put("der", der());
            putMaybe(o, "jer", jer());
            o.put("false_alarm", falseAlarm());
            o.put("missed", missed());
            o.put("confusion", confusion());
            o.put("correct", correct());
            o.put("total", total());
            o.put("collar", collar);
            o.put("skip_overlap", skipOverlap);
            ArrayNode fs = o.putArray("files");
            for (FileResult f : files) {
                ObjectNode x = fs.addObject();
                x.put("uri", f.uri());
                x.put("der", f.der());
                putMaybe(x, "jer", f.jer());
                x.put("false_alarm", f.falseAlarm());
                x.put("missed", f.missed());
                x.put("confusion", f.confusion());
                x.put("correct", f.correct());
                x.put("total", f.total());
                x.put("uem", f.uemGiven() ? "given" : "union of reference and hypothesis extents");
                ObjectNode m = x.putObject("mapping");
                f.mapping().forEach(m::put);
                ObjectNode j = x.putObject("jer_per_speaker");
                f.jerPerSpeaker().forEach(j::put);
            }
            ArrayNode w = o.putArray("warnings");
            warnings.forEach(w::add);
            return o;
        }
    }

    private static void putMaybe(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) o.putNull(k);
        else o.put(k, v);
    }

    static double rate(double num, double den) {
        if (den == 0.0) return num == 0 ? 0.0 : 1.0;
        return num / den;
    }

    /**
     * Scores every URI of the reference and of the hypothesis (sorted). A URI missing from the hypothesis is scored
     * against an empty one (all missed), as pyannote's command line does. A URI only in the hypothesis is scored
     * against an empty reference (all false alarm): pyannote's command line iterates over reference files only and
     * would ignore it; counting it means a misspelt URI cannot quietly improve the score. Both cases, and a URI the
     * UEM does not list (scored with the default extent), are reported in {@code warnings}.
     */
    public static Result evaluate(Map<String, List<Rttm.Turn>> ref, Map<String, List<Rttm.Turn>> hyp,
                                  Map<String, List<double[]>> uem, double collar, boolean skipOverlap) {
        TreeSet<String> uris = new TreeSet<>(ref.keySet());
        uris.addAll(hyp.keySet());
        List<String> warnings = new ArrayList<>();
        List<FileResult> files = new ArrayList<>();
        for (String uri : uris) {
            if (!ref.containsKey(uri)) warnings.add("'" + uri + "' is only in the hypothesis: all of it is false alarm");
            if (!hyp.containsKey(uri)) warnings.add("'" + uri + "' has no hypothesis: all of it is missed");
            List<double[]> u = uem == null ? null : uem.get(uri);
            if (uem != null && u == null)
                warnings.add("the UEM has no line for '" + uri + "': its extent is the union of reference and hypothesis");
            if (u != null && ref.containsKey(uri)) {
                List<Seg> speech = new ArrayList<>(), region = new ArrayList<>();
                for (Rttm.Turn t : ref.get(uri)) speech.add(new Seg(t.start(), t.end()));
                for (double[] x : u) region.add(new Seg(x[0], x[1]));
                speech = Seg.timeline(speech);
                double outside = Seg.duration(speech) - Seg.duration(Seg.crop(speech, Seg.timeline(region)));
                if (outside > 1e-6)
                    warnings.add(String.format(java.util.Locale.ROOT, "the UEM leaves %.3f s of reference speech of '%s' "
                            + "unscored", outside, uri));
            }
            files.add(score(uri, ref.getOrDefault(uri, List.of()), hyp.getOrDefault(uri, List.of()), u, collar,
                    skipOverlap));
        }
        if (uem != null)
            for (String uri : uem.keySet())
                if (!uris.contains(uri)) warnings.add("the UEM lists '" + uri + "', which neither RTTM has");
        return new Result(files, collar, skipOverlap, warnings);
    }

    /** One file; {@code uem} null = pyannote's default extent. */
    public static FileResult score(String uri, List<Rttm.Turn> refTurns, List<Rttm.Turn> hypTurns, List<double[]> uem,
                                   double collar, boolean skipOverlap) {
        List<String> refNames = new ArrayList<>(new TreeSet<>(refTurns.stream().map(Rttm.Turn::speaker).toList()));
        List<String> hypNames = new ArrayList<>(new TreeSet<>(hypTurns.stream().map(Rttm.Turn::speaker).toList()));
        Annotation ref = annotation(refTurns, refNames);
        Annotation hyp = annotation(hypTurns, hypNames);

        List<Seg> u;
        if (uem == null) {
            Seg r = extent(ref), h = extent(hyp);
            Seg e = r.or(h);
            u = e.nonEmpty() ? List.of(e) : List.of();
        } else {
            List<Seg> l = new ArrayList<>();
            for (double[] x : uem) l.add(new Seg(x[0], x[1]));
            u = Seg.timeline(l);
        }
        u = extrude(u, ref, collar, skipOverlap);
        ref = ref.crop(u);
        hyp = hyp.crop(u);

        // pyannote renames the reference A, B, … and the hypothesis 0, 1, … (in sorted order of the original names),
        // then lists labels with sorted(key=str): that order decides the solver's ties.
        // (renaming numbers only the labels left after cropping, so the rank among those is what is renamed)
        Integer[] rl = ordered(ref.labels(), Annotation::stringLabel);
        Integer[] hl = ordered(hyp.labels(), Integer::toString);

        // DER mapping: HungarianMapper(hypothesis, reference)
        double[][] hr = hyp.cooccurrence(ref, hypNames.size(), refNames.size());
        Map<Integer, Integer> hypToRef = hungarian(hr, hl, rl);

        // identification counts on the common timeline
        double[] c = identification(ref, hyp, hypToRef, refNames.size());

        // JER mapping: HungarianMapper(reference, hypothesis)
        double[][] rh = ref.cooccurrence(hyp, refNames.size(), hypNames.size());
        Map<Integer, Integer> refToHyp = hungarian(rh, rl, hl);
        double speakerError = 0;
        Map<String, Double> perSpeaker = new LinkedHashMap<>();
        for (int r : rl) {
            Integer h = refToHyp.get(r);
            double jer;
            if (h == null) jer = 1.;
            else {
                List<Seg> rt = ref.labelTimeline(r), ht = hyp.labelTimeline(h);
                List<Seg> both = new ArrayList<>(rt);
                both.addAll(ht);
                double total = Seg.duration(Seg.timeline(both));
                double fa = Seg.duration(ht) - Seg.duration(Seg.crop(ht, rt));
                double miss = Seg.duration(rt) - Seg.duration(Seg.crop(rt, ht));
                jer = (fa + miss) / total;
            }
            speakerError += jer;
            perSpeaker.put(refNames.get(r), jer);
        }
        Map<String, String> mapping = new TreeMap<>();
        hypToRef.forEach((h, r) -> mapping.put(hypNames.get(h), refNames.get(r)));
        return new FileResult(uri, c[0], c[1], c[2], c[3], c[4], speakerError, rl.length, perSpeaker, mapping,
                uem != null);
    }

    private static Annotation annotation(List<Rttm.Turn> turns, List<String> names) {
        Map<String, Integer> idx = new HashMap<>();
        for (String n : names) idx.put(n, idx.size());
        Annotation a = new Annotation();
        for (Rttm.Turn t : turns) a.add(new Seg(t.start(), t.end()), idx.get(t.speaker()));
        return a;
    }

    /** {@code Timeline.extent()}: (+inf, −inf), i.e. empty, for an empty timeline. */
    private static Seg extent(Annotation a) {
        if (a.tracks.isEmpty()) return new Seg(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        double s = a.tracks.firstKey().start();
        double e = Double.NEGATIVE_INFINITY;
        for (Seg x : a.tracks.keySet()) e = Math.max(e, x.end());
        return new Seg(s, e);
    }

    /** {@code UEMSupportMixin.extrude}. */
    static List<Seg> extrude(List<Seg> uem, Annotation ref, double collar, boolean skipOverlap) {
        if (collar == 0.0 && !skipOverlap) return uem;
        List<Seg> remove = new ArrayList<>();
        if (collar > 0.0)
            for (Seg s : ref.tracks.keySet()) {
                remove.add(new Seg(s.start() - 0.5 * collar, s.start() + 0.5 * collar));
                remove.add(new Seg(s.end() - 0.5 * collar, s.end() + 0.5 * collar));
            }
        if (skipOverlap) {
            List<Seg> tl = ref.timeline();
            for (int a = 0; a < tl.size(); a++) {
                Seg s = tl.get(a);
                int na = ref.tracks.get(s).size();
                if (na > 1) remove.add(s); // two tracks on one segment overlap each other
                for (int b = a + 1; b < tl.size() && tl.get(b).start() <= s.end(); b++) {
                    Seg o = tl.get(b);
                    if (s.intersects(o)) remove.add(s.and(o));
                }
            }
        }
        return Seg.gaps(Seg.support(Seg.timeline(remove)), uem);
    }

    /** Labels (indices in sorted-name order) listed as pyannote lists them once renamed by their rank. */
    private static Integer[] ordered(TreeSet<Integer> labels, java.util.function.IntFunction<String> rename) {
        Integer[] o = labels.toArray(new Integer[0]);
        Map<Integer, String> renamed = new HashMap<>();
        for (int k = 0; k < o.length; k++) renamed.put(o[k], rename.apply(k));
        java.util.Arrays.sort(o, Comparator.comparing(renamed::get));
        return o;
    }

    /** {@code HungarianMapper}: rows/cols in the given label orders; pairs with co-occurrence &gt; 0. */
    private static Map<Integer, Integer> hungarian(double[][] cooc, Integer[] rows, Integer[] cols) {
        Map<Integer, Integer> out = new HashMap<>();
        if (rows.length == 0 || cols.length == 0) return out;
        double[][] cost = new double[rows.length][cols.length];
        for (int i = 0; i < rows.length; i++)
            for (int j = 0; j < cols.length; j++) cost[i][j] = -cooc[rows[i]][cols[j]];
        LinearSumAssignment.Result r = LinearSumAssignment.minimize(cost);
        for (int k = 0; k < r.size(); k++) {
            int a = rows[r.rows()[k]], b = cols[r.cols()[k]];
            if (cooc[a][b] > 0) out.put(a, b);
        }
        return out;
    }

    /** {false alarm, missed, confusion, correct, total} from {@code IdentificationErrorRate.compute_components}. */
    private static double[] identification(Annotation ref, Annotation hyp, Map<Integer, Integer> hypToRef, int nRef) {
        List<Seg> all = ref.timeline();
        all.addAll(hyp.timeline());
        List<Seg> support = Seg.support(Seg.timeline(all));
        TreeSet<Double> stamps = new TreeSet<>();
        for (Seg s : all) {
            stamps.add(s.start());
            stamps.add(s.end());
        }
        List<Seg> pieces = new ArrayList<>();
        Double prev = null;
        for (double t : stamps) {
            if (prev != null) {
                Seg p = new Seg(prev, t);
                if (p.nonEmpty() && covers(support, (p.start() + p.end()) / 2)) pieces.add(p);
            }
            prev = t;
        }
        int n = pieces.size();
        List<List<Integer>> refAt = new ArrayList<>(n), hypAt = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refAt.add(new ArrayList<>(2));
            hypAt.add(new ArrayList<>(2));
        }
        project(ref, pieces, refAt, l -> l);
        // a mapped hypothesis label takes its reference label; an unmapped one keeps a label no reference has
        project(hyp, pieces, hypAt, h -> hypToRef.containsKey(h) ? hypToRef.get(h) : nRef + h);
        double fa = 0, miss = 0, conf = 0, correct = 0, total = 0;
        Map<Integer, Integer> count = new HashMap<>();
        for (int i = 0; i < n; i++) {
            double d = pieces.get(i).duration();
            List<Integer> r = refAt.get(i), h = hypAt.get(i);
            int nr = r.size(), nh = h.size();
            if (Math.max(nr, nh) == 0) continue;
            count.clear();
            for (int l : r) count.merge(l, 1, Integer::sum);
            int ok = 0;
            for (int l : h) {
                Integer k = count.get(l);
                if (k != null && k > 0) {
                    ok++;
                    count.put(l, k - 1);
                }
            }
            int m = Math.min(nr, nh);
            total += d * nr;
            correct += d * ok;
            conf += d * (m - ok);
            miss += d * (nr - m);
            fa += d * (nh - m);
        }
        return new double[] {fa, miss, conf, correct, total};
    }

    private static boolean covers(List<Seg> disjoint, double t) {
        int k = Seg.firstEndingAfter(disjoint, t);
        return k < disjoint.size() && disjoint.get(k).start() <= t && t <= disjoint.get(k).end();
    }

    /** {@code UEMSupportMixin.project}: every track goes to each piece its segment intersects. */
    private static void project(Annotation a, List<Seg> pieces, List<List<Integer>> at,
                                java.util.function.IntUnaryOperator label) {
        for (Map.Entry<Seg, List<Integer>> e : a.tracks.entrySet()) {
            Seg s = e.getKey();
            for (int k = Seg.firstEndingAfter(pieces, s.start()); k < pieces.size() && pieces.get(k).start() <= s.end(); k++) {
                if (!s.intersects(pieces.get(k))) continue;
                for (int l : e.getValue()) at.get(k).add(label.applyAsInt(l));
            }
        }
    }
}
