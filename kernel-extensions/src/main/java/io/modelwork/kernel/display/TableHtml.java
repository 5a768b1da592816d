package io.modelwork.kernel.display;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw table → HTML that fits the notebook: the table scrolls inside its own box (wide tables sideways; long
 * ones down, under a header that stays in place — a header table above the rows' scroll box with the same column
 * widths, since JupyterLab's sanitizer strips {@code position:sticky} from untrusted outputs), a long table shows one page of rows with the next rows folded in a
 * {@code <details>} below it (no script: it works untrusted, in JupyterLab, the classic Notebook and nbconvert), and
 * the caption states the full size ("rows 1–20 of 1,030 rows × 9 columns"); {@link #page(Table, int, int)} shows
 * any other page. Numbers are shown for people ({@link HumanNumbers}); {@code text/plain} keeps Tablesaw's text.
 */
public final class TableHtml {
    public static final int PAGE_SIZE = 20;
    /** Rows shown in the folded "next rows" part below the first page. */
    public static final int MORE_ROWS = 200;

    /** The box: scrolls sideways (header and rows together); the rows' box inside it scrolls down under the header. */
    static final String BOX = "max-width:100%;overflow-x:auto;overflow-y:hidden;border:1px solid rgba(128,128,128,0.3)";
    static final String BODY = "max-height:32em;overflow-y:auto;overflow-x:hidden";
    // only properties and values JupyterLab's sanitizer keeps in untrusted outputs (no var(), no position:sticky)
    static final String TH = "text-align:right;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;background-color:rgba(128,128,128,0.12)";
    static final String TD = "text-align:right;white-space:nowrap;overflow:hidden;text-overflow:ellipsis";
    /** Column widths: about this many em per character shown, at most {@link #MAX_COL_EM} (longer cells end in … with the full text as a tooltip). */
    static final double EM_PER_CHAR = 0.62;
    static final double MAX_COL_EM = 24;

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
        // a (name, value) table: the row's name says what the value is (a duration, a share, a count)
        boolean keyValue = cols == 2 && t.column(0).name().equalsIgnoreCase("name");
        String[][] raw = new String[to - from][cols], shown = new String[to - from][cols];
        double[] width = new double[cols];
        for (int c = 0; c < cols; c++) width[c] = t.column(c).name().length();
        for (int r = from; r < to; r++)
            for (int c = 0; c < cols; c++) {
                Column<?> col = t.column(c);
                String v = col.getString(r);
                raw[r - from][c] = v;
                shown[r - from][c] = HumanNumbers.cell(v, keyValue && c == 1 ? t.column(0).getString(r) : col.name());
                width[c] = Math.max(width[c], shown[r - from][c].length());
            }
        double total = 0;
        StringBuilder colgroup = new StringBuilder("<colgroup>");
        for (int c = 0; c < cols; c++) {
            width[c] = Math.min(MAX_COL_EM, Math.max(3, Math.round((width[c] * EM_PER_CHAR + 1.2) * 10) / 10.0));
            total += width[c];
            colgroup.append("<col style=\"width:").append(width[c]).append("em\">");
        }
        colgroup.append("</colgroup>");
        String tableStyle = "margin:0;table-layout:fixed;width:" + Math.round(total * 10) / 10.0 + "em";
        StringBuilder head = new StringBuilder("<tr>");
        for (String c : t.columnNames()) head.append("<th style=\"").append(TH).append("\" title=\"").append(Html.esc(c)).append("\">").append(Html.esc(c)).append("</th>");
        head.append("</tr>");

        StringBuilder sb = new StringBuilder();
        if (caption != null) sb.append("<div class=\"mw-caption\" style=\"font-size:90%;margin:2px 0\">").append(caption).append("</div>");
        sb.append("<div class=\"mw-table\" style=\"").append(BOX).append("\">");
        // the header: a table of its own above the rows' scroll box, so it stays in view when the rows scroll —
        // position:sticky would do the same, but JupyterLab's sanitizer drops it from untrusted outputs
        sb.append("<table class=\"mw-head\" aria-hidden=\"true\" style=\"").append(tableStyle).append("\">").append(colgroup)
                .append("<thead>").append(head).append("</thead></table>");
        sb.append("<div class=\"mw-body\" style=\"").append(BODY).append(";width:").append(Math.round((total + 1.2) * 10) / 10.0).append("em\">");
        sb.append("<table class=\"dataframe\" data-rows=\"").append(rows).append("\" data-columns=\"").append(cols)
                .append("\" style=\"").append(tableStyle).append("\">").append(colgroup);
        // the table's own header row, for readers of the HTML (nbconvert, screen readers), collapsed on screen
        sb.append("<thead style=\"visibility:collapse\">").append(head).append("</thead><tbody>");
        for (int r = 0; r < to - from; r++) {
            sb.append("<tr>");
            for (int c = 0; c < cols; c++) {
                String v = raw[r][c], w = shown[r][c];
                boolean cut = w.length() * EM_PER_CHAR + 1.2 > width[c];
                sb.append("<td style=\"").append(TD).append("\"").append(w.equals(v) && !cut ? "" : " title=\"" + Html.esc(v) + "\"")
                        .append(">").append(Html.esc(w)).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table></div></div>");
        return sb.toString();
    }

    static String size(int rows, int cols, int from, int to, int page, int pages) {
        String rc = String.format("%,d rows × %,d columns", rows, cols);
        if (pages <= 1) return rc;
        return String.format("rows %,d–%,d of %s (page %d of %d)", from + 1, to, rc, page + 1, pages);
    }
}
