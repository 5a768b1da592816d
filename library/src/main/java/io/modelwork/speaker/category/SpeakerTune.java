package io.modelwork.speaker.category;

import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import io.modelwork.shared.Tuning;
import io.modelwork.speaker.diarization.Diarizer;
import io.modelwork.speaker.metrics.DiarizationMetrics;
import io.modelwork.speaker.metrics.Rttm;
import io.modelwork.spi.StepContext;
import io.modelwork.tune.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * tune of {@code speaker.diarization} through the shared {@link Tuning} (over {@link Tuner}): VAD threshold, window,
 * hop, clustering method and agglomerative threshold, scored by DER on the validation sessions ({@code split
 * validation_fraction=}), or on the training sessions when the split made none (the test sessions are never seen).
 *
 * <p>The space is {@code space=} (e.g. {@code space="vad_threshold=0.35|0.5 threshold=0.6|0.75|0.9"}) or the
 * shorthand lists {@code vad_threshold= window= hop= threshold= method=}; a parameter not given stays at the current
 * value, except {@code method} (ahc|spectral) and {@code threshold} (0.4…1.1), searched by default. Grid by default,
 * every point unless {@code trials=} is smaller (then a seeded random subset). Trials run one at a time (one Vosk
 * model); x-vectors are cached per (VAD threshold, window, hop), so a trial that changes only the clustering costs a
 * clustering pass; spectral trials ignore the threshold and are scored once. A trial with hop &gt; window fails (the
 * search goes on). The best configuration is applied by {@link Tuning#decide}: only when it beats the current DER (the
 * pipeline is deterministic, so its trial is its refit); the back end learnt by fit is kept as it is.
 */
final class SpeakerTune {
    private SpeakerTune() {}

    static final Options OPTIONS = Tuning.OPTIONS.without("strategy", "trials", "max_budget", "min_budget", "eta", "threads", "metric").plus(
            Option.choice("strategy", "grid", List.of("grid", "random", "tpe"), "search strategy"),
            Option.integer("trials", null, 1, 10_000, "configurations tried (default: the whole grid, at most 60)"),
            Option.numbers("vad_threshold", null, 0.01, 0.99, "VAD thresholds to try"),
            Option.numbers("window", null, 0.5, 10.0, "window lengths to try (s)"),
            Option.numbers("hop", null, 0.1, 10.0, "hops to try (s)"),
            Option.numbers("threshold", null, 0.0, 2.0, "agglomerative thresholds to try"),
            Option.list("method", null, "methods to try (ahc, spectral)"));
    static final Set<String> PARAMS = Set.of("vad_threshold", "window", "hop", "method", "threshold");

    static SearchSpace defaultSpace(SpeakerState s, Args a) {
        SearchSpace.Builder b = SearchSpace.builder();
        b.add("vad_threshold", choice(a.getDoubles("vad_threshold", new double[]{s.config.vadThreshold()})));
        b.add("window", choice(a.getDoubles("window", new double[]{s.config.window()})));
        b.add("hop", choice(a.getDoubles("hop", new double[]{s.config.hop()})));
        List<Object> methods = new ArrayList<>(a.has("method") ? a.getList("method") : List.of("ahc", "spectral"));
        for (Object m : methods)
            if (!m.equals("ahc") && !m.equals("spectral"))
                throw new ModelworkException("Unknown clustering method '" + m + "'", "tune method=", "use ahc and/or spectral");
        b.add("method", new Param.Choice(methods));
        b.add("threshold", choice(a.getDoubles("threshold", new double[]{0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0, 1.1})));
        return b.build();
    }

    private static Param choice(double[] v) {
        List<Object> l = new ArrayList<>();
        for (double x : v) l.add(x);
        return new Param.Choice(l);
    }

    static Diarizer.Config merge(Diarizer.Config c, Map<String, Object> p) {
        Diarizer.Config out = c.withVad(num(p, "vad_threshold", c.vadThreshold()), num(p, "window", c.window()), num(p, "hop", c.hop()));
        if (p.containsKey("method")) out = out.withMethod(String.valueOf(p.get("method")));
        return out.withThreshold(num(p, "threshold", c.threshold()));
    }

    private static double num(Map<String, Object> p, String k, double d) {
        Object v = p.get(k);
        return v == null ? d : v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
    }

    static double der(SpeakerState s, List<String> us, Diarizer.Config c) {
        Map<String, List<Rttm.Turn>> hyp = new LinkedHashMap<>();
        for (String u : us) hyp.put(u, Diarizer.label(s.embedded(u, c), s.backend, c));
        return DiarizationMetrics.evaluate(s.dataset.refOf(us), hyp, s.dataset.uemOf(us), 0, false).der();
    }

    static StepReport tune(SpeakerState s, Args a, StepContext ctx) {
        if (s.dataset == null || s.dataset.ref().isEmpty()) throw new ModelworkException("tune needs a reference", "tune", "attach with rttm=REF.rttm");
        boolean onValidation = !s.validation.isEmpty();
        List<String> us = onValidation ? s.validation : s.train;
        if (us.isEmpty()) throw new ModelworkException("No session to tune on", "tune", "split with test_fraction < 1 (and optionally validation_fraction=)");
        SearchSpace space = Tuning.space(a, defaultSpace(s, a));
        for (String n : space.names())
            if (!PARAMS.contains(n))
                throw new ModelworkException("Unknown diarization tuning parameter '" + n + "'", "tune space=",
                        "tune " + String.join(", ", new TreeSet<>(PARAMS)) + " (e.g. space=\"threshold=0.6|0.75 method=ahc|spectral\")");
        long grid = 1;
        for (String n : space.names()) grid *= space.param(n).enumerable() ? space.param(n).gridValues().size() : 60;
        Diarizer.Config base = s.config;
        double current = der(s, us, base);
        Map<String, Double> seen = new HashMap<>();
        Objective objective = (p, budget, seed) -> {
            Diarizer.Config c = merge(base, p);
            if (c.hop() > c.window() + 1e-9)
                throw new ModelworkException("hop " + c.hop() + " s > window " + c.window() + " s", "tune", "keep hop ≤ window");
            String key = c.embedKey() + "/" + c.method() + (c.method().equals("spectral") ? "" : "/" + c.threshold());
            Double d = seen.get(key);
            if (d == null) { d = der(s, us, c); seen.put(key, d); }
            return d;
        };
        String strategy = a.getString("strategy", "grid");
        TunerConfig cfg = Tuning.config(a.with("threads", 1).with("strategy", strategy)
                .with("trials", a.getInt("trials", (int) Math.min(60, grid))), ctx, "der", Direction.MINIMIZE, 1);
        TuningReport tr = Tuning.run(ctx, space, objective, cfg);
        StepReport r = Tuning.report(strategy, tr, current);
        boolean keep = Tuning.decide(r, tr, current, a.getBool("apply", true), tr::bestValue);
        if (keep) {
            s.config = merge(base, tr.bestParams());
            ctx.invalidate(Step.EVALUATE);
            ctx.invalidate(Step.CALIBRATE);
        }
        r.body().put("on", onValidation ? "validation" : "train").put("sessions", us.size()).put("current_der", current)
                .put("best_der", tr.bestValue()).put("distinct_pipelines", seen.size()).set("config", s.config.toJson());
        r.note(String.format(Locale.ROOT, "DER on the %d %s session(s)%s; %d distinct pipelines scored, x-vectors computed for %d VAD/window setting(s)",
                us.size(), onValidation ? "validation" : "training", onValidation ? "" : " (split made no validation set: give split validation_fraction=)",
                seen.size(), seen.keySet().stream().map(k -> k.split("/", 4)).map(k -> k[0] + "/" + k[1] + "/" + k[2]).distinct().count()));
        return r;
    }
}
