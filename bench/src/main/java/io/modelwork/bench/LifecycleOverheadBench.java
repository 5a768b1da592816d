package io.modelwork.bench;

import io.modelwork.session.Session;
import io.modelwork.core.Args;
import io.modelwork.tabular.Matrix;
import io.modelwork.tabular.TabularModel;

import java.nio.file.Path;
import java.util.*;

import static io.modelwork.bench.BenchSupport.*;

/**
 * Benchmark 1: the cost of fitting through the Session versus calling XGBoost4J / LightGBM4J directly on the same
 * float matrix (the Session's own training matrix), same parameters, same fixed number of rounds, early stopping off.
 *
 * <p>Per dataset and engine, each repetition runs the Session chain (attach → prepare → split → build → fit), then the
 * direct baselines on that chain's training matrix: plain (no evaluation) and with per-round validation
 * evaluation (what the Session's learning curve needs). Medians over the repetitions are reported.
 *
 * <pre>bench/run.sh LifecycleOverheadBench [--quick] [--rows=200000] [--rounds=100] [--reps=3]</pre>
 */
public final class LifecycleOverheadBench {
    static String pct(double a, double base) { return f(100 * (a - base) / base, 1) + " %"; }

    public static void main(String[] argv) throws Exception {
        Flags fl = new Flags(argv);
        int synthRows = fl.getInt("rows", 200_000, 20_000);
        int synthFeatures = fl.getInt("features", 20, 20);
        int synthRounds = fl.getInt("rounds", 100, 20);
        int concreteRounds = fl.getInt("concrete-rounds", 300, 50);
        int reps = fl.getInt("reps", 3, 1);
        machine();
        Path tmp = tempDir("modelwork-bench-overhead");
        try {
            Path synth = writeSynthetic(tmp.resolve("synthetic.csv"), synthRows, synthFeatures, 42);
            List<List<String>> rows = new ArrayList<>();
            record Case(String name, Path csv, String target, int rounds) {}
            List<Case> cases = List.of(new Case("concrete (1030×8)", concrete(), "compressive_strength", concreteRounds),
                    new Case("synthetic (" + synthRows + "×" + synthFeatures + ")", synth, "y", synthRounds));
            // warm-up: JIT, native library loading, ServiceLoader, Tablesaw
            for (String spec : List.of("regression.xgboost", "regression.lightgbm"))
                try (Chain c = sessionChain(concrete(), "compressive_strength", spec, Args.empty(), 10, tmp.resolve("warm-" + spec))) {
                    if (spec.endsWith("xgboost")) xgbDirect(c.train(), null, 10); else lgbDirect(c.train(), null, 10);
                }
            int run = 0;
            for (Case cs : cases) {
                for (String spec : List.of("regression.xgboost", "regression.lightgbm")) {
                    boolean xgb = spec.endsWith("xgboost");
                    List<Double> chain = new ArrayList<>(), fit = new ArrayList<>(), fitCpu = new ArrayList<>(),
                            direct = new ArrayList<>(), directCpu = new ArrayList<>(), directEval = new ArrayList<>(),
                            attach = new ArrayList<>(), modelFit = new ArrayList<>();
                    int trainRows = 0;
                    for (int r = 0; r < reps; r++) {
                        try (Chain c = sessionChain(cs.csv(), cs.target(), spec, Args.empty(), cs.rounds(), tmp.resolve("run" + run++))) {
                            Matrix tr = c.train(), va = c.valid();
                            trainRows = tr.rows();
                            chain.add(c.totalS());
                            fit.add(c.fitS());
                            fitCpu.add(c.fitCpu());
                            attach.add(c.attachS() + c.prepareS() + c.splitS());
                            Time d = xgb ? xgbDirect(tr, null, cs.rounds()) : lgbDirect(tr, null, cs.rounds());
                            Time e = xgb ? xgbDirect(tr, va, cs.rounds()) : lgbDirect(tr, va, cs.rounds());
                            direct.add(d.wall());
                            directCpu.add(d.cpu());
                            directEval.add(e.wall());
                            // the model's own fit loop with a no-op listener: no checkpoint files, no fit report
                            TabularModel m = c.workflow().model();
                            Time mf = time(() -> m.fit(tr, va, new TabularModel.FitConfig(cs.rounds(), 0, 0, THREADS, "cpu"),
                                    (it, total, metrics, best) -> { }));
                            modelFit.add(mf.wall());
                        }
                    }
                    double mFit = median(fit), mDirect = median(direct), mEval = median(directEval), mChain = median(chain);
                    double mFitCpu = median(fitCpu), mDirectCpu = median(directCpu);
                    rows.add(List.of(cs.name(), xgb ? "xgboost" : "lightgbm", Integer.toString(cs.rounds()),
                            Integer.toString(trainRows), f(mDirect, 3), f(mEval, 3), f(median(modelFit), 3), f(mFit, 3),
                            pct(mFit, mDirect), pct(mFit, mEval), f(mDirectCpu, 2) + " / " + f(mFitCpu, 2), pct(mFitCpu, mDirectCpu),
                            f(Collections.min(directCpu), 2) + " / " + f(Collections.min(fitCpu), 2),
                            pct(Collections.min(fitCpu), Collections.min(directCpu)),
                            f(median(attach), 3), f(mChain, 3)));
                    System.out.printf(Locale.ROOT, "done: %s %s (%d reps)%n", cs.name(), spec, reps);
                }
            }
            table("Lifecycle overhead (medians of " + reps + " reps, seconds; " + THREADS + " engine threads)",
                    List.of("data", "engine", "rounds", "train rows", "direct fit (wall)", "direct + per-round validation eval (wall)",
                            "model.fit, no-op listener (wall)",
                            "Session fit step (wall)", "overhead vs direct (wall)", "overhead vs direct+valid eval (wall)",
                            "CPU s direct / Session fit", "overhead (CPU)", "min CPU s direct / Session fit",
                            "overhead (min CPU)", "attach+prepare+split", "Session chain total"), rows);
            System.out.println("\nfit overhead = (Session fit step - direct) / direct; target <= 10 %. The Session fit step"
                    + " includes DMatrix/Dataset creation, the per-round validation metric (training metric every 10th round),"
                    + " best-iteration checkpoint"
                    + " writes, reloading the best iteration and building the fit report. 'model.fit, no-op listener' is the provider's"
                    + " fit loop alone (per-round metrics, best-iteration serialisation, reload) without the Session's"
                    + " checkpoint files and report: the gap to the Session fit step is that I/O and reporting.");
        } finally {
            deleteTree(tmp);
        }
    }
}
