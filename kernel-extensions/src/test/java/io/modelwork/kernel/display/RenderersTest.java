package io.modelwork.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.Report;
import io.modelwork.report.StepReport;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class RenderersTest {
    static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    static Table big(int rows) {
        return Table.create("big", IntColumn.create("i", IntStream.range(0, rows).toArray()),
                DoubleColumn.create("x", IntStream.range(0, rows).mapToDouble(i -> i * 0.5).toArray()),
                StringColumn.create("s", IntStream.range(0, rows).mapToObj(i -> "<r" + i + ">").toArray(String[]::new)));
    }

    static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) n++;
        return n;
    }

    @Test
    void smallTableShowsAllRowsAndItsSize() {
        String html = TableHtml.html(big(5));
        assertEquals(5 + 2, count(html, "<tr>"), "the rows, the header above the scroll box and the table's own (collapsed) header");
        assertTrue(html.contains("5 rows × 3 columns"), html);
        assertTrue(html.contains("&lt;r4&gt;"), "cells are escaped");
    }

    @Test
    void largeTableIsPagedAndStatesTheFullSize() {
        Table t = big(1030);
        String html = TableHtml.html(t);
        String first = html.substring(0, html.indexOf("<details"));
        assertEquals(TableHtml.PAGE_SIZE + 2, count(first, "<tr>"));
        assertTrue(html.contains("rows 1–20 of 1,030 rows × 3 columns (page 1 of 52)"), html);
        // the next rows are folded below the first page (no script: works untrusted and in nbconvert)
        assertTrue(html.contains("next rows: 21–220 of 1,030"), html);
        assertEquals(TableHtml.PAGE_SIZE + TableHtml.MORE_ROWS + 4, count(html, "<tr>"));
        // the table scrolls in its own box and its header stays in place: a header table above the rows' scroll box
        assertTrue(html.contains("class=\"mw-head\"") && html.contains("max-height:32em;overflow-y:auto"), html);
        survivesJupyterLabsSanitizer(html);
        String last = TableHtml.page(t, 51, 20);
        assertEquals(10 + 2, count(last, "<tr>"));
        assertTrue(last.contains("rows 1,021–1,030"), last);
        assertTrue(last.contains("&lt;r1029&gt;"));
        // out of range pages clamp
        assertEquals(last, TableHtml.page(t, 99, 20));
    }

    /**
     * Every inline style uses only what JupyterLab 4's sanitizer keeps in an untrusted output (its allowedStyles, read
     * from jupyterlab 4.6's apputils): no position:sticky (it allows static|relative|absolute), no var(), lengths in
     * px/em (not ch), colours as rgb/rgba/hex/names.
     */
    static void survivesJupyterLabsSanitizer(String html) {
        java.util.Set<String> allowed = java.util.Set.of("max-width", "max-height", "overflow", "overflow-x", "overflow-y", "border",
                "text-align", "white-space", "text-overflow", "background-color", "margin", "table-layout", "width", "visibility",
                "font-size", "font-family");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("style=\"([^\"]*)\"").matcher(html);
        int styles = 0;
        while (m.find()) {
            styles++;
            for (String decl : m.group(1).split(";")) {
                if (decl.isBlank()) continue;
                String prop = decl.substring(0, decl.indexOf(':')).trim(), value = decl.substring(decl.indexOf(':') + 1).trim();
                assertTrue(allowed.contains(prop), "a property Lab's sanitizer would drop or that is unchecked: " + decl);
                assertFalse(value.contains("var(") || value.contains("sticky") || value.matches(".*\\dch\\b.*"), decl);
            }
        }
        assertTrue(styles > 0);
    }

    static List<Chart> charts() {
        double[] x = {0, 0.25, 0.5, 1}, y = {0, 0.6, 0.8, 1};
        return List.of(
                Chart.line("roc", "ROC", "FPR", "TPR", List.of(Chart.Series.line("model", x, y), Chart.Series.dashed("chance", x, x))),
                Chart.scatter("residuals", "Residuals", "predicted", "residual", List.of(Chart.Series.markers("r", x, y))),
                Chart.heatmap("cm", "Confusion matrix", "predicted", "true", new double[][]{{50, 3}, {7, 40}}, List.of("neg", "pos")),
                new Chart("imp", "Importance", "bar", "feature", "gain", List.of(new Chart.Series("gain", new double[]{0, 1}, new double[]{3, 2}, "line")), null, List.of("a", "b")));
    }

    @Test
    void everyChartKindGivesAPng() {
        for (Chart c : charts()) {
            byte[] png = ChartImages.png(c);
            assertTrue(png.length > 1000, c.kind());
            for (int i = 0; i < 4; i++) assertEquals(PNG_MAGIC[i], png[i], c.kind());
            DisplayData d = ReportRenderers.chart(c);
            byte[] decoded = Base64.getDecoder().decode((String) d.getData(MIMEType.parse("image/png")));
            assertArrayEquals(png.length > 0 ? PNG_MAGIC : null, java.util.Arrays.copyOf(decoded, 4));
            assertNotNull(d.getData(MIMEType.TEXT_PLAIN));
        }
    }

    @Test
    void lineChartAlsoHasSvg() {
        String svg = ChartImages.svg(charts().get(0));
        assertNotNull(svg, "XChart's SVG export");
        assertTrue(svg.startsWith("<svg"), "no XML declaration or DOCTYPE: nbconvert's sanitizer rejects them");
    }

    @Test
    void reportRendersTextHtmlChartsAndGallery() {
        StepReport r = new StepReport("evaluate", "Evaluation on test")
                .note("threshold chosen at FPR 1%")
                .table(big(3));
        charts().forEach(r::chart);
        r.gallery(List.of(GalleryItem.row("row 17", "1", "0", 0.97, Map.of("age", "61"))));
        RendererRegistry reg = RendererRegistry.load(getClass().getClassLoader());
        List<DisplayData> out = reg.render(r);
        assertEquals(1 + 4 + 1, out.size());
        DisplayData main = out.get(0);
        assertEquals(r.toText(), main.getData(MIMEType.TEXT_PLAIN));
        String html = (String) main.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("Evaluation on test") && html.contains("<table") && html.contains("threshold chosen"));
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) main.getData(MIMEType.parse(ReportRenderers.REPORT_MIME));
        assertEquals("evaluate", json.get("step"));
        for (DisplayData d : out)
            assertNull(d.getData(MIMEType.parse("application/json")), "JupyterLab would show application/json as a JSON tree");
        for (int i = 1; i <= 4; i++) assertNotNull(out.get(i).getData(MIMEType.parse("image/png")));
        String gallery = (String) out.get(5).getData(MIMEType.TEXT_HTML);
        assertTrue(gallery.contains("row 17") && gallery.contains("mw-gallery"));
    }

    @Test
    void numbersForPeople() {
        assertEquals("0.1235", HumanNumbers.cell("0.123456789", "rmse"));
        assertEquals("12,346", HumanNumbers.cell("12345.678", "mse"));
        assertEquals("1030", HumanNumbers.cell("1030.0", "rows"));
        assertEquals("1235", HumanNumbers.cell("1234.567", "mse"));
        assertEquals("1030", HumanNumbers.cell("1030", "rows"), "integers below 10,000 (years, counts) as written");
        assertEquals("1,234,567", HumanNumbers.cell("1234567", "rows"));
        assertEquals("20261", HumanNumbers.cell("20261", "seed"));
        assertEquals("93.21%", HumanNumbers.cell("0.93214", "coverage 95"));
        assertEquals("4.5%", HumanNumbers.cell("0.045", "share"));
        assertEquals("1.2 s", HumanNumbers.cell("1.2345", "seconds"));
        assertEquals("3.4 min", HumanNumbers.cell("204", "fit seconds"));
        assertEquals("340 ms", HumanNumbers.cell("0.34", "time_s"));
        assertEquals("1.5 h", HumanNumbers.cell("5400", "seconds"));
        assertEquals("1.000e-07", HumanNumbers.cell("1e-7", "gap"));
        assertEquals("00123", HumanNumbers.cell("00123", "zip"));
        assertEquals("abc", HumanNumbers.cell("abc", "x"));
        assertEquals("NaN", HumanNumbers.cell("NaN", "x"));
        // (name, value) tables: the row's name says what the value is
        Table kv = io.modelwork.report.Tables.keyValues("metrics", new java.util.LinkedHashMap<>(Map.of("rmse", 5.123456789)));
        kv.stringColumn("name").append("seconds");
        kv.stringColumn("value").append("75.5");
        String html = TableHtml.html(kv);
        assertTrue(html.contains(">5.123<") && html.contains(">1.3 min<"), html);
        assertTrue(html.contains("title=\"5.123456789\""), "the full value stays in the cell's tooltip: " + html);
    }

    @Test
    void curvesAlsoAsVegaLiteWithTheMarkersDrawnLarge() {
        double[] x = {0, 0.25, 0.5, 1}, y = {0, 0.6, 0.8, 1};
        Chart roc = Chart.line("roc", "ROC", "FPR", "TPR", List.of(Chart.Series.line("model", x, y), Chart.Series.dashed("chance", x, x),
                Chart.Series.markers("threshold", new double[]{0.25}, new double[]{0.6})));
        DisplayData d = ReportRenderers.chart(roc);
        assertNotNull(d.getData(MIMEType.parse("image/png")), "the PNG stays as the fallback");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) d.getData(MIMEType.parse(VegaLite.MIME));
        assertEquals(VegaLite.SCHEMA, spec.get("$schema"));
        List<?> layers = (List<?>) spec.get("layer");
        assertEquals(3, layers.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> marker = (Map<String, Object>) ((Map<String, Object>) layers.get(2)).get("mark");
        assertEquals("point", marker.get("type"));
        assertTrue(((Number) marker.get("size")).intValue() >= 100, "a lone marker is drawn large: " + marker);
        assertNull(VegaLite.spec(charts().get(2)), "heatmaps: PNG only");
        String json = new com.google.gson.Gson().toJson(spec);
        assertTrue(json.contains("\"strokeDash\"") && json.contains("\"bind\":\"scales\""), json);
    }

    @Test
    void anyObjectDisplays() throws Exception {
        RendererRegistry reg = RendererRegistry.load(getClass().getClassLoader());
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 6, java.awt.image.BufferedImage.TYPE_INT_RGB);
        DisplayData d = reg.render(img).get(0);
        byte[] png = Base64.getDecoder().decode((String) d.getData(MIMEType.parse("image/png")));
        assertEquals(8, javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth());
        org.knowm.xchart.XYChart xc = org.knowm.xchart.QuickChart.getChart("t", "x", "y", "s", new double[]{1, 2}, new double[]{3, 4});
        assertNotNull(reg.render(xc).get(0).getData(MIMEType.parse("image/png")));
        DisplayData col = reg.render(DoubleColumn.create("price", new double[]{1234567.5, 2})).get(0);
        String html = (String) col.getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("price") && html.contains("2 rows × 1 columns") && html.contains("1,234,568"), html);
    }

    @Test
    void nonFiniteNumbersBecomeStringsInJson() {
        Object out = ReportRenderers.finite(Map.of("a", List.of(1.0, Double.NaN), "b", Double.POSITIVE_INFINITY));
        assertEquals(Map.of("a", List.of(1.0, "NaN"), "b", "Infinity"), out);
    }

    @Test
    void registryPicksTheMostSpecificRendererAndPassesDisplayDataThrough() {
        RendererRegistry reg = RendererRegistry.load(getClass().getClassLoader());
        assertNotNull(reg.find(StepReport.class));
        assertSame(reg.find(Report.class), reg.find(StepReport.class));
        DisplayData d = new DisplayData("x");
        d.putHTML("<b>x</b>");
        assertSame(d, reg.render(d).get(0));
        assertEquals("42", reg.render(42).get(0).getData(MIMEType.TEXT_PLAIN));
        reg.register(new Renderer<StepReport>() {
            public Class<StepReport> type() { return StepReport.class; }
            public List<DisplayData> render(StepReport v) { return List.of(new DisplayData("custom")); }
        });
        assertEquals("custom", reg.render(new StepReport("fit", "Fit")).get(0).getData(MIMEType.TEXT_PLAIN));
    }
}
