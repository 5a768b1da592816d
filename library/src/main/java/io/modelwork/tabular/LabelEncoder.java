package io.modelwork.tabular;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.data.Attach;
import io.modelwork.data.Dataset;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.*;

/**
 * Maps the target to numbers: class labels (sorted, as text) to 0..k-1 for classification (the {@code label_map}),
 * identity for regression.
 */
public final class LabelEncoder {
    private final Dataset.Task task;
    private final List<String> classes;

    private LabelEncoder(Dataset.Task task, List<String> classes) {
        this.task = task;
        this.classes = classes;
    }

    public static LabelEncoder fit(Dataset ds) {
        if (ds.task() != Dataset.Task.CLASSIFICATION) return new LabelEncoder(ds.task(), List.of());
        Column<?> c = ds.table().column(ds.target());
        TreeSet<String> s = new TreeSet<>(LabelEncoder::compareLabels);
        for (int i = 0; i < c.size(); i++) if (!c.isMissing(i)) s.add(Attach.label(c, i));
        return new LabelEncoder(ds.task(), List.copyOf(s));
    }

    /** Numeric labels sort numerically (so 0/1 stay 0/1), others alphabetically. */
    static int compareLabels(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }

    public Dataset.Task task() { return task; }

    public List<String> classes() { return classes; }

    public int numClasses() { return task != Dataset.Task.CLASSIFICATION ? 1 : classes.size(); }

    public double[] encode(Table t, String target, int[] rows, String source) {
        double[] y = new double[rows.length];
        if (task != Dataset.Task.CLASSIFICATION) {
            double[] all = Dataset.numeric(t, target, source);
            for (int i = 0; i < rows.length; i++) y[i] = all[rows[i]];
            return y;
        }
        Column<?> c = t.column(target);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) index.put(classes.get(i), i);
        for (int i = 0; i < rows.length; i++) {
            if (c.isMissing(rows[i]))
                throw new ModelworkException("Missing target value", source + ", row " + (rows[i] + 1),
                        "fill the target or attach with drop_missing_target=true");
            Integer k = index.get(Attach.label(c, rows[i]));
            if (k == null)
                throw new ModelworkException("Unseen class '" + Attach.label(c, rows[i]) + "' in the target", source
                        + ", row " + (rows[i] + 1), "the classes known from the training data are " + classes);
            y[i] = k;
        }
        return y;
    }

    public String decode(int k) { return task != Dataset.Task.CLASSIFICATION ? "" : classes.get(k); }

    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("task", task.name().toLowerCase(Locale.ROOT));
        ObjectNode m = o.putObject("classes");
        for (int i = 0; i < classes.size(); i++) m.put(Integer.toString(i), classes.get(i));
        return o;
    }

    public static LabelEncoder fromJson(JsonNode o) {
        Dataset.Task task = Dataset.Task.valueOf(o.get("task").asText().toUpperCase(Locale.ROOT));
        List<String> classes = new ArrayList<>();
        JsonNode m = o.get("classes");
        for (int i = 0; i < m.size(); i++) classes.add(m.get(Integer.toString(i)).asText());
        return new LabelEncoder(task, classes);
    }
}
