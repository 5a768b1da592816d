package io.modelwork.kernel.display;

import io.modelwork.report.Chart;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.style.lines.SeriesLines;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@link Chart} (data) → XChart → PNG bytes and SVG text. */
public final class ChartImages {
    public static final int WIDTH = 640, HEIGHT = 420;

    private ChartImages() {}

    public static org.knowm.xchart.internal.chartpart.Chart<?, ?> toXChart(Chart c) {
        String kind = c.kind() == null ? "line" : c.kind();
        return switch (kind) {
            case "heatmap" -> heatmap(c);
            case "bar" -> bar(c);
            default -> xy(c, "scatter".equals(kind));
        };
    }

    private static XYChart xy(Chart c, boolean scatter) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(nz(c.title()))
                .xAxisTitle(nz(c.xLabel())).yAxisTitle(nz(c.yLabel())).build();
        chart.getStyler().setLegendVisible(c.series().size() > 1);
        // a line chart's marker series (the ROC's chosen threshold, the tuning trials) must stand out from the curves
        boolean markerSeries = c.series().stream().anyMatch(s -> "marker".equals(s.style()));
        chart.getStyler().setMarkerSize(scatter ? 6 : markerSeries ? 9 : 4);
        if (scatter) chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        int i = 0;
        for (Chart.Series s : c.series()) {
            String name = s.name() == null || s.name().isBlank() ? "series " + (++i) : s.name();
            while (chart.getSeriesMap().containsKey(name)) name = name + "'";
            if (s.x() == null || s.y() == null || s.x().length == 0) continue;
            XYSeries series = chart.addSeries(name, s.x(), s.y());
            String style = s.style() == null ? (scatter ? "marker" : "line") : s.style();
            switch (style) {
                case "marker" -> {
                    series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                    series.setMarker(SeriesMarkers.CIRCLE);
                    if (!scatter && s.x().length <= 3) series.setMarkerColor(java.awt.Color.RED); // the chosen point
                }
                case "dash" -> { series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line); series.setLineStyle(SeriesLines.DASH_DASH); series.setMarker(SeriesMarkers.NONE); }
                default -> { series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line); if (s.x().length > 30 || markerSeries) series.setMarker(SeriesMarkers.NONE); }
            }
        }
        if (chart.getSeriesMap().isEmpty()) chart.addSeries("(no data)", new double[]{0}, new double[]{0});
        return chart;
    }

    private static CategoryChart bar(Chart c) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(nz(c.title()))
                .xAxisTitle(nz(c.xLabel())).yAxisTitle(nz(c.yLabel())).build();
        chart.getStyler().setLegendVisible(c.series().size() > 1);
        for (Chart.Series s : c.series()) {
            List<Object> xs = new ArrayList<>();
            if (c.categories() != null && c.categories().size() == s.y().length) xs.addAll(c.categories());
            else for (double x : s.x()) xs.add(x);
            List<Number> ys = new ArrayList<>();
            for (double y : s.y()) ys.add(y);
            chart.addSeries(s.name() == null ? "series" : s.name(), xs, ys);
        }
        return chart;
    }

    private static HeatMapChart heatmap(Chart c) {
        double[][] m = c.matrix() == null ? new double[][]{{0}} : c.matrix();
        int rows = m.length, cols = rows == 0 ? 0 : m[0].length;
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title(nz(c.title()))
                .xAxisTitle(nz(c.xLabel())).yAxisTitle(nz(c.yLabel())).build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setLegendVisible(true);
        List<Object> xs = new ArrayList<>(), ys = new ArrayList<>();
        for (int j = 0; j < cols; j++) xs.add(label(c.categories(), j));
        // row 0 at the top: XChart draws y upwards, so reverse
        for (int i = rows - 1; i >= 0; i--) ys.add(label(c.categories(), i));
        List<Number[]> heat = new ArrayList<>();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) heat.add(new Number[]{j, rows - 1 - i, m[i][j]});
        chart.addSeries(nz(c.name()).isBlank() ? "matrix" : c.name(), xs, ys, heat);
        return chart;
    }

    private static String label(List<String> cats, int i) {
        return cats != null && i < cats.size() ? cats.get(i) : String.valueOf(i);
    }

    private static String nz(String s) { return s == null ? "" : s; }

    public static byte[] png(Chart c) { return png(toXChart(c)); }

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static byte[] png(org.knowm.xchart.internal.chartpart.Chart c) {
        try {
            return BitmapEncoder.getBitmapBytes((org.knowm.xchart.internal.chartpart.Chart) c, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SVGs above this size (dense scatter plots) are left out of the bundle: the PNG is enough. */
    public static final int MAX_SVG_CHARS = 256 * 1024;

    /**
     * SVG text (an XML fragment: no XML declaration or DOCTYPE, which HTML sanitizers reject), or {@code null} where
     * XChart's vector export fails or the SVG is larger than {@link #MAX_SVG_CHARS}.
     */
    public static String svg(Chart c) {
        try {
            return svg(toXChart(c));
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** {@link #svg(Chart)} of an XChart chart. */
    public static String svg(org.knowm.xchart.internal.chartpart.Chart<?, ?> c) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(c, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            String svg = out.toString(StandardCharsets.UTF_8);
            int start = svg.indexOf("<svg");
            if (start < 0) return null;
            svg = svg.substring(start);
            return svg.length() > MAX_SVG_CHARS ? null : svg;
        } catch (Exception | LinkageError e) {
            return null;
        }
    }
}
