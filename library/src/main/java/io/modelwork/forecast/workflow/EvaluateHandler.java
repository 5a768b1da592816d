package io.modelwork.forecast.workflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.forecast.Forecast;
import io.modelwork.forecast.workflow.ForecastState.Part;
import io.modelwork.report.Chart;
import io.modelwork.report.GalleryItem;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.*;

import static io.modelwork.forecast.workflow.Accuracy.*;

/**
 * evaluate for forecasting: M4's sMAPE and MASE, MAE, RMSE, MAPE and 80/95% interval coverage on the hold-out, per
 * series and as the mean over series, against the seasonal naive baseline; forecast charts of the first series and
 * a gallery of the worst. With {@code h=0} only the in-sample criteria.
 */
final class EvaluateHandler implements StepHandler<ForecastState> {
    @Override public StepReport run(ForecastState st, Args a, StepContext ctx) {
        ForecastSpec spec = st.spec;
        int h = st.h;
        List<Part> parts = st.parts;
        SeriesModel[] models = st.models;
        ObjectNode calibration = st.calibration;
        StepReport r = new StepReport("evaluate", "Forecast accuracy (" + spec.name() + ", h=" + h + ")");
        ObjectNode b = r.body();
        if (h == 0) {
            r.note("no hold-out (split h=0): in-sample criteria only");
            ObjectNode ins = b.putObject("in_sample");
            for (int i = 0; i < parts.size(); i++)
                if (models[i].arima() != null) ins.putObject(parts.get(i).id()).put("aicc", models[i].arima().aicc()).put("aic", models[i].arima().aic());
            return r;
        }
        Forecast[] fc = st.testForecasts(models), base = st.testForecasts(st.baseline);
        List<Map<String, Double>> per = new ArrayList<>(), perBase = new ArrayList<>(), perCal = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            per.add(metrics(p.test(), fc[i], p.train(), p.m()));
            perBase.add(metrics(p.test(), base[i], p.train(), p.m()));
            if (calibration != null) perCal.add(metrics(p.test(), scaled(fc[i], st.scale80, st.scale95), p.train(), p.m()));
        }
        Map<String, Double> agg = aggregate(per), aggBase = aggregate(perBase);
        ObjectNode metrics = b.putObject("metrics");
        metrics.set("test", json(agg));
        b.set("baseline_snaive", json(aggBase));
        if (calibration != null) {
            Map<String, Double> c = aggregate(perCal);
            b.putObject("calibrated_coverage").put("coverage_80", c.get("coverage_80")).put("coverage_95", c.get("coverage_95"));
        }
        b.put("series", parts.size());
        b.put("h", h);
        b.put("mase_relative_to_snaive", agg.get("mase") / aggBase.get("mase"));
        b.put("smape_relative_to_snaive", agg.get("smape") / aggBase.get("smape"));
        ArrayNode ps = b.putArray("per_series");
        for (int i = 0; i < parts.size(); i++) {
            ObjectNode o = json(per.get(i));
            o.put("id", parts.get(i).id());
            o.put("model", models[i].describe());
            o.put("snaive_mase", perBase.get(i).get("mase"));
            ps.add(o);
        }
        // tables
        Table t = Table.create("Accuracy over " + parts.size() + " series (mean per series; M4 sMAPE and MASE)");
        StringColumn mc = StringColumn.create("metric");
        DoubleColumn mv = DoubleColumn.create(spec.name()), bv = DoubleColumn.create("seasonal naive");
        for (String k : agg.keySet()) { mc.append(k); mv.append(agg.get(k)); bv.append(aggBase.getOrDefault(k, Double.NaN)); }
        t.addColumns(mc, mv, bv);
        r.table(t);
        Integer[] order = new Integer[parts.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> { double v = per.get(i).get("mase"); return Double.isNaN(v) ? -1 : v; }).reversed());
        Table ts = Table.create("Per series (worst MASE first" + (parts.size() > 30 ? ", 30 of " + parts.size() : "") + ")");
        StringColumn sid = StringColumn.create("series"), smod = StringColumn.create("model");
        DoubleColumn smase = DoubleColumn.create("MASE"), ssm = DoubleColumn.create("sMAPE"), sbm = DoubleColumn.create("snaive MASE"),
                sc95 = DoubleColumn.create("coverage 95");
        for (int k = 0; k < Math.min(30, order.length); k++) {
            int i = order[k];
            sid.append(parts.get(i).id()); smod.append(models[i].describe()); smase.append(per.get(i).get("mase"));
            ssm.append(per.get(i).get("smape")); sbm.append(perBase.get(i).get("mase")); sc95.append(per.get(i).get("coverage_95"));
        }
        ts.addColumns(sid, smod, smase, ssm, sbm, sc95);
        r.table(ts);
        // charts: the first few series
        int nCharts = Math.min(a.getInt("charts", 3), parts.size());
        for (int i = 0; i < nCharts; i++) r.chart(forecastChart(st, i, fc[i]));
        // gallery: the worst series by MASE
        int worst = Math.min(a.getInt("worst", 5), parts.size());
        List<GalleryItem> g = new ArrayList<>();
        for (int k = 0; k < worst; k++) {
            int i = order[k];
            Map<String, String> f = new LinkedHashMap<>();
            f.put("model", models[i].describe());
            f.put("smape", fmt(per.get(i).get("smape")));
            f.put("snaive_mase", fmt(perBase.get(i).get("mase")));
            f.put("coverage_95", fmt(per.get(i).get("coverage_95")));
            if (models[i].note() != null) f.put("note", models[i].note());
            g.add(GalleryItem.row(parts.get(i).id(), "actual mean " + fmt(mean(parts.get(i).test())),
                    "forecast mean " + fmt(mean(fc[i].mean())), per.get(i).get("mase"), f));
        }
        r.gallery(g);
        if (worst > 0 && parts.size() > nCharts) r.chart(forecastChart(st, order[0], fc[order[0]]));
        r.note(String.format(Locale.ROOT, "%s: MASE %.4f, sMAPE %.4f; seasonal naive: MASE %.4f, sMAPE %.4f (mean over %d series)",
                spec.name(), agg.get("mase"), agg.get("smape"), aggBase.get("mase"), aggBase.get("smape"), parts.size()));
        return r;
    }

    static Chart forecastChart(ForecastState st, int i, Forecast fc) {
        Part p = st.parts.get(i);
        SeriesPanel panel = st.panel;
        int h = st.h;
        int hist = Math.min(p.train().length, Math.max(3 * h, 2 * panel.m + h));
        int n0 = p.train().length - hist;
        double[] hx = new double[hist], hy = new double[hist];
        for (int k = 0; k < hist; k++) { hx[k] = panel.grid.x(p.start() + n0 + k); hy[k] = p.train()[n0 + k]; }
        double[] fx = new double[h];
        for (int k = 0; k < h; k++) fx[k] = panel.grid.x(p.trainEnd() + 1 + k);
        int l95 = fc.levelIndex(95);
        List<Chart.Series> s = new ArrayList<>();
        s.add(Chart.Series.line("history", hx, hy));
        s.add(Chart.Series.markers("actual", fx, p.test()));
        s.add(Chart.Series.line("mean", fx, fc.mean()));
        s.add(Chart.Series.dashed("lower95", fx, fc.lower()[l95]));
        s.add(Chart.Series.dashed("upper95", fx, fc.upper()[l95]));
        return Chart.line("forecast_" + p.id(), "Series " + p.id() + ": " + st.models[i].describe() + " (95% interval)",
                panel.grid.xLabel(), "value", s);
    }
}
