package io.modelwork.kernel.display;

import io.modelwork.report.Chart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Chart} (line, scatter, bar) → a Vega-Lite v5 specification ({@value #MIME}), which JupyterLab renders
 * natively with tooltips, zoom and pan (drag, scroll; double-click resets). The PNG stays in the same bundle as the
 * fallback for the classic Notebook and nbconvert, which have no Vega renderer. Heatmaps have no Vega-Lite form here
 * (the PNG shows their values in the cells).
 *
 * <p>The spec is built as plain maps (the kernel's Gson writes them); there is no Java Vega-Lite library with the
 * layered marks used here.
 */
public final class VegaLite {
    public static final String MIME = "application/vnd.vegalite.v5+json";
    public static final String SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
    /** Points per series kept in the spec (every k-th point beyond that): the PNG has them all. */
    public static final int MAX_POINTS = 5000;

    private VegaLite() {}

    /** The spec, or {@code null} for kinds without one (heatmap) or charts without data. */
    public static Map<String, Object> spec(Chart c) {
        String kind = c.kind() == null ? "line" : c.kind();
        if (kind.equals("heatmap") || c.series() == null || c.series().isEmpty()) return null;
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("$schema", SCHEMA);
        if (c.title() != null) spec.put("title", c.title());
        spec.put("width", ChartImages.WIDTH - 120);
        spec.put("height", ChartImages.HEIGHT - 120);
        String x = label(c.xLabel(), "x"), y = label(c.yLabel(), "y");
        List<Object> layers = new ArrayList<>();
        int i = 0;
        for (Chart.Series s : c.series()) {
            i++;
            if (s.x() == null || s.y() == null || s.x().length == 0) continue;
            String name = s.name() == null || s.name().isBlank() ? "series " + i : s.name();
            List<Object> values = new ArrayList<>();
            int n = Math.min(s.x().length, s.y().length), step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
            for (int k = 0; k < n; k += step) {
                if (!Double.isFinite(s.x()[k]) || !Double.isFinite(s.y()[k])) continue;
                Map<String, Object> p = new LinkedHashMap<>();
                if (kind.equals("bar") && c.categories() != null && c.categories().size() == n) p.put("x", c.categories().get(k));
                else p.put("x", s.x()[k]);
                p.put("y", s.y()[k]);
                values.add(p);
            }
            if (values.isEmpty()) continue;
            String style = s.style() == null ? (kind.equals("scatter") ? "marker" : "line") : s.style();
            Map<String, Object> mark = new LinkedHashMap<>();
            if (kind.equals("bar")) mark.put("type", "bar");
            else if (style.equals("marker")) {
                mark.put("type", "point");
                mark.put("filled", true);
                // a lone marker (the chosen threshold, the best trial) is drawn large so that it shows on the curve
                mark.put("size", values.size() <= 3 ? 160 : values.size() <= 200 ? 50 : 20);
            } else {
                mark.put("type", "line");
                if (style.equals("dash")) mark.put("strokeDash", List.of(6, 4));
                if (values.size() <= 30) mark.put("point", true);
            }
            mark.put("tooltip", true);
            Map<String, Object> enc = new LinkedHashMap<>();
            boolean nominalX = kind.equals("bar") && c.categories() != null && !c.categories().isEmpty();
            enc.put("x", Map.of("field", "x", "type", nominalX ? "nominal" : "quantitative", "title", x,
                    "scale", Map.of("zero", false)));
            enc.put("y", Map.of("field", "y", "type", "quantitative", "title", y, "scale", Map.of("zero", kind.equals("bar"))));
            if (c.series().size() > 1) enc.put("color", Map.of("datum", name, "legend", Map.of("title", "")));
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("data", Map.of("values", values));
            layer.put("mark", mark);
            layer.put("encoding", enc);
            if (layers.isEmpty() && !kind.equals("bar"))
                layer.put("params", List.of(Map.of("name", "zoom", "select", "interval", "bind", "scales")));
            layers.add(layer);
        }
        if (layers.isEmpty()) return null;
        spec.put("layer", layers);
        return spec;
    }

    private static String label(String s, String dflt) { return s == null || s.isBlank() ? dflt : s; }
}
