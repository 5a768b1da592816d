package io.modelwork.kernel.display;

import tech.tablesaw.api.Table;

/**
 * Tablesaw table → HTML. Large tables are paged: one page of rows is shown and the caption states the full size
 * ("rows 1–20 of 1,030 · 9 columns"); {@link #page(Table, int, int)} shows any other page.
 */
public final class TableHtml {
    public static final int PAGE_SIZE = 20;

    private TableHtml() {}

    public static String html(Table t) { return page(t, 0, PAGE_SIZE); }

    /** Page {@code page} (0-based) of {@code pageSize} rows. */
    public static String page(Table t, int page, int pageSize) {
        int rows = t.rowCount(), cols = t.columnCount();
        int pages = Math.max(1, (rows + pageSize - 1) / pageSize);
        int p = Math.max(0, Math.min(page, pages - 1));
        int from = p * pageSize, to = Math.min(rows, from + pageSize);
        StringBuilder sb = new StringBuilder();
        sb.append("<div class=\"mw-table\">");
        sb.append("<table class=\"dataframe\" data-rows=\"").append(rows).append("\" data-columns=\"").append(cols).append("\">");
        String name = t.name() == null ? "" : t.name();
        sb.append("<caption style=\"caption-side:top;text-align:left\">");
        if (!name.isBlank()) sb.append("<b>").append(Html.esc(name)).append("</b> · ");
        sb.append(size(rows, cols, from, to, p, pages)).append("</caption>");
        sb.append("<thead><tr>");
        for (String c : t.columnNames()) sb.append("<th>").append(Html.esc(c)).append("</th>");
        sb.append("</tr></thead><tbody>");
        for (int r = from; r < to; r++) {
            sb.append("<tr>");
            for (int c = 0; c < cols; c++) sb.append("<td>").append(Html.esc(t.column(c).getString(r))).append("</td>");
            sb.append("</tr>");
        }
        sb.append("</tbody></table></div>");
        return sb.toString();
    }

    static String size(int rows, int cols, int from, int to, int page, int pages) {
        String rc = String.format("%,d rows × %,d columns", rows, cols);
        if (pages <= 1) return rc;
        return String.format("rows %,d–%,d of %s (page %d of %d)", from + 1, to, rc, page + 1, pages);
    }
}
