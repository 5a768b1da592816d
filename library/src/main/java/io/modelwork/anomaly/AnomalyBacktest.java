package io.modelwork.anomaly;

import io.modelwork.core.Args;
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
 * backtest of the anomaly category: replays the test images in production order (file name, or modification time),
 * in windows: per window FPR and recall at the threshold and the population stability index (PSI, 10 bins cut at the
 * validation scores' deciles) of the scores against validation.
 */
final class AnomalyBacktest {
    private AnomalyBacktest() { }

    static StepReport backtest(AnomalyState s, Args a, StepContext ctx) {
        s.ensureFitted("backtest");
        List<Item> items = new ArrayList<>(s.test.isEmpty() ? s.validation : s.test);
        String order = a.getString("order", "name");
        if (order.equals("mtime")) items.sort(Comparator.comparingLong(AnomalyBacktest::mtime).thenComparing(Item::name));
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
