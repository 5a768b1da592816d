package io.modelwork.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import tech.tablesaw.api.Table;

import java.util.List;

/**
 * What every step returns: a title, a JSON form (written to {@code reports/<step>.json}), and the same content as
 * tables, charts and an error gallery for the kernel to render. {@link #toText()} is the {@code text/plain} form.
 */
public interface Report {
    /** snake_case step name, e.g. {@code evaluate}. */
    String step();

    String title();

    /** The report as JSON (the outputs SPEC.md names for the step). */
    ObjectNode toJson();

    /** Named tables (Tablesaw), in display order. */
    default List<Table> tables() { return List.of(); }

    /** Charts as data, in display order. */
    default List<Chart> charts() { return List.of(); }

    /** Worst cases for the error gallery. */
    default List<GalleryItem> gallery() { return List.of(); }

    /** Human-readable lines (warnings, fallbacks, notes) shown above the tables. */
    default List<String> notes() { return List.of(); }

    /** Plain-text form. */
    default String toText() {
        StringBuilder sb = new StringBuilder(title()).append('\n');
        for (String n : notes()) sb.append("  ! ").append(n).append('\n');
        for (Table t : tables()) sb.append(t.printAll()).append('\n');
        if (tables().isEmpty()) sb.append(io.modelwork.core.Json.write(toJson())).append('\n');
        return sb.toString();
    }
}
