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
        assertEquals(5 + 1, count(html, "<tr>"));
        assertTrue(html.contains("5 rows × 3 columns"), html);
        assertTrue(html.contains("&lt;r4&gt;"), "cells are escaped");
    }

    @Test
    void largeTableIsPagedAndStatesTheFullSize() {
        Table t = big(1030);
        String html = TableHtml.html(t);
        assertEquals(TableHtml.PAGE_SIZE + 1, count(html, "<tr>"));
        assertTrue(html.contains("rows 1–20 of 1,030 rows × 3 columns (page 1 of 52)"), html);
        String last = TableHtml.page(t, 51, 20);
        assertEquals(10 + 1, count(last, "<tr>"));
        assertTrue(last.contains("rows 1,021–1,030"), last);
        assertTrue(last.contains("&lt;r1029&gt;"));
        // out of range pages clamp
        assertEquals(last, TableHtml.page(t, 99, 20));
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
        Map<String, Object> json = (Map<String, Object>) main.getData(MIMEType.parse("application/json"));
        assertEquals("evaluate", json.get("step"));
        for (int i = 1; i <= 4; i++) assertNotNull(out.get(i).getData(MIMEType.parse("image/png")));
        String gallery = (String) out.get(5).getData(MIMEType.TEXT_HTML);
        assertTrue(gallery.contains("row 17") && gallery.contains("mw-gallery"));
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
