package io.modelwork.tabular;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.data.Attach;
import io.modelwork.data.Dataset;
import io.modelwork.data.Role;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.*;
import tech.tablesaw.columns.Column;

import java.util.*;

/**
 * The {@code split} step: hold-out (optionally stratified), K-fold, group (no group in two sets) and time-ordered
 * splits. Every plan is checked for leakage before it is returned: sets are disjoint, a group lives in one set, and
 * for time splits every training timestamp precedes every validation timestamp, which precedes every test one.
 */
public final class Splitter {
    private Splitter() {}

    public enum Strategy { HOLDOUT, KFOLD, GROUP, TIME }

    /**
     * A split: row indices into the dataset's table. When the dataset has a predefined test table,
     * {@link #externalTest} is true and {@link #test} indexes that table. {@link #folds} holds the K validation folds
     * of the train+validation pool for K-fold (empty otherwise).
     */
    public record Plan(Strategy strategy, int[] train, int[] validation, int[] test, boolean externalTest,
                       List<int[]> folds, String orderColumn) {}

    public static Plan split(Dataset ds, Args a, long seed) {
        boolean ranking = ds.task() == Dataset.Task.RANKING;
        Strategy strategy = a.getEnum("strategy", Strategy.class, ranking ? Strategy.GROUP : Strategy.HOLDOUT);
        if (ranking && strategy != Strategy.GROUP)
            throw new ModelworkException("A ranking dataset is split by query group, never inside a query",
                    "split strategy=" + strategy.name().toLowerCase(Locale.ROOT), "use strategy=group (the default for ranking)");
        double[] ratios = a.getDoubles("ratios", ds.testTable() != null ? new double[]{0.8, 0.2, 0} : new double[]{0.7, 0.15, 0.15});
        if (ratios.length == 2) ratios = new double[]{ratios[0], ratios[1], 0};
        if (ratios.length != 3 || Arrays.stream(ratios).anyMatch(r -> r < 0) || Math.abs(Arrays.stream(ratios).sum() - 1) > 1e-6)
            throw new ModelworkException("Split ratios must be three non-negative numbers that sum to 1, got "
                    + Arrays.toString(ratios), "split ratios", "e.g. ratios=0.7,0.15,0.15 (train, validation, test)");
        if (ds.testTable() != null && ratios[2] > 0)
            throw new ModelworkException("The dataset has a predefined test file, so the split must not cut a test set",
                    "split ratios", "use two ratios (train, validation), e.g. ratios=0.8,0.2");
        boolean classification = ds.task() == Dataset.Task.CLASSIFICATION;
        boolean stratify = a.getBool("stratify", classification && strategy == Strategy.HOLDOUT);
        if (stratify && !classification)
            throw new ModelworkException("stratify=true needs a classification target", "split stratify",
                    "leave stratify out for regression");
        Random rnd = new Random(seed);
        int n = ds.rows();
        Table t = ds.table();
        Plan plan;
        switch (strategy) {
            case HOLDOUT -> {
                int[][] parts = stratify ? stratified(labels(ds), ratios, rnd) : shuffled(n, ratios, rnd);
                plan = new Plan(strategy, parts[0], parts[1], parts[2], ds.testTable() != null, List.of(), null);
            }
            case KFOLD -> {
                int k = a.getInt("folds", 5);
                if (k < 2 || k > n) throw new ModelworkException("folds must be between 2 and the row count (" + n + ")",
                        "split folds=" + k, "e.g. folds=5");
                int[][] parts = classification ? stratified(labels(ds), new double[]{1 - ratios[2], 0, ratios[2]}, rnd)
                        : shuffled(n, new double[]{1 - ratios[2], 0, ratios[2]}, rnd);
                int[] pool = parts[0];
                List<int[]> folds = new ArrayList<>();
                int[] perm = pool.clone();
                shuffle(perm, rnd);
                for (int f = 0; f < k; f++) {
                    int lo = (int) ((long) perm.length * f / k), hi = (int) ((long) perm.length * (f + 1) / k);
                    int[] fold = Arrays.copyOfRange(perm, lo, hi);
                    Arrays.sort(fold);
                    folds.add(fold);
                }
                int[] valid = folds.get(0);
                int[] train = minus(pool, valid);
                plan = new Plan(strategy, train, valid, parts[2], ds.testTable() != null, folds, null);
            }
            case GROUP -> {
                String g = a.getString("group", ds.schema().single(Role.GROUP).orElse(null));
                if (g == null || !t.containsColumn(g))
                    throw new ModelworkException("A group split needs a group column", "split group=" + g,
                            "attach with group=<column> or pass group=<column>; columns: " + t.columnNames());
                Column<?> gc = t.column(g);
                TreeMap<String, List<Integer>> groups = new TreeMap<>();
                for (int i = 0; i < n; i++) groups.computeIfAbsent(gc.getString(i), x -> new ArrayList<>()).add(i);
                List<String> keys = new ArrayList<>(groups.keySet());
                Collections.shuffle(keys, rnd);
                List<Integer> tr = new ArrayList<>(), va = new ArrayList<>(), te = new ArrayList<>();
                int seen = 0;
                for (String key : keys) {
                    List<Integer> rows = groups.get(key);
                    double pos = (double) seen / n;
                    (pos < ratios[0] ? tr : pos < ratios[0] + ratios[1] ? va : te).addAll(rows);
                    seen += rows.size();
                }
                plan = new Plan(strategy, sorted(tr), sorted(va), sorted(te), ds.testTable() != null, List.of(), g);
            }
            case TIME -> {
                String order = a.getString("order", ds.schema().single(Role.TIMESTAMP).orElse(null));
                Integer[] idx = new Integer[n];
                for (int i = 0; i < n; i++) idx[i] = i;
                if (order != null && !order.equals("row")) {
                    if (!t.containsColumn(order))
                        throw new ModelworkException("The time order column '" + order + "' does not exist",
                                "split order=" + order, "use a timestamp column or order=row; columns: " + t.columnNames());
                    Comparator<Integer> cmp = comparator(t.column(order));
                    Arrays.sort(idx, cmp.thenComparing(Comparator.naturalOrder()));
                }
                int a1 = (int) Math.round(n * ratios[0]), a2 = (int) Math.round(n * (ratios[0] + ratios[1]));
                int[] all = Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
                plan = new Plan(strategy, Arrays.copyOfRange(all, 0, a1), Arrays.copyOfRange(all, a1, a2),
                        Arrays.copyOfRange(all, a2, n), ds.testTable() != null, List.of(),
                        order == null ? "row" : order);
            }
            default -> throw new IllegalStateException();
        }
        if (ranking) plan = sortByQuery(ds, plan);
        checkNoLeakage(ds, plan);
        if (classification) checkClasses(ds, plan);
        return plan;
    }

    /** Ranking: rows of one query contiguous (LightGBM's group layout), queries in order of first appearance. */
    static Plan sortByQuery(Dataset ds, Plan p) {
        String[] g = Dataset.strings(ds.table(), p.orderColumn());
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < g.length; i++) first.putIfAbsent(g[i], i);
        Comparator<Integer> cmp = Comparator.<Integer>comparingInt(r -> first.get(g[r])).thenComparingInt(r -> r);
        java.util.function.UnaryOperator<int[]> sort = rows -> Arrays.stream(rows).boxed().sorted(cmp).mapToInt(Integer::intValue).toArray();
        return new Plan(p.strategy(), sort.apply(p.train()), sort.apply(p.validation()), p.externalTest() ? p.test() : sort.apply(p.test()),
                p.externalTest(), p.folds(), p.orderColumn());
    }

    static Comparator<Integer> comparator(Column<?> c) {
        if (c instanceof NumericColumn<?> nc) return Comparator.comparingDouble(nc::getDouble);
        return Comparator.comparing(i -> c.getString(i));
    }

    /** Disjointness, group purity and time order; a violation is a bug, reported as such. */
    public static void checkNoLeakage(Dataset ds, Plan p) {
        BitSet seen = new BitSet();
        for (int[] set : p.externalTest() ? List.of(p.train(), p.validation()) : List.of(p.train(), p.validation(), p.test()))
            for (int r : set) {
                if (seen.get(r)) throw new IllegalStateException("split leaks row " + r + " into two sets");
                seen.set(r);
            }
        if (p.strategy() == Strategy.GROUP) {
            Column<?> g = ds.table().column(p.orderColumn());
            Map<String, Integer> owner = new HashMap<>();
            int[][] sets = {p.train(), p.validation(), p.test()};
            for (int s = 0; s < 3; s++)
                for (int r : sets[s]) {
                    Integer prev = owner.put(g.getString(r), s);
                    if (prev != null && prev != s)
                        throw new IllegalStateException("group " + g.getString(r) + " is in two sets");
                }
        }
        if (p.strategy() == Strategy.TIME && !"row".equals(p.orderColumn())) {
            Comparator<Integer> cmp = comparator(ds.table().column(p.orderColumn()));
            int[][] sets = {p.train(), p.validation(), p.test()};
            for (int s = 0; s + 1 < 3; s++) {
                if (sets[s].length == 0) continue;
                int last = sets[s][sets[s].length - 1];
                for (int s2 = s + 1; s2 < 3; s2++)
                    for (int r : sets[s2]) if (cmp.compare(r, last) < 0)
                        throw new IllegalStateException("time split puts a later row before an earlier one");
            }
        }
    }

    static void checkClasses(Dataset ds, Plan p) {
        int[] y = labels(ds);
        int k = Arrays.stream(y).max().orElse(0) + 1;
        String[] names = {"train", "validation", "test"};
        int[][] sets = {p.train(), p.validation(), p.externalTest() ? new int[0] : p.test()};
        List<String> classes = LabelEncoder.fit(ds).classes();
        for (int s = 0; s < 3; s++) {
            if (sets[s].length == 0) continue;
            boolean[] present = new boolean[k];
            for (int r : sets[s]) present[y[r]] = true;
            for (int c = 0; c < k; c++)
                if (!present[c])
                    throw new ModelworkException("The " + names[s] + " set has no row of class '" + classes.get(c) + "'",
                            "split (" + p.strategy().name().toLowerCase(Locale.ROOT) + ")",
                            "use stratify=true, larger ratios for that set, or more data for that class");
        }
    }

    static int[] labels(Dataset ds) {
        LabelEncoder le = LabelEncoder.fit(ds);
        int[] all = new int[ds.rows()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        double[] y = le.encode(ds.table(), ds.target(), all, ds.ref());
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) out[i] = (int) y[i];
        return out;
    }

    static int[][] shuffled(int n, double[] ratios, Random rnd) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        shuffle(perm, rnd);
        int a1 = (int) Math.round(n * ratios[0]), a2 = (int) Math.round(n * (ratios[0] + ratios[1]));
        int[][] out = {Arrays.copyOfRange(perm, 0, a1), Arrays.copyOfRange(perm, a1, a2), Arrays.copyOfRange(perm, a2, n)};
        for (int[] o : out) Arrays.sort(o);
        return out;
    }

    static int[][] stratified(int[] y, double[] ratios, Random rnd) {
        int k = Arrays.stream(y).max().orElse(0) + 1;
        List<Integer> tr = new ArrayList<>(), va = new ArrayList<>(), te = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < y.length; i++) if (y[i] == c) rows.add(i);
            Collections.shuffle(rows, rnd);
            int m = rows.size();
            int a1 = (int) Math.round(m * ratios[0]), a2 = (int) Math.round(m * (ratios[0] + ratios[1]));
            tr.addAll(rows.subList(0, a1));
            va.addAll(rows.subList(a1, a2));
            te.addAll(rows.subList(a2, m));
        }
        return new int[][]{sorted(tr), sorted(va), sorted(te)};
    }

    static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }

    static int[] sorted(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).sorted().toArray(); }

    static int[] minus(int[] a, int[] b) {
        BitSet bs = new BitSet();
        for (int x : b) bs.set(x);
        return Arrays.stream(a).filter(x -> !bs.get(x)).toArray();
    }

    /** The split report: sizes, key ranges, periods and class counts per set. */
    public static StepReport report(Dataset ds, Plan p) {
        StepReport r = new StepReport("split", "Split: " + p.strategy().name().toLowerCase(Locale.ROOT));
        Table t = ds.table();
        StringColumn set = StringColumn.create("set");
        IntColumn size = IntColumn.create("rows");
        StringColumn keys = StringColumn.create("key_range"), period = StringColumn.create("period"),
                classes = StringColumn.create("classes");
        String id = ds.schema().single(Role.ID).orElse(null);
        String ts = p.orderColumn() != null && !p.orderColumn().equals("row") && p.strategy() == Strategy.TIME
                ? p.orderColumn() : ds.schema().single(Role.TIMESTAMP).orElse(null);
        ObjectNode sets = r.body().putObject("sets");
        String[] names = {"train", "validation", "test"};
        int[][] rows = {p.train(), p.validation(), p.test()};
        for (int s = 0; s < 3; s++) {
            Table src = (s == 2 && p.externalTest()) ? ds.testTable() : t;
            int[] rr = (s == 2 && p.externalTest()) ? allRows(ds.testTable().rowCount()) : rows[s];
            ObjectNode o = sets.putObject(names[s]);
            o.put("rows", rr.length);
            set.append(names[s] + (s == 2 && p.externalTest() ? " (predefined file)" : ""));
            size.append(rr.length);
            String kr = rr.length == 0 ? "" : range(src.column(id != null ? id : src.columnNames().get(0)), rr, id == null);
            keys.append(kr);
            o.put("key_range", kr);
            String per = ts == null || rr.length == 0 ? "" : range(src.column(ts), rr, false);
            period.append(per);
            if (!per.isEmpty()) o.put("period", per);
            if (ds.task() == Dataset.Task.CLASSIFICATION && rr.length > 0) {
                Column<?> c = src.column(ds.target());
                TreeMap<String, Integer> counts = new TreeMap<>();
                for (int i : rr) counts.merge(Attach.label(c, i), 1, Integer::sum);
                classes.append(counts.toString());
                o.set("class_counts", Json.MAPPER.valueToTree(counts));
            } else classes.append("");
        }
        r.body().put("strategy", p.strategy().name().toLowerCase(Locale.ROOT));
        if (!p.folds().isEmpty()) {
            ArrayNode f = r.body().putArray("fold_sizes");
            p.folds().forEach(x -> f.add(x.length));
            r.note(p.folds().size() + " folds over the train+validation pool; fit validates on fold 1, "
                    + "evaluate cv=true refits on every fold");
        }
        Table out = Table.create("Split (" + p.strategy().name().toLowerCase(Locale.ROOT) + ")");
        out.addColumns(set, size, keys, period, classes);
        r.table(out);
        return r;
    }

    static int[] allRows(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static String range(Column<?> c, int[] rows, boolean rowNumbers) {
        if (rowNumbers) {
            int lo = Arrays.stream(rows).min().orElse(0), hi = Arrays.stream(rows).max().orElse(0);
            return "rows " + (lo + 1) + ".." + (hi + 1);
        }
        Comparator<Integer> cmp = comparator(c);
        int lo = rows[0], hi = rows[0];
        for (int r : rows) {
            if (cmp.compare(r, lo) < 0) lo = r;
            if (cmp.compare(r, hi) > 0) hi = r;
        }
        return c.getString(lo) + " .. " + c.getString(hi);
    }
}
