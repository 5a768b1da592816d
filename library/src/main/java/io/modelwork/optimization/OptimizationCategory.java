package io.modelwork.optimization;

import io.modelwork.core.Args;
import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.shared.ArtifactsHandler;
import io.modelwork.shared.RegisterHandler;
import io.modelwork.spi.Category;
import io.modelwork.spi.StepContext;
import io.modelwork.spi.StepHandler;

import java.nio.file.Path;
import java.util.*;
import java.util.function.BiFunction;

/**
 * Optimization on Google OR-Tools: build defines variables, constraints and the objective ({@link Formulation}), fit
 * solves, evaluate re-checks with the independent {@link Validator}. Instances: TSPLIB (TSP, CVRP), Solomon VRPTW,
 * JSPLIB job-shop, LP/MPS, CP-SAT protos; and {@code optimization.cpsat}, any CP-SAT model built in Java (in a
 * notebook cell) and handed to build:
 * <pre>{@code
 * session().attachDataset(Args.of("format", "cpsat", "name", "my-model"));   // no data file: the model is the data
 * session().prepareData(Args.empty()); session().split(Args.empty());        // both no-ops for this spec
 * CpModel m = new CpModel();  IntVar x = m.newIntVar(0, 10, "x"); ...  m.maximize(...);
 * session().build(Args.of("spec", "optimization.cpsat", "model", m, "report", Map.of("x", x)));
 * session().fit(Args.of("time_limit", 5, "workers", 2));
 * }</pre>
 * {@code model} is a {@code CpModel}, a {@code CpModelProto}, a path to a {@code .pb}/{@code .pbtxt} proto, or a
 * builder ({@code Function<CpModel, Map<String, ?>>} whose map is the report, or {@code Consumer<CpModel>}); without
 * {@code model}, build takes the proto attached as the dataset. The data a model is built from may also be attached
 * as usual (e.g. a JSPLIB file): it is fingerprinted, and its known optimum gives evaluate a gap.
 *
 * <p>The steps: {@link InstanceHandlers} (attach, prepare, split), {@link SolveHandlers} (build, fit, evaluate),
 * {@link TuneHandler}, {@link ScenarioHandlers} (backtest, calibrate), {@link OptimizationExport}; register and
 * artifacts are the shared handlers. Every step's keys are declared once, below.
 */
public final class OptimizationCategory implements Category<OptimizationState> {

    /** A spec: its one-line description and how build formulates an instance of its kind (null: optimization.cpsat). */
    record SpecDef(String description, BiFunction<Problem, Double, Formulation> formulate) { }

    /** The specs, in order; the formulation of each takes the instance and the lower bound of prepare_data. */
    static final Map<String, SpecDef> SPECS = new LinkedHashMap<>();
    static {
        SPECS.put("optimization.routing.tsp", new SpecDef("TSPLIB TSP (.tsp): routing library, one vehicle",
                (p, lb) -> new TspFormulation((Problem.Tsp) p, lb)));
        SPECS.put("optimization.routing.vrptw", new SpecDef("Solomon VRPTW or TSPLIB CVRP (.vrp): routing library with capacity and time-window dimensions",
                (p, lb) -> new VrptwFormulation((Problem.Vrptw) p, lb)));
        SPECS.put("optimization.cpsat.jobshop", new SpecDef("JSPLIB job-shop: CP-SAT intervals, no-overlap per machine, makespan objective",
                (p, lb) -> new JobShopFormulation((Problem.JobShop) p)));
        SPECS.put("optimization.mip", new SpecDef("LP or MPS file: OR-Tools model builder with SCIP (or cbc, highs, cp_sat, glop)",
                (p, lb) -> new MipFormulation((Problem.Mip) p)));
        SPECS.put(CpSatFormulation.SPEC, new SpecDef("any CP-SAT model built in Java (build model=<CpModel>) or read from a CpModelProto file (.pb/.pbtxt)", null));
    }

    /** The solve keys: build declares them, fit overrides them, tune and calibrate change them for later fits. */
    static final List<String> SOLVE_KEYS = List.of("time_limit", "gap", "workers", "first_solution", "metaheuristic", "vehicles",
            "vehicle_cost", "solver", "log_search", "target", "live");

    @Override public String name() { return "optimization"; }
    @Override public String description() { return "routing, scheduling and MIP/CP-SAT models on Google OR-Tools, every solution re-checked independently"; }
    @Override public Set<String> tasks() { return Set.of("optimization"); }

    @Override public Map<String, String> specs() {
        Map<String, String> m = new LinkedHashMap<>();
        SPECS.forEach((k, v) -> m.put(k, v.description()));
        return m;
    }

    /** {@link #RECOGNISED} for the optimization formats, by {@code format=}, extension, folder or content. */
    @Override public int recognise(Args a) {
        String format = a.getString("format", null);
        if (format != null) return Readers.detect(null, format) != null ? RECOGNISED : 0;
        String path = a.getString("path", null);
        if (path == null) return 0;
        try {
            return Readers.detect(Path.of(path), null) != null ? RECOGNISED : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override public OptimizationState newState(StepContext ctx) { return new OptimizationState(ctx); }

    @Override public StepHandler<OptimizationState> handler(Step step) {
        return switch (step) {
            case ATTACH_DATASET -> InstanceHandlers::attach;
            case PREPARE_DATA -> InstanceHandlers::prepare;
            case SPLIT -> InstanceHandlers::split;
            case BUILD -> SolveHandlers::build;
            case FIT -> SolveHandlers::fit;
            case EVALUATE -> SolveHandlers::evaluate;
            case TUNE -> TuneHandler::run;
            case BACKTEST -> ScenarioHandlers::backtest;
            case CALIBRATE -> ScenarioHandlers::calibrate;
            case EXPORT -> OptimizationExport::export;
            case REGISTER -> new RegisterHandler<>();
            case ARTIFACTS -> new ArtifactsHandler<>();
            default -> null;
        };
    }

    @Override public Options options(Step step) { return Keys.of(step); }

    /** TSPLIB burma14 (GEO distances, optimum 3323) through every step this category implements, in a few seconds. */
    @Override public LinkedHashMap<Step, Args> example(Path assets) {
        LinkedHashMap<Step, Args> m = new LinkedHashMap<>();
        m.put(Step.ATTACH_DATASET, Args.of("path", assets.resolve("data/optimization/tsplib/burma14.tsp").toString()));
        m.put(Step.PREPARE_DATA, Args.empty());
        m.put(Step.SPLIT, Args.empty());
        m.put(Step.BUILD, Args.of("spec", "optimization.routing.tsp"));
        m.put(Step.FIT, Args.of("time_limit", 5, "target", 3323));
        m.put(Step.EVALUATE, Args.empty());
        m.put(Step.TUNE, Args.of("first_solution", "path_cheapest_arc,savings", "metaheuristic", "guided_local_search", "trial_time", 0.3));
        m.put(Step.BACKTEST, Args.empty());
        m.put(Step.CALIBRATE, Args.of("target_gap", 0.05, "max_time", 2));
        m.put(Step.EXPORT, Args.empty());
        m.put(Step.ARTIFACTS, Args.empty());
        return m;
    }

    /** Every step's keys, declared once (built on first use: the choices come from OR-Tools' enums). */
    private static final class Keys {
        static final Option TIME_LIMIT = Option.number("time_limit", 10.0, 0.001, null, "seconds the solver may run (> 0; default 10, or calibrate's)");

        static final Options SOLVE = Options.of(
                TIME_LIMIT,
                Option.number("gap", 0.0, 0.0, 1.0, "relative gap at which CP-SAT and the MIP solvers stop (0 = prove optimality)"),
                Option.integer("workers", null, 1, 4096, "solver threads (default: the session's threads)"),
                Option.choice("first_solution", null, Solvers.FIRST_SOLUTION, "routing: first solution strategy"),
                Option.choice("metaheuristic", null, Solvers.METAHEURISTICS, "routing: local-search metaheuristic (default guided_local_search)"),
                Option.integer("vehicles", 0, 0, 100_000, "routing: fleet size (0 = the instance's)"),
                Option.longInt("vehicle_cost", 0L, 0L, null, "routing: fixed cost per vehicle used (in scaled units)"),
                Option.choice("solver", null, Solvers.MIP_SOLVERS, "MIP: the solver (default scip)"),
                Option.bool("log_search", false, "routing: log the local search to solver.log"),
                Option.number("target", null, null, null, "stop as soon as the objective reaches this value (e.g. the known optimum)"),
                Option.bool("live", true, "MIP: solve in slices for live progress (false: one call)"));

        static final Options ATTACH = Options.of(
                Option.path("path", "the instance: .tsp, .vrp, Solomon .txt, JSPLIB file, .lp, .mps, .pb/.pbtxt (CpModelProto)"),
                Option.text("format", null, "tsplib | cvrp | solomon | jsplib | lp | mps | cpsat (default: from the file); format=cpsat alone: no data file"),
                Option.text("name", null, "the instance's name in reports and the registry (default: from the file)"),
                Option.choice("validate", "error", List.of("error", "warn"), "what an inconsistent instance does: refuse it, or attach it with warnings"),
                Option.number("optimum", null, null, null, "the known optimum, when the instance's folder has none (gives evaluate a gap)"),
                Option.choice("task", null, List.of("optimization"), "the category, when the data alone does not say it"));

        static final Options BUILD = Options.of(
                Option.choice("spec", null, List.copyOf(SPECS.keySet()), "the model spec (default: the instance's; optimization.cpsat when model= is given)"),
                Option.any("model", "optimization.cpsat: a CpModel, CpModelProto, Function<CpModel, Map>/Consumer<CpModel> builder, or .pb/.pbtxt path"),
                Option.any("report", "optimization.cpsat: name -> variable/expression (or arrays of them) whose values evaluate shows"))
                .plus(SOLVE);

        static final Options FIT = SOLVE.plus(Option.bool("use_hint", true, "start from the resumed (checkpoint) solution"));

        static final Options TUNE = Options.of(
                Option.list("first_solution", null, "routing: first solution strategies to try (default three per kind)"),
                Option.list("metaheuristic", null, "routing: metaheuristics to try (default guided_local_search, simulated_annealing, tabu_search)"),
                Option.numbers("workers", null, 1.0, 4096.0, "CP-SAT: worker counts to try (default 1, 2, the session's threads, 8)"),
                Option.list("solver", null, "MIP: solvers to try (default scip, cp_sat)"),
                Option.number("trial_time", 1.0, 0.001, null, "seconds per trial: the score is the objective at this time limit"),
                Option.integer("trials", 12, 1, 100_000, "at most this many configurations (a larger grid is sampled)"),
                Option.bool("apply", true, "use the best configuration in later fits"));

        static final Options BACKTEST = Options.of(Option.number("time_limit", null, 0.001, null, "seconds per scenario (default: fit's)"));

        static final Options CALIBRATE = Options.of(
                Option.number("target_gap", 0.01, 0.0, 1.0, "relative gap to the known optimum (else the bound) to reach"),
                Option.number("max_time", null, 0.001, null, "seconds per scenario at most (default: fit's time_limit)"),
                Option.number("safety", 1.5, 1.0, 100.0, "factor on the slowest scenario's time to target"),
                Option.bool("apply", true, "use the recommended time_limit in later fits"));

        static final Options EXPORT = Options.of(Option.path("target", "the bundle folder (default run_dir/export); must not exist"));

        static Options of(Step step) {
            return switch (step) {
                case ATTACH_DATASET -> ATTACH;
                case PREPARE_DATA -> Options.of(Option.number("scale", 100.0, 1.0, 1e6, "VRPTW: distances x scale, rounded to integers for the routing library"));
                case SPLIT -> Options.of(Option.list("scenarios", null, "more instances of the same kind, for calibrate and backtest"));
                case BUILD -> BUILD;
                case FIT -> FIT;
                case TUNE -> TUNE;
                case BACKTEST -> BACKTEST;
                case CALIBRATE -> CALIBRATE;
                case EXPORT -> EXPORT;
                case REGISTER -> RegisterHandler.OPTIONS;
                default -> Options.none();
            };
        }
    }
}
