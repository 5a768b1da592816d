package io.modelwork.tabular;

import io.modelwork.core.Args;
import io.modelwork.core.Progress;
import io.modelwork.session.Session;
import io.modelwork.report.StepReport;

import java.nio.file.Path;

/**
 * Child process for {@link BadInputTest}'s killed-fit test: configures with a fixed run directory, attaches concrete,
 * prepares, splits, builds, saves checkpoint {@code before-fit}, then fits slowly (a progress hook sleeps on every
 * iteration, which changes nothing in the result) so that the parent can kill it mid-fit.
 *
 * <p>Arguments: RUN_DIR DATA_FILE SLEEP_MS_PER_ITERATION
 */
public final class KilledFitMain {
    private KilledFitMain() {}

    static final long SEED = 11;
    static final Args BUILD = Args.of("spec", "regression.xgboost", "max_depth", 4, "eta", 0.1);
    static final Args FIT = Args.of("rounds", 400, "early_stopping", 400);

    static Session prepared(Path runsRoot, Path runDir, Path data) {
        Session s = Session.create(runsRoot);
        s.configure(Args.of("seed", SEED, "threads", 2, "run_dir", runDir.toString(), "progress", false));
        s.attachDataset(Args.of("path", data.toString(), "target", "compressive_strength"));
        s.prepareData(Args.empty());
        s.split(Args.empty());
        s.build(BUILD);
        return s;
    }

    public static void main(String[] args) {
        Path runDir = Path.of(args[0]);
        Path data = Path.of(args[1]);
        long sleep = Long.parseLong(args[2]);
        try (Session s = prepared(runDir.getParent(), runDir, data)) {
            StepReport ck = s.saveCheckpoint("before-fit");
            System.out.println("CHECKPOINT " + ck.body().get("checkpoint_id").asText());
            System.out.flush();
            s.progress(new Progress() {
                @Override public void update(String step, int done, int total, String message) {
                    try { Thread.sleep(sleep); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                }
            });
            s.fit(FIT);
            System.out.println("FIT DONE");
        }
    }
}
