package io.modelwork.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.*;
import tech.tablesaw.columns.Column;
import tech.tablesaw.selection.Selection;

import java.nio.file.Path;
import java.util.*;

/**
 * The {@code attach_dataset} step for tabular data: read the reference, resolve the schema, validate, profile and
 * fingerprint. Validation errors stop the step with a {@link ModelworkException} (nothing is attached); warnings are
 * kept in the report.
 */
public final class Attach {
    private Attach() {}

    public static final List<String> KEYS = List.of("path", "format", "query", "test_path", "target", "id", "group",
            "timestamp", "weight", "ignore", "types", "task", "drop_missing_target", "imbalance_threshold", "name",
            "query_file", "max_label", "max_columns", "encoding");

    /** The result: the dataset and its report (profile, validation, fingerprint). */
    public record Result(Dataset dataset, StepReport report) {}

    public static Result attach(Args args, Path baseDir) {
        String ref = args.requireString("path", "give the data: path=data.csv (CSV/TSV/libsvm/ARFF) or "
                + "path=jdbc:sqlite:file.db query=\"SELECT ...\"");
        TableReaders.Format format = TableReaders.detect(ref, args.getString("format", null));
        String resolvedRef = format == TableReaders.Format.JDBC ? ref : resolve(baseDir, ref).toString();

        Map<String, Role> roles = new LinkedHashMap<>();
        if (args.has("target")) roles.put(args.getString("target", null), Role.TARGET);
        for (String k : List.of("id", "group", "timestamp", "weight"))
            if (args.has(k)) roles.put(args.getString(k, null), Role.of(k));
        for (String c : args.getList("ignore")) roles.put(c, Role.IGNORE);
        Map<String, FieldType> types = new LinkedHashMap<>();
        args.getMap("types").forEach((k, v) -> types.put(k, FieldType.of(String.valueOf(v))));
        if (format == TableReaders.Format.LIBSVM && !roles.containsValue(Role.TARGET)) roles.put("label", Role.TARGET);

        TableReaders.Settings settings = TableReaders.Settings.of(args);
        Table loaded = TableReaders.read(resolvedRef, format, types, args.getString("query", null), settings);
        Table table = loaded;
        Table test = null;
        boolean queries = addQueryColumn(table, args.getString("query_file", resolvedRef + ".query"), resolvedRef, args.has("query_file"));
        if (args.has("test_path")) {
            String tp = resolve(baseDir, args.getString("test_path", null)).toString();
            test = TableReaders.read(tp, TableReaders.detect(tp, args.getString("format", null)), types, null, settings);
            if (queries && !addQueryColumn(test, tp + ".query", tp, true)) { }
            alignTest(table, test, tp);
        }
        if (queries) roles.put("qid", Role.GROUP);
        LinkedHashMap<String, FieldType> inferred = new LinkedHashMap<>();
        for (Column<?> c : table.columns()) inferred.put(c.name(), typeOf(c));
        Schema.Declaration decl = Schema.Declaration.of(roles, types);
        Schema schema = Schema.resolve(decl, inferred, resolvedRef);
        String target = schema.target().orElseThrow(() -> new ModelworkException("No target column given",
                resolvedRef, "add target=<column>; the columns are " + loaded.columnNames()));

        // declared numeric columns that Tablesaw read as text: name the first bad value
        for (Schema.Field f : schema.fields()) {
            if (f.type() == FieldType.NUMERIC && !(table.column(f.name()) instanceof NumericColumn<?>)) {
                double[] parsed = Dataset.numeric(table, f.name(), resolvedRef); // throws with the row
                table.replaceColumn(f.name(), DoubleColumn.create(f.name(), parsed));
            }
        }

        StepReport report = new StepReport("attach_dataset", "Dataset attached: " + Path.of(ref).getFileName());
        ArrayNode issues = Json.MAPPER.createArrayNode();

        // missing target values
        Column<?> tc = table.column(target);
        int missingTarget = tc.countMissing();
        if (missingTarget > 0) {
            int first = -1;
            for (int i = 0; i < tc.size(); i++) if (tc.isMissing(i)) { first = i; break; }
            if (!args.getBool("drop_missing_target", false))
                throw new ModelworkException("The target column '" + target + "' has " + missingTarget
                        + " missing value(s)", resolvedRef + ", column '" + target + "', first at row " + (first + 1)
                        + " (file line " + (first + 2) + ")",
                        "fill them, or attach with drop_missing_target=true to drop those rows");
            Selection keep = tc.isNotMissing();
            table = table.where(keep);
            issue(issues, "warning", "missing_target", target, first + 1, missingTarget
                    + " rows without a target were dropped (drop_missing_target=true)");
        }

        // infinities: an error in the target (naming the rows), reported per column in a feature
        nonFinite(table, schema, target, resolvedRef, issues);

        Dataset.Task task = inferTask(args, schema, table, target);
        Dataset ds = new Dataset(resolvedRef, table, test, schema, task);
        validate(ds, issues, args.getDouble("imbalance_threshold", 0.1), resolvedRef, args.getInt("max_label", 30));
        for (var n : issues) if (n.get("severity").asText().equals("warning")) report.note(n.get("message").asText());

        Table profile = profile(ds);
        report.body().set("dataset", ds.toJson());
        report.body().put("fingerprint", ds.fingerprint());
        report.body().set("profile", tableJson(profile));
        report.body().set("validation", issues);
        if (task == Dataset.Task.RANKING) {
            Table qp = queryProfile(ds);
            report.body().set("query_groups", tableJson(qp));
            report.table(profile).table(qp);
        } else if (task == Dataset.Task.CLASSIFICATION) {
            Table balance = classBalance(table, target);
            report.body().set("class_balance", tableJson(balance));
            report.table(profile).table(balance);
        } else report.table(profile);
        Table val = Table.create("Validation report");
        StringColumn sev = StringColumn.create("severity"), chk = StringColumn.create("check"),
                col = StringColumn.create("column"), msg = StringColumn.create("message");
        for (var n : issues) {
            sev.append(n.get("severity").asText()); chk.append(n.get("check").asText());
            col.append(n.path("column").asText("")); msg.append(n.get("message").asText());
        }
        if (issues.isEmpty()) { sev.append("ok"); chk.append("all"); col.append(""); msg.append("no problems found"); }
        val.addColumns(sev, chk, col, msg);
        report.table(val);
        return new Result(ds, report);
    }

    /**
     * Reads a LightGBM/SVMlight query file (one group size per line) and adds a {@code qid} column numbering the
     * queries. The sizes must add up to the row count.
     */
    static boolean addQueryColumn(Table t, String queryFile, String dataRef, boolean required) {
        Path q = Path.of(queryFile);
        if (!java.nio.file.Files.isRegularFile(q)) {
            if (required) throw new ModelworkException("The query file does not exist", queryFile,
                    "give query_file=<path> with one group size per line (defaults to <data>.query)");
            return false;
        }
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(q);
        } catch (java.io.IOException e) {
            throw new ModelworkException("Cannot read the query file: " + e.getMessage(), queryFile, "check the file");
        }
        int[] qid = new int[t.rowCount()];
        int row = 0, query = 0;
        for (int ln = 0; ln < lines.size(); ln++) {
            String s = lines.get(ln).trim();
            if (s.isEmpty()) continue;
            int size;
            try {
                size = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new ModelworkException("A query file line must be a group size, found '" + s + "'", queryFile + ":" + (ln + 1),
                        "write one positive integer per line");
            }
            if (size <= 0) throw new ModelworkException("A query group size must be positive, found " + size,
                    queryFile + ":" + (ln + 1), "remove empty groups");
            for (int k = 0; k < size; k++) {
                if (row >= qid.length)
                    throw new ModelworkException("The query file's group sizes add up to more than the " + t.rowCount()
                            + " rows of the data", queryFile + ":" + (ln + 1) + " (data " + dataRef + ")",
                            "the sizes must sum to the data's row count; check that the query file belongs to this data file");
                qid[row++] = query;
            }
            query++;
        }
        if (row != qid.length)
            throw new ModelworkException("The query file's group sizes add up to " + row + ", but the data has "
                    + qid.length + " rows", queryFile + " (data " + dataRef + ")",
                    "the sizes must sum to the data's row count; check that the query file belongs to this data file");
        t.addColumns(IntColumn.create("qid", qid));
        return true;
    }

    private static Path resolve(Path base, String ref) {
        Path p = Path.of(ref);
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }

    private static void alignTest(Table train, Table test, String where) {
        // libsvm files may differ in their highest index: pad the narrower one with zero columns
        for (String c : train.columnNames())
            if (!test.containsColumn(c)) {
                if (train.column(c) instanceof NumericColumn<?>) test.addColumns(DoubleColumn.create(c, new double[test.rowCount()]));
                else throw new ModelworkException("The test file lacks column '" + c + "'", where,
                        "give the test file the same columns as the training file");
            }
        boolean added = false;
        for (String c : test.columnNames())
            if (!train.containsColumn(c)) { train.addColumns(DoubleColumn.create(c, new double[train.rowCount()])); added = true; }
        // libsvm feature columns f<index> in index order (an index only the test file uses was appended at the end)
        List<String> order = new ArrayList<>(train.columnNames());
        List<String> features = order.stream().filter(n -> n.matches("f\\d+")).sorted(
                Comparator.comparingLong(n -> Long.parseLong(n.substring(1)))).toList();
        if (added && !features.isEmpty()) {
            List<String> rest = order.stream().filter(n -> !n.matches("f\\d+")).toList();
            order = new ArrayList<>(rest);
            order.addAll(features);
            reorder(train, order);
        }
        reorder(test, train.columnNames());
    }

    /** Puts the columns of {@code t} in {@code order}, in place (Tablesaw's reorderColumns returns a new table). */
    private static void reorder(Table t, List<String> order) {
        if (t.columnNames().equals(order)) return;
        List<Column<?>> cols = new ArrayList<>();
        for (String n : order) cols.add(t.column(n));
        t.removeColumns(t.columnNames().toArray(new String[0]));
        t.addColumns(cols.toArray(new Column<?>[0]));
    }

    static FieldType typeOf(Column<?> c) {
        ColumnType t = c.type();
        if (t == ColumnType.DOUBLE || t == ColumnType.INTEGER || t == ColumnType.LONG || t == ColumnType.FLOAT
                || t == ColumnType.SHORT) return FieldType.NUMERIC;
        if (t == ColumnType.BOOLEAN) return FieldType.BOOLEAN;
        if (t == ColumnType.LOCAL_DATE || t == ColumnType.LOCAL_DATE_TIME || t == ColumnType.INSTANT
                || t == ColumnType.LOCAL_TIME) return FieldType.TIMESTAMP;
        return FieldType.CATEGORICAL;
    }

    static Dataset.Task inferTask(Args args, Schema schema, Table table, String target) {
        if (args.has("task")) {
            Dataset.Task t = args.getEnum("task", Dataset.Task.class, null);
            if (t == Dataset.Task.RANKING && schema.single(Role.GROUP).isEmpty())
                throw new ModelworkException("A ranking dataset needs a query id column", "attach_dataset task=ranking",
                        "add group=<query id column>, or a libsvm file with a .query file next to it");
            return t;
        }
        if (schema.single(Role.GROUP).isPresent() && schema.has("qid") && schema.field("qid").role() == Role.GROUP)
            return Dataset.Task.RANKING;
        FieldType tt = schema.field(target).type();
        if (tt != FieldType.NUMERIC) return Dataset.Task.CLASSIFICATION;
        double[] y = Dataset.numeric(table, target, "target");
        Set<Double> distinct = new HashSet<>();
        for (double v : y) {
            if (Double.isNaN(v)) continue;
            if (v != Math.rint(v)) return Dataset.Task.REGRESSION;
            distinct.add(v);
            if (distinct.size() > 10) return Dataset.Task.REGRESSION;
        }
        return Dataset.Task.CLASSIFICATION;
    }

    /**
     * Infinite values: in the target an error naming the first rows (a model cannot learn or be scored on them); in a
     * numeric feature a warning per column with the count and the first row (NaN is a missing value and is counted as
     * missing in the profile).
     */
    static void nonFinite(Table table, Schema schema, String target, String where, ArrayNode issues) {
        for (Schema.Field f : schema.fields()) {
            if (f.role() == Role.IGNORE || !(table.column(f.name()) instanceof NumericColumn<?> nc)) continue;
            List<Integer> rows = new ArrayList<>();
            int count = 0;
            for (int i = 0; i < nc.size(); i++) {
                if (nc.isMissing(i)) continue;
                if (Double.isInfinite(nc.getDouble(i))) { count++; if (rows.size() < 5) rows.add(i + 1); }
            }
            if (count == 0) continue;
            String rowText = rows.toString().replaceAll("[\\[\\]]", "") + (count > rows.size() ? ", ..." : "");
            if (f.name().equals(target))
                throw new ModelworkException("The target column '" + target + "' has " + count + " infinite value(s)",
                        where + ", column '" + target + "', rows " + rowText + " (file line = row + 1)",
                        "fix or remove those rows; a target must be a finite number (or a class label)");
            issue(issues, "warning", "non_finite", f.name(), rows.get(0), "column '" + f.name() + "' has " + count
                    + " infinite value(s) (rows " + rowText + "); it was read as numeric");
        }
    }

    private static void issue(ArrayNode issues, String severity, String check, String column, int row, String message) {
        ObjectNode o = issues.addObject();
        o.put("severity", severity);
        o.put("check", check);
        if (column != null) o.put("column", column);
        if (row > 0) o.put("row", row);
        o.put("message", message);
    }

    static void validate(Dataset ds, ArrayNode issues, double imbalanceThreshold, String where, int maxLabel) {
        Table t = ds.table();
        Schema s = ds.schema();
        for (Schema.Field f : s.fields()) {
            Column<?> c = t.column(f.name());
            if (f.role() == Role.IGNORE) continue;
            int missing = c.countMissing();
            if (missing == c.size()) {
                issue(issues, "warning", "all_missing", f.name(), 0, "column '" + f.name() + "' has no values");
                continue;
            }
            if (f.role() == Role.FEATURE && c.countUnique() - (missing > 0 ? 1 : 0) <= 1)
                issue(issues, "warning", "constant_column", f.name(), 0, "column '" + f.name()
                        + "' is constant (prepare_data select=variance drops it)");
            if (f.type() == FieldType.CATEGORICAL && c instanceof StringColumn sc) {
                int numeric = 0, bad = -1;
                for (int i = 0; i < sc.size(); i++) {
                    if (sc.isMissing(i)) continue;
                    try { Double.parseDouble(sc.get(i).trim()); numeric++; } catch (NumberFormatException e) { if (bad < 0) bad = i; }
                }
                int present = sc.size() - missing;
                if (bad >= 0 && numeric >= 0.9 * present)
                    issue(issues, "warning", "wrong_type", f.name(), bad + 1, "column '" + f.name() + "' is numeric "
                            + "except value '" + sc.get(bad) + "' at row " + (bad + 1) + "; it was read as categorical");
            }
        }
        for (String id : s.names(Role.ID)) {
            Column<?> c = t.column(id);
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < c.size(); i++) {
                String v = c.getString(i);
                Integer prev = seen.put(v, i);
                if (prev != null)
                    throw new ModelworkException("Duplicate id '" + v + "' in id column '" + id + "'",
                            where + ", rows " + (prev + 1) + " and " + (i + 1),
                            "make the id column unique, or attach without id=" + id);
            }
        }
        if (ds.task() == Dataset.Task.RANKING) validateRanking(ds, issues, where, maxLabel);
        if (ds.task() == Dataset.Task.CLASSIFICATION) {
            Table bal = classBalance(t, ds.target());
            if (bal.rowCount() < 2)
                throw new ModelworkException("The target '" + ds.target() + "' has a single class", where,
                        "classification needs at least two classes; check the target column or the query");
            double minShare = bal.doubleColumn("share").min();
            if (minShare < imbalanceThreshold)
                issue(issues, "warning", "class_imbalance", ds.target(), 0, String.format(Locale.ROOT,
                        "class imbalance: the smallest class holds %.1f%% of the rows (consider class_weight=balanced)",
                        100 * minShare));
        }
    }

    static void validateRanking(Dataset ds, ArrayNode issues, String where, int maxLabel) {
        double[] y = Dataset.numeric(ds.table(), ds.target(), where);
        for (int i = 0; i < y.length; i++)
            if (y[i] < 0 || y[i] > maxLabel || y[i] != Math.rint(y[i]))
                throw new ModelworkException("Relevance label " + y[i] + " is outside 0.." + maxLabel + " or not an integer",
                        where + ", column '" + ds.target() + "', row " + (i + 1),
                        "use integer relevance grades 0.." + maxLabel + " (raise max_label= if you need more)");
        String g = ds.schema().single(Role.GROUP).orElseThrow();
        Map<String, int[]> q = new LinkedHashMap<>();
        String[] gs = Dataset.strings(ds.table(), g);
        for (int i = 0; i < gs.length; i++) {
            int[] c = q.computeIfAbsent(gs[i], k -> new int[2]);
            c[0]++;
            if (y[i] > 0) c[1]++;
        }
        long single = q.values().stream().filter(c -> c[0] == 1).count();
        long noRelevant = q.values().stream().filter(c -> c[1] == 0).count();
        if (single > 0) issue(issues, "warning", "single_document_query", g, 0, single
                + " queries have a single document (they carry no ranking signal)");
        if (noRelevant > 0) issue(issues, "warning", "no_relevant_document", g, 0, noRelevant
                + " queries have no relevant document (NDCG counts them as 1, as LightGBM does)");
    }

    /** Query groups: count, documents per query, label distribution, queries without a relevant document. */
    public static Table queryProfile(Dataset ds) {
        String g = ds.schema().single(Role.GROUP).orElseThrow();
        String[] gs = Dataset.strings(ds.table(), g);
        double[] y = Dataset.numeric(ds.table(), ds.target(), ds.ref());
        Map<String, int[]> q = new LinkedHashMap<>();
        TreeMap<Integer, Integer> labels = new TreeMap<>();
        for (int i = 0; i < gs.length; i++) {
            int[] c = q.computeIfAbsent(gs[i], k -> new int[2]);
            c[0]++;
            if (y[i] > 0) c[1]++;
            labels.merge((int) y[i], 1, Integer::sum);
        }
        IntSummaryStatistics docs = q.values().stream().mapToInt(c -> c[0]).summaryStatistics();
        Table t = Table.create("Query groups");
        StringColumn k = StringColumn.create("statistic"), v = StringColumn.create("value");
        k.append("queries"); v.append(Integer.toString(q.size()));
        k.append("documents per query (min / mean / max)"); v.append(docs.getMin() + " / " + String.format(Locale.ROOT, "%.1f", docs.getAverage()) + " / " + docs.getMax());
        k.append("label distribution"); v.append(labels.toString());
        k.append("queries with no relevant document"); v.append(Long.toString(q.values().stream().filter(c -> c[1] == 0).count()));
        k.append("queries with a single document"); v.append(Long.toString(q.values().stream().filter(c -> c[0] == 1).count()));
        t.addColumns(k, v);
        return t;
    }

    public static Table classBalance(Table t, String target) {
        Column<?> c = t.column(target);
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < c.size(); i++) if (!c.isMissing(i)) counts.merge(label(c, i), 1, Integer::sum);
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        Table out = Table.create("Class balance of " + target);
        StringColumn cls = StringColumn.create("class");
        IntColumn n = IntColumn.create("count");
        DoubleColumn share = DoubleColumn.create("share");
        counts.forEach((k, v) -> { cls.append(k); n.append(v); share.append((double) v / total); });
        out.addColumns(cls, n, share);
        return out;
    }

    /** Canonical class label text (1.0 → "1"). */
    public static String label(Column<?> c, int i) {
        if (c instanceof NumericColumn<?> nc) {
            double v = nc.getDouble(i);
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
        return c.getString(i);
    }

    /** Per column: role, type, missing, distinct, min, max, mean, std, quartiles or top values. */
    public static Table profile(Dataset ds) {
        Table t = ds.table();
        StringColumn name = StringColumn.create("column"), role = StringColumn.create("role"),
                type = StringColumn.create("type"), top = StringColumn.create("top_values");
        IntColumn missing = IntColumn.create("missing"), distinct = IntColumn.create("distinct");
        DoubleColumn min = DoubleColumn.create("min"), max = DoubleColumn.create("max"), mean = DoubleColumn.create("mean"),
                std = DoubleColumn.create("std"), q25 = DoubleColumn.create("p25"), q50 = DoubleColumn.create("p50"),
                q75 = DoubleColumn.create("p75");
        for (Schema.Field f : ds.schema().fields()) {
            Column<?> c = t.column(f.name());
            name.append(f.name()); role.append(f.role().key()); type.append(f.type().key());
            missing.append(c.countMissing());
            distinct.append(c.countUnique() - (c.countMissing() > 0 ? 1 : 0));
            if (c instanceof NumericColumn<?> nc && f.type() == FieldType.NUMERIC) {
                double[] v = Arrays.stream(nc.asDoubleArray()).filter(d -> !Double.isNaN(d)).sorted().toArray();
                if (v.length == 0) {
                    min.appendMissing(); max.appendMissing(); mean.appendMissing(); std.appendMissing();
                    q25.appendMissing(); q50.appendMissing(); q75.appendMissing();
                } else {
                    double m = Arrays.stream(v).average().orElse(Double.NaN);
                    double ss = 0;
                    for (double d : v) ss += (d - m) * (d - m);
                    min.append(v[0]); max.append(v[v.length - 1]); mean.append(m);
                    std.append(v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0);
                    q25.append(quantile(v, 0.25)); q50.append(quantile(v, 0.5)); q75.append(quantile(v, 0.75));
                }
                top.append("");
            } else {
                min.appendMissing(); max.appendMissing(); mean.appendMissing(); std.appendMissing();
                q25.appendMissing(); q50.appendMissing(); q75.appendMissing();
                Map<String, Integer> counts = new HashMap<>();
                for (int i = 0; i < c.size(); i++) if (!c.isMissing(i)) counts.merge(label(c, i), 1, Integer::sum);
                top.append(counts.entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                        .limit(5).map(e -> e.getKey() + " (" + e.getValue() + ")").reduce((a, b) -> a + ", " + b).orElse(""));
            }
        }
        Table out = Table.create("Profile (" + t.rowCount() + " rows × " + t.columnCount() + " columns)");
        out.addColumns(name, role, type, missing, distinct, min, max, mean, std, q25, q50, q75, top);
        return out;
    }

    /** Linear interpolation between closest ranks (numpy's default), on sorted values. */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) return sorted[0];
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** A Tablesaw table as a JSON array of row objects. */
    public static ArrayNode tableJson(Table t) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (int r = 0; r < t.rowCount(); r++) {
            ObjectNode o = rows.addObject();
            for (Column<?> c : t.columns()) {
                if (c.isMissing(r)) o.putNull(c.name());
                else if (c instanceof NumericColumn<?> nc) o.put(c.name(), nc.getDouble(r));
                else o.put(c.name(), c.getString(r));
            }
        }
        return rows;
    }
}
