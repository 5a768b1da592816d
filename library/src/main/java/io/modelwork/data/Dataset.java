package io.modelwork.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import tech.tablesaw.api.*;
import tech.tablesaw.columns.Column;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.*;

/**
 * A tabular dataset: the content (a Tablesaw {@link Table}, numbers held in primitive column arrays), its resolved
 * {@link Schema}, and what {@code attach_dataset} derives: a {@link #fingerprint()}, a profile and a validation
 * report. An optional predefined test table (e.g. a separate libsvm test file) travels with it.
 */
public final class Dataset {
    public enum Task { REGRESSION, CLASSIFICATION, RANKING }

    private final String ref;
    private final Table table;
    private final Table testTable;
    private final Schema schema;
    private final Task task;
    private final String fingerprint;

    public Dataset(String ref, Table table, Table testTable, Schema schema, Task task) {
        this.ref = ref;
        this.table = table;
        this.testTable = testTable;
        this.schema = schema;
        this.task = task;
        this.fingerprint = computeFingerprint(table, testTable, schema);
    }

    public String ref() { return ref; }

    public Table table() { return table; }

    /** A predefined test set, or {@code null}. */
    public Table testTable() { return testTable; }

    public Schema schema() { return schema; }

    public Task task() { return task; }

    public int rows() { return table.rowCount(); }

    public String target() {
        return schema.target().orElseThrow(() -> new ModelworkException("The dataset has no target column", ref,
                "attach it with target=<column>"));
    }

    /** SHA-256 over the schema's canonical form and every value, column by column (hex). */
    public String fingerprint() { return fingerprint; }

    /**
     * The fingerprint: SHA-256 over the canonical schema text, then per column its name and values (numbers as
     * IEEE-754 big-endian doubles with one canonical NaN for missing; text as UTF-8, missing as a marker). It depends
     * only on content, order and schema, so it is the same on every machine and run.
     */
    static String computeFingerprint(Table t, Table test, Schema schema) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(schema.canonical().getBytes(StandardCharsets.UTF_8));
            for (Table part : test == null ? List.of(t) : List.of(t, test)) {
                md.update(("rows=" + part.rowCount() + "\n").getBytes(StandardCharsets.UTF_8));
                ByteBuffer buf = ByteBuffer.allocate(8 * 4096);
                for (Column<?> c : part.columns()) {
                    md.update(("col=" + c.name() + "\n").getBytes(StandardCharsets.UTF_8));
                    if (c instanceof NumericColumn<?> nc) {
                        for (int i = 0; i < nc.size(); i++) {
                            double v = nc.isMissing(i) ? Double.NaN : nc.getDouble(i);
                            buf.putLong(Double.isNaN(v) ? 0x7ff8000000000000L : Double.doubleToLongBits(v == 0.0 ? 0.0 : v));
                            if (!buf.hasRemaining()) { buf.flip(); md.update(buf); buf.clear(); }
                        }
                        buf.flip(); md.update(buf); buf.clear();
                    } else {
                        for (int i = 0; i < c.size(); i++) {
                            if (c.isMissing(i)) md.update((byte) 0);
                            else {
                                md.update(c.getString(i).getBytes(StandardCharsets.UTF_8));
                                md.update((byte) 1);
                            }
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The values of a column as doubles (missing → NaN). Non-numeric columns are an error naming the row. */
    public static double[] numeric(Table t, String column, String source) {
        Column<?> c = t.column(column);
        int n = c.size();
        double[] out = new double[n];
        if (c instanceof NumericColumn<?> nc) {
            for (int i = 0; i < n; i++) out[i] = nc.isMissing(i) ? Double.NaN : nc.getDouble(i);
            return out;
        }
        if (c instanceof BooleanColumn bc) {
            for (int i = 0; i < n; i++) out[i] = bc.isMissing(i) ? Double.NaN : (bc.get(i) ? 1 : 0);
            return out;
        }
        for (int i = 0; i < n; i++) {
            if (c.isMissing(i)) { out[i] = Double.NaN; continue; }
            String s = c.getString(i).trim();
            try {
                out[i] = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new ModelworkException("Non-numeric value '" + s + "' in numeric column '" + column + "'",
                        source + ", column '" + column + "', row " + (i + 1) + " (file line " + (i + 2) + ")",
                        "fix or blank that value (blank = missing), or declare the column categorical: types="
                                + column + ":categorical");
            }
        }
        return out;
    }

    /** The values of a column as strings (missing → null). */
    public static String[] strings(Table t, String column) {
        Column<?> c = t.column(column);
        String[] out = new String[c.size()];
        for (int i = 0; i < out.length; i++) out[i] = c.isMissing(i) ? null : c.getString(i);
        return out;
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("ref", ref);
        o.put("rows", table.rowCount());
        o.put("columns", table.columnCount());
        if (testTable != null) o.put("test_rows", testTable.rowCount());
        o.put("task", task.name().toLowerCase(Locale.ROOT));
        o.put("fingerprint", fingerprint);
        o.set("schema", schema.toJson());
        return o;
    }
}
