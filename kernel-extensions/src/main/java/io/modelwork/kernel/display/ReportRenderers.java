package io.modelwork.kernel.display;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.Report;
import tech.tablesaw.api.Table;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The built-in renderers: Modelwork reports, charts, gallery items, Tablesaw tables and columns, XChart charts and
 * {@link java.awt.image.RenderedImage}s (a {@code BufferedImage}).
 *
 * <p>A report's bundle carries {@code text/html} and {@code text/plain}, and its JSON under {@value #REPORT_MIME}:
 * never {@code application/json}, which JupyterLab prefers to HTML and shows as a collapsed JSON tree.
 */
public final class ReportRenderers {
    /** The vendor MIME type of a report's JSON (tests and tools read it; no front end renders it). */
    public static final String REPORT_MIME = "application/vnd.modelwork.report+json";

    private ReportRenderers() {}

    /** Report → [title, notes and tables (HTML + text/plain = toText())], one bundle per chart, the gallery. */
    public static final class ReportRenderer implements Renderer<Report> {
        @Override public Class<Report> type() { return Report.class; }

        @Override public List<DisplayData> render(Report r) { return report(r); }
    }

    public static final class TableRenderer implements Renderer<Table> {
        @Override public Class<Table> type() { return Table.class; }

        @Override public List<DisplayData> render(Table t) {
            DisplayData d = new DisplayData(t.printAll());
            d.putHTML(TableHtml.html(t));
            return List.of(d);
        }
    }

    public static final class ChartRenderer implements Renderer<Chart> {
        @Override public Class<Chart> type() { return Chart.class; }

        @Override public List<DisplayData> render(Chart c) { return List.of(chart(c)); }
    }

    public static List<DisplayData> report(Report r) {
        List<DisplayData> out = new ArrayList<>();
        StringBuilder html = new StringBuilder("<div class=\"mw-report\" data-step=\"").append(Html.esc(r.step())).append("\">");
        html.append("<h4 style=\"margin:0.3em 0\">").append(Html.esc(r.title())).append("</h4>");
        if (!r.notes().isEmpty()) {
            html.append("<ul class=\"mw-notes\">");
            for (String n : r.notes()) html.append("<li>").append(Html.esc(n)).append("</li>");
            html.append("</ul>");
        }
        for (Table t : r.tables()) html.append(TableHtml.html(t));
        html.append("</div>");
        DisplayData main = new DisplayData(r.toText());
        main.putHTML(html.toString());
        try {
            // machine-readable form (the step's JSON report) for tests and tools; front ends show the HTML
            main.putData(REPORT_MIME, finite(io.modelwork.core.Json.MAPPER.convertValue(r.toJson(), java.util.Map.class)));
        } catch (RuntimeException ignored) {
            // a report whose JSON cannot be converted still shows
        }
        out.add(main);
        for (Chart c : r.charts()) out.add(chart(c));
        if (!r.gallery().isEmpty()) out.add(gallery(r.gallery()));
        return out;
    }

    /** JSON has no NaN/Infinity (and the kernel's Gson refuses them): such numbers become their names as strings. */
    @SuppressWarnings("unchecked")
    static Object finite(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), finite(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object v : l) out.add(finite(v));
            return out;
        }
        if (o instanceof Double d && !Double.isFinite(d)) return d.toString();
        if (o instanceof Float f && !Float.isFinite(f)) return f.toString();
        return o;
    }

    public static DisplayData chart(Chart c) {
        DisplayData d = new DisplayData("[chart] " + (c.title() == null ? c.name() : c.title()));
        d.putData("image/png", Base64.getEncoder().encodeToString(ChartImages.png(c)));
        String svg = ChartImages.svg(c);
        if (svg != null) d.putSVG(svg);
        java.util.Map<String, Object> vega = VegaLite.spec(c);
        if (vega != null) d.putData(VegaLite.MIME, vega);
        return d;
    }

    /** An XChart chart (any kind XChart draws) as PNG, plus SVG when small. */
    public static final class XChartRenderer implements Renderer<org.knowm.xchart.internal.chartpart.Chart> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        @Override public Class<org.knowm.xchart.internal.chartpart.Chart> type() { return (Class) org.knowm.xchart.internal.chartpart.Chart.class; }

        @Override public List<DisplayData> render(org.knowm.xchart.internal.chartpart.Chart c) {
            DisplayData d = new DisplayData("[chart] " + (c.getTitle() == null ? "" : c.getTitle()));
            d.putData("image/png", Base64.getEncoder().encodeToString(ChartImages.png(c)));
            String svg = ChartImages.svg(c);
            if (svg != null) d.putSVG(svg);
            return List.of(d);
        }
    }

    /** An image ({@code BufferedImage} and every other {@link java.awt.image.RenderedImage}) as PNG. */
    public static final class ImageRenderer implements Renderer<java.awt.image.RenderedImage> {
        @Override public Class<java.awt.image.RenderedImage> type() { return java.awt.image.RenderedImage.class; }

        @Override public List<DisplayData> render(java.awt.image.RenderedImage img) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try {
                if (!javax.imageio.ImageIO.write(img, "png", out)) return List.of();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            DisplayData d = new DisplayData("[image " + img.getWidth() + "×" + img.getHeight() + "]");
            d.putData("image/png", Base64.getEncoder().encodeToString(out.toByteArray()));
            return List.of(d);
        }
    }

    /** A Tablesaw column as a one-column table (the column's name, size and values). */
    public static final class ColumnRenderer implements Renderer<tech.tablesaw.columns.Column<?>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        @Override public Class<tech.tablesaw.columns.Column<?>> type() { return (Class) tech.tablesaw.columns.Column.class; }

        @Override public List<DisplayData> render(tech.tablesaw.columns.Column<?> c) {
            Table t = Table.create(c.name(), c.copy());
            DisplayData d = new DisplayData(c.print());
            d.putHTML(TableHtml.html(t));
            return List.of(d);
        }
    }

    /** The error gallery: an HTML grid of the worst cases (thumbnails for images, players for audio). */
    public static DisplayData gallery(List<GalleryItem> items) {
        StringBuilder text = new StringBuilder("Error gallery (" + items.size() + " worst cases)\n");
        StringBuilder html = new StringBuilder("<div class=\"mw-gallery\"><b>Error gallery</b> · ")
                .append(items.size()).append(" worst cases")
                .append("<div style=\"display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:6px;margin-top:4px\">");
        for (GalleryItem g : items) {
            text.append(String.format("  %s  truth=%s  prediction=%s  score=%.4g%n", g.id(), g.truth(), g.prediction(), g.score()));
            boolean wide = g.mediaType() != null && g.mediaType().startsWith("video/"); // a video spans the row
            html.append("<div class=\"mw-case\" style=\"border:1px solid #ccc;border-radius:4px;padding:4px;font-size:12px")
                    .append(wide ? ";grid-column:1/-1" : "").append("\">");
            html.append(media(g));
            html.append("<div><b>").append(Html.esc(g.id())).append("</b></div>");
            html.append("<div>truth: ").append(Html.esc(g.truth())).append("</div>");
            html.append("<div>prediction: ").append(Html.esc(g.prediction())).append("</div>");
            html.append("<div>score: ").append(String.format("%.4g", g.score())).append("</div>");
            if (g.fields() != null)
                for (Map.Entry<String, String> e : g.fields().entrySet())
                    html.append("<div style=\"color:#555\">").append(Html.esc(e.getKey())).append(": ").append(Html.esc(e.getValue())).append("</div>");
            html.append("</div>");
        }
        html.append("</div></div>");
        DisplayData d = new DisplayData(text.toString());
        d.putHTML(html.toString());
        return d;
    }

    private static final long MAX_INLINE = 2L << 20;

    private static String media(GalleryItem g) {
        if (g.mediaPath() == null || g.mediaType() == null) return "";
        try {
            Path p = Path.of(g.mediaPath());
            if (!Files.isRegularFile(p) || Files.size(p) > MAX_INLINE) return "<div>" + Html.esc(g.mediaPath()) + "</div>";
            String src = "data:" + g.mediaType() + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(p));
            if (g.mediaType().startsWith("image/"))
                return "<img src=\"" + src + "\" style=\"max-width:100%;max-height:140px\" alt=\"" + Html.esc(g.id()) + "\">";
            if (g.mediaType().startsWith("audio/"))
                return "<audio controls src=\"" + src + "\" style=\"width:100%\"></audio>";
            if (g.mediaType().startsWith("video/"))
                // an animated preview (tracking's annotated video): plays inline, loops, no sound
                return "<video controls autoplay loop muted playsinline src=\"" + src + "\" style=\"max-width:100%\"></video>";
            return "<div>" + Html.esc(g.mediaPath()) + "</div>";
        } catch (Exception e) {
            return "<div>" + Html.esc(g.mediaPath()) + "</div>";
        }
    }
}
