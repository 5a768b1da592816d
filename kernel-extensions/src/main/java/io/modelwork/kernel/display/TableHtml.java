package io.modelwork.kernel.display;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw table → HTML that fits the notebook: the table scrolls inside its own box (wide tables sideways, with a
 * header that stays in place), a long table shows one page of rows with the next rows folded in a
 * {@code <details>} below it (no script: it works untrusted, in JupyterLab, the classic Notebook and nbconvert), and
 * the caption states the full size ("rows 1–20 of 1,030 rows × 9 columns"); {@link #page(Table, int, int)} shows
 * any other page. Numbers are shown for people ({@link HumanNumbers}); {@code text/plain} keeps Tablesaw's text.
 */
public final class TableHtml {
    public static final int PAGE_SIZE = 20;
    /** Rows shown in the folded "next rows" part below the first page. */
    public static final int MORE_ROWS = 200;

    static final String BOX = "max-width:100%;overflow:auto;max-height:32em;border:1px solid rgba(128,128,128,0.3)";
    static final String TH = "position:sticky;top:0;z-index:1;background:var(--jp-layout-color1,#f7f7f7);text-align:right";
    static final String TD = "text-align:right;white-space:nowrap";

    private TableHtml() {}

    public static String html(Table t) {
        String first = page(t, 0, PAGE_SIZE);
        int rows = t.rowCount();
        if (rows <= PAGE_SIZE) return first;
        int to = Math.min(rows, PAGE_SIZE + MORE_ROWS);
        StringBuilder sb = new StringBuilder(first);
        sb.append("<details class=\"mw-more\"><summary>next rows: ").append(String.format("%,d–%,d of %,d", PAGE_SIZE + 1, to, rows))
                .append(to < rows ? " (page(table, n) shows any page)" : "").append("</summary>");
        sb.append(rows(t, PAGE_SIZE, to, null)).append("</details>");
        return sb.toString();
    }

    /** Page {@code page} (0-based) of {@code pageSize} rows. */
    public static String page(Table t, int page, int pageSize) {
        int rows = t.rowCount(), cols = t.columnCount();
        int pages = Math.max(1, (rows + pageSize - 1) / pageSize);
        int p = Math.max(0, Math.min(page, pages - 1));
        int from = p * pageSize, to = Math.min(rows, from + pageSize);
        String name = t.name() == null ? "" : t.name();
        String caption = (name.isBlank() ? "" : "<b>" + Html.esc(name) + "</b> · ") + size(rows, cols, from, to, p, pages);
        return rows(t, from, to, caption);
    }

    private static String rows(Table t, int from, int to, String caption) {
        int rows = t.rowCount(), cols = t.columnCount();
        StringBuilder sb = new StringBuilder();
        if (caption != null) sb.append("<div class=\"mw-caption\" style=\"font-size:90%;margin:2px 0\">").append(caption).append("</div>");
        sb.append("<div class=\"mw-table\" style=\"").append(BOX).append("\">");
        sb.append("<table class=\"dataframe\" data-rows=\"").append(rows).append("\" data-columns=\"").append(cols)
                .append("\" style=\"margin:0\">");
        sb.append("<thead><tr>");
        for (String c : t.columnNames()) sb.append("<th style=\"").append(TH).append("\">").append(Html.esc(c)).append("</th>");
        sb.append("</tr></thead><tbody>");
        // a (name, value) table: the row's name says what the value is (a duration, a share, a count)
        boolean keyValue = cols == 2 && t.column(0).name().equalsIgnoreCase("name");
        for (int r = from; r < to; r++) {
            sb.append("<tr>");
            for (int c = 0; c < cols; c++) {
                Column<?> col = t.column(c);
                String hint = keyValue && c == 1 ? t.column(0).getString(r) : col.name();
                String raw = col.getString(r);
                String shown = HumanNumbers.cell(raw, hint);
                sb.append("<td style=\"").append(TD).append("\"").append(shown.equals(raw) ? "" : " title=\"" + Html.esc(raw) + "\"")
                        .append(">").append(Html.esc(shown)).append("</td>");
            }
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
