package io.modelwork.report;

import java.util.List;

/**
 * A chart as data, not pixels: the kernel's renderers draw it (XChart → PNG/SVG), the recipe runner writes it to
 * JSON. {@code kind} is {@code line}, {@code scatter}, {@code bar} or {@code heatmap} (then {@link #matrix} and
 * {@link #categories} are used instead of series).
 */
public record Chart(String name, String title, String kind, String xLabel, String yLabel, List<Series> series,
                    double[][] matrix, List<String> categories) {

    /** One named series of (x, y) points; {@code style} is {@code line}, {@code marker} or {@code dash}. */
    public record Series(String name, double[] x, double[] y, String style) {
        public static Series line(String name, double[] x, double[] y) { return new Series(name, x, y, "line"); }
        public static Series markers(String name, double[] x, double[] y) { return new Series(name, x, y, "marker"); }
        public static Series dashed(String name, double[] x, double[] y) { return new Series(name, x, y, "dash"); }
    }

    public static Chart line(String name, String title, String xLabel, String yLabel, List<Series> series) {
        return new Chart(name, title, "line", xLabel, yLabel, series, null, List.of());
    }

    public static Chart scatter(String name, String title, String xLabel, String yLabel, List<Series> series) {
        return new Chart(name, title, "scatter", xLabel, yLabel, series, null, List.of());
    }

    public static Chart heatmap(String name, String title, String xLabel, String yLabel, double[][] matrix,
                                List<String> categories) {
        return new Chart(name, title, "heatmap", xLabel, yLabel, List.of(), matrix, categories);
    }
}
