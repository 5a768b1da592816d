package io.modelwork.speaker.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The part of pyannote.core's {@code Annotation} that pyannote.metrics uses: segments (ordered, distinct) each holding
 * one or more tracks, a track carrying a label index. Empty segments are never added.
 */
final class Annotation {
    /** Segment → the label of each of its tracks (track order). */
    final TreeMap<Seg, List<Integer>> tracks = new TreeMap<>(Seg.ORDER);

    void add(Seg s, int label) {
        if (s.nonEmpty()) tracks.computeIfAbsent(s, k -> new ArrayList<>()).add(label);
    }

    List<Seg> timeline() { return new ArrayList<>(tracks.keySet()); }

    /** Distinct labels present. */
    TreeSet<Integer> labels() {
        TreeSet<Integer> out = new TreeSet<>();
        for (List<Integer> l : tracks.values()) out.addAll(l);
        return out;
    }

    /** {@code Annotation.crop(uem, mode='intersection')}. */
    Annotation crop(List<Seg> uem) {
        List<Seg> sup = Seg.support(uem);
        Annotation out = new Annotation();
        for (Map.Entry<Seg, List<Integer>> e : tracks.entrySet()) {
            Seg s = e.getKey();
            for (int k = Seg.firstEndingAfter(sup, s.start()); k < sup.size() && sup.get(k).start() <= s.end(); k++) {
                Seg u = sup.get(k);
                if (!s.intersects(u)) continue;
                Seg x = s.and(u);
                for (int label : e.getValue()) out.add(x, label);
            }
        }
        return out;
    }

    /** {@code label_timeline(label)}. */
    List<Seg> labelTimeline(int label) {
        List<Seg> out = new ArrayList<>();
        for (Map.Entry<Seg, List<Integer>> e : tracks.entrySet()) if (e.getValue().contains(label)) out.add(e.getKey());
        return out;
    }

    /**
     * {@code self * other}: co-occurrence durations, {@code m[a][b]} summed over intersecting (segment, track) pairs
     * of this annotation's label {@code a} and the other's label {@code b} (label indices, not positions).
     */
    double[][] cooccurrence(Annotation other, int nSelf, int nOther) {
        double[][] m = new double[nSelf][nOther];
        List<Seg> mine = timeline();
        List<Seg> theirs = other.timeline();
        double maxLen = 0;
        for (Seg s : theirs) maxLen = Math.max(maxLen, s.end() - s.start());
        for (Seg s : mine) {
            int k = lowerBound(theirs, s.start() - maxLen - 1.0);
            for (; k < theirs.size() && theirs.get(k).start() <= s.end(); k++) {
                Seg o = theirs.get(k);
                if (!s.intersects(o)) continue;
                double d = s.and(o).duration();
                for (int a : tracks.get(s))
                    for (int b : other.tracks.get(o)) m[a][b] += d;
            }
        }
        return m;
    }

    private static int lowerBound(List<Seg> sorted, double start) {
        int lo = 0, hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).start() < start) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Label indices in the order pyannote's {@code labels()} lists them after renaming ({@code sorted(key=str)}). */
    static Integer[] order(int n, Comparator<Integer> byName) {
        Integer[] o = new Integer[n];
        for (int i = 0; i < n; i++) o[i] = i;
        java.util.Arrays.sort(o, byName);
        return o;
    }

    /** pyannote.core's {@code string_generator}: A…Z, AA…ZZ, AAA… . */
    static String stringLabel(int k) {
        int size = 1;
        long block = 26;
        while (k >= block) {
            k -= (int) block;
            size++;
            block *= 26;
        }
        char[] c = new char[size];
        for (int i = size - 1; i >= 0; i--) {
            c[i] = (char) ('A' + k % 26);
            k /= 26;
        }
        return new String(c);
    }
}
