package io.modelwork.report;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Map;

/** Small Tablesaw helpers shared by the workflows' reports. */
public final class Tables {
    private Tables() { }

    /** A two-column (name, value) table of a map, in the map's order; values are shown with {@code String.valueOf}. */
    public static Table keyValues(String title, Map<String, ?> m) {
        Table t = Table.create(title);
        StringColumn k = StringColumn.create("name"), v = StringColumn.create("value");
        m.forEach((a, b) -> { k.append(a); v.append(String.valueOf(b)); });
        t.addColumns(k, v);
        return t;
    }
}
