package io.modelwork.tabular;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.data.Dataset;
import io.modelwork.data.Role;
import io.modelwork.metrics.ClassificationMetrics;
import io.modelwork.metrics.Curve;
import io.modelwork.metrics.RegressionMetrics;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.*;

import static io.modelwork.tabular.TabularState.col0;
import static io.modelwork.tabular.TabularState.fmt;

/**
 * Step 7 for tabular data: the field's metrics on validation and test, the curves (predicted vs actual and residuals;
 * confusion matrix, ROC, PR and reliability; NDCG@K and MAP@K), the worst cases, and K-fold cross-validation.
 */
final class EvaluateStep {
    private EvaluateStep() { }

    static final Options OPTIONS = Options.of(
            Option.list("sets", "validation,test", "sets to evaluate (train, validation, test)"),
            Option.integer("worst", 10, 0, 100_000, "worst cases shown"),
            Option.bool("cv", false, "also K-fold cross-validation (split strategy=kfold)"));

    /** The metrics of the current model on {@code sets} (set → metric → value), as evaluate reports them. */
    static ObjectNode metrics(TabularState s, List<String> sets) {
        ObjectNode out = Json.object();
        for (String set : sets) {
            Matrix m = s.matrix(set);
            if (m == null) continue;
            ObjectNode o = out.putObject(set);
            s.metrics(m, s.predict(m)).forEach(o::put);
        }
        return out;
    }

    static StepReport run(TabularState s, Args a, StepContext ctx) {
        List<String> sets = a.getList("sets");
        if (sets.isEmpty()) sets = List.of("validation", "test");
        int worst = a.getInt("worst", 10);
        StepReport r = new StepReport("evaluate", "Evaluation of " + s.spec());
        ObjectNode metricsNode = r.body().putObject("metrics");
        Table mt = Table.create("Metrics");
        StringColumn setCol = StringColumn.create("set");
        Map<String, DoubleColumn> cols = new LinkedHashMap<>();
        Matrix last = null;
        double[][] lastP = null;
        String lastName = null;
        for (String set : sets) {
            Matrix m = s.matrix(set);
            if (m == null) { r.note("set '" + set + "' is empty; skipped"); continue; }
            double[][] p = s.predict(m);
            Map<String, Double> met = s.metrics(m, p);
            ObjectNode o = metricsNode.putObject(set);
            met.forEach(o::put);
            setCol.append(set);
            for (var e : met.entrySet()) cols.computeIfAbsent(e.getKey(), DoubleColumn::create).append(e.getValue());
            last = m; lastP = p; lastName = set;
        }
        mt.addColumns(setCol);
        cols.values().forEach(mt::addColumns);
        r.table(mt);
        if (a.getBool("cv", false)) crossValidate(s, r, ctx);
        if (last == null) return r;
        if (s.task() == Dataset.Task.REGRESSION) regressionPlots(s, r, last, lastP, lastName, worst);
        else if (s.task() == Dataset.Task.RANKING) rankingPlots(s, r, last, lastP, lastName, worst);
        else classificationPlots(s, r, last, lastP, lastName, worst);
        return r;
    }

    private static String rowId(TabularState s, Matrix m, int i) {
        Optional<String> id = s.dataset().schema().single(Role.ID);
        boolean external = m == s.test() && s.plan().externalTest();
        Table t = external ? s.dataset().testTable() : s.dataset().table();
        int row = m.rowIds()[i];
        return id.map(c -> t.column(c).getString(row)).orElse((external ? "test row " : "row ") + (row + 1));
    }

    private static void regressionPlots(TabularState s, StepReport r, Matrix m, double[][] p, String set, int worst) {
        double[] pr = new double[p.length];
        for (int i = 0; i < pr.length; i++) pr[i] = p[i][0];
        double[] res = RegressionMetrics.residuals(m.y(), pr);
        double lo = Math.min(Arrays.stream(m.y()).min().orElse(0), Arrays.stream(pr).min().orElse(0));
        double hi = Math.max(Arrays.stream(m.y()).max().orElse(1), Arrays.stream(pr).max().orElse(1));
        r.chart(Chart.scatter("predicted_vs_actual", "Predicted vs actual (" + set + ")", "actual", "predicted",
                List.of(Chart.Series.markers("rows", m.y(), pr), Chart.Series.dashed("ideal", new double[]{lo, hi}, new double[]{lo, hi}))));
        r.chart(Chart.scatter("residuals", "Residuals (" + set + ")", "predicted", "actual - predicted",
                List.of(Chart.Series.markers("residual", pr, res), Chart.Series.dashed("zero", new double[]{lo, hi}, new double[]{0, 0}))));
        Integer[] order = new Integer[pr.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(Math.abs(res[y]), Math.abs(res[x])));
        List<GalleryItem> g = new ArrayList<>();
        for (int k = 0; k < Math.min(worst, order.length); k++) {
            int i = order[k];
            g.add(GalleryItem.row(rowId(s, m, i), fmt(m.y()[i]), fmt(pr[i]), Math.abs(res[i]), Map.of("residual", fmt(res[i]))));
        }
        r.gallery(g);
        r.table(galleryTable("Worst errors (" + set + ")", g));
    }

    private static void classificationPlots(TabularState s, StepReport r, Matrix m, double[][] p, String set, int worst) {
        int[] y = m.intLabels();
        int k = s.labels().numClasses();
        int[] pred = s.predictedClasses(p);
        long[][] cm = ClassificationMetrics.confusionMatrix(y, pred, k);
        double[][] cmd = new double[k][k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) cmd[i][j] = cm[i][j];
        r.chart(Chart.heatmap("confusion_matrix", "Confusion matrix (" + set + ")", "predicted", "actual", cmd, s.labels().classes()));
        ArrayNode cmj = r.body().putArray("confusion_matrix");
        for (long[] row : cm) { ArrayNode a = cmj.addArray(); for (long v : row) a.add(v); }
        r.body().set("classes", Json.MAPPER.valueToTree(s.labels().classes()));
        List<Chart.Series> roc = new ArrayList<>(), pr = new ArrayList<>();
        int from = k == 2 ? 1 : 0;
        for (int c = from; c < k; c++) {
            double[] score = new double[y.length];
            int[] yb = new int[y.length];
            boolean any = false, none = false;
            for (int i = 0; i < y.length; i++) { score[i] = p[i][c]; yb[i] = y[i] == c ? 1 : 0; any |= yb[i] == 1; none |= yb[i] == 0; }
            if (!any || !none) continue;
            Curve rc = ClassificationMetrics.rocCurve(yb, score);
            Curve pc = ClassificationMetrics.prCurve(yb, score);
            String name = k == 2 ? "positive: " + s.labels().classes().get(1) : s.labels().classes().get(c);
            roc.add(Chart.Series.line(name, rc.x(), rc.y()));
            pr.add(Chart.Series.line(name, pc.x(), pc.y()));
            if (c == from) {
                Curve cal = ClassificationMetrics.calibrationCurve(yb, score, 10);
                r.chart(Chart.line("calibration", "Reliability (" + set + ", " + name + ")", "mean predicted probability",
                        "fraction of positives", List.of(Chart.Series.line("model", cal.x(), cal.y()),
                                Chart.Series.dashed("perfect", new double[]{0, 1}, new double[]{0, 1}))));
            }
        }
        roc.add(Chart.Series.dashed("chance", new double[]{0, 1}, new double[]{0, 1}));
        r.chart(Chart.line("roc", "ROC curve (" + set + ")", "false positive rate", "true positive rate", roc));
        r.chart(Chart.line("pr", "Precision-recall curve (" + set + ")", "recall", "precision", pr));
        // worst cases: lowest probability on the true class
        Integer[] order = new Integer[y.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i][y[i]]));
        List<GalleryItem> g = new ArrayList<>();
        for (int j = 0; j < Math.min(worst, order.length); j++) {
            int i = order[j];
            g.add(GalleryItem.row(rowId(s, m, i), s.labels().decode(y[i]), s.labels().decode(pred[i]), -Math.log(Math.max(p[i][y[i]], 1e-15)),
                    Map.of("p(true class)", fmt(p[i][y[i]]))));
        }
        r.gallery(g);
        r.table(galleryTable("Worst errors (" + set + ")", g));
    }

    private static void rankingPlots(TabularState s, StepReport r, Matrix m, double[][] p, String set, int worst) {
        double[] score = col0(p);
        int k = s.model().rankingCutoff();
        List<int[]> groups = io.modelwork.metrics.RankingMetrics.groups(m.groups());
        double[] ks = {1, 3, 5, 10}, nd = new double[4], mp = new double[4];
        Map<String, Double> all = io.modelwork.metrics.RankingMetrics.all(m.groups(), m.y(), score);
        for (int i = 0; i < 4; i++) { nd[i] = all.get("ndcg@" + (int) ks[i]); mp[i] = all.get("map@" + (int) ks[i]); }
        r.chart(Chart.line("ndcg_at_k", "NDCG@K and MAP@K (" + set + ")", "K", "score",
                List.of(Chart.Series.line("NDCG@K", ks, nd), Chart.Series.line("MAP@K", ks, mp))));
        Integer[] order = new Integer[groups.size()];
        double[] per = new double[groups.size()];
        for (int q = 0; q < per.length; q++) { order[q] = q; per[q] = io.modelwork.metrics.RankingMetrics.ndcg(groups.get(q), m.y(), score, k); }
        Arrays.sort(order, Comparator.comparingDouble(q -> per[q]));
        List<GalleryItem> g = new ArrayList<>();
        for (int j = 0; j < Math.min(worst, order.length); j++) {
            int[] rows = groups.get(order[j]);
            int best = rows[0];
            for (int row : rows) if (score[row] > score[best]) best = row;
            double maxRel = Arrays.stream(rows).mapToDouble(x -> m.y()[x]).max().orElse(0);
            g.add(GalleryItem.row("query " + m.groups()[rows[0]], "max relevance " + fmt(maxRel),
                    "top doc relevance " + fmt(m.y()[best]), 1 - per[order[j]],
                    Map.of("docs", Integer.toString(rows.length), "ndcg@" + k, fmt(per[order[j]]))));
        }
        r.gallery(g);
        r.table(galleryTable("Worst queries by NDCG@" + k + " (" + set + ")", g));
        r.note("queries without a relevant document count as NDCG = 1 and MAP = 1 (LightGBM's convention); MRR skips them");
    }

    static Table galleryTable(String title, List<GalleryItem> g) {
        Table t = Table.create(title);
        StringColumn id = StringColumn.create("id"), tr = StringColumn.create("truth"), pr = StringColumn.create("prediction"),
                extra = StringColumn.create("detail");
        DoubleColumn sc = DoubleColumn.create("error");
        for (GalleryItem it : g) {
            id.append(it.id()); tr.append(it.truth()); pr.append(it.prediction()); sc.append(it.score());
            extra.append(it.fields().toString());
        }
        t.addColumns(id, tr, pr, sc, extra);
        return t;
    }

    private static void crossValidate(TabularState s, StepReport r, StepContext ctx) {
        if (s.plan().folds().isEmpty()) {
            r.note("cv=true needs split strategy=kfold; skipped");
            return;
        }
        Map<String, List<Double>> per = new LinkedHashMap<>();
        int rounds = s.fitResult().bestIteration() + 1;
        for (int f = 0; f < s.plan().folds().size(); f++) {
            int[] vrows = s.plan().folds().get(f);
            int[] pool = concat(s.plan().train(), s.plan().validation());
            int[] trows = Splitter.minus(pool, vrows);
            Preprocessor fp = Preprocessor.fit(s.prepOptions, s.dataset(), trows);
            Matrix tr = fp.transform(s.dataset(), s.dataset().table(), trows, s.labels()), va = fp.transform(s.dataset(), s.dataset().table(), vrows, s.labels());
            try (TabularModel m = s.freshModel(s.model().params())) {
                m.fit(tr, null, new TabularModel.FitConfig(rounds, 0, ctx.run().seedFor("cv" + f), ctx.run().threads(), ctx.run().device()),
                        (it, tot, mm, b) -> { });
                Map<String, Double> met = s.metrics(va, m.predict(va));
                met.forEach((k, v) -> per.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            }
            ctx.progress().update("evaluate", f + 1, s.plan().folds().size(), "cross-validation fold " + (f + 1));
        }
        Table t = Table.create("Cross-validation (" + s.plan().folds().size() + " folds, " + rounds + " rounds)");
        StringColumn name = StringColumn.create("metric");
        DoubleColumn mean = DoubleColumn.create("mean"), std = DoubleColumn.create("std");
        ObjectNode cv = r.body().putObject("cross_validation");
        per.forEach((k, v) -> {
            double mu = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double sd = Math.sqrt(v.stream().mapToDouble(x -> (x - mu) * (x - mu)).sum() / Math.max(1, v.size() - 1));
            name.append(k); mean.append(mu); std.append(sd);
            cv.putObject(k).put("mean", mu).put("std", sd);
        });
        t.addColumns(name, mean, std);
        r.table(t);
    }

    static int[] concat(int[] a, int[] b) {
        int[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        Arrays.sort(o);
        return o;
    }
}
