package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpModelProto;
import io.modelwork.core.Args;
import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BundleWriter;
import io.modelwork.spi.StateWriter;
import io.modelwork.tune.SearchSpace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.*;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code optimization.cpsat}: any CP-SAT model, built in Java (a {@code CpModel}, a {@code CpModelProto}, or a builder
 * {@code Function<CpModel, Map<String, ?>>} / {@code Consumer<CpModel>}), read from a {@code .pb}/{@code .pbtxt}
 * proto, or the proto attached as the dataset. The model is copied at build; {@code report} names the variables or
 * expressions whose values evaluate shows.
 */
final class CpSatFormulation implements Formulation {
    static final String SPEC = "optimization.cpsat";

    private final Problem problem;
    private final CpModelProto proto;
    private final ObjectNode report;
    private String source;

    private CpSatFormulation(Problem problem, CpModelProto proto, ObjectNode report, String source) {
        this.problem = problem;
        this.proto = proto;
        this.report = report;
        this.source = source;
    }

    /** Takes the user's model (see the class javadoc), validates it with CP-SAT and copies it. */
    static CpSatFormulation build(Args a, Problem attached) {
        OrTools.load();
        Object m = a.get("model");
        Object rep = a.get("report");
        CpModelProto proto;
        String source;
        if (m == null) {
            if (attached instanceof Problem.CpSat c && c.proto() != null) { proto = c.proto(); source = "attached file " + c.file(); }
            else throw new ModelworkException("optimization.cpsat needs a model, and none was given", "build model",
                    "build your model in Java and pass it: session().build(Args.of(\"spec\", \"optimization.cpsat\", \"model\", cpModel)); "
                            + "or give model=path/to/model.pb|.pbtxt, or attach a CpModelProto file as the dataset");
        } else if (m instanceof CpModel cm) { proto = cm.model(); source = "CpModel from Java"; }
        else if (m instanceof CpModelProto p) { proto = p; source = "CpModelProto from Java"; }
        else if (m instanceof Function<?, ?> || m instanceof Consumer<?>) {
            CpModel cm = new CpModel();
            Object out = runBuilder(m, cm);
            if (rep == null && out instanceof Map<?, ?>) rep = out;
            proto = cm.model();
            source = "builder " + m.getClass().getSimpleName();
        } else if (m instanceof String || m instanceof Path) {
            Path p = Path.of(String.valueOf(m)).toAbsolutePath().normalize();
            proto = ((Problem.CpSat) Readers.read(p, "cpsat")).proto();
            source = "file " + p;
        } else throw new ModelworkException("model= is a " + m.getClass().getName() + ", not a CP-SAT model", "build model",
                "give a com.google.ortools.sat.CpModel, a CpModelProto, a Function<CpModel, Map<String, ?>> / Consumer<CpModel> builder, or a .pb/.pbtxt path");
        if (proto.getVariablesCount() == 0)
            throw new ModelworkException("The CP-SAT model has no variables", "build model (" + source + ")",
                    "add variables and constraints to the CpModel before build (build copies the model at that moment)");
        CpModel check = new CpModel();
        check.getBuilder().mergeFrom(proto);
        String invalid = check.validate();
        if (!invalid.isEmpty())
            throw new ModelworkException("CP-SAT refuses the model: " + invalid, "build model (" + source + ")",
                    "fix the constraint named in the message (its variables, domains or coefficients)");
        return new CpSatFormulation(attached, proto, reportExpressions(rep, proto), source);
    }

    @SuppressWarnings("unchecked")
    private static Object runBuilder(Object m, CpModel cm) {
        try {
            if (m instanceof Function<?, ?> f) return ((Function<CpModel, ?>) f).apply(cm);
            ((Consumer<CpModel>) m).accept(cm);
            return null;
        } catch (ClassCastException e) {
            throw new ModelworkException("The model builder does not take a CpModel: " + e.getMessage(), "build model",
                    "declare it as Function<CpModel, Map<String, Object>> or Consumer<CpModel>");
        }
    }

    private static ObjectNode reportExpressions(Object rep, CpModelProto proto) {
        if (rep instanceof ObjectNode on) return on; // restored from a checkpoint: already in expression form
        if (rep == null) return Json.object();
        if (rep instanceof Map<?, ?> mm) {
            ObjectNode o = Json.object();
            for (var e : mm.entrySet()) o.set(String.valueOf(e.getKey()), CpSatReport.toJson(String.valueOf(e.getKey()), e.getValue(), proto.getVariablesCount()));
            return o;
        }
        throw new ModelworkException("report= is a " + rep.getClass().getSimpleName() + ", not a map", "build report",
                "give Map.of(\"name\", intVar, \"starts\", intVarArray, ...)");
    }

    @Override public String spec() { return SPEC; }
    @Override public Problem problem() { return problem; }
    @Override public String engine() { return "OR-Tools " + OrTools.version() + " CP-SAT"; }
    @Override public boolean maximize() { return Solvers.maximizes(proto); }
    @Override public String modelFingerprint() { return CpSatReport.fingerprint(proto); }
    private boolean hasObjective() { return proto.hasObjective() || proto.hasFloatingPointObjective(); }

    @Override public void describe(StepReport r, ObjectNode size, Solvers.Params pr, Scaling sc) {
        r.body().put("model_source", source);
        r.body().put("model_fingerprint", modelFingerprint());
        size.put("variables", proto.getVariablesCount());
        size.put("constraints", proto.getConstraintsCount());
        size.put("objective", hasObjective() ? (Solvers.maximizes(proto) ? "maximize" : "minimize") : "none (satisfaction)");
        Map<String, Integer> kinds = new TreeMap<>();
        proto.getConstraintsList().forEach(c -> kinds.merge(c.getConstraintCase().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
        size.set("constraint_kinds", Json.MAPPER.valueToTree(kinds));
        List<String> names = new ArrayList<>();
        report.fieldNames().forEachRemaining(names::add);
        size.put("reported", String.join(", ", names));
        if (proto.hasSolutionHint()) r.note("the model carries a solution hint of " + proto.getSolutionHint().getVarsCount() + " variables (a resumed solution replaces it)");
        r.note("the model was copied at build: later changes to the CpModel need another build");
    }

    @Override public Solution solve(Scaling sc, Solvers.Params pr, Solution hint, Solvers.Listener l) {
        return Solvers.cpsat(proto, pr, hint == null ? null : hint.values(), l);
    }

    @Override public Validator.Check check(Solution s, Solvers.Params pr) { return Validator.cpsat(proto, s.values()); }

    @Override public Formulation forScenario(Problem q) {
        if (!(q instanceof Problem.CpSat c) || c.proto() == null)
            throw new ModelworkException("Scenario " + q.name() + " is not a CP-SAT model", "scenarios",
                    "with spec=" + SPEC + " scenarios must be CpModelProto files (.pb/.pbtxt)");
        return new CpSatFormulation(q, c.proto(), report, "scenario " + c.file());
    }

    @Override public String noSolutionNote(Solution s) {
        if (!s.status().equals("infeasible")) return Formulation.super.noSolutionNote(s);
        return "CP-SAT proved the model INFEASIBLE: no assignment satisfies all constraints. Relax or drop a constraint "
                + "(to find which, make constraints optional with enforcement literals and maximise how many hold); evaluate has nothing to check";
    }

    @Override public void evaluate(StepReport r, Solution s) {
        if (!hasObjective()) r.note("the model has no objective (satisfaction): objective is 0");
        ObjectNode values = CpSatReport.values(report, s.values());
        r.body().set("reported", values);
        r.table(CpSatReport.table(proto, report, values, s.values()));
    }

    @Override public SearchSpace tuneSpace(Args a, int threads) { return Formulation.workersSpace(a, threads); }

    /** Binary for CpSolver / {@code attach_dataset path=model.cpsat.pb}, text for reading and diffing. */
    @Override public List<String> exportModel(BundleWriter b, Scaling sc, Solvers.Params pr) {
        b.bytes("model.cpsat.pb", proto.toByteArray());
        b.text("model.cpsat.pbtxt", proto.toString());
        return List.of("model.cpsat.pb", "model.cpsat.pbtxt");
    }

    @Override public void exportSolution(ObjectNode sol, Solution s) {
        if (s != null && s.values() != null) sol.set("reported", CpSatReport.values(report, s.values()));
    }

    /** The CpModel object of the notebook is gone after resume: the checkpoint keeps its proto and the report expressions. */
    @Override public void save(ObjectNode json, StateWriter out) throws IOException {
        json.set("cpsat_report", report);
        json.put("cpsat_source", source);
        out.bytes("cpsat_model.pb", proto.toByteArray());
    }

    @Override public void restore(JsonNode json) {
        if (json.has("cpsat_source")) source = json.get("cpsat_source").asText() + " (restored from the checkpoint)";
    }
}
