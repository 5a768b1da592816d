package io.modelwork.speaker.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A time segment with pyannote.core's {@code Segment} / {@code Timeline} semantics, which decide what pyannote.metrics
 * counts: a segment is empty when {@code end − start ≤ 1e-6} ({@code SEGMENT_PRECISION}) and empty segments are never
 * stored; {@link #intersects} is pyannote's (a shared start, or a start strictly inside the other segment by more than
 * 1e-6); a timeline's {@link #support} merges segments that overlap or leave a gap ≤ 1e-6; segments are ordered by
 * (start, end) and a timeline holds each distinct segment once. Times are not rounded (pyannote.core's default;
 * {@code Segment.set_precision(ndigits)} would round them first).
 */
record Seg(double start, double end) {
    static final double PRECISION = 1e-6;
    static final Comparator<Seg> ORDER = Comparator.comparingDouble(Seg::start).thenComparingDouble(Seg::end);

    boolean nonEmpty() { return end - start > PRECISION; }

    /** pyannote's {@code Segment.duration}: 0 for an empty segment. */
    double duration() { return nonEmpty() ? end - start : 0.; }

    boolean intersects(Seg o) {
        return (start < o.start && o.start < end - PRECISION) || (start > o.start && start < o.end - PRECISION)
                || start == o.start;
    }

    /** {@code self & other} (may be empty). */
    Seg and(Seg o) { return new Seg(Math.max(start, o.start), Math.min(end, o.end)); }

    /** {@code self | other}: the extent of both; an empty side yields the other. */
    Seg or(Seg o) {
        if (!nonEmpty()) return o;
        if (!o.nonEmpty()) return this;
        return new Seg(Math.min(start, o.start), Math.max(end, o.end));
    }

    /** {@code Timeline(segments)}: distinct non-empty segments in order. */
    static List<Seg> timeline(Iterable<Seg> segments) {
        TreeSet<Seg> set = new TreeSet<>(ORDER);
        for (Seg s : segments) if (s.nonEmpty()) set.add(s);
        return new ArrayList<>(set);
    }

    /** {@code Timeline.support()} of an ordered, distinct, non-empty list. */
    static List<Seg> support(List<Seg> timeline) {
        List<Seg> out = new ArrayList<>();
        if (timeline.isEmpty()) return out;
        Seg cur = timeline.get(0);
        for (Seg s : timeline) {
            // possible_gap = segment ^ new_segment; "not possible_gap" = gap ≤ 1e-6 (or overlap)
            Seg gap = new Seg(Math.min(s.end, cur.end), Math.max(s.start, cur.start));
            if (!gap.nonEmpty()) cur = cur.or(s);
            else {
                out.add(cur);
                cur = s;
            }
        }
        out.add(cur);
        return out;
    }

    /** {@code Timeline.duration()}: the summed duration of the support. */
    static double duration(List<Seg> timeline) {
        double d = 0;
        for (Seg s : support(timeline)) d += s.duration();
        return d;
    }

    /**
     * {@code Timeline.crop(support, mode='intersection')} of a timeline: every non-empty {@code s & u} for segments
     * {@code s} of {@code timeline} and {@code u} of the support of {@code by} that intersect, as a timeline.
     */
    static List<Seg> crop(List<Seg> timeline, List<Seg> by) {
        List<Seg> sup = support(by);
        List<Seg> out = new ArrayList<>();
        for (Seg s : timeline)
            for (int k = firstEndingAfter(sup, s.start); k < sup.size() && sup.get(k).start <= s.end; k++) {
                Seg u = sup.get(k);
                if (s.intersects(u)) {
                    Seg x = s.and(u);
                    if (x.nonEmpty()) out.add(x);
                }
            }
        return timeline(out);
    }

    /** {@code Timeline.gaps(support=uem)}: the parts of {@code uem}'s support not covered by {@code timeline}. */
    static List<Seg> gaps(List<Seg> timeline, List<Seg> uem) {
        List<Seg> out = new ArrayList<>();
        for (Seg u : support(uem)) {
            double end = u.start;
            for (Seg s : support(crop(timeline, List.of(u)))) {
                Seg gap = new Seg(end, s.start);
                if (gap.nonEmpty()) out.add(gap);
                end = s.end;
            }
            Seg gap = new Seg(end, u.end);
            if (gap.nonEmpty()) out.add(gap);
        }
        return out;
    }

    /** First index of a disjoint ordered list whose segment ends after {@code t} (a lower bound for intersecting). */
    static int firstEndingAfter(List<Seg> disjoint, double t) {
        int lo = 0, hi = disjoint.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (disjoint.get(mid).end < t) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
