package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.ortools.modelbuilder.ModelBuilder;
import io.modelwork.core.*;
import io.modelwork.session.*;
import io.modelwork.report.Chart;
import io.modelwork.report.StepReport;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * The lifecycle steps for optimization on Google OR-Tools: build defines variables, constraints and the objective,
 * fit solves. Instances: TSPLIB (TSP, CVRP), Solomon VRPTW, JSPLIB job-shop, LP/MPS. Specs:
 * {@code optimization.routing.tsp}, {@code optimization.routing.vrptw}, {@code optimization.cpsat.jobshop},
 * {@code optimization.mip}, and {@code optimization.cpsat}: any CP-SAT model built in Java (in a notebook cell) and
 * handed to build. Every solution is re-checked by {@link Validator}, independent of the solver.
 *
 * <h2>optimization.cpsat</h2>
 * <pre>{@code
 * session().attachDataset(Args.of("format", "cpsat", "name", "my-model"));   // no data file: the model is the data
 * session().prepareData(Args.empty()); session().split(Args.empty());        // both no-ops for this spec
 * CpModel m = new CpModel();  IntVar x = m.newIntVar(0, 10, "x"); ...  m.maximize(...);
 * session().build(Args.of("spec", "optimization.cpsat", "model", m, "report", Map.of("x", x)));
 * session().fit(Args.of("time_limit", 5, "workers", 2));
 * }</pre>
 * {@code model} is a {@code CpModel}, a {@code CpModelProto}, a path to a {@code .pb}/{@code .pbtxt} proto, or a
 * builder ({@code Function<CpModel, Map<String, ?>>} whose map is the report, or {@code Consumer<CpModel>}); without
 * {@code model}, build takes the proto attached as the dataset ({@code attach_dataset path=model.cpsat.pb}). The data
 * a model is built from may also be attached as usual (e.g. a JSPLIB file): it is fingerprinted, and its known
 * optimum gives evaluate a gap. {@code report} names variables or expressions (or arrays / lists of them) whose
 * values evaluate shows. The model is copied at build: changing the {@code CpModel} afterwards does not change it.
 */
public final class OptimizationWorkflow implements Workflow {

    /** Accepts the optimization formats by extension, folder, content or {@code format=}. */
    public static final class Factory implements Workflow.Factory {
        @Override public boolean accepts(Args a) {
            String format = a.getString("format", null);
            if (format != null) return Readers.detect(null, format) != null;
            String path = a.getString("path", null);
            if (path == null) return false;
            try {
                return Readers.detect(Path.of(path), null) != null;
            } catch (RuntimeException e) {
                return false;
            }
        }
        @Override public int priority() { return 10; }
        @Override public Workflow create(Session s) { return new OptimizationWorkflow(s); }
        @Override public Collection<String> recipeKeys(Step step) { return staticKeys(step); }
    }

    /** The model specs this workflow builds, with the instance kinds each accepts. */
    public static final Map<String, String> SPECS = new LinkedHashMap<>();
    static {
        SPECS.put("optimization.routing.tsp", "TSPLIB TSP (.tsp): routing library, one vehicle");
        SPECS.put("optimization.routing.vrptw", "Solomon VRPTW or TSPLIB CVRP (.vrp): routing library with capacity and time-window dimensions");
        SPECS.put("optimization.cpsat.jobshop", "JSPLIB job-shop: CP-SAT intervals, no-overlap per machine, makespan objective");
        SPECS.put("optimization.mip", "LP or MPS file: OR-Tools model builder with SCIP (or cbc, highs, cp_sat, glop)");
        SPECS.put("optimization.cpsat", "any CP-SAT model built in Java (build model=<CpModel>) or read from a CpModelProto file (.pb/.pbtxt)");
    }

    static final List<String> SOLVE_KEYS = List.of("time_limit", "gap", "workers", "first_solution", "metaheuristic", "vehicles",
            "vehicle_cost", "solver", "log_search", "target", "live");

    private final Session session;
    private Args attachArgs;
    private Path file;
    private Problem problem;
    private String fingerprint;
    private Validator.Issues issues;
    private BestKnown known;
    private Args prepareArgs = Args.empty();
    private Scaling scaling;
    private final List<Path> scenarioFiles = new ArrayList<>();
    private final List<Problem> scenarios = new ArrayList<>();
    private String spec;
    private Args buildArgs = Args.empty();
    private Args solveArgs = Args.empty();
    private ModelBuilder mipModel;
    private Validator.LinearModel linear;
    private com.google.ortools.sat.CpModelProto cpModel;
    private ObjectNode cpReport;
    private String cpSource;
    private double heldKarp = Double.NaN;
    private Solution solution;
    private Solution hint;
    private Validator.Check lastCheck;
    private ObjectNode calibration;
    private Path exportDir;
    private ObjectNode registered;

    OptimizationWorkflow(Session session) { this.session = session; }

    private RunContext ctx() { return session.context(); }

    public Problem problem() { return problem; }
    public Solution solution() { return solution; }
    public BestKnown bestKnown() { return known; }

    @Override
    public Collection<String> keys(Step step) {
        List<String> solve = new ArrayList<>(SOLVE_KEYS);
        return switch (step) {
            case ATTACH_DATASET -> List.of("path", "format", "name", "validate", "optimum");
            case PREPARE_DATA -> List.of("scale");
            case SPLIT -> List.of("scenarios");
            case BUILD -> { solve.add("spec"); solve.add("model"); solve.add("report"); yield solve; }
            case FIT -> { solve.add("use_hint"); yield solve; }
            case EVALUATE -> List.of();
            case TUNE -> List.of("first_solution", "metaheuristic", "workers", "solver", "trial_time", "trials", "apply");
            case BACKTEST -> List.of("time_limit");
            case CALIBRATE -> List.of("target_gap", "max_time", "safety", "apply");
            case EXPORT -> List.of("target");
            case REGISTER -> io.modelwork.registry.RegisterStep.KEYS;
            default -> List.of();
        };
    }

    /** Valid keys per step without a session (the recipe runner checks recipes before any work). */
    public static Collection<String> staticKeys(Step step) {
        return switch (step) {
            default -> new OptimizationWorkflow(null).keys(step);
        };
    }

    // ------------------------------------------------------------------ 2 attach

    @Override
    public StepReport attach(Args a) {
        if (!a.has("path") && "cpsat".equalsIgnoreCase(a.getString("format", ""))) {
            // optimization.cpsat without a data file: the model built in Java at build is the whole input
            file = null;
            problem = new Problem.CpSat(a.getString("name", "cpsat-model"), null, null);
            fingerprint = "none";
        } else {
            String path = a.requireString("path", "give the instance file, e.g. path=berlin52.tsp (or format=cpsat alone for a CP-SAT model built in Java)");
            file = Path.of(path).toAbsolutePath().normalize();
            String format = Readers.detect(file, a.getString("format", null));
            if (format == null)
                throw new ModelworkException("Cannot tell the optimization format of " + file, "attach_dataset path",
                        "give format=tsplib|cvrp|solomon|jsplib|lp|mps|cpsat");
            problem = Readers.read(file, format);
            if (a.has("name")) problem = rename(problem, a.getString("name", null));
            try {
                fingerprint = Session.sha256(file);
            } catch (IOException e) {
                throw new ModelworkException("Cannot read " + file, file.toString(), "check permissions");
            }
        }
        attachArgs = a;
        issues = Validator.inspect(problem);
        String mode = a.getString("validate", "error");
        if (!List.of("error", "warn").contains(mode))
            throw new ModelworkException("Bad validate '" + mode + "'", "attach_dataset validate", "use validate=error or validate=warn");
        if (!issues.errors().isEmpty() && mode.equals("error"))
            throw new ModelworkException("The instance is inconsistent: " + String.join("; ", issues.errors().subList(0, Math.min(5, issues.errors().size())))
                    + (issues.errors().size() > 5 ? " (and " + (issues.errors().size() - 5) + " more)" : ""), String.valueOf(file),
                    "fix the data, or attach with validate=warn to inspect it anyway (solving will then likely be infeasible)");
        known = a.has("optimum") ? new BestKnown(a.getDouble("optimum", Double.NaN), false, Double.NaN, 0, "attach_dataset optimum=")
                : BestKnown.lookup(problem, file);
        StepReport r = new StepReport("attach_dataset", "Instance " + problem.name());
        ObjectNode ds = r.body().putObject("dataset");
        ds.put("ref", file == null ? "none" : file.toString());
        ds.put("format", problem.format());
        ds.put("name", problem.name());
        ds.put("fingerprint", fingerprint);
        ds.put("task", "optimization");
        ds.put("default_spec", problem.defaultSpec());
        ObjectNode prof = r.body().putObject("profile");
        profile(problem, prof);
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
        rows.put("fingerprint", shortFingerprint(16));
        r.table(kv("Profile", rows));
        issues.errors().forEach(e -> r.note("error: " + e));
        issues.warnings().forEach(w -> r.note("warning: " + w));
        if (file == null) r.note("no dataset: build takes the CP-SAT model built in Java (model=<CpModel>); prepare_data and split are no-ops");
        return r;
    }

    /** The first n characters of the fingerprint, or all of it ("none" when no file is attached). */
    String shortFingerprint(int n) {
        return fingerprint.length() > n ? fingerprint.substring(0, n) + "…" : fingerprint;
    }

    private static Problem rename(Problem p, String name) {
        if (p instanceof Problem.Tsp t) return new Problem.Tsp(name, t.weightType(), t.x(), t.y(), t.dist(), t.comment());
        if (p instanceof Problem.Vrptw v) return new Problem.Vrptw(name, v.format(), v.x(), v.y(), v.demand(), v.ready(), v.due(), v.service(), v.vehicles(), v.capacity(), v.explicitDist());
        if (p instanceof Problem.JobShop j) return new Problem.JobShop(name, j.jobs(), j.machines(), j.machine(), j.duration());
        if (p instanceof Problem.CpSat c) return new Problem.CpSat(name, c.file(), c.proto());
        Problem.Mip m = (Problem.Mip) p;
        return new Problem.Mip(name, m.format(), m.file(), m.variables(), m.constraints(), m.integers());
    }

    static void profile(Problem p, ObjectNode o) {
        if (p instanceof Problem.Tsp t) {
            o.put("kind", "tsp");
            o.put("nodes", t.n());
            o.put("edge_weight_type", t.weightType());
            o.put("has_coordinates", t.x() != null);
        } else if (p instanceof Problem.Vrptw v) {
            o.put("kind", v.hasTimeWindows() ? "vrptw" : "cvrp");
            o.put("nodes", v.n());
            o.put("customers", v.n() - 1);
            o.put("vehicles", v.vehicles());
            o.put("capacity", v.capacity());
            o.put("total_demand", Arrays.stream(v.demand()).sum());
            if (v.hasTimeWindows()) o.put("horizon", v.due()[0]);
        } else if (p instanceof Problem.JobShop j) {
            o.put("kind", "jobshop");
            o.put("jobs", j.jobs());
            o.put("machines", j.machines());
            o.put("size", j.jobs() + " x " + j.machines());
            o.put("operations", Arrays.stream(j.machine()).mapToInt(r -> r.length).sum());
            o.put("sum_of_durations", j.horizon());
        } else if (p instanceof Problem.Mip m) {
            o.put("kind", "mip");
            o.put("variables", m.variables());
            o.put("constraints", m.constraints());
            o.put("integer_variables", m.integers());
            o.put("size", m.variables() + " x " + m.constraints());
        } else if (p instanceof Problem.CpSat c) {
            o.put("kind", "cpsat");
            if (c.proto() == null) o.put("dataset", "none (the model is built in Java and given to build)");
            else {
                o.put("variables", c.proto().getVariablesCount());
                o.put("constraints", c.proto().getConstraintsCount());
                o.put("has_objective", c.proto().hasObjective() || c.proto().hasFloatingPointObjective());
            }
        }
    }

    // ------------------------------------------------------------------ 3 prepare

    @Override
    public StepReport prepare(Args a) {
        double factor = a.getDouble("scale", 100);
        prepareArgs = a;
        scaling = Scaling.of(problem, factor);
        StepReport r = new StepReport("prepare_data", "Integer scaling");
        r.body().put("scale", scaling.factor());
        r.body().put("precision", scaling.precision());
        r.body().put("preprocessor_id", "scaling-" + (long) scaling.factor() + "-" + fingerprint.substring(0, Math.min(12, fingerprint.length())));
        if (problem instanceof Problem.Tsp t && isSymmetric(t.dist())) {
            heldKarp = HeldKarp.bound(t.dist(), 300);
            r.body().put("held_karp_bound", heldKarp);
            r.note(String.format(Locale.ROOT, "Held-Karp 1-tree lower bound %.2f (gives the routing results a gap)", heldKarp));
        }
        r.note("precision: " + scaling.precision());
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("scale", scaling.factor());
        rows.put("precision", scaling.precision());
        if (!Double.isNaN(heldKarp)) rows.put("Held-Karp bound", String.format(Locale.ROOT, "%.2f", heldKarp));
        r.table(kv("Preparation", rows));
        return r;
    }

    private static boolean isSymmetric(long[][] d) {
        for (int i = 0; i < d.length; i++) for (int j = 0; j < i; j++) if (d[i][j] != d[j][i]) return false;
        return true;
    }

    // ------------------------------------------------------------------ 4 split

    @Override
    public StepReport split(Args a) {
        scenarioFiles.clear();
        scenarios.clear();
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
            scenarioFiles.add(p);
            scenarios.add(q);
        }
        r.body().put("strategy", scenarios.isEmpty() ? "none" : "scenarios");
        ArrayNode arr = r.body().putArray("scenarios");
        arr.add(problem.name());
        scenarios.forEach(q -> arr.add(q.name()));
        if (scenarios.isEmpty())
            r.note("optimization has no train/test split: no-op (give scenarios=a.tsp,b.tsp to tune, calibrate and backtest over several instances)");
        else r.note((scenarios.size() + 1) + " scenarios: the attached instance plus " + scenarios.size() + "; tune stays on the attached one, calibrate and backtest use all");
        return r;
    }

    // ------------------------------------------------------------------ 5 build

    @Override
    public StepReport build(Args a) {
        String s = a.getString("spec", a.has("model") ? CPSAT : problem.defaultSpec());
        if (!SPECS.containsKey(s))
            throw new ModelworkException("Unknown model spec '" + s + "'", "build spec", "known optimization specs: " + SPECS.keySet());
        if (s.equals(CPSAT)) return buildCpSat(a);
        if (a.has("model") || a.has("report"))
            throw new ModelworkException("model= and report= belong to spec=" + CPSAT + ", not " + s, "build",
                    "use spec=" + CPSAT + " to solve your own CP-SAT model, or drop model=/report=");
        cpModel = null;
        if (!s.equals(problem.defaultSpec()))
            throw new ModelworkException("The spec " + s + " does not fit a " + problem.format() + " instance", "build spec",
                    "use spec=" + problem.defaultSpec() + " for this instance");
        spec = s;
        buildArgs = a.without(List.of("spec"));
        solveArgs = buildArgs;
        Solvers.Params pr = params(Args.empty());
        StepReport r = new StepReport("build", "Model " + spec);
        r.body().put("spec", spec);
        r.body().put("engine", "OR-Tools " + OrTools.version());
        r.body().set("parameters", pr.toJson());
        ObjectNode size = r.body().putObject("model_size");
        if (problem instanceof Problem.JobShop j) {
            Solvers.JobShopModel jm = Solvers.jobShopModel(j);
            String v = jm.model().validate();
            if (!v.isEmpty()) throw new ModelworkException("CP-SAT refuses the model: " + v, spec, "report this");
            size.put("variables", jm.model().model().getVariablesCount());
            size.put("constraints", jm.model().model().getConstraintsCount());
            r.note("variables: start/end per operation, interval per operation; constraints: job precedence, no-overlap per machine; objective: makespan");
        } else if (problem instanceof Problem.Mip m) {
            mipModel = Solvers.mipModel(m);
            linear = Solvers.linearModel(mipModel);
            size.put("variables", mipModel.numVariables());
            size.put("constraints", mipModel.numConstraints());
            size.put("integer_variables", m.integers());
            size.put("sense", linear.maximize() ? "maximize" : "minimize");
        } else {
            OrTools.load();
            boolean tsp = problem instanceof Problem.Tsp;
            int n = tsp ? ((Problem.Tsp) problem).n() : ((Problem.Vrptw) problem).n();
            size.put("nodes", n);
            size.put("vehicles", tsp ? 1 : (pr.vehicles() > 0 ? pr.vehicles() : ((Problem.Vrptw) problem).vehicles()));
            size.put("dimensions", tsp ? "none" : ((Problem.Vrptw) problem).hasTimeWindows() ? "Capacity, Time" : "Capacity");
            r.note("variables: next/vehicle per node; constraints: one visit per node"
                    + (tsp ? "" : ", capacity" + (((Problem.Vrptw) problem).hasTimeWindows() ? ", time windows (waiting allowed)" : ""))
                    + "; objective: total arc cost" + (tsp ? "" : " x" + (long) scaling.factor()));
        }
        r.table(kv("Model " + spec, flatten(r.body().get("parameters"), size)));
        return r;
    }

    static final String CPSAT = "optimization.cpsat";

    boolean isCpSat() { return CPSAT.equals(spec); }

    /** optimization.cpsat: takes the user's model (see the class javadoc), validates it with CP-SAT, copies it. */
    private StepReport buildCpSat(Args a) {
        OrTools.load();
        Object m = a.get("model");
        Object rep = a.get("report");
        com.google.ortools.sat.CpModelProto proto;
        String source;
        if (m == null) {
            if (problem instanceof Problem.CpSat c && c.proto() != null) { proto = c.proto(); source = "attached file " + c.file(); }
            else throw new ModelworkException("optimization.cpsat needs a model, and none was given", "build model",
                    "build your model in Java and pass it: session().build(Args.of(\"spec\", \"optimization.cpsat\", \"model\", cpModel)); "
                            + "or give model=path/to/model.pb|.pbtxt, or attach a CpModelProto file as the dataset");
        } else if (m instanceof com.google.ortools.sat.CpModel cm) { proto = cm.model(); source = "CpModel from Java"; }
        else if (m instanceof com.google.ortools.sat.CpModelProto p) { proto = p; source = "CpModelProto from Java"; }
        else if (m instanceof java.util.function.Function<?, ?> || m instanceof java.util.function.Consumer<?>) {
            com.google.ortools.sat.CpModel cm = new com.google.ortools.sat.CpModel();
            Object out;
            try {
                if (m instanceof java.util.function.Function<?, ?> f) {
                    @SuppressWarnings("unchecked") var ff = (java.util.function.Function<com.google.ortools.sat.CpModel, ?>) f;
                    out = ff.apply(cm);
                } else {
                    @SuppressWarnings("unchecked") var cc = (java.util.function.Consumer<com.google.ortools.sat.CpModel>) m;
                    cc.accept(cm);
                    out = null;
                }
            } catch (ClassCastException e) {
                throw new ModelworkException("The model builder does not take a CpModel: " + e.getMessage(), "build model",
                        "declare it as Function<CpModel, Map<String, Object>> or Consumer<CpModel>");
            }
            if (rep == null && out instanceof Map<?, ?>) rep = out;
            proto = cm.model();
            source = "builder " + m.getClass().getSimpleName();
        } else if (m instanceof String || m instanceof Path) {
            Path p = Path.of(String.valueOf(m)).toAbsolutePath().normalize();
            Problem q = Readers.read(p, "cpsat");
            proto = ((Problem.CpSat) q).proto();
            source = "file " + p;
        } else throw new ModelworkException("model= is a " + m.getClass().getName() + ", not a CP-SAT model", "build model",
                "give a com.google.ortools.sat.CpModel, a CpModelProto, a Function<CpModel, Map<String, ?>> / Consumer<CpModel> builder, or a .pb/.pbtxt path");
        if (proto.getVariablesCount() == 0)
            throw new ModelworkException("The CP-SAT model has no variables", "build model (" + source + ")",
                    "add variables and constraints to the CpModel before build (build copies the model at that moment)");
        com.google.ortools.sat.CpModel check = new com.google.ortools.sat.CpModel();
        check.getBuilder().mergeFrom(proto);
        String invalid = check.validate();
        if (!invalid.isEmpty())
            throw new ModelworkException("CP-SAT refuses the model: " + invalid, "build model (" + source + ")",
                    "fix the constraint named in the message (its variables, domains or coefficients)");
        ObjectNode reportExprs;
        if (rep instanceof ObjectNode on) reportExprs = on; // restored from a checkpoint: already in expression form
        else if (rep == null) reportExprs = Json.object();
        else if (rep instanceof Map<?, ?> mm) {
            reportExprs = Json.object();
            for (var e : mm.entrySet()) reportExprs.set(String.valueOf(e.getKey()), CpSatReport.toJson(String.valueOf(e.getKey()), e.getValue(), proto.getVariablesCount()));
        } else throw new ModelworkException("report= is a " + rep.getClass().getSimpleName() + ", not a map", "build report",
                "give Map.of(\"name\", intVar, \"starts\", intVarArray, ...)");
        spec = CPSAT;
        cpModel = proto;
        cpReport = reportExprs;
        cpSource = source;
        mipModel = null;
        linear = null;
        buildArgs = a.without(List.of("spec", "model", "report"));
        solveArgs = buildArgs;
        Solvers.Params pr = params(Args.empty());
        StepReport r = new StepReport("build", "Model " + spec);
        r.body().put("spec", spec);
        r.body().put("engine", "OR-Tools " + OrTools.version() + " CP-SAT");
        r.body().put("model_source", source);
        r.body().put("model_fingerprint", CpSatReport.fingerprint(proto));
        r.body().set("parameters", pr.toJson());
        ObjectNode size = r.body().putObject("model_size");
        size.put("variables", proto.getVariablesCount());
        size.put("constraints", proto.getConstraintsCount());
        size.put("objective", proto.hasObjective() || proto.hasFloatingPointObjective() ? (Solvers.maximizes(proto) ? "maximize" : "minimize") : "none (satisfaction)");
        Map<String, Integer> kinds = new TreeMap<>();
        proto.getConstraintsList().forEach(c -> kinds.merge(c.getConstraintCase().name().toLowerCase(Locale.ROOT), 1, Integer::sum));
        size.set("constraint_kinds", Json.MAPPER.valueToTree(kinds));
        size.put("reported", String.join(", ", iterable(reportExprs.fieldNames())));
        if (proto.hasSolutionHint()) r.note("the model carries a solution hint of " + proto.getSolutionHint().getVarsCount() + " variables (a resumed solution replaces it)");
        r.note("the model was copied at build: later changes to the CpModel need another build");
        r.table(kv("Model " + spec, flatten(r.body().get("parameters"), size)));
        return r;
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> l = new ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    boolean maximize() {
        if (isCpSat() && cpModel != null) return Solvers.maximizes(cpModel);
        return linear != null && linear.maximize();
    }

    private static Map<String, Object> flatten(JsonNode... nodes) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonNode n : nodes) n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    /** The solve parameters: session seed/threads, then build args, then {@code over}. */
    Solvers.Params params(Args over) {
        Map<String, Object> m = new LinkedHashMap<>(solveArgs.asMap());
        over.asMap().forEach((k, v) -> { if (SOLVE_KEYS.contains(k)) m.put(k, v); });
        Args a = Args.from(m);
        double tl = a.getDouble("time_limit", calibration != null && calibration.has("time_limit") ? calibration.get("time_limit").asDouble() : 10);
        if (!(tl > 0)) throw new ModelworkException("time_limit must be positive (seconds)", "time_limit", "e.g. time_limit=10");
        String fs = a.getString("first_solution", null), mh = a.getString("metaheuristic", null);
        if (fs != null && !Solvers.FIRST_SOLUTION.contains(fs.toLowerCase(Locale.ROOT)))
            throw new ModelworkException("Unknown first_solution '" + fs + "'", "first_solution", "use one of " + Solvers.FIRST_SOLUTION);
        if (mh != null && !Solvers.METAHEURISTICS.contains(mh.toLowerCase(Locale.ROOT)))
            throw new ModelworkException("Unknown metaheuristic '" + mh + "'", "metaheuristic", "use one of " + Solvers.METAHEURISTICS);
        return new Solvers.Params(tl, a.getDouble("gap", 0), a.getInt("workers", ctx().threads()), ctx().seedFor("solve") % 1_000_000_007L,
                fs == null ? null : fs.toLowerCase(Locale.ROOT), mh == null ? null : mh.toLowerCase(Locale.ROOT), a.getInt("vehicles", 0),
                a.getDouble("target", Double.NaN), a.getBool("log_search", false), a.getString("solver", null), a.getLong("vehicle_cost", 0),
                a.getBool("live", true));
    }

    // ------------------------------------------------------------------ 6 fit

    @Override
    public StepReport fit(Args a) {
        Solvers.Params pr = params(a);
        boolean useHint = a.getBool("use_hint", true);
        solution = solve(problem, scaling, pr, useHint ? hint : null, true);
        StepReport r = new StepReport("fit", "Solve: " + solution.status());
        ObjectNode o = solution.toJson();
        o.remove("routes"); o.remove("starts"); o.remove("values");
        r.body().setAll(o);
        r.body().put("spec", spec);
        r.body().put("best_checkpoint", "save_checkpoint keeps the best solution; resume uses it as a hint");
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("status", solution.status());
        rows.put("stopped by", solution.stoppedBy());
        rows.put("objective", fmt(solution.objective()));
        rows.put("best bound", fmt(solution.bound()));
        rows.put("gap", Double.isNaN(solution.gap()) ? "—" : String.format(Locale.ROOT, "%.4f%%", 100 * solution.gap()));
        rows.put("time to first solution (s)", fmt(solution.timeToFirst()));
        rows.put("solve time (s)", fmt(solution.seconds()));
        rows.put("solutions found", solution.trace().stream().filter(p -> !Double.isNaN(p[1])).count());
        rows.put("started from a hint", solution.parameters().path("hinted").asBoolean(false));
        r.table(kv("Solve", rows));
        r.chart(objectiveChart(solution));
        if (problem instanceof Problem.Mip && !isCpSat()) r.note("progress: " + solution.parameters().path("progress").asText()
                + " — the model builder has no solution callback in Java (see solver.log; live=false solves in one call)");
        if (isCpSat() && solution.status().equals("infeasible"))
            r.note("CP-SAT proved the model INFEASIBLE: no assignment satisfies all constraints. Relax or drop a constraint "
                    + "(to find which, make constraints optional with enforcement literals and maximise how many hold); evaluate has nothing to check");
        else if (!solution.hasSolution()) r.note("no solution: " + solution.status() + (solution.status().equals("timeout") ? " (raise time_limit)" : ""));
        return r;
    }

    /** One solve with the live progress display. */
    private Solution solve(Problem p, Scaling sc, Solvers.Params pr, Solution hintFrom, boolean show) {
        Progress progress = show ? session.progress() : Progress.silent();
        long limitMs = Math.max(1, Math.round(pr.timeLimit() * 1000));
        Solvers.Listener l = (t, obj, bound) -> progress.update("fit", (int) Math.min(limitMs, Math.round(t * 1000)), (int) limitMs,
                String.format(Locale.ROOT, "t=%.2fs objective %s bound %s", t, fmt(obj), fmt(bound)));
        Solution s;
        if (isCpSat()) {
            com.google.ortools.sat.CpModelProto proto = p == problem ? cpModel : p instanceof Problem.CpSat c ? c.proto() : null;
            if (proto == null)
                throw new ModelworkException("Scenario " + p.name() + " is not a CP-SAT model", "scenarios",
                        "with spec=" + CPSAT + " scenarios must be CpModelProto files (.pb/.pbtxt)");
            s = Solvers.cpsat(proto, pr, hintFrom == null ? null : hintFrom.values(), l);
        } else if (p instanceof Problem.JobShop j) s = Solvers.jobShop(j, pr, hintFrom == null ? null : hintFrom.starts(), l);
        else if (p instanceof Problem.Mip m) {
            ModelBuilder mb = p == problem ? mipModel : Solvers.mipModel(m);
            Validator.LinearModel lm = p == problem ? linear : Solvers.linearModel(mb);
            s = Solvers.mip(m, mb, lm, pr, hintFrom == null ? null : hintFrom.values(), l);
        } else {
            double hk = p == problem ? heldKarp : (p instanceof Problem.Tsp t && isSymmetric(t.dist()) ? HeldKarp.bound(t.dist(), 300) : Double.NaN);
            s = Solvers.routing(p, sc, pr, hintFrom == null ? null : hintFrom.routes(), hk, l);
        }
        progress.finished("fit", s.status() + ", objective " + fmt(s.objective()) + ", bound " + fmt(s.bound())
                + String.format(Locale.ROOT, " in %.2fs", s.seconds()));
        return s;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "—";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        return String.format(Locale.ROOT, "%.4f", v);
    }

    // ------------------------------------------------------------------ 7 evaluate

    @Override
    public StepReport evaluate(Args a) {
        if (solution == null || !solution.hasSolution())
            throw new ModelworkException("There is no solution to evaluate (fit status: " + (solution == null ? "none" : solution.status()) + ")",
                    "evaluate", "fit again with a longer time_limit, or check the instance's validation report");
        Validator.Check c = check(problem, solution, params(Args.empty()));
        lastCheck = c;
        StepReport r = new StepReport("evaluate", "Evaluation");
        ObjectNode m = r.body().putObject("metrics");
        m.put("objective", c.objective());
        Solution.num(m, "solver_objective", solution.objective());
        Solution.num(m, "bound", solution.bound());
        Solution.num(m, "gap", solution.gap());
        m.put("violations", c.violations());
        m.put("status", solution.status());
        Solution.num(m, "time_to_first_solution_s", solution.timeToFirst());
        m.put("solve_seconds", solution.seconds());
        c.extra().forEach(m::put);
        if (known != null) {
            m.put("known_optimum", known.value());
            m.put("known_optimum_proven", known.proven());
            m.put("gap_to_known", (c.objective() - known.value()) / Math.abs(known.value()));
            if (known.vehicles() > 0) m.put("known_vehicles", known.vehicles());
        }
        r.body().set("violation_details", Json.MAPPER.valueToTree(c.details()));
        Map<String, Object> rows = new LinkedHashMap<>();
        m.fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue().isNumber() ? fmt(e.getValue().asDouble()) : e.getValue().asText()));
        r.table(kv("Metrics (objective recomputed by the independent validator)", rows));
        if (c.violations() > 0) r.note("CONSTRAINT VIOLATIONS: " + c.violations() + " — " + String.join("; ", c.details()));
        else r.note("independent validator: 0 constraint violations");
        if (Math.abs(c.objective() - solution.objective()) > 1e-6 * Math.max(1, Math.abs(c.objective())))
            r.note(String.format(Locale.ROOT, "the validator's objective %.4f differs from the solver's %.4f (integer scaling of %s)",
                    c.objective(), solution.objective(), scaling.precision()));
        if (isCpSat()) {
            if (!(cpModel.hasObjective() || cpModel.hasFloatingPointObjective())) r.note("the model has no objective (satisfaction): objective is 0");
            ObjectNode values = CpSatReport.values(cpReport, solution.values());
            r.body().set("reported", values);
            r.table(CpSatReport.table(cpModel, cpReport, values, solution.values()));
        }
        r.chart(objectiveChart(solution));
        Chart extra = solutionChart();
        if (extra != null) r.chart(extra);
        if (solution.routes() != null) r.table(routeTable());
        return r;
    }

    Validator.Check check(Problem p, Solution s, Solvers.Params pr) {
        if (isCpSat()) return Validator.cpsat(p == problem ? cpModel : ((Problem.CpSat) p).proto(), s.values());
        if (p instanceof Problem.Tsp t) {
            int[] route = s.routes().get(0);
            int[] tour = new int[route.length + 1];
            System.arraycopy(route, 0, tour, 1, route.length);
            return Validator.tsp(t, tour);
        }
        if (p instanceof Problem.Vrptw v) return Validator.vrptw(v, s.routes(), pr.vehicles() > 0 ? pr.vehicles() : v.vehicles());
        if (p instanceof Problem.JobShop j) return Validator.jobShop(j, s.starts());
        Validator.LinearModel lm = p == problem ? linear : Solvers.linearModel(Solvers.mipModel((Problem.Mip) p));
        return Validator.mip(lm, s.values());
    }

    private static Chart objectiveChart(Solution s) {
        List<double[]> pts = s.trace().stream().filter(p -> !Double.isNaN(p[1])).toList();
        List<double[]> bpts = s.trace().stream().filter(p -> !Double.isNaN(p[2])).toList();
        List<Chart.Series> series = new ArrayList<>();
        series.add(Chart.Series.line("objective", pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()));
        if (!bpts.isEmpty())
            series.add(Chart.Series.dashed("bound", bpts.stream().mapToDouble(p -> p[0]).toArray(), bpts.stream().mapToDouble(p -> p[2]).toArray()));
        return Chart.line("objective_vs_time", "Objective and bound over time", "seconds", "objective", series);
    }

    private Chart solutionChart() {
        if (solution.routes() != null) {
            double[] x, y;
            if (problem instanceof Problem.Tsp t) { x = t.x(); y = t.y(); } else { x = ((Problem.Vrptw) problem).x(); y = ((Problem.Vrptw) problem).y(); }
            if (x == null) return null;
            List<Chart.Series> series = new ArrayList<>();
            series.add(Chart.Series.markers("nodes", Arrays.copyOfRange(x, 1, x.length), Arrays.copyOfRange(y, 1, y.length)));
            series.add(Chart.Series.markers("depot", new double[]{x[0]}, new double[]{y[0]}));
            int k = 0;
            for (int[] route : solution.routes()) {
                k++;
                if (route.length == 0) continue;
                double[] rx = new double[route.length + 2], ry = new double[route.length + 2];
                rx[0] = x[0]; ry[0] = y[0];
                for (int i = 0; i < route.length; i++) { rx[i + 1] = x[route[i]]; ry[i + 1] = y[route[i]]; }
                rx[route.length + 1] = x[0]; ry[route.length + 1] = y[0];
                series.add(Chart.Series.line(problem instanceof Problem.Tsp ? "tour" : "route " + k, rx, ry));
            }
            return Chart.scatter("route_map", "Routes (" + problem.name() + ")", "x", "y", series);
        }
        if (solution.starts() != null && problem instanceof Problem.JobShop j) {
            List<Chart.Series> series = new ArrayList<>();
            for (int a = 0; a < j.machine().length; a++)
                for (int k = 0; k < j.machine()[a].length; k++) {
                    double s = solution.starts()[a][k], e = s + j.duration()[a][k], m = j.machine()[a][k];
                    series.add(Chart.Series.line("job " + a + " op " + k, new double[]{s, e}, new double[]{m, m}));
                }
            return Chart.line("gantt", "Gantt chart (one segment per operation; y = machine)", "time", "machine", series);
        }
        return null;
    }

    private Table routeTable() {
        Table t = Table.create("Routes");
        StringColumn id = StringColumn.create("route"), stops = StringColumn.create("stops"), len = StringColumn.create("length"),
                seq = StringColumn.create("sequence");
        int k = 0;
        for (int[] route : solution.routes()) {
            k++;
            if (route.length == 0) continue;
            double l = 0;
            int prev = 0;
            for (int c : route) { l += dist(prev, c); prev = c; }
            l += dist(prev, 0);
            id.append(String.valueOf(k));
            stops.append(String.valueOf(route.length));
            len.append(fmt(Math.round(l * 1e4) / 1e4));
            StringBuilder sb = new StringBuilder(problem instanceof Problem.Tsp ? "1" : "0");
            for (int c : route) sb.append(' ').append(problem instanceof Problem.Tsp ? c + 1 : c);
            sb.append(problem instanceof Problem.Tsp ? " 1" : " 0");
            seq.append(sb.length() > 400 ? sb.substring(0, 400) + "…" : sb.toString());
        }
        t.addColumns(id, stops, len, seq);
        return t;
    }

    private double dist(int i, int j) {
        if (problem instanceof Problem.Tsp t) return t.dist()[i][j];
        return ((Problem.Vrptw) problem).distance(i, j);
    }

    // ------------------------------------------------------------------ 8 tune

    @Override
    public StepReport tune(Args a) {
        double trialTime = a.getDouble("trial_time", 1.0);
        int maxTrials = a.getInt("trials", 12);
        boolean apply = a.getBool("apply", true);
        List<Map<String, Object>> grid = new ArrayList<>();
        if (problem instanceof Problem.Tsp || problem instanceof Problem.Vrptw) {
            List<String> fs = a.getList("first_solution");
            if (fs.isEmpty()) fs = problem instanceof Problem.Tsp ? List.of("path_cheapest_arc", "savings", "christofides")
                    : List.of("parallel_cheapest_insertion", "local_cheapest_insertion", "savings");
            List<String> mh = a.getList("metaheuristic");
            if (mh.isEmpty()) mh = List.of("guided_local_search", "simulated_annealing", "tabu_search");
            for (String f : fs) for (String m : mh) grid.add(new LinkedHashMap<>(Map.of("first_solution", f, "metaheuristic", m)));
        } else if (problem instanceof Problem.JobShop || isCpSat()) {
            List<String> w = a.getList("workers");
            if (w.isEmpty()) {
                Set<Integer> ws = new TreeSet<>(List.of(1, 2, Math.max(1, ctx().threads()), 8));
                w = ws.stream().map(String::valueOf).toList();
            }
            for (String x : w) grid.add(new LinkedHashMap<>(Map.of("workers", Integer.parseInt(x.trim()))));
        } else {
            List<String> s = a.getList("solver");
            if (s.isEmpty()) s = List.of("scip", "cp_sat");
            for (String x : s) grid.add(new LinkedHashMap<>(Map.of("solver", x)));
        }
        if (grid.size() > maxTrials) grid = grid.subList(0, maxTrials);
        boolean maximize = maximize();
        StepReport r = new StepReport("tune", "Search-strategy tuning");
        ArrayNode hist = r.body().putArray("history");
        Table t = Table.create("Trials (objective at time_limit=" + trialTime + " s)");
        StringColumn cfg = StringColumn.create("config"), obj = StringColumn.create("objective"), st = StringColumn.create("status"),
                tb = StringColumn.create("time to best (s)"), viol = StringColumn.create("violations");
        Map<String, Object> best = null;
        double bestObj = Double.NaN, bestTime = Double.NaN;
        int trial = 0;
        for (Map<String, Object> g : grid) {
            trial++;
            Map<String, Object> over = new LinkedHashMap<>(g);
            over.put("time_limit", trialTime);
            over.put("target", Double.NaN);
            Solvers.Params pr = params(Args.from(over));
            pr = new Solvers.Params(pr.timeLimit(), pr.gap(), pr.workers(), pr.seed(), pr.firstSolution(), pr.metaheuristic(),
                    pr.vehicles(), Double.NaN, pr.logSearch(), pr.solver(), pr.vehicleCost(), pr.live());
            Solution s;
            try {
                s = solve(problem, scaling, pr, null, false);
            } catch (RuntimeException e) {
                s = null;
            }
            double o = Double.NaN, tBest = Double.NaN;
            int v = -1;
            if (s != null && s.hasSolution()) {
                Validator.Check c = check(problem, s, pr);
                o = c.objective();
                v = c.violations();
                final double so = s.objective();
                tBest = s.trace().stream().filter(p -> !Double.isNaN(p[1]) && Math.abs(p[1] - so) < 1e-9).mapToDouble(p -> p[0]).findFirst().orElse(s.seconds());
            }
            ObjectNode h = hist.addObject();
            h.put("trial", trial);
            h.set("config", Json.MAPPER.valueToTree(g));
            Solution.num(h, "objective", o);
            Solution.num(h, "time_to_best_s", tBest);
            h.put("status", s == null ? "error" : s.status());
            h.put("violations", v);
            cfg.append(g.toString()); obj.append(fmt(o)); st.append(s == null ? "error" : s.status()); tb.append(fmt(tBest)); viol.append(String.valueOf(v));
            session.progress().update("tune", trial, grid.size(), g + " -> " + fmt(o));
            boolean better = !Double.isNaN(o) && v == 0 && (Double.isNaN(bestObj) || (maximize ? o > bestObj + 1e-9 : o < bestObj - 1e-9)
                    || (Math.abs(o - bestObj) <= 1e-9 && tBest < bestTime));
            if (better) { best = g; bestObj = o; bestTime = tBest; }
        }
        session.progress().finished("tune", "best " + best + " objective " + fmt(bestObj));
        t.addColumns(cfg, obj, tb, st, viol);
        r.table(t);
        r.body().put("target_metric", "objective at time_limit=" + trialTime + " s (" + (maximize ? "max" : "min") + "; ties: earlier time to best)");
        r.body().put("trials", grid.size());
        if (best != null) {
            r.body().set("best_config", Json.MAPPER.valueToTree(best));
            r.body().put("best_objective", bestObj);
            if (apply) {
                Map<String, Object> m = new LinkedHashMap<>(solveArgs.asMap());
                m.putAll(best);
                solveArgs = Args.from(m);
                r.note("best config applied to the following fits: " + best);
            }
        } else r.note("no trial found a valid solution within " + trialTime + " s: raise trial_time");
        return r;
    }

    // ------------------------------------------------------------------ 9 backtest

    @Override
    public StepReport backtest(Args a) {
        StepReport r = new StepReport("backtest", "Scenario replay");
        if (scenarios.isEmpty()) {
            r.body().put("scenarios", 0);
            r.note("no scenarios (split scenarios=...): nothing to replay for a single instance");
            return r;
        }
        Solvers.Params pr = params(a.has("time_limit") ? Args.of("time_limit", a.getDouble("time_limit", 10)) : Args.empty());
        ArrayNode arr = r.body().putArray("windows");
        Table t = Table.create("Per scenario");
        StringColumn n = StringColumn.create("scenario"), o = StringColumn.create("objective"), st = StringColumn.create("status"),
                g = StringColumn.create("gap to known"), v = StringColumn.create("violations");
        for (int i = 0; i < scenarios.size(); i++) {
            Problem q = scenarios.get(i);
            Scaling sc = Scaling.of(q, scaling.factor());
            Solution s = solve(q, sc, pr, null, false);
            Validator.Check c = s.hasSolution() ? check(q, s, pr) : null;
            BestKnown k = BestKnown.lookup(q, scenarioFiles.get(i));
            ObjectNode w = arr.addObject();
            w.put("scenario", q.name());
            w.put("status", s.status());
            Solution.num(w, "objective", c == null ? Double.NaN : c.objective());
            w.put("violations", c == null ? -1 : c.violations());
            double gk = c == null || k == null ? Double.NaN : (c.objective() - k.value()) / Math.abs(k.value());
            Solution.num(w, "gap_to_known", gk);
            n.append(q.name()); o.append(fmt(c == null ? Double.NaN : c.objective())); st.append(s.status());
            g.append(Double.isNaN(gk) ? "—" : String.format(Locale.ROOT, "%.3f%%", 100 * gk)); v.append(c == null ? "—" : String.valueOf(c.violations()));
        }
        t.addColumns(n, o, st, g, v);
        r.table(t);
        return r;
    }

    // ------------------------------------------------------------------ 10 calibrate

    /**
     * The time limit that reaches a target gap: one run per scenario with a stopping target at the reference
     * ({@code (1 + target_gap) x} the known optimum, else the best bound), reading off the time the trace first meets
     * it. The recommended limit is the slowest scenario times {@code safety}.
     */
    @Override
    public StepReport calibrate(Args a) {
        double targetGap = a.getDouble("target_gap", 0.01);
        double maxTime = a.getDouble("max_time", params(Args.empty()).timeLimit());
        double safety = a.getDouble("safety", 1.5);
        boolean apply = a.getBool("apply", true);
        List<Problem> all = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        all.add(problem); files.add(file);
        all.addAll(scenarios); files.addAll(scenarioFiles);
        StepReport r = new StepReport("calibrate", "Time limit for a " + 100 * targetGap + "% gap");
        ArrayNode arr = r.body().putArray("scenarios");
        Table t = Table.create("Time to reach the target gap");
        StringColumn n = StringColumn.create("scenario"), ref = StringColumn.create("reference"), tt = StringColumn.create("time to target (s)"),
                fin = StringColumn.create("final objective");
        double worst = 0;
        boolean allReached = true;
        boolean maximize = maximize();
        for (int i = 0; i < all.size(); i++) {
            Problem q = all.get(i);
            BestKnown k = i == 0 ? known : BestKnown.lookup(q, files.get(i));
            Scaling sc = i == 0 ? scaling : Scaling.of(q, scaling.factor());
            double reference = k != null ? k.value() : Double.NaN;
            double target = Double.isNaN(reference) ? Double.NaN : (maximize ? reference * (1 - targetGap) : reference * (1 + targetGap));
            Solvers.Params base = params(Args.of("time_limit", maxTime));
            Solvers.Params pr = new Solvers.Params(maxTime, q instanceof Problem.Tsp || q instanceof Problem.Vrptw ? 0 : targetGap, base.workers(), base.seed(),
                    base.firstSolution(), base.metaheuristic(), base.vehicles(), target, false, base.solver(), base.vehicleCost(), base.live());
            Solution s = solve(q, sc, pr, null, false);
            double reached = Double.NaN;
            String refText;
            if (!Double.isNaN(target)) {
                refText = "known " + fmt(reference);
                for (double[] p : s.trace()) if (!Double.isNaN(p[1]) && (maximize ? p[1] >= target - 1e-9 : p[1] <= target + 1e-9)) { reached = p[0]; break; }
            } else {
                refText = "bound";
                for (double[] p : s.trace())
                    if (!Double.isNaN(p[1]) && !Double.isNaN(p[2]) && Math.abs(p[1] - p[2]) <= targetGap * Math.abs(p[1])) { reached = p[0]; break; }
            }
            if (Double.isNaN(reached) && s.hasSolution() && s.trace().isEmpty() && !Double.isNaN(s.gap()) && s.gap() <= targetGap) reached = s.seconds();
            if (Double.isNaN(reached)) allReached = false; else worst = Math.max(worst, reached);
            ObjectNode o = arr.addObject();
            o.put("scenario", q.name());
            o.put("reference", refText);
            Solution.num(o, "time_to_target_s", reached);
            Solution.num(o, "final_objective", s.objective());
            n.append(q.name()); ref.append(refText); tt.append(Double.isNaN(reached) ? "not reached in " + maxTime + " s" : fmt(Math.round(reached * 1000) / 1000.0));
            fin.append(fmt(s.objective()));
        }
        t.addColumns(n, ref, tt, fin);
        r.table(t);
        double limit = allReached ? Math.max(0.1, Math.ceil(worst * safety * 10) / 10.0) : maxTime;
        calibration = Json.object();
        calibration.put("method", "time_to_target_gap");
        calibration.put("target_gap", targetGap);
        calibration.put("time_limit", limit);
        calibration.put("all_reached", allReached);
        calibration.put("safety", safety);
        calibration.put("slowest_time_to_target_s", worst);
        r.body().set("calibration", calibration);
        AtomicFiles.writeString(ctx().runDir().resolve("artifacts/calibration.json"), Json.write(calibration));
        if (apply && allReached) {
            Map<String, Object> m = new LinkedHashMap<>(solveArgs.asMap());
            m.put("time_limit", limit);
            solveArgs = Args.from(m);
        }
        r.note(allReached ? String.format(Locale.ROOT, "time_limit=%.1f s reaches a %.2f%% gap on every scenario (slowest %.2f s x safety %.1f)%s",
                limit, 100 * targetGap, worst, safety, apply ? "; applied to later fits" : "")
                : "the target gap was not reached on every scenario within max_time=" + maxTime + " s: raise max_time or the target gap");
        return r;
    }

    // ------------------------------------------------------------------ 12-14 export, register, artifacts

    @Override
    public StepReport export(Args a) {
        if (solution == null) throw new ModelworkException("Nothing to export", "export", "run fit first");
        Path target = a.has("target") ? Path.of(a.getString("target", null)) : ctx().runDir().resolve("export");
        exportDir = OptimizationExport.export(this, target.toAbsolutePath().normalize());
        StepReport r = new StepReport("export", "Export bundle");
        r.body().put("path", exportDir.toString());
        try {
            r.body().set("manifest", Json.MAPPER.readTree(exportDir.resolve("artifact_manifest.json").toFile()));
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the manifest just written", exportDir.toString(), "check the disk");
        }
        Table t = Table.create("Artifact manifest (" + exportDir + ")");
        StringColumn f = StringColumn.create("file"), h = StringColumn.create("sha256"), s = StringColumn.create("bytes");
        for (JsonNode e : r.body().get("manifest").get("files")) {
            f.append(e.get("path").asText()); h.append(e.get("sha256").asText().substring(0, 16) + "…"); s.append(e.get("size").asText());
        }
        t.addColumns(f, s, h);
        r.table(t);
        return r;
    }

    @Override
    public StepReport register(Args a) {
        StepReport r = OptimizationExport.register(this, a);
        registered = (ObjectNode) r.body().get("model_version");
        return r;
    }

    @Override
    public StepReport artifacts(Args a) { return OptimizationExport.artifacts(this, registered); }

    // accessors for OptimizationExport
    Session session() { return session; }
    Path file() { return file; }
    String fingerprint() { return fingerprint; }
    String spec() { return spec; }
    Scaling scaling() { return scaling; }
    ModelBuilder mipModel() { return mipModel; }
    com.google.ortools.sat.CpModelProto cpModel() { return cpModel; }
    ObjectNode cpReport() { return cpReport; }
    Path exportDir() { return exportDir; }
    Validator.Check lastCheck() { return lastCheck; }
    ObjectNode calibrationJson() { return calibration; }
    Solution hint() { return hint; }

    // ------------------------------------------------------------------ 11 checkpoints

    @Override
    public void saveState(Path dir) {
        ObjectNode s = Json.object();
        s.put("format", "modelwork.optimization/1");
        s.set("attach_args", Json.MAPPER.valueToTree(attachArgs == null ? Map.of() : attachArgs.asMap()));
        s.put("fingerprint", fingerprint == null ? "" : fingerprint);
        s.set("prepare_args", Json.MAPPER.valueToTree(prepareArgs.asMap()));
        ArrayNode sc = s.putArray("scenarios");
        scenarioFiles.forEach(p -> sc.add(p.toString()));
        if (spec != null) s.put("spec", spec);
        s.set("build_args", Json.args(buildArgs.asMap()));
        s.set("solve_args", Json.args(solveArgs.asMap()));
        if (isCpSat()) {
            s.set("cpsat_report", cpReport);
            s.put("cpsat_source", cpSource);
        }
        if (calibration != null) s.set("calibration", calibration);
        Solution best = best();
        if (best != null && best.hasSolution()) s.set("best_solution", best.toJson());
        try {
            if (isCpSat()) Files.write(dir.resolve("cpsat_model.pb"), cpModel.toByteArray());
            Files.writeString(dir.resolve("optimization.json"), Json.write(s));
            if (best != null && best.log() != null) Files.writeString(dir.resolve("solver.log"), best.log());
        } catch (IOException e) {
            throw new ModelworkException("Cannot write the optimization state: " + e.getMessage(), dir.toString(), "check the disk");
        }
    }

    /** The best solution seen: the last fit's or the resumed one's, whichever is better. */
    Solution best() {
        if (solution == null || !solution.hasSolution()) return hint;
        if (hint == null || !hint.hasSolution()) return solution;
        boolean max = maximize();
        return (max ? solution.objective() >= hint.objective() : solution.objective() <= hint.objective()) ? solution : hint;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void restoreState(Path dir) {
        JsonNode s;
        try {
            s = Json.MAPPER.readTree(dir.resolve("optimization.json").toFile());
        } catch (IOException e) {
            throw new ModelworkException("The checkpoint's optimization.json is unreadable", dir.toString(), "resume from another checkpoint");
        }
        attach(Args.from(Json.MAPPER.convertValue(s.get("attach_args"), Map.class)));
        if (!fingerprint.equals(s.path("fingerprint").asText()))
            throw new ModelworkException("The instance changed since the checkpoint", String.valueOf(file),
                    "restore the original file, or start a new session on the new one");
        prepare(Args.from(Json.MAPPER.convertValue(s.get("prepare_args"), Map.class)));
        List<String> sc = new ArrayList<>();
        s.path("scenarios").forEach(x -> sc.add(x.asText()));
        split(sc.isEmpty() ? Args.empty() : Args.of("scenarios", sc));
        if (s.has("spec")) {
            Map<String, Object> b = new LinkedHashMap<>(Json.MAPPER.convertValue(s.get("build_args"), Map.class));
            b.put("spec", s.get("spec").asText());
            if (CPSAT.equals(s.get("spec").asText())) {
                // the CpModel object of the notebook is gone: the checkpoint keeps its proto and the report expressions
                b.put("model", dir.resolve("cpsat_model.pb").toString());
                b.put("report", s.get("cpsat_report"));
            }
            build(Args.from(b));
            if (s.has("cpsat_source")) cpSource = s.get("cpsat_source").asText() + " (restored from the checkpoint)";
            solveArgs = Args.from(Json.MAPPER.convertValue(s.get("solve_args"), Map.class));
        }
        if (s.has("calibration")) calibration = (ObjectNode) s.get("calibration");
        JsonNode b = s.get("best_solution");
        if (b != null) {
            List<int[]> routes = null;
            if (b.has("routes")) {
                routes = new ArrayList<>();
                for (JsonNode r : b.get("routes")) routes.add(Json.MAPPER.convertValue(r, int[].class));
            }
            int[][] starts = b.has("starts") ? Json.MAPPER.convertValue(b.get("starts"), int[][].class) : null;
            double[] values = b.has("values") ? Json.MAPPER.convertValue(b.get("values"), double[].class) : null;
            List<double[]> trace = new ArrayList<>();
            String log = "";
            try {
                if (Files.exists(dir.resolve("solver.log"))) log = Files.readString(dir.resolve("solver.log"));
            } catch (IOException ignored) { }
            hint = new Solution(b.path("status").asText(), "checkpoint", b.path("objective").asDouble(Double.NaN),
                    b.path("bound").isNumber() ? b.get("bound").asDouble() : Double.NaN, b.path("seconds").asDouble(0),
                    b.path("time_to_first_solution_s").isNumber() ? b.get("time_to_first_solution_s").asDouble() : Double.NaN,
                    trace, routes, starts, values, log, (ObjectNode) b.path("parameters"));
            solution = hint;
        }
    }

    @Override
    public void close() {
        mipModel = null; // the native model is freed by its cleaner
        cpModel = null;
    }

    static Table kv(String title, Map<String, ?> m) { return io.modelwork.report.Tables.keyValues(title, m); }
}
