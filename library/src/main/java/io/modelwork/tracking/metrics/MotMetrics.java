package io.modelwork.tracking.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HOTA, CLEAR and Identity of tracker output against ground truth, as TrackEval reports them: for one sequence, or
 * combined over several ({@link #combine}: TrackEval's {@code COMBINED_SEQ} row). Values are fractions in [0, 1]
 * (TrackEval's printed tables multiply them by 100); counts are integers.
 */
public record MotMetrics(Counts sequence, Hota.Result hota, Clear.Result clear, Identity.Result identity) {

    /** Sizes after pre-processing (summed when combined). */
    public record Counts(int numFrames, int numGtDets, int numGtIds, int numTrackerDets, int numTrackerIds,
                         int removedTrackerDets, int removedGtDets) {
        static Counts of(MotSequence s) {
            return new Counts(s.numFrames(), s.numGtDets(), s.numGtIds(), s.numTrackerDets(), s.numTrackerIds(),
                    s.removedTrackerDets(), s.removedGtDets());
        }
    }

    /** Scores already-parsed boxes; {@code numFrames} ≤ 0 means "the last frame of either file". */
    public static MotMetrics evaluate(List<MotText.Box> gt, List<MotText.Box> tracker, int numFrames, String gtWhere,
                                      String trWhere) {
        MotSequence s = MotSequence.of(gt, tracker, numFrames, gtWhere, trWhere);
        return new MotMetrics(Counts.of(s), Hota.evaluate(s), Clear.evaluate(s), Identity.evaluate(s));
    }

    /** Reads and scores two MOTChallenge files. */
    public static MotMetrics evaluate(Path gt, Path tracker, int numFrames) {
        return evaluate(MotText.read(gt, true), MotText.read(tracker, false), numFrames, gt.toString(),
                tracker.toString());
    }

    /** TrackEval's combination over sequences (counts summed, AssA/LocA weighted by TP). */
    public static MotMetrics combine(List<MotMetrics> all) {
        List<Hota.Result> h = new ArrayList<>();
        List<Clear.Result> c = new ArrayList<>();
        List<Identity.Result> i = new ArrayList<>();
        int f = 0, gd = 0, gi = 0, td = 0, ti = 0, rt = 0, rg = 0;
        for (MotMetrics m : all) {
            h.add(m.hota);
            c.add(m.clear);
            i.add(m.identity);
            Counts s = m.sequence;
            f += s.numFrames(); gd += s.numGtDets(); gi += s.numGtIds(); td += s.numTrackerDets();
            ti += s.numTrackerIds(); rt += s.removedTrackerDets(); rg += s.removedGtDets();
        }
        return new MotMetrics(new Counts(f, gd, gi, td, ti, rt, rg), Hota.combine(h), Clear.combine(c),
                Identity.combine(i));
    }

    public double hotaValue() { return hota.hotaMean(); }
    public double idf1() { return identity.idf1(); }
    public double mota() { return clear.mota(); }

    /** The JSON object {@code metrics mot} prints: the headline keys first-level, HOTA per α under {@code per_alpha}. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("hota", hota.hotaMean());
        o.put("deta", hota.detAMean());
        o.put("assa", hota.assAMean());
        o.put("loca", hota.locAMean());
        o.put("detre", Hota.mean(hota.detRe()));
        o.put("detpr", Hota.mean(hota.detPr()));
        o.put("assre", Hota.mean(hota.assRe()));
        o.put("asspr", Hota.mean(hota.assPr()));
        o.put("owta", Hota.mean(hota.owta()));
        o.put("hota0", hota.hota()[0]);
        o.put("loca0", hota.locA()[0]);
        o.put("hotaloca0", hota.hota()[0] * hota.locA()[0]);
        o.put("mota", clear.mota());
        o.put("motp", clear.motp());
        o.put("moda", clear.moda());
        o.put("smota", clear.smota());
        o.put("motal", clear.motal());
        o.put("clr_re", clear.recall());
        o.put("clr_pr", clear.precision());
        o.put("clr_f1", clear.f1());
        o.put("tp", clear.tp());
        o.put("fp", clear.fp());
        o.put("fn", clear.fn());
        o.put("idsw", clear.idsw());
        o.put("mt", clear.mt());
        o.put("pt", clear.pt());
        o.put("ml", clear.ml());
        o.put("frag", clear.frag());
        o.put("fp_per_frame", clear.fpPerFrame());
        o.put("idf1", identity.idf1());
        o.put("idp", identity.idp());
        o.put("idr", identity.idr());
        o.put("idtp", identity.idtp());
        o.put("idfp", identity.idfp());
        o.put("idfn", identity.idfn());
        o.put("frames", sequence.numFrames());
        o.put("gt_dets", sequence.numGtDets());
        o.put("gt_ids", sequence.numGtIds());
        o.put("pred_dets", sequence.numTrackerDets());
        o.put("pred_ids", sequence.numTrackerIds());
        o.put("preprocessing_removed_pred", sequence.removedTrackerDets());
        o.put("preprocessing_removed_gt", sequence.removedGtDets());
        ObjectNode pa = o.putObject("per_alpha");
        ArrayNode alpha = pa.putArray("alpha");
        for (double a : Hota.ALPHAS) alpha.add(Math.round(a * 100) / 100.0);
        put(pa, "hota", hota.hota());
        put(pa, "deta", hota.detA());
        put(pa, "assa", hota.assA());
        put(pa, "loca", hota.locA());
        return o;
    }

    private static void put(ObjectNode o, String key, double[] v) {
        ArrayNode a = o.putArray(key);
        for (double x : v) a.add(x);
    }
}
