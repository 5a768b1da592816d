package io.modelwork.anomaly;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Step;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.vision.ImageDataset.Item;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.util.*;

/**
 * tune and backtest of the anomaly category.
 *
 * <p>tune searches {@code k} and {@code coreset_ratio} (ratios up to the fitted one) on the validation image AUROC.
 * A smaller ratio needs no refit: greedy k-center selection is sequential, so the coreset of a smaller ratio is a
 * prefix of the fitted one (same seed, same data) and the bank is kept in selection order. Layers and resolution
 * need a new backbone pass per trial and are changed with build + fit instead. The best trial is applied only when
 * it beats the current model.
 *
 * <p>backtest replays the test images in production order (file name, or modification time), in windows: per
 * window FPR and recall at the threshold and the population stability index (PSI, 10 bins cut at the validation
 * scores' deciles) of the scores against validation.
 */
final class AnomalyTune {
    private AnomalyTune() { }

    static StepReport tune(AnomalyState s, Args a, StepContext ctx) {
        s.ensureFitted("tune");
        if (s.validation.stream().noneMatch(Item::normal) || s.validation.stream().allMatch(Item::normal))
            throw new ModelworkException("Validation needs normal and defect images to tune on image AUROC", "tune",
                    "split with validation > 0 (the test folder's classes are split between validation and test)");
        int budget = a.getInt("budget", 6);
        List<Integer> ks = new ArrayList<>();
        for (String x : a.has("k") ? a.getList("k") : List.of("1", "3", "9")) ks.add(Integer.parseInt(x.trim()));
        double[] ratios = a.getDoubles("coreset_ratio", new double[]{s.coresetRatio, s.coresetRatio / 2, s.coresetRatio / 4});
        float[] emb = AnomalyModel.embed(s, s.validation, false, ctx.progress(), "tune");
        boolean[] pos = new boolean[s.validation.size()];
        for (int i = 0; i < pos.length; i++) pos[i] = !s.validation.get(i).normal();
        List<double[]> trials = new ArrayList<>(); // ratio, k, auroc, rows
        trials.add(new double[]{s.coresetRatio, s.k, Double.NaN, s.bankRows()});
        for (double r : ratios)
            for (int k : ks) {
                if (r > s.coresetRatio + 1e-12 || r <= 0) continue;
                if (trials.stream().anyMatch(t -> Math.abs(t[0] - r) < 1e-12 && t[1] == k)) continue;
                trials.add(new double[]{r, k, Double.NaN, Math.min(s.bankRows(), Math.max(1, (int) (s.trainPatches * r)))});
            }
        trials = trials.subList(0, Math.min(trials.size(), Math.max(1, budget)));
        for (int i = 0; i < trials.size(); i++) {
            double[] t = trials.get(i);
            int rows = (int) t[3];
            float[] bank = Arrays.copyOf(s.bank, rows * s.channels);
            Scorer sc = new Scorer(bank, s.channels, (int) t[1], s.grid(), s.pre.size(), s.threads);
            t[2] = AnomalyMetrics.auroc(sc.score(emb, s.validation.size()).scores(), pos);
            ctx.progress().update("tune", i + 1, trials.size(), String.format(Locale.ROOT, "ratio %.4g k %d: %.4f", t[0], (int) t[1], t[2]));
        }
        double[] current = trials.get(0), best = current;
        for (double[] t : trials) if (t[2] > best[2] + 1e-12) best = t;
        boolean applied = best != current;
        if (applied) {
            s.bank = Arrays.copyOf(s.bank, (int) best[3] * s.channels);
            s.coresetRatio = best[0];
            s.k = (int) best[1];
            s.imageThreshold = null;
            s.modelChanged();
            ctx.invalidate(Step.EVALUATE);
        }
        StepReport r = new StepReport("tune", applied ? "Tuned: k " + s.k + ", coreset_ratio " + s.coresetRatio : "Tune: the current model stays (no trial beat it)");
        Table tt = Table.create("Trials");
        IntColumn no = IntColumn.create("trial"), kc = IntColumn.create("k"), rc = IntColumn.create("bank_rows");
        DoubleColumn ra = DoubleColumn.create("coreset_ratio"), au = DoubleColumn.create("validation_image_auroc");
        double[] xs = new double[trials.size()], ys = new double[trials.size()];
        for (int i = 0; i < trials.size(); i++) {
            double[] t = trials.get(i);
            no.append(i);
            ra.append(t[0]);
            kc.append((int) t[1]);
            rc.append((int) t[3]);
            au.append(t[2]);
            xs[i] = i;
            ys[i] = t[2];
        }
        tt.addColumns(no, ra, kc, rc, au);
        r.table(tt);
        r.chart(Chart.scatter("trials", "Validation image AUROC per trial", "trial", "image AUROC", List.of(Chart.Series.markers("trial", xs, ys))));
        r.body().put("applied", applied).put("trials", trials.size()).put("best_validation_image_auroc", best[2])
                .put("current_validation_image_auroc", current[2]).put("k", s.k).put("coreset_ratio", s.coresetRatio);
        r.note("layers and resolution are not searched here (each needs a new feature pass): change them with build/prepare_data and fit");
        return r;
    }

    static StepReport backtest(AnomalyState s, Args a, StepContext ctx) {
        s.ensureFitted("backtest");
        List<Item> items = new ArrayList<>(s.test.isEmpty() ? s.validation : s.test);
        String order = a.getString("order", "name");
        if (order.equals("mtime")) items.sort(Comparator.comparingLong(AnomalyTune::mtime).thenComparing(Item::name));
        else items.sort(Comparator.comparing(Item::name));
        int windows = Math.max(1, Math.min(a.getInt("windows", 4), items.size()));
        double th = AnomalyEvaluate.threshold(s, ctx);
        AnomalyState.Scored sc = AnomalyModel.score(s, "backtest-" + order, items, ctx.progress(), "backtest");
        float[] ref = AnomalyModel.score(s, "validation", s.validation, ctx.progress(), "backtest").scores().clone();
        Arrays.sort(ref);
        double[] cuts = new double[9];
        for (int i = 1; i <= 9; i++) cuts[i - 1] = ref.length == 0 ? 0 : ref[Math.min(ref.length - 1, (int) (ref.length * i / 10.0))];
        Table t = Table.create("Windows (" + order + " order)");
        IntColumn w = IntColumn.create("window"), n = IntColumn.create("images");
        StringColumn first = StringColumn.create("first");
        DoubleColumn fpr = DoubleColumn.create("fpr"), rec = DoubleColumn.create("recall"), psi = DoubleColumn.create("psi");
        double[] xs = new double[windows], ysF = new double[windows], ysR = new double[windows], ysP = new double[windows];
        double maxPsi = 0;
        for (int win = 0; win < windows; win++) {
            int lo = items.size() * win / windows, hi = items.size() * (win + 1) / windows;
            List<Float> neg = new ArrayList<>(), pos = new ArrayList<>(), all = new ArrayList<>();
            for (int i = lo; i < hi; i++) {
                (items.get(i).normal() ? neg : pos).add(sc.scores()[i]);
                all.add(sc.scores()[i]);
            }
            double f = rate(neg, th), r = rate(pos, th), p = psi(ref, cuts, all);
            maxPsi = Math.max(maxPsi, p);
            w.append(win);
            n.append(hi - lo);
            first.append(items.get(lo).name());
            fpr.append(f);
            rec.append(r);
            psi.append(p);
            xs[win] = win;
            ysF[win] = f;
            ysR[win] = r;
            ysP[win] = p;
        }
        t.addColumns(w, first, n, fpr, rec, psi);
        StepReport rep = new StepReport("backtest", "Replay of " + items.size() + " images in " + windows + " windows");
        rep.table(t);
        rep.chart(Chart.line("windows", "Per-window FPR, recall and PSI", "window", "value", List.of(
                Chart.Series.line("fpr", xs, ysF), Chart.Series.line("recall", xs, ysR), Chart.Series.dashed("psi", xs, ysP))));
        rep.body().put("windows", windows).put("order", order).put("threshold", th).put("max_psi", maxPsi);
        if (maxPsi > 0.25) rep.note("PSI above 0.25 in a window: the score distribution drifts from validation");
        return rep;
    }

    private static double rate(List<Float> v, double th) {
        if (v.isEmpty() || Double.isNaN(th)) return Double.NaN;
        return v.stream().filter(x -> x > th).count() / (double) v.size();
    }

    /** PSI of {@code window} against the reference scores, bins cut at the reference deciles (ε = 1e-4 per bin). */
    static double psi(float[] ref, double[] cuts, List<Float> window) {
        if (ref.length == 0 || window.isEmpty()) return Double.NaN;
        double[] pr = new double[10], pw = new double[10];
        for (float v : ref) pr[bin(cuts, v)]++;
        for (float v : window) pw[bin(cuts, v)]++;
        double s = 0;
        for (int i = 0; i < 10; i++) {
            double a = Math.max(1e-4, pr[i] / ref.length), b = Math.max(1e-4, pw[i] / window.size());
            s += (b - a) * Math.log(b / a);
        }
        return s;
    }

    private static int bin(double[] cuts, double v) {
        int b = 0;
        while (b < cuts.length && v >= cuts[b]) b++;
        return b;
    }

    private static long mtime(Item it) {
        try {
            return Files.getLastModifiedTime(it.path()).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
