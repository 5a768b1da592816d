package io.modelwork.session;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.modelwork.core.Args;
import io.modelwork.core.ModelworkException;
import io.modelwork.core.RunContext;
import io.modelwork.core.Step;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.Map;

/**
 * A {@link Session}'s steps seen from outside the category: the {@code %session} view (each step, whether it ran and
 * with which arguments), the order check, and the report of a step the category declares not applicable.
 */
final class SessionSteps {
    private SessionSteps() { }

    static StepReport of(Map<Step, Args> done, RunContext context, String category, boolean closed) {
        StepReport r = new StepReport("session", closed ? "Session (closed)" : "Session");
        Table t = Table.create("Steps");
        StringColumn n = StringColumn.create("#"), s = StringColumn.create("step"), st = StringColumn.create("status"),
                args = StringColumn.create("arguments");
        ArrayNode a = r.body().putArray("steps");
        for (Step step : Step.values()) {
            if (step == Step.CLOSE) continue;
            n.append(Integer.toString(step.number()));
            s.append(step.key());
            boolean ran = done.containsKey(step);
            st.append(ran ? "done" : "");
            args.append(ran ? String.valueOf(done.get(step)) : "");
            if (ran) a.addObject().put("step", step.key()).put("args", String.valueOf(done.get(step)));
        }
        t.addColumns(n, s, st, args);
        r.table(t);
        if (context != null) r.body().put("run_dir", context.runDir().toString());
        if (category != null) r.body().put("category", category);
        r.body().put("closed", closed);
        return r;
    }

    /** Fails, naming the first step to run, when a step {@code step} requires has not run. */
    static void requireDone(Step step, Map<Step, Args> done) {
        for (Step r : step.requires()) {
            if (!done.containsKey(r)) {
                Step first = r;
                while (true) {
                    Step prev = first;
                    for (Step rr : first.requires()) if (!done.containsKey(rr)) { first = rr; break; }
                    if (prev == first) break;
                }
                throw new ModelworkException("Step " + step.key() + " cannot run yet: " + r.key() + " has not run",
                        step.key(), "run " + first.key() + " first" + (first != r ? " (then the steps up to " + r.key() + ")" : ""));
            }
        }
    }

    /** The report of a step the category declares not applicable, with its reason. */
    static StepReport notApplicable(Step step, String category, String why) {
        StepReport r = new StepReport(step.key(), step.key() + ": not applicable to " + category);
        r.body().put("applicable", false);
        r.body().put("reason", why);
        r.note(why);
        return r;
    }
}
