package io.modelwork.speaker.metrics;

import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** pyannote.metrics' DER / JER on small files worked out by hand from the definitions. */
class DiarizationMetricsTest {
    private static final double TOL = 1e-9;

    /** "uri start end speaker; …" → RTTM turns. */
    private static Map<String, List<Rttm.Turn>> rttm(String spec) {
        List<String> lines = new ArrayList<>();
        for (String t : spec.split(";")) {
            if (t.isBlank()) continue;
            String[] f = t.strip().split("\\s+");
            double s = Double.parseDouble(f[1]), e = Double.parseDouble(f[2]);
            lines.add("SPEAKER " + f[0] + " 1 " + s + " " + (e - s) + " <NA> <NA> " + f[3] + " <NA> <NA>");
        }
        return Rttm.parse(lines, "test.rttm");
    }

    private static DiarizationMetrics.Result der(String ref, String hyp, double collar, boolean skip) {
        return DiarizationMetrics.evaluate(rttm(ref), rttm(hyp), null, collar, skip);
    }

    private static final String REF = "f 0 10 A; f 10 20 B";

    @Test
    void missedSegment() {
        DiarizationMetrics.Result r = der(REF, "f 0 10 x", 0, false);
        assertEquals(20, r.total(), TOL);
        assertEquals(10, r.missed(), TOL);
        assertEquals(0, r.falseAlarm(), TOL);
        assertEquals(0, r.confusion(), TOL);
        assertEquals(0.5, r.der(), TOL);
        assertEquals(0.5, r.jer(), TOL); // A: 0, B unmapped: 1
    }

    @Test
    void falseAlarmWidensTheDefaultUem() {
        // no UEM: the union extent [0, 25] of reference and hypothesis, so the hypothesis after 20 s is false alarm
        DiarizationMetrics.Result r = der(REF, "f 0 10 x; f 10 20 y; f 20 25 z", 0, false);
        assertEquals(5, r.falseAlarm(), TOL);
        assertEquals(0.25, r.der(), TOL);
        assertEquals(0.0, r.jer(), TOL); // JER is per reference speaker: an unmapped hypothesis speaker adds nothing
        // with a UEM that stops at 20 s the false alarm is not scored
        DiarizationMetrics.Result u = DiarizationMetrics.evaluate(rttm(REF), rttm("f 0 10 x; f 10 20 y; f 20 25 z"),
                Rttm.parseUem(List.of("f 1 0 20"), "u.uem"), 0, false);
        assertEquals(0, u.der(), TOL);
        assertTrue(u.warnings().isEmpty(), u.warnings().toString());
        // a UEM that does not cover the reference: the speech outside is not scored, and the result says so
        DiarizationMetrics.Result c = DiarizationMetrics.evaluate(rttm(REF), rttm(REF),
                Rttm.parseUem(List.of("f 1 0 15"), "u.uem"), 0, false);
        assertEquals(15, c.total(), TOL);
        assertEquals(List.of("the UEM leaves 5.000 s of reference speech of 'f' unscored"), c.warnings());
    }

    @Test
    void swappedLabelIsConfusionUnderTheOptimalMapping() {
        DiarizationMetrics.Result r = der(REF, "f 0 10 x; f 10 15 y; f 15 20 x", 0, false);
        assertEquals(Map.of("x", "A", "y", "B"), r.files().get(0).mapping());
        assertEquals(5, r.confusion(), TOL);
        assertEquals(0, r.missed() + r.falseAlarm(), TOL);
        assertEquals(0.25, r.der(), TOL);
        // JER: A vs x: (5 FA)/15; B vs y: (5 missed)/10
        assertEquals((1.0 / 3 + 0.5) / 2, r.jer(), TOL);
        // labels are only names: the same hypothesis with other names scores the same
        assertEquals(0.25, der(REF, "f 0 10 spk9; f 10 15 spk1; f 15 20 spk9", 0, false).der(), TOL);
    }

    @Test
    void overlapCountsPerSpeakerAndSkipOverlapRemovesIt() {
        String ref = "f 0 10 A; f 5 15 B";
        DiarizationMetrics.Result r = der(ref, "f 0 15 x", 0, false);
        assertEquals(20, r.total(), TOL);      // 5 + 2·5 + 5
        assertEquals(5, r.missed(), TOL);      // the second speaker in [5, 10]
        assertEquals(5, r.confusion(), TOL);   // x ↦ A (a tie broken as SciPy does), so [10, 15] is confused
        assertEquals(0.5, r.der(), TOL);
        assertEquals((1.0 / 3 + 1) / 2, r.jer(), TOL);
        DiarizationMetrics.Result s = der(ref, "f 0 15 x", 0, true);
        assertEquals(10, s.total(), TOL);
        assertEquals(0, s.missed(), TOL);
        assertEquals(5, s.confusion(), TOL);
        assertEquals(0.5, s.der(), TOL);
    }

    @Test
    void collarIsTheTotalWidthAroundReferenceBoundaries() {
        String hyp = "f 0 10.2 x; f 10.2 20 y";
        DiarizationMetrics.Result none = der(REF, hyp, 0, false);
        assertEquals(0.2, none.confusion(), TOL);
        assertEquals(0.01, none.der(), TOL);
        // 0.5 → ±0.25: [9.75, 10.25] is not scored, nor [0, 0.25] and [19.75, 20]
        DiarizationMetrics.Result half = der(REF, hyp, 0.5, false);
        assertEquals(19.0, half.total(), TOL);
        assertEquals(0.0, half.der(), TOL);
        // 0.3 → ±0.15 leaves [10.15, 10.2] confused
        DiarizationMetrics.Result small = der(REF, hyp, 0.3, false);
        assertEquals(20 - 0.15 - 0.3 - 0.15, small.total(), TOL);
        assertEquals(0.05, small.confusion(), TOL);
        assertEquals(0.05 / 19.4, small.der(), TOL);
    }

    @Test
    void severalUrisAreSummed() {
        DiarizationMetrics.Result r = der(REF + "; g 0 10 C", "f 0 10 x; g 0 10 z", 0, false);
        assertEquals(2, r.files().size());
        assertEquals(30, r.total(), TOL);
        assertEquals(10, r.missed(), TOL);
        assertEquals(1.0 / 3, r.der(), TOL);
        assertEquals(1.0 / 3, r.jer(), TOL); // (0 + 1 + 0) / 3 speakers
        DiarizationMetrics.Result m = der(REF, "f 0 10 x; h 0 4 q", 0, false);
        assertEquals(4, m.falseAlarm(), TOL);
        assertTrue(m.warnings().get(0).contains("only in the hypothesis"), m.warnings().toString());
    }

    @Test
    void identicalOverlappingLinesAreTwoTracks() {
        DiarizationMetrics.Result r = der("f 0 10 A; f 0 10 A", "f 0 10 x", 0, false);
        assertEquals(20, r.total(), TOL);
        assertEquals(10, r.missed(), TOL);
    }

    @Test
    void emptyHypothesisIsAllMissedAndEmptyReferenceAllFalseAlarm() {
        DiarizationMetrics.Result r = DiarizationMetrics.evaluate(rttm(REF), Map.of(), null, 0, false);
        assertEquals(1.0, r.der(), TOL);
        assertEquals(1.0, r.jer(), TOL);
        DiarizationMetrics.Result f = DiarizationMetrics.evaluate(Map.of(), rttm(REF), null, 0, false);
        assertEquals(20, f.falseAlarm(), TOL);
        assertEquals(1.0, f.der(), TOL); // pyannote: total 0 and errors > 0 → 1
        assertTrue(Double.isNaN(f.jer()));
    }

    @Test
    void pyannoteSampleAgainstItselfIsZero() {
        Map<String, List<Rttm.Turn>> ref = Rttm.read(Assets.data("speaker/pyannote_sample/sample.rttm"));
        DiarizationMetrics.Result r = DiarizationMetrics.evaluate(ref, ref, null, 0, false);
        assertEquals(0.0, r.der(), 0);
        assertEquals(0.0, r.jer(), 0);
        assertEquals(24.35, r.total(), TOL); // the summed turn durations: overlapping speech counts once per speaker
        DiarizationMetrics.Result c = DiarizationMetrics.evaluate(ref, ref, null, 0.5, true);
        assertEquals(0.0, c.der(), 0);
        assertTrue(c.total() < r.total());
    }

    @Test
    void malformedFilesSayWhichLine() {
        ModelworkException e = assertThrows(ModelworkException.class, () -> Rttm.parse(
                List.of("SPEAKER f 1 0.0 1.0 <NA> <NA> A <NA> <NA>", "SPEAKER f 1 abc 1.0 <NA> <NA> A"), "r.rttm"));
        assertEquals("r.rttm:2", e.where());
        e = assertThrows(ModelworkException.class, () -> Rttm.parse(List.of("SPEAKER f 1 0.0"), "r.rttm"));
        assertEquals("r.rttm:1", e.where());
        e = assertThrows(ModelworkException.class,
                () -> Rttm.parse(List.of("", "SPEAKER f 1 3.0 -1.0 <NA> <NA> A <NA> <NA>"), "r.rttm"));
        assertEquals("r.rttm:2", e.where());
        e = assertThrows(ModelworkException.class, () -> Rttm.parseUem(List.of("f 1 5 2"), "u.uem"));
        assertEquals("u.uem:1", e.where());
        assertEquals(0, Rttm.parse(List.of(";; comment", "SPKR-INFO f 1 <NA> <NA> <NA> unknown A <NA> <NA>"), "r")
                .size());
    }

    @Test
    void stringLabelsFollowPyannotesGenerator() {
        assertEquals("A", Annotation.stringLabel(0));
        assertEquals("Z", Annotation.stringLabel(25));
        assertEquals("AA", Annotation.stringLabel(26));
        assertEquals("AZ", Annotation.stringLabel(51));
        assertEquals("BA", Annotation.stringLabel(52));
        assertEquals("AAA", Annotation.stringLabel(26 + 676));
    }
}
