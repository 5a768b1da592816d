package io.modelwork.speaker.category;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import io.modelwork.speaker.diarization.Diarizer;
import io.modelwork.speaker.metrics.DiarizationMetrics;
import io.modelwork.speaker.metrics.Rttm;
import io.modelwork.spi.StepContext;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * backtest of {@code speaker.diarization}: the sessions in order (the {@code list=} file's order, else the RTTM's URIs
 * sorted), an expanding window — for each session from the {@code min_train}-th on, what fit learns (back end and
 * threshold, {@link SpeakerSteps#learn}) from all the sessions before it, scored by DER on it. The pipeline's VAD,
 * window and method are the current ones; the session's fitted model is not changed.
 */
final class SpeakerBacktest {
    private SpeakerBacktest() {}

    static final Options OPTIONS = Options.of(
            Option.integer("min_train", 1, 1, 10_000, "sessions in the first training window"),
            Option.number("collar", 0.0, 0.0, 5.0, "pyannote's collar for the scored session"));

    static StepReport backtest(SpeakerState s, Args a, StepContext ctx) {
        if (s.verification())
            throw new ModelworkException("backtest is not applicable to speaker.verification", "backtest",
                    "utterances carry no time order; evaluate scores the held-out speakers");
        if (s.dataset.ref().isEmpty()) throw new ModelworkException("backtest needs a reference", "backtest", "attach with rttm=REF.rttm");
        List<String> order = s.dataset.usable().stream().filter(s.durations::containsKey).toList();
        int min = a.getInt("min_train", 1);
        double collar = a.getDouble("collar", 0.0);
        if (order.size() <= min)
            throw new ModelworkException("backtest needs more than " + min + " session(s) (" + order.size() + " here)", "backtest min_train=",
                    "attach more recordings, or lower min_train");
        Table t = Table.create("expanding window (sessions in order)");
        IntColumn fc = IntColumn.create("fold"), nc = IntColumn.create("train_sessions");
        StringColumn uc = StringColumn.create("scored"), bc = StringColumn.create("backend");
        DoubleColumn tc = DoubleColumn.create("threshold"), dc = DoubleColumn.create("der"), jc = DoubleColumn.create("jer");
        Map<String, List<Rttm.Turn>> hyps = new LinkedHashMap<>();
        for (int k = min; k < order.size(); k++) {
            String u = order.get(k);
            ctx.progress().update("backtest", k - min + 1, order.size() - min, u);
            SpeakerSteps.Learnt l = SpeakerSteps.learn(s, order.subList(0, k), s.config, 1.0, true, ctx, "backtest");
            Diarizer.Config c = s.config.withThreshold(l.threshold());
            List<Rttm.Turn> hyp = Diarizer.label(s.embedded(u, c), l.backend(), c);
            hyps.put(u, hyp);
            var res = DiarizationMetrics.evaluate(s.dataset.refOf(List.of(u)), Map.of(u, hyp), s.dataset.uemOf(List.of(u)), collar, false);
            fc.append(k - min + 1); nc.append(k); uc.append(u); bc.append(l.backend().kind()); tc.append(l.threshold());
            dc.append(res.der()); jc.append(res.jer());
        }
        t.addColumns(fc, nc, uc, bc, tc, dc, jc);
        List<String> scored = new ArrayList<>(hyps.keySet());
        var all = DiarizationMetrics.evaluate(s.dataset.refOf(scored), hyps, s.dataset.uemOf(scored), collar, false);
        StepReport r = new StepReport("backtest", String.format(Locale.ROOT, "Backtest over %d session(s) in order: DER %.2f %% (pooled), JER %.2f %%",
                scored.size(), 100 * all.der(), 100 * all.jer()));
        r.body().put("folds", scored.size()).put("der", all.der()).put("jer", all.jer()).put("collar", collar);
        r.body().putObject("metrics").put("der", all.der()).put("jer", all.jer());
        scored.forEach(r.body().putArray("order")::add);
        r.table(t);
        double[] x = new double[dc.size()], y = new double[dc.size()];
        for (int i = 0; i < x.length; i++) { x[i] = i + 1; y[i] = dc.get(i); }
        r.chart(Chart.line("backtest_der", "DER of each session, scored with what the sessions before it taught", "fold", "DER",
                List.of(Chart.Series.line("der", x, y))));
        r.note("the session's own fitted pipeline is unchanged; order: " + (s.dataset.uris().equals(order) ? "the list= file (or the RTTM's URIs, sorted)" : "the usable sessions in list order"));
        return r;
    }
}
