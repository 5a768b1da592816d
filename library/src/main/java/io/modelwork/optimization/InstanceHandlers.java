package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.Args;
import io.modelwork.core.AtomicFiles;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.spi.StepContext;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static io.modelwork.optimization.OptimizationReports.kv;

/**
 * Steps 2-4 for optimization: attach_dataset reads and validates the instance (and finds its known optimum),
 * prepare_data freezes the integer scaling (and the Held-Karp bound of a symmetric TSP), split takes the scenarios
 * that calibrate and backtest replay (optimization has no train/test split).
 */
final class InstanceHandlers {
    private InstanceHandlers() { }

    static StepReport attach(OptimizationState st, Args a, StepContext ctx) {
        if (!a.has("path") && "cpsat".equalsIgnoreCase(a.getString("format", ""))) {
            // optimization.cpsat without a data file: the model built in Java at build is the whole input
            st.file = null;
            st.problem = new Problem.CpSat(a.getString("name", "cpsat-model"), null, null);
            st.fingerprint = "none";
        } else {
            String path = a.requireString("path", "give the instance file, e.g. path=berlin52.tsp (or format=cpsat alone for a CP-SAT model built in Java)");
            Path file = Path.of(path).toAbsolutePath().normalize();
            String format = Readers.detect(file, a.getString("format", null));
            if (format == null)
                throw new ModelworkException("Cannot tell the optimization format of " + file, "attach_dataset path",
                        "give format=tsplib|cvrp|solomon|jsplib|lp|mps|cpsat");
            Problem p = Readers.read(file, format);
            st.problem = a.has("name") ? p.withName(a.getString("name", null)) : p;
            st.file = file;
            try {
                st.fingerprint = AtomicFiles.sha256(file);
            } catch (IOException e) {
                throw new ModelworkException("Cannot read " + file, file.toString(), "check permissions");
            }
        }
        Problem problem = st.problem;
        st.attachArgs = a;
        Validator.Issues issues = st.issues = Validator.inspect(problem);
        if (!issues.errors().isEmpty() && a.getString("validate", "error").equals("error"))
            throw new ModelworkException("The instance is inconsistent: " + String.join("; ", issues.errors().subList(0, Math.min(5, issues.errors().size())))
                    + (issues.errors().size() > 5 ? " (and " + (issues.errors().size() - 5) + " more)" : ""), String.valueOf(st.file),
                    "fix the data, or attach with validate=warn to inspect it anyway (solving will then likely be infeasible)");
        BestKnown known = st.known = a.has("optimum") ? new BestKnown(a.getDouble("optimum", Double.NaN), false, Double.NaN, 0, "attach_dataset optimum=")
                : BestKnown.lookup(problem, st.file);
        StepReport r = new StepReport("attach_dataset", "Instance " + problem.name());
        ObjectNode ds = r.body().putObject("dataset");
        ds.put("ref", st.file == null ? "none" : st.file.toString());
        ds.put("format", problem.format());
        ds.put("name", problem.name());
        ds.put("fingerprint", st.fingerprint);
        ds.put("task", "optimization");
        ds.put("default_spec", problem.defaultSpec());
        ObjectNode prof = r.body().putObject("profile");
        problem.profile(prof);
        ObjectNode val = r.body().putObject("validation");
        val.set("errors", Json.MAPPER.valueToTree(issues.errors()));
        val.set("warnings", Json.MAPPER.valueToTree(issues.warnings()));
        val.put("ok", issues.errors().isEmpty());
        if (known != null) {
            ObjectNode k = r.body().putObject("known_optimum");
            k.put("value", known.value());
            k.put("proven", known.proven());
            if (!Double.isNaN(known.lower())) k.put("lower_bound", known.lower());
            if (known.vehicles() > 0) k.put("vehicles", known.vehicles());
            k.put("source", known.source());
        }
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("instance", problem.name());
        rows.put("format", problem.format());
        prof.fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue().asText()));
        rows.put("known optimum", known == null ? "—" : known.value() + (known.proven() ? " (proven)" : " (best known)"));
        rows.put("fingerprint", st.shortFingerprint(16));
        r.table(kv("Profile", rows));
        issues.errors().forEach(e -> r.note("error: " + e));
        issues.warnings().forEach(w -> r.note("warning: " + w));
        if (st.file == null) r.note("no dataset: build takes the CP-SAT model built in Java (model=<CpModel>); prepare_data and split are no-ops");
        return r;
    }

    static StepReport prepare(OptimizationState st, Args a, StepContext ctx) {
        st.prepareArgs = a;
        Scaling scaling = st.scaling = Scaling.of(st.problem, a.getDouble("scale", 100));
        StepReport r = new StepReport("prepare_data", "Integer scaling");
        r.body().put("scale", scaling.factor());
        r.body().put("precision", scaling.precision());
        r.body().put("preprocessor_id", "scaling-" + (long) scaling.factor() + "-" + st.fingerprint.substring(0, Math.min(12, st.fingerprint.length())));
        st.lowerBound = st.problem.lowerBound();
        if (!Double.isNaN(st.lowerBound)) {
            r.body().put("held_karp_bound", st.lowerBound);
            r.note(String.format(Locale.ROOT, "Held-Karp 1-tree lower bound %.2f (gives the routing results a gap)", st.lowerBound));
        }
        r.note("precision: " + scaling.precision());
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("scale", scaling.factor());
        rows.put("precision", scaling.precision());
        if (!Double.isNaN(st.lowerBound)) rows.put("Held-Karp bound", String.format(Locale.ROOT, "%.2f", st.lowerBound));
        r.table(kv("Preparation", rows));
        return r;
    }

    static StepReport split(OptimizationState st, Args a, StepContext ctx) {
        st.scenarioFiles.clear();
        st.scenarios.clear();
        Problem problem = st.problem;
        StepReport r = new StepReport("split", "Scenarios");
        for (String s : a.getList("scenarios")) {
            Path p = Path.of(s).toAbsolutePath().normalize();
            String f = Readers.detect(p, null);
            if (f == null) f = problem.format();
            Problem q = Readers.read(p, f);
            if (!q.defaultSpec().equals(problem.defaultSpec()))
                throw new ModelworkException("Scenario " + p + " is a " + q.defaultSpec() + " instance, the main one a " + problem.defaultSpec(),
                        "split scenarios", "give scenarios of the same kind as the attached instance");
            Validator.Issues is = Validator.inspect(q);
            if (!is.errors().isEmpty())
                throw new ModelworkException("Scenario " + p + " is inconsistent: " + is.errors().get(0), p.toString(), "fix or drop this scenario");
            st.scenarioFiles.add(p);
            st.scenarios.add(q);
        }
        r.body().put("strategy", st.scenarios.isEmpty() ? "none" : "scenarios");
        ArrayNode arr = r.body().putArray("scenarios");
        arr.add(problem.name());
        st.scenarios.forEach(q -> arr.add(q.name()));
        if (st.scenarios.isEmpty())
            r.note("optimization has no train/test split: no-op (give scenarios=a.tsp,b.tsp to tune, calibrate and backtest over several instances)");
        else r.note((st.scenarios.size() + 1) + " scenarios: the attached instance plus " + st.scenarios.size() + "; tune stays on the attached one, calibrate and backtest use all");
        return r;
    }
}
