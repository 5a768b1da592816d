package io.modelwork.data;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps a numeric column numeric when it holds non-finite values. Tablesaw's type inference does not know
 * {@code inf}/{@code -inf}/{@code Infinity}, so one such value turned the whole column into text (a target became a
 * classification with hundreds of "classes", a feature a categorical). A text column whose every present value is a
 * number or an infinity is read here as a number column; {@code NaN} is a missing value (as for every reader). Which
 * columns hold infinities is reported by attach_dataset.
 */
final class NumericText {
    private NumericText() {}

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    /** ±Infinity for an infinity token ({@code inf}, {@code -Inf}, {@code +infinity}, ...), else null. */
    static Double infinity(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        boolean neg = t.startsWith("-");
        if (neg || t.startsWith("+")) t = t.substring(1);
        if (t.equals("inf") || t.equals("infinity")) return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        return null;
    }

    static Table repair(Table t, Map<String, FieldType> declared) {
        for (int c = 0; c < t.columnCount(); c++) {
            Column<?> col = t.column(c);
            if (!(col instanceof StringColumn sc)) continue;
            FieldType d = declared.get(col.name());
            if (d == FieldType.CATEGORICAL || d == FieldType.TEXT || d == FieldType.BOOLEAN) continue;
            double[] v = new double[sc.size()];
            boolean numeric = true, anyInf = false;
            for (int i = 0; i < v.length && numeric; i++) {
                if (sc.isMissing(i)) { v[i] = Double.NaN; continue; }
                String s = sc.get(i).trim();
                Double inf = infinity(s);
                if (inf != null) { v[i] = inf; anyInf = true; }
                else if (NUMBER.matcher(s).matches()) v[i] = Double.parseDouble(s);
                else numeric = false;
            }
            if (numeric && anyInf) t.replaceColumn(c, DoubleColumn.create(col.name(), v));
        }
        return t;
    }
}
