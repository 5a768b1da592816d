package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.Assets;
import io.modelwork.session.Session;
import io.modelwork.data.Attach;
import io.modelwork.data.Dataset;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.columns.Column;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.*;

import static org.junit.jupiter.api.Assertions.*;

/** Every split strategy on real data, checked from the outside: disjoint sets, group purity, time order, strata. */
class SplitLeakageTest {

    /** A copy of a real CSV with extra columns appended: a group id and an ISO date (unique, in shuffled order). */
    static Path withGroupAndTime(Path src, Path out, int groups, long seed) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(src));
        lines.removeIf(String::isBlank);
        int n = lines.size() - 1;
        List<Integer> days = new ArrayList<>();
        for (int i = 0; i < n; i++) days.add(i);
        Collections.shuffle(days, new Random(seed));
        Random g = new Random(seed + 1);
        StringBuilder sb = new StringBuilder(lines.get(0)).append(",patient,visit_date\n");
        LocalDate d0 = LocalDate.of(2020, 1, 1);
        for (int i = 0; i < n; i++)
            sb.append(lines.get(i + 1)).append(",p").append(g.nextInt(groups)).append(',').append(d0.plusDays(days.get(i))).append('\n');
        Files.writeString(out, sb.toString());
        return out;
    }

    static Session session(Path tmp, String name, long seed) {
        Session s = Session.create(tmp);
        s.configure(Args.of("seed", seed, "threads", 2, "run_dir", tmp.resolve(name).toString(), "progress", false));
        return s;
    }

    static Splitter.Plan plan(Session s) { return s.state(TabularState.class).plan(); }

    static Dataset dataset(Session s) { return s.state(TabularState.class).dataset(); }

    static void assertDisjointAndComplete(Splitter.Plan p, int n) {
        BitSet seen = new BitSet();
        int total = 0;
        for (int[] set : List.of(p.train(), p.validation(), p.test()))
            for (int r : set) {
                assertTrue(r >= 0 && r < n, "row index " + r);
                assertFalse(seen.get(r), "row " + r + " is in two sets");
                seen.set(r);
                total++;
            }
        assertEquals(n, total, "every row lands in exactly one set");
        assertTrue(p.train().length > 0 && p.validation().length > 0 && p.test().length > 0);
    }

    static Map<String, Integer> counts(Column<?> c, int[] rows) {
        Map<String, Integer> m = new TreeMap<>();
        for (int r : rows) m.merge(Attach.label(c, r), 1, Integer::sum);
        return m;
    }

    static void assertSharesClose(Dataset ds, Splitter.Plan p, double tol) {
        Column<?> y = ds.table().column(ds.target());
        int n = ds.rows();
        Map<String, Integer> all = counts(y, TabularState.allRows(n));
        for (int[] set : List.of(p.train(), p.validation(), p.test())) {
            Map<String, Integer> c = counts(y, set);
            assertEquals(all.keySet(), c.keySet(), "every class in every set");
            for (String k : all.keySet()) {
                double overall = all.get(k) / (double) n, here = c.get(k) / (double) set.length;
                assertEquals(overall, here, tol, "share of class " + k + " in a set of " + set.length);
            }
        }
    }

    @Test
    void holdoutIsDisjointAndSized(@TempDir Path tmp) {
        try (Session s = session(tmp, "holdout", 1)) {
            s.attachDataset(Args.of("path", Assets.data("regression/diabetes.csv").toString(), "target", "progression"));
            s.prepareData(Args.empty());
            StepReport r = s.split(Args.of("ratios", "0.6,0.2,0.2"));
            Splitter.Plan p = plan(s);
            int n = dataset(s).rows();
            assertEquals(442, n);
            assertDisjointAndComplete(p, n);
            assertEquals(Math.round(0.6 * n), p.train().length);
            assertEquals(p.test().length, r.body().get("sets").get("test").get("rows").asInt());
            assertTrue(r.body().get("features").asInt() >= 10);
        }
    }

    @Test
    void stratifiedHoldoutKeepsClassShares(@TempDir Path tmp) {
        for (String[] d : new String[][]{{"classification/breast_cancer.csv", "diagnosis"}, {"classification/wine.csv", "cultivar"},
                {"classification/iris.csv", "species"}})
            try (Session s = session(tmp, "strat-" + d[1], 2)) {
                s.attachDataset(Args.of("path", Assets.data(d[0]).toString(), "target", d[1]));
                s.prepareData(Args.empty());
                s.split(Args.empty()); // classification hold-out stratifies by default
                Splitter.Plan p = plan(s);
                assertEquals(Splitter.Strategy.HOLDOUT, p.strategy());
                assertDisjointAndComplete(p, dataset(s).rows());
                // per-class rounding moves at most one row per class and set
                double tol = 1.5 / p.test().length;
                assertSharesClose(dataset(s), p, tol);
            }
    }

    @Test
    void kfoldFoldsPartitionThePoolAndNeverTouchTest(@TempDir Path tmp) {
        try (Session s = session(tmp, "kfold", 3)) {
            s.attachDataset(Args.of("path", Assets.data("classification/iris.csv").toString(), "target", "species"));
            s.prepareData(Args.empty());
            StepReport r = s.split(Args.of("strategy", "kfold", "folds", 5, "ratios", "0.8,0,0.2"));
            Splitter.Plan p = plan(s);
            int n = dataset(s).rows();
            assertDisjointAndComplete(p, n);
            assertEquals(5, p.folds().size());
            assertEquals(5, r.body().get("fold_sizes").size());
            BitSet pool = new BitSet();
            for (int x : p.train()) pool.set(x);
            for (int x : p.validation()) pool.set(x);
            BitSet union = new BitSet();
            int total = 0;
            for (int[] f : p.folds()) {
                for (int x : f) {
                    assertFalse(union.get(x), "row " + x + " in two folds");
                    union.set(x);
                    total++;
                }
                assertTrue(Math.abs(f.length - pool.cardinality() / 5.0) <= 1, "balanced folds");
            }
            assertEquals(pool, union, "the folds partition train+validation");
            assertEquals(pool.cardinality(), total);
            for (int x : p.test()) assertFalse(pool.get(x), "test row " + x + " in a fold");
            assertArrayEquals(p.folds().get(0), p.validation(), "fit validates on fold 1");
            // the test cut is stratified (the folds themselves are a plain shuffle of the pool)
            var y = dataset(s).table().column(dataset(s).target());
            Map<String, Integer> all = counts(y, TabularState.allRows(n)), te = counts(y, p.test());
            for (String k : all.keySet())
                assertEquals(all.get(k) / (double) n, te.getOrDefault(k, 0) / (double) p.test().length, 1.5 / p.test().length, k);
        }
    }

    @Test
    void groupSplitKeepsEachGroupInOneSet(@TempDir Path tmp) throws IOException {
        Path f = withGroupAndTime(Assets.data("regression/diabetes.csv"), tmp.resolve("diabetes_groups.csv"), 60, 9);
        for (long seed : new long[]{1, 2, 3})
            try (Session s = session(tmp, "group-" + seed, seed)) {
                s.attachDataset(Args.of("path", f.toString(), "target", "progression", "group", "patient", "timestamp", "visit_date"));
                s.prepareData(Args.empty());
                s.split(Args.of("strategy", "group"));
                Splitter.Plan p = plan(s);
                Dataset ds = dataset(s);
                assertDisjointAndComplete(p, ds.rows());
                Column<?> g = ds.table().column("patient");
                Map<String, Integer> owner = new HashMap<>();
                int[][] sets = {p.train(), p.validation(), p.test()};
                for (int k = 0; k < 3; k++)
                    for (int r : sets[k]) {
                        Integer prev = owner.put(g.getString(r), k);
                        assertTrue(prev == null || prev == k, "group " + g.getString(r) + " in sets " + prev + " and " + k);
                    }
                double trainShare = p.train().length / (double) ds.rows();
                assertTrue(trainShare > 0.55 && trainShare < 0.85, "train share " + trainShare);
                // the group column is not a feature
                assertFalse(s.state(TabularState.class).preprocessor().outputNames().stream().anyMatch(x -> x.contains("patient")));
            }
    }

    @Test
    void timeSplitOrdersTrainBeforeValidationBeforeTest(@TempDir Path tmp) throws IOException {
        Path f = withGroupAndTime(Assets.data("regression/diabetes.csv"), tmp.resolve("diabetes_time.csv"), 60, 4);
        try (Session s = session(tmp, "time", 4)) {
            s.attachDataset(Args.of("path", f.toString(), "target", "progression", "timestamp", "visit_date"));
            s.prepareData(Args.empty());
            StepReport r = s.split(Args.of("strategy", "time"));
            Splitter.Plan p = plan(s);
            Dataset ds = dataset(s);
            assertDisjointAndComplete(p, ds.rows());
            assertEquals("visit_date", p.orderColumn());
            Column<?> ts = ds.table().column("visit_date");
            LocalDate[] maxes = new LocalDate[3], mins = new LocalDate[3];
            int[][] sets = {p.train(), p.validation(), p.test()};
            for (int k = 0; k < 3; k++)
                for (int row : sets[k]) {
                    LocalDate d = LocalDate.parse(ts.getString(row));
                    if (mins[k] == null || d.isBefore(mins[k])) mins[k] = d;
                    if (maxes[k] == null || d.isAfter(maxes[k])) maxes[k] = d;
                }
            assertTrue(maxes[0].isBefore(mins[1]), "train " + maxes[0] + " < validation " + mins[1]);
            assertTrue(maxes[1].isBefore(mins[2]), "validation " + maxes[1] + " < test " + mins[2]);
            assertTrue(r.body().get("sets").get("test").get("period").asText().contains(maxes[2].toString()));
            // the file order was shuffled: the split really sorted by the timestamp
            assertFalse(Arrays.equals(p.train(), Arrays.copyOfRange(TabularState.allRows(ds.rows()), 0, p.train().length)));
        }
    }

    @Test
    void timeSplitOnANumericOrderColumnAndOnRowOrder(@TempDir Path tmp) {
        try (Session s = session(tmp, "time-row", 4)) {
            s.attachDataset(Args.of("path", Assets.data("regression/diabetes.csv").toString(), "target", "progression"));
            s.prepareData(Args.empty());
            s.split(Args.of("strategy", "time", "order", "row"));
            Splitter.Plan p = plan(s);
            assertDisjointAndComplete(p, dataset(s).rows());
            assertTrue(p.train()[p.train().length - 1] < p.validation()[0]);
            assertTrue(p.validation()[p.validation().length - 1] < p.test()[0]);
        }
        try (Session s = session(tmp, "time-age", 4)) {
            s.attachDataset(Args.of("path", Assets.data("regression/diabetes.csv").toString(), "target", "progression"));
            s.prepareData(Args.empty());
            s.split(Args.of("strategy", "time", "order", "age"));
            Splitter.Plan p = plan(s);
            var age = dataset(s).table().numberColumn("age");
            double trMax = Arrays.stream(p.train()).mapToDouble(age::getDouble).max().orElseThrow();
            double vaMin = Arrays.stream(p.validation()).mapToDouble(age::getDouble).min().orElseThrow();
            double vaMax = Arrays.stream(p.validation()).mapToDouble(age::getDouble).max().orElseThrow();
            double teMin = Arrays.stream(p.test()).mapToDouble(age::getDouble).min().orElseThrow();
            assertTrue(trMax <= vaMin && vaMax <= teMin, "ordered by age (ties may straddle a boundary but never invert)");
        }
    }
}
