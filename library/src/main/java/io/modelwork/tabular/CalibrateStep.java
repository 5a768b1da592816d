package io.modelwork.tabular;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.data.Dataset;
import io.modelwork.metrics.ClassificationMetrics;
import io.modelwork.metrics.Curve;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.report.Tables;
import io.modelwork.spi.StepContext;

import java.nio.file.Path;
import java.util.*;
import java.util.function.BiFunction;

import static io.modelwork.tabular.TabularState.col0;
import static io.modelwork.tabular.TabularState.fmt;

/**
 * Step 10 for tabular data: split-conformal intervals (regression), a score cutoff for top-K selection (ranking),
 * probability calibration and an operating threshold (binary), temperature scaling (multiclass).
 *
 * <p>A probability calibration is fitted on the validation rows and judged out of sample: its validation log-loss is
 * cross-fitted (each fold calibrated by the other folds), reported next to the uncalibrated one and, with the test
 * set, before and after. When it worsens the validation log-loss the uncalibrated probabilities are kept (with a
 * warning) unless {@code force=true}.
 */
final class CalibrateStep {
    private CalibrateStep() { }

    static final Options OPTIONS = Options.of(
            Option.choice("method", "platt", List.of("platt", "isotonic", "none"), "binary probability calibration"),
            Option.choice("objective", "f1", List.of("f1", "target_fpr"), "binary threshold: max F1, or max TPR at target_fpr"),
            Option.number("target_fpr", null, 0.0, 1.0, "binary: the largest false positive rate accepted"),
            Option.number("alpha", 0.1, 0.001, 0.999, "regression: miscoverage of the conformal intervals, in (0, 1)"),
            Option.integer("k", 3, 1, 100_000, "ranking: documents selected per query"),
            Option.bool("force", false, "apply the probability calibration even when it worsens the validation log-loss"));

    /** Folds of the cross-fitted validation score (fewer rows than {@code 4·FOLDS}: scored in sample). */
    static final int FOLDS = 5;

    static StepReport run(TabularState s, Args a, StepContext ctx) {
        if (s.valid() == null) throw new ModelworkException("calibrate needs a validation set", "calibrate", "split with a validation ratio > 0");
        StepReport r = new StepReport("calibrate", "Calibration");
        ObjectNode calibration = Json.object();
        TabularState.Decision before = s.decision;
        if (s.task() == Dataset.Task.RANKING) {
            rankingCutoff(s, calibration, r, a);
            s.decision = new TabularState.Decision(calibration, before.calibrator(), before.temperature(), before.threshold());
        } else if (s.task() == Dataset.Task.REGRESSION) {
            conformal(s, calibration, r, a);
            s.decision = new TabularState.Decision(calibration, before.calibrator(), before.temperature(), before.threshold());
        } else {
            if (s.labels().numClasses() == 2) binary(s, calibration, r, a, ctx);
            else multiclass(s, calibration, r, a, ctx);
            ctx.invalidate(Step.EVALUATE); // probabilities and decisions changed: the last evaluate describes another model
        }
        Path file = ctx.run().runDir().resolve("artifacts").resolve("thresholds.json");
        AtomicFiles.writeString(file, Json.write(calibration));
        r.body().set("calibration", calibration.deepCopy());
        r.body().put("thresholds_file", file.toString());
        return r;
    }

    private static void conformal(TabularState s, ObjectNode calibration, StepReport r, Args a) {
        Matrix valid = s.valid(), test = s.test();
        double alpha = a.getDouble("alpha", 0.1);
        double[] pv = col0(s.model().predict(valid));
        double q = Calibrators.conformalHalfWidth(valid.y(), pv, alpha);
        calibration.put("method", "split_conformal");
        calibration.put("alpha", alpha);
        calibration.put("half_width", q);
        r.body().put("interval_half_width", q);
        if (test != null) {
            double[] pt = col0(s.model().predict(test));
            int in = 0;
            for (int i = 0; i < pt.length; i++) if (Math.abs(test.y()[i] - pt[i]) <= q) in++;
            double cov = (double) in / pt.length;
            calibration.put("test_coverage", cov);
            r.body().put("test_coverage", cov);
            Integer[] ord = new Integer[pt.length];
            for (int i = 0; i < ord.length; i++) ord[i] = i;
            Arrays.sort(ord, Comparator.comparingDouble(i -> pt[i]));
            double[] xs = new double[pt.length], yl = new double[pt.length], yh = new double[pt.length], yt = new double[pt.length], yp = new double[pt.length];
            for (int j = 0; j < ord.length; j++) { xs[j] = j; yp[j] = pt[ord[j]]; yl[j] = yp[j] - q; yh[j] = yp[j] + q; yt[j] = test.y()[ord[j]]; }
            r.chart(Chart.line("intervals", String.format(Locale.ROOT, "Conformal %.0f%% intervals (test coverage %.3f)", 100 * (1 - alpha), cov),
                    "test rows sorted by prediction", "target", List.of(Chart.Series.markers("actual", xs, yt),
                            Chart.Series.line("prediction", xs, yp), Chart.Series.dashed("lower", xs, yl), Chart.Series.dashed("upper", xs, yh))));
        }
        r.table(Tables.keyValues("Prediction intervals (split conformal)", jsonMap(calibration)));
    }

    /**
     * Log-loss and Brier before and after a probability calibration on validation (after: cross-fitted, each fold
     * calibrated by a calibration fitted on the other folds) and on test (after: the calibration fitted on all
     * validation rows). {@code calibrate} fits on (raw probabilities, labels) and returns the calibrated probabilities
     * of other raw probabilities. Returns whether it worsens the validation log-loss; writes {@code before_after}.
     */
    static boolean judge(TabularState s, ObjectNode calibration, StepReport r, String method, long seed,
                         BiFunction<double[][], int[], java.util.function.UnaryOperator<double[][]>> calibrate) {
        Matrix valid = s.valid(), test = s.test();
        double[][] raw = s.model().predict(valid);
        int[] y = valid.intLabels();
        int n = y.length;
        double[][] crossFitted = new double[n][];
        boolean cross = n >= 4 * FOLDS;
        if (cross) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) order[i] = i;
            Collections.shuffle(Arrays.asList(order), new Random(seed));
            int[] fold = new int[n];
            for (int j = 0; j < n; j++) fold[order[j]] = j % FOLDS;
            for (int f = 0; f < FOLDS; f++) {
                List<Integer> in = new ArrayList<>(), out = new ArrayList<>();
                for (int i = 0; i < n; i++) (fold[i] == f ? out : in).add(i);
                var cal = calibrate.apply(rows(raw, in), in.stream().mapToInt(i -> y[i]).toArray());
                double[][] pOut = cal.apply(rows(raw, out));
                for (int j = 0; j < out.size(); j++) crossFitted[out.get(j)] = pOut[j];
            }
        } else crossFitted = calibrate.apply(raw, y).apply(raw);
        ObjectNode ba = calibration.putObject("before_after");
        ObjectNode v = ba.putObject("validation");
        double llBefore = ClassificationMetrics.logLoss(y, raw), llAfter = ClassificationMetrics.logLoss(y, crossFitted);
        v.put("log_loss_before", llBefore).put("log_loss_after", llAfter)
                .put("brier_before", ClassificationMetrics.brier(y, raw)).put("brier_after", ClassificationMetrics.brier(y, crossFitted))
                .put("after", cross ? "cross-fitted over " + FOLDS + " folds of the validation rows" : "in sample (too few validation rows to cross-fit)");
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("validation log-loss before → after", fmt(llBefore) + " → " + fmt(llAfter) + (cross ? " (cross-fitted)" : " (in sample)"));
        if (test != null) {
            int[] yt = test.intLabels();
            double[][] tb = s.model().predict(test), ta = calibrate.apply(raw, y).apply(tb);
            ObjectNode t = ba.putObject("test");
            t.put("log_loss_before", ClassificationMetrics.logLoss(yt, tb)).put("log_loss_after", ClassificationMetrics.logLoss(yt, ta))
                    .put("brier_before", ClassificationMetrics.brier(yt, tb)).put("brier_after", ClassificationMetrics.brier(yt, ta));
            row.put("test log-loss before → after", fmt(t.get("log_loss_before").asDouble()) + " → " + fmt(t.get("log_loss_after").asDouble()));
        }
        r.table(Tables.keyValues("Probability calibration " + method + ": before → after", row));
        return llAfter > llBefore;
    }

    private static double[][] rows(double[][] p, List<Integer> idx) {
        double[][] o = new double[idx.size()][];
        for (int j = 0; j < o.length; j++) o[j] = p[idx.get(j)].clone();
        return o;
    }

    /** Applies the judgement: true when the calibration is to be applied; notes the warning otherwise. */
    static boolean accept(StepReport r, ObjectNode calibration, String method, boolean worse, boolean force) {
        boolean apply = !worse || force;
        r.body().put("probability_calibration_applied", apply);
        calibration.put("probability_calibration_applied", apply);
        if (worse) {
            ObjectNode v = (ObjectNode) calibration.get("before_after").get("validation");
            String change = fmt(v.get("log_loss_before").asDouble()) + " → " + fmt(v.get("log_loss_after").asDouble());
            r.note(apply ? "warning: " + method + " calibration worsens the validation log-loss (" + change + "); applied because force=true"
                    : "warning: " + method + " calibration worsens the validation log-loss (" + change + "); the uncalibrated "
                    + "probabilities are kept (calibrate method=" + method + " force=true applies it anyway)");
        }
        return apply;
    }

    private static void multiclass(TabularState s, ObjectNode calibration, StepReport r, Args a, StepContext ctx) {
        Matrix valid = s.valid(), test = s.test();
        int[] yv = valid.intLabels();
        double t = Calibrators.temperature(s.model().predict(valid), yv);
        boolean worse = judge(s, calibration, r, "temperature", ctx.run().seedFor("calibrate"), (p, y) -> {
            double tt = Calibrators.temperature(p, y);
            return q -> { double[][] o = new double[q.length][]; for (int i = 0; i < q.length; i++) o[i] = Calibrators.applyTemperature(q[i], tt); return o; };
        });
        boolean apply = accept(r, calibration, "temperature", worse, a.getBool("force", false));
        double temperature = apply ? t : 1;
        s.decision = new TabularState.Decision(calibration, null, temperature, 0.5);
        calibration.put("method", "temperature");
        calibration.put("temperature", temperature);
        if (!apply) calibration.put("rejected_temperature", t);
        calibration.put("decision", "argmax");
        if (test != null) {
            int[] yt = test.intLabels();
            calibration.put("test_log_loss_before", ClassificationMetrics.logLoss(yt, s.model().predict(test)));
            calibration.put("test_log_loss_after", ClassificationMetrics.logLoss(yt, s.predict(test)));
        }
        ObjectNode shown = calibration.deepCopy();
        shown.remove("before_after");
        r.table(Tables.keyValues("Temperature scaling (multiclass)", jsonMap(shown)));
    }

    private static void binary(TabularState s, ObjectNode calibration, StepReport r, Args a, StepContext ctx) {
        Matrix valid = s.valid(), test = s.test();
        String method = a.getString("method", "platt");
        int[] yv = valid.intLabels();
        double[] sv = positive(s.model().predict(valid));
        Calibrators.Binary fitted = fitBinary(method, sv, yv);
        boolean apply = true;
        if (fitted != null) {
            boolean worse = judge(s, calibration, r, method, ctx.run().seedFor("calibrate"), (p, y) -> {
                Calibrators.Binary c = fitBinary(method, positive(p), y);
                return q -> { double[][] o = new double[q.length][]; for (int i = 0; i < q.length; i++) { double v = c.apply(q[i][1]); o[i] = new double[]{1 - v, v}; } return o; };
            });
            apply = accept(r, calibration, method, worse, a.getBool("force", false));
        }
        Calibrators.Binary calibrator = apply ? fitted : null;
        ObjectNode prob = calibrator == null ? Json.object().put("method", "none") : calibrator.toJson();
        if (!apply) prob.put("rejected", method);
        calibration.set("probability", prob);
        s.decision = new TabularState.Decision(calibration, calibrator, 1, 0.5);
        double[][] pv = s.predict(valid);
        double[] cs = positive(pv);
        Curve roc = ClassificationMetrics.rocCurve(yv, cs);
        double thr;
        String objective;
        if (a.has("target_fpr") || a.getString("objective", "f1").equals("target_fpr")) {
            double target = a.getDouble("target_fpr", 0.01);
            objective = "max TPR with FPR <= " + target;
            thr = Double.NaN;
            double bestTpr = -1;
            for (int i = 0; i < roc.x().length; i++)
                if (roc.x()[i] <= target + 1e-12 && roc.y()[i] > bestTpr && i < roc.thresholds().length) {
                    bestTpr = roc.y()[i]; thr = roc.thresholds()[i];
                }
            if (Double.isNaN(thr) || thr > 1) thr = Math.nextUp(Arrays.stream(cs).max().orElse(1));
            calibration.put("target_fpr", target);
        } else {
            objective = "max F1";
            Curve prc = ClassificationMetrics.prCurve(yv, cs);
            double bestF = -1;
            thr = 0.5;
            for (int i = 0; i < prc.thresholds().length; i++) {
                double p = prc.y()[i], rc = prc.x()[i];
                double f = p + rc == 0 ? 0 : 2 * p * rc / (p + rc);
                if (f > bestF) { bestF = f; thr = prc.thresholds()[i]; }
            }
        }
        // predictAtThreshold uses p > t: step just below the chosen score so that it is included
        double threshold = Math.nextDown(thr);
        s.decision = new TabularState.Decision(calibration, calibrator, 1, threshold);
        calibration.put("threshold", threshold);
        calibration.put("objective", objective);
        calibration.put("positive_class", s.labels().classes().get(1));
        Map<String, Object> op = new LinkedHashMap<>();
        for (String set : List.of("validation", "test")) {
            Matrix m = s.matrix(set);
            if (m == null) continue;
            int[] y = m.intLabels();
            int[] pred = ClassificationMetrics.predictAtThreshold(s.predict(m), threshold);
            long tp = 0, fp = 0, tn = 0, fn = 0;
            for (int i = 0; i < y.length; i++) {
                if (pred[i] == 1 && y[i] == 1) tp++; else if (pred[i] == 1) fp++; else if (y[i] == 1) fn++; else tn++;
            }
            ObjectNode o = calibration.putObject("operating_point_" + set);
            o.put("tpr", tp / (double) Math.max(1, tp + fn)).put("fpr", fp / (double) Math.max(1, fp + tn))
                    .put("precision", tp / (double) Math.max(1, tp + fp));
            op.put(set + " TPR / FPR / precision", fmt(o.get("tpr").asDouble()) + " / " + fmt(o.get("fpr").asDouble()) + " / " + fmt(o.get("precision").asDouble()));
        }
        if (test != null) {
            int[] yt = test.intLabels();
            double[][] rawT = s.model().predict(test), after = s.predict(test);
            double[] sb = positive(rawT), sa = fitted == null ? sb : Arrays.stream(sb).map(fitted::apply).toArray();
            Curve cb = ClassificationMetrics.calibrationCurve(yt, sb, 10), ca = ClassificationMetrics.calibrationCurve(yt, sa, 10);
            r.chart(Chart.line("reliability", "Reliability before/after " + method + " (test)", "mean predicted probability",
                    "fraction of positives", List.of(Chart.Series.line("before", cb.x(), cb.y()), Chart.Series.line("after", ca.x(), ca.y()),
                            Chart.Series.dashed("perfect", new double[]{0, 1}, new double[]{0, 1}))));
            ObjectNode ba = calibration.putObject("test_before_after");
            ba.put("brier_before", ClassificationMetrics.brier(yt, rawT)).put("brier_after", ClassificationMetrics.brier(yt, after))
                    .put("log_loss_before", ClassificationMetrics.logLoss(yt, rawT)).put("log_loss_after", ClassificationMetrics.logLoss(yt, after));
            op.put("test Brier before → after", fmt(ba.get("brier_before").asDouble()) + " → " + fmt(ba.get("brier_after").asDouble()));
            op.put("test log-loss before → after", fmt(ba.get("log_loss_before").asDouble()) + " → " + fmt(ba.get("log_loss_after").asDouble()));
        }
        double[] vx = roc.x(), vy = roc.y();
        int ti = 0;
        for (int i = 0; i < roc.thresholds().length; i++) if (roc.thresholds()[i] >= thr) ti = i;
        r.chart(Chart.line("roc_threshold", "Validation ROC with the chosen threshold " + fmt(threshold), "false positive rate",
                "true positive rate", List.of(Chart.Series.line("ROC", vx, vy),
                        Chart.Series.markers("threshold", new double[]{vx[ti]}, new double[]{vy[ti]}))));
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("objective", objective);
        head.put("threshold", fmt(threshold));
        head.put("probability calibration", apply ? method : "none (" + method + " rejected)");
        head.putAll(op);
        r.table(Tables.keyValues("Operating point", head));
    }

    private static Calibrators.Binary fitBinary(String method, double[] p, int[] y) {
        return switch (method) {
            case "platt" -> Calibrators.platt(p, y);
            case "isotonic" -> Calibrators.isotonic(p, y);
            case "none" -> null;
            default -> throw new ModelworkException("Unknown calibration method '" + method + "'", "calibrate method",
                    "use platt, isotonic or none");
        };
    }

    private static double[] positive(double[][] p) {
        double[] o = new double[p.length];
        for (int i = 0; i < o.length; i++) o[i] = p[i][1];
        return o;
    }

    /** cutoff@K: the score above which a document is selected, so that on validation each query selects about K. */
    private static void rankingCutoff(TabularState s, ObjectNode calibration, StepReport r, Args a) {
        int k = a.getInt("k", 3);
        double[] sv = col0(s.model().predict(s.valid()));
        List<int[]> groups = io.modelwork.metrics.RankingMetrics.groups(s.valid().groups());
        double[] kth = new double[groups.size()];
        for (int q = 0; q < kth.length; q++) {
            double[] sc = Arrays.stream(groups.get(q)).mapToDouble(i -> sv[i]).sorted().toArray();
            kth[q] = sc[Math.max(0, sc.length - k)];
        }
        Arrays.sort(kth);
        double cutoff = io.modelwork.data.Attach.quantile(kth, 0.5);
        calibration.put("method", "cutoff_at_k");
        calibration.put("k", k);
        calibration.put("cutoff", cutoff);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("K", k);
        row.put("score cutoff", fmt(cutoff));
        for (String set : List.of("validation", "test")) {
            Matrix m = s.matrix(set);
            if (m == null) continue;
            double[] sc = col0(s.model().predict(m));
            int selected = 0, relevant = 0;
            for (int i = 0; i < sc.length; i++) if (sc[i] > cutoff) { selected++; if (m.y()[i] > 0) relevant++; }
            int nq = io.modelwork.metrics.RankingMetrics.groups(m.groups()).size();
            ObjectNode o = calibration.putObject("selection_" + set);
            o.put("documents_per_query", (double) selected / nq).put("precision", selected == 0 ? 0 : (double) relevant / selected);
            row.put(set + ": selected per query / precision", fmt(o.get("documents_per_query").asDouble()) + " / " + fmt(o.get("precision").asDouble()));
        }
        r.table(Tables.keyValues("Score cutoff for top-" + k + " selection", row));
    }

    static Map<String, Object> jsonMap(ObjectNode o) {
        Map<String, Object> m = new LinkedHashMap<>();
        o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().isNumber() ? fmt(e.getValue().asDouble()) : e.getValue().toString()));
        return m;
    }

}
