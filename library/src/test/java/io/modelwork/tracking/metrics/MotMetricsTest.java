package io.modelwork.tracking.metrics;

import io.modelwork.core.Assets;
import io.modelwork.core.ModelworkException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** TrackEval's HOTA / CLEAR / Identity on small sequences worked out by hand from the definitions. */
class MotMetricsTest {
    private static final double TOL = 1e-12;

    /** Lines "frame,id,left,top,w,h" (gt gets conf 1, class 1, vis 1; tracker conf 1,-1,-1,-1). */
    private static MotMetrics score(String gt, String pred) {
        List<String> g = new ArrayList<>(), p = new ArrayList<>();
        for (String l : gt.split(";")) if (!l.isBlank()) g.add(l.strip() + ",1,1,1");
        for (String l : pred.split(";")) if (!l.isBlank()) p.add(l.strip() + ",1,-1,-1,-1");
        return MotMetrics.evaluate(MotText.parse(g, "gt", true), MotText.parse(p, "pred", false), 0, "gt", "pred");
    }

    @Test
    void perfectTrackingIsOneEverywhere() {
        String gt = "1,1,0,0,10,20; 1,2,50,0,10,20; 2,1,2,0,10,20; 2,2,48,0,10,20; 3,1,4,0,10,20";
        MotMetrics m = score(gt, gt);
        assertEquals(1.0, m.hota().hotaMean(), TOL);
        assertEquals(1.0, m.hota().detAMean(), TOL);
        assertEquals(1.0, m.hota().assAMean(), TOL);
        assertEquals(1.0, m.hota().locAMean(), TOL);
        assertEquals(1.0, m.clear().mota(), TOL);
        assertEquals(1.0, m.clear().motp(), TOL);
        assertEquals(1.0, m.identity().idf1(), TOL);
        assertEquals(0, m.clear().idsw());
        assertEquals(2, m.clear().mt());
        assertEquals(0, m.clear().frag());
    }

    @Test
    void petsGroundTruthAgainstItselfIsPerfect() {
        Path gt = Assets.data("tracking/gt.txt");
        MotMetrics m = MotMetrics.evaluate(gt, gt, 0);
        assertEquals(795, m.sequence().numFrames());
        assertEquals(4650, m.sequence().numGtDets());
        assertEquals(19, m.sequence().numGtIds());
        assertEquals(0, m.sequence().removedGtDets(), "class 1 / conf 1 everywhere: pre-processing removes nothing");
        assertEquals(0, m.sequence().removedTrackerDets());
        assertEquals(1.0, m.hotaValue(), TOL);
        assertEquals(1.0, m.hota().detAMean(), TOL);
        assertEquals(1.0, m.hota().assAMean(), TOL);
        assertEquals(1.0, m.hota().locAMean(), TOL);
        assertEquals(1.0, m.mota(), TOL);
        assertEquals(1.0, m.clear().motp(), TOL);
        assertEquals(1.0, m.idf1(), TOL);
        assertEquals(19, m.clear().mt());
        assertEquals(4650, m.clear().tp());
        assertEquals(0, m.clear().idsw() + m.clear().frag() + m.clear().fp() + m.clear().fn());
    }

    @Test
    void idSwitch() {
        // one person, 4 frames; the tracker changes id after frame 2
        MotMetrics m = score("1,1,0,0,10,10; 2,1,1,0,10,10; 3,1,2,0,10,10; 4,1,3,0,10,10",
                "1,1,0,0,10,10; 2,1,1,0,10,10; 3,2,2,0,10,10; 4,2,3,0,10,10");
        Clear.Result c = m.clear();
        assertEquals(4, c.tp());
        assertEquals(1, c.idsw());
        assertEquals(0.75, c.mota(), TOL);           // (4 − 0 − 1)/4
        assertEquals(0, c.frag());                   // still tracked across the switch
        assertEquals(1, c.mt());
        Identity.Result id = m.identity();           // best id pair covers 2 of 4 frames
        assertEquals(2, id.idtp());
        assertEquals(2, id.idfn());
        assertEquals(2, id.idfp());
        assertEquals(0.5, id.idf1(), TOL);
        // HOTA: DetA 1; alignment 0.5 to each tracker id; AssA = (2·2/4 + 2·2/4)/4 = 0.5
        assertEquals(1.0, m.hota().detAMean(), TOL);
        assertEquals(0.5, m.hota().assAMean(), TOL);
        assertEquals(Math.sqrt(0.5), m.hotaValue(), TOL);
        assertEquals(0.5, m.hota().assRe()[0], TOL);
        assertEquals(1.0, m.hota().assPr()[0], TOL);
    }

    @Test
    void fragmentWhenTheTrackIsLostForAFrame() {
        // frame 3: the tracker's box is off (IoU 0) → FN + FP, then the same id comes back
        MotMetrics m = score("1,1,0,0,10,10; 2,1,0,0,10,10; 3,1,0,0,10,10; 4,1,0,0,10,10; 5,1,0,0,10,10",
                "1,7,0,0,10,10; 2,7,0,0,10,10; 3,7,40,0,10,10; 4,7,0,0,10,10; 5,7,0,0,10,10");
        Clear.Result c = m.clear();
        assertEquals(4, c.tp());
        assertEquals(1, c.fn());
        assertEquals(1, c.fp());
        assertEquals(0, c.idsw());
        assertEquals(1, c.frag());
        assertEquals(0.6, c.mota(), TOL);            // (4 − 1 − 0)/5
        assertEquals(0, c.mt());                     // 4/5 = 0.8 is not > 0.8
        assertEquals(1, c.pt());
        assertEquals(0.8, m.identity().idf1(), TOL); // IDTP 4 of 5 and 5
    }

    @Test
    void trackEvalCountsNoFragmentAcrossAFrameWithoutTrackerBoxes() {
        // TrackEval quirk kept on purpose: a frame with no tracker box does not reset "tracked in the previous frame"
        MotMetrics m = score("1,1,0,0,10,10; 2,1,0,0,10,10; 3,1,0,0,10,10",
                "1,7,0,0,10,10; 3,7,0,0,10,10");
        assertEquals(0, m.clear().frag());
        assertEquals(1, m.clear().fn());
        assertEquals(2, m.clear().tp());
    }

    @Test
    void mostlyTrackedNeedsMoreThanEightyPercent() {
        MotMetrics m = score("1,1,0,0,10,10; 2,1,0,0,10,10; 3,1,0,0,10,10; 4,1,0,0,10,10; 5,1,0,0,10,10",
                "1,7,0,0,10,10; 2,7,0,0,10,10; 3,7,0,0,10,10; 4,7,0,0,10,10; 5,7,60,0,10,10");
        assertEquals(0, m.clear().mt());
        assertEquals(1, m.clear().pt());
        assertEquals(0, m.clear().ml());
    }

    @Test
    void falsePositive() {
        String gt = "1,1,0,0,10,10; 2,1,0,0,10,10";
        MotMetrics m = score(gt, "1,1,0,0,10,10; 2,1,0,0,10,10; 2,9,100,100,10,10");
        assertEquals(1, m.clear().fp());
        assertEquals(0.5, m.clear().mota(), TOL);    // (2 − 1 − 0)/2
        assertEquals(1.0, m.clear().motp(), TOL);
        assertEquals(2.0 / 3.0, m.hota().detAMean(), TOL); // TP 2 / (2 + 0 + 1)
        assertEquals(1.0, m.hota().assAMean(), TOL);
        assertEquals(Math.sqrt(2.0 / 3.0), m.hotaValue(), TOL);
        assertEquals(2.0 / 2.5, m.identity().idf1(), TOL);
    }

    @Test
    void iouJustAboveAndJustBelowOneHalf() {
        // gt (0,0,10,10) vs (x,0,10,10): IoU = (10 − x)/(10 + x); 0.5 at x = 10/3
        double above = 6.7 / 13.3, below = 6.6 / 13.4;
        MotMetrics a = score("1,1,0,0,10,10", "1,1,3.3,0,10,10");
        assertEquals(1, a.clear().tp());
        assertEquals(above, a.clear().motp(), 1e-12);
        assertEquals(1.0, a.identity().idf1(), TOL);
        // HOTA: alignment 1, so HOTA = 1 for the 10 α ≤ 0.50 and 0 above; LocA = IoU where matched, 1 elsewhere
        assertEquals(10.0 / 19, a.hotaValue(), TOL);
        assertEquals((10 * above + 9) / 19, a.hota().locAMean(), 1e-12);

        MotMetrics b = score("1,1,0,0,10,10", "1,1,3.4,0,10,10");
        assertEquals(0, b.clear().tp());
        assertEquals(1, b.clear().fp());
        assertEquals(1, b.clear().fn());
        assertEquals(-1.0, b.clear().mota(), TOL);
        assertEquals(0.0, b.identity().idf1(), TOL);
        assertEquals(9.0 / 19, b.hotaValue(), TOL);
        assertEquals((9 * below + 10) / 19, b.hota().locAMean(), 1e-12);

        // exactly 0.5 (200 / 400 in binary floating point) is a match for CLEAR and Identity
        MotMetrics e = score("1,1,0,0,30,10", "1,1,10,0,30,10");
        assertEquals(1, e.clear().tp());
        assertEquals(1, e.identity().idtp());
        assertEquals(10.0 / 19, e.hotaValue(), TOL);
    }

    @Test
    void clearKeepsThePreviousMatchWhileItsIouIsAtLeastOneHalf() {
        // frame 2: tracker 2 fits better (IoU 1) but tracker 1 still has IoU ≥ 0.5 → no switch, tracker 2 is a FP
        MotMetrics m = score("1,1,0,0,10,10; 2,1,0,0,10,10",
                "1,1,0,0,10,10; 2,1,2,0,10,10; 2,2,0,0,10,10");
        assertEquals(0, m.clear().idsw());
        assertEquals(2, m.clear().tp());
        assertEquals(1, m.clear().fp());
        assertEquals((1 + 8.0 / 12) / 2, m.clear().motp(), TOL);
        // once it drops below 0.5 the better box takes over: an ID switch
        MotMetrics s = score("1,1,0,0,10,10; 2,1,0,0,10,10",
                "1,1,0,0,10,10; 2,1,4,0,10,10; 2,2,0,0,10,10");
        assertEquals(1, s.clear().idsw());
        assertEquals(2, s.clear().tp());
    }

    @Test
    void emptyTrackerScoresZero() {
        MotMetrics m = score("1,1,0,0,10,10; 2,1,0,0,10,10", "");
        assertEquals(2, m.clear().fn());
        assertEquals(0.0, m.mota(), TOL);
        assertEquals(0.0, m.hotaValue(), TOL);
        assertEquals(1.0, m.hota().locAMean(), TOL);
        assertEquals(1, m.clear().ml());
        assertEquals(0.0, m.idf1(), TOL);
    }

    @Test
    void distractorPreprocessingWhenTheGroundTruthHasClasses() {
        // frame 1: a static person (class 7) matched by the tracker → that tracker box is removed, and so is the gt box
        List<String> gt = List.of("1,1,0,0,10,10,1,1,1", "1,2,50,0,10,10,1,7,1", "1,3,90,0,10,10,0,1,1");
        List<String> pr = List.of("1,1,0,0,10,10,1,-1,-1,-1", "1,5,50,0,10,10,1,-1,-1,-1");
        MotMetrics m = MotMetrics.evaluate(MotText.parse(gt, "gt", true), MotText.parse(pr, "pr", false), 0, "gt", "pr");
        assertEquals(1, m.sequence().removedTrackerDets());
        assertEquals(2, m.sequence().removedGtDets()); // the class-7 box and the zero-marked one
        assertEquals(0, m.clear().fp());
        assertEquals(1.0, m.mota(), TOL);
    }

    @Test
    void malformedInputSaysWhere() {
        ModelworkException e = assertThrows(ModelworkException.class,
                () -> MotText.parse(List.of("1,1,0,0,10,10,1,1,1", "2,1,x,0,10,10,1,1,1"), "gt.txt", true));
        assertTrue(e.where().endsWith("gt.txt:2"), e.where());
        e = assertThrows(ModelworkException.class, () -> MotText.parse(List.of("1,1,0,0"), "p.txt", false));
        assertTrue(e.where().endsWith("p.txt:1"));
        e = assertThrows(ModelworkException.class, () -> score("1,1,0,0,10,10; 1,1,5,0,10,10", "1,1,0,0,10,10"));
        assertTrue(e.what().contains("twice in frame 1"), e.what());
        e = assertThrows(ModelworkException.class, () -> MotText.parse(List.of("0,1,0,0,10,10,1"), "p.txt", false));
        assertTrue(e.what().contains("below 1"));
        List<MotText.Box> ok = MotText.parse(List.of("1, 1, 0, 0, 10, 10, 1, 1, 1,", "", "2 1 0 0 10 10 1 1 1"), "g", true);
        assertEquals(2, ok.size());
        assertEquals(3, ok.get(1).line());
        assertEquals(1, ok.get(0).cls());
        assertTrue(Arrays.stream(Hota.ALPHAS).allMatch(x -> x > 0.04 && x < 0.96));
    }
}
