package io.modelwork.optimization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.registry.RegisterStep;
import io.modelwork.spi.CategoryState;
import io.modelwork.spi.Exportable;
import io.modelwork.spi.StateReader;
import io.modelwork.spi.StateWriter;
import io.modelwork.spi.StepContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.Stream;

/**
 * Everything the optimization steps read and write in one session: the instance and its validation, the integer
 * scaling of prepare_data, the scenarios of split, the {@link Formulation} of build, the solve parameters (build's,
 * then what tune and calibrate applied), the solution, and the export. A checkpoint keeps {@code optimization.json}
 * (the arguments the steps ran with, the best solution) and, for a CP-SAT model, its proto; resume replays the steps
 * on the re-read instance (checked against its fingerprint) and takes the saved solution as the next solve's hint.
 */
public final class OptimizationState implements CategoryState, Exportable {
    static final String FORMAT = "modelwork.optimization/1";

    final StepContext ctx;
    Args attachArgs;
    /** The instance file (null for {@code format=cpsat} without data: the model built in Java is the input). */
    Path file;
    Problem problem;
    String fingerprint;
    Validator.Issues issues;
    BestKnown known;
    Args prepareArgs = Args.empty();
    Scaling scaling;
    double lowerBound = Double.NaN;
    final List<Path> scenarioFiles = new ArrayList<>();
    final List<Problem> scenarios = new ArrayList<>();
    Formulation model;
    Args buildArgs = Args.empty();
    Args solveArgs = Args.empty();
    Solution solution;
    Solution hint;
    Validator.Check lastCheck;
    ObjectNode calibration;
    Path exportDir;

    OptimizationState(StepContext ctx) { this.ctx = ctx; }

    public Problem problem() { return problem; }
    public Solution solution() { return solution; }
    public BestKnown bestKnown() { return known; }
    /** The spec of the last build (null before). */
    public String spec() { return model == null ? null : model.spec(); }

    boolean maximize() { return model != null && model.maximize(); }

    /** The first n characters of the fingerprint, or all of it ("none" when no file is attached). */
    String shortFingerprint(int n) { return fingerprint.length() > n ? fingerprint.substring(0, n) + "…" : fingerprint; }

    /** The solve parameters: session seed/threads, then build's (and tune's, calibrate's), then {@code over}. */
    Solvers.Params params(Args over) {
        Map<String, Object> m = new LinkedHashMap<>(solveArgs.asMap());
        over.asMap().forEach((k, v) -> { if (OptimizationCategory.SOLVE_KEYS.contains(k)) m.put(k, v); });
        Args a = Args.from(m);
        double tl = a.getDouble("time_limit", calibration != null && calibration.has("time_limit") ? calibration.get("time_limit").asDouble() : 10);
        if (!(tl > 0)) throw new ModelworkException("time_limit must be positive (seconds)", "time_limit", "e.g. time_limit=10");
        String fs = a.getString("first_solution", null), mh = a.getString("metaheuristic", null);
        if (fs != null && !Solvers.FIRST_SOLUTION.contains(fs.toLowerCase(Locale.ROOT)))
            throw new ModelworkException("Unknown first_solution '" + fs + "'", "first_solution", "use one of " + Solvers.FIRST_SOLUTION);
        if (mh != null && !Solvers.METAHEURISTICS.contains(mh.toLowerCase(Locale.ROOT)))
            throw new ModelworkException("Unknown metaheuristic '" + mh + "'", "metaheuristic", "use one of " + Solvers.METAHEURISTICS);
        RunContext run = ctx.run();
        return new Solvers.Params(tl, a.getDouble("gap", 0), a.getInt("workers", run.threads()), run.seedFor("solve") % 1_000_000_007L,
                fs == null ? null : fs.toLowerCase(Locale.ROOT), mh == null ? null : mh.toLowerCase(Locale.ROOT), a.getInt("vehicles", 0),
                a.getDouble("target", Double.NaN), a.getBool("log_search", false), a.getString("solver", null), a.getLong("vehicle_cost", 0),
                a.getBool("live", true));
    }

    /** One solve of {@code f}, with the live progress display when {@code show}. */
    Solution solve(Formulation f, Scaling sc, Solvers.Params pr, Solution hintFrom, boolean show) {
        Progress progress = show ? ctx.progress() : Progress.silent();
        long limitMs = Math.max(1, Math.round(pr.timeLimit() * 1000));
        Solvers.Listener l = (t, obj, bound) -> progress.update("fit", (int) Math.min(limitMs, Math.round(t * 1000)), (int) limitMs,
                String.format(Locale.ROOT, "t=%.2fs objective %s bound %s", t, OptimizationReports.fmt(obj), OptimizationReports.fmt(bound)));
        Solution s = f.solve(sc, pr, hintFrom, l);
        progress.finished("fit", s.status() + ", objective " + OptimizationReports.fmt(s.objective()) + ", bound "
                + OptimizationReports.fmt(s.bound()) + String.format(Locale.ROOT, " in %.2fs", s.seconds()));
        return s;
    }

    /** The best solution seen: the last fit's or the resumed one's, whichever is better. */
    Solution best() {
        if (solution == null || !solution.hasSolution()) return hint;
        if (hint == null || !hint.hasSolution()) return solution;
        boolean max = maximize();
        return (max ? solution.objective() >= hint.objective() : solution.objective() <= hint.objective()) ? solution : hint;
    }

    // ------------------------------------------------------------------ checkpoints

    @Override public void save(StateWriter out) throws IOException {
        ObjectNode s = Json.object();
        s.put("format", FORMAT);
        s.set("attach_args", Json.MAPPER.valueToTree(attachArgs == null ? Map.of() : attachArgs.asMap()));
        s.put("fingerprint", fingerprint == null ? "" : fingerprint);
        s.set("prepare_args", Json.MAPPER.valueToTree(prepareArgs.asMap()));
        ArrayNode sc = s.putArray("scenarios");
        scenarioFiles.forEach(p -> sc.add(p.toString()));
        if (model != null) {
            s.put("spec", model.spec());
            model.save(s, out);
        }
        s.set("build_args", Json.args(buildArgs.asMap()));
        s.set("solve_args", Json.args(solveArgs.asMap()));
        if (calibration != null) s.set("calibration", calibration);
        Solution best = best();
        if (best != null && best.hasSolution()) s.set("best_solution", best.toJson());
        out.json("optimization.json", s);
        if (best != null && best.log() != null) out.text("solver.log", best.log());
    }

    @Override @SuppressWarnings("unchecked")
    public void restore(StateReader in) throws IOException {
        JsonNode s = in.json("optimization.json");
        InstanceHandlers.attach(this, Args.from(Json.MAPPER.convertValue(in.require(s, "attach_args", "optimization.json"), Map.class)), ctx);
        if (!fingerprint.equals(s.path("fingerprint").asText()))
            throw new ModelworkException("The instance changed since the checkpoint", String.valueOf(file),
                    "restore the original file, or start a new session on the new one");
        InstanceHandlers.prepare(this, Args.from(Json.MAPPER.convertValue(in.require(s, "prepare_args", "optimization.json"), Map.class)), ctx);
        List<String> sc = new ArrayList<>();
        s.path("scenarios").forEach(x -> sc.add(x.asText()));
        InstanceHandlers.split(this, sc.isEmpty() ? Args.empty() : Args.of("scenarios", sc), ctx);
        if (s.has("spec")) {
            Map<String, Object> b = new LinkedHashMap<>(Json.MAPPER.convertValue(s.get("build_args"), Map.class));
            b.put("spec", s.get("spec").asText());
            if (CpSatFormulation.SPEC.equals(s.get("spec").asText())) {
                b.put("model", in.file("cpsat_model.pb").toString());
                b.put("report", s.get("cpsat_report"));
            }
            SolveHandlers.build(this, Args.from(b), ctx);
            model.restore(s);
            solveArgs = Args.from(Json.MAPPER.convertValue(s.get("solve_args"), Map.class));
        }
        if (s.has("calibration")) calibration = (ObjectNode) s.get("calibration");
        if (s.has("best_solution")) {
            hint = Solution.fromJson(s.get("best_solution"), in.has("solver.log") ? in.text("solver.log") : "");
            solution = hint;
        }
    }

    @Override public void close() {
        model = null; // the native MIP model is freed by its cleaner
    }

    // ------------------------------------------------------------------ register and artifacts (shared handlers)

    @Override public Path exportDir() { return exportDir; }

    @Override public String defaultModelName() {
        return RegisterStep.stem(problem.name()) + "-" + spec().substring(spec().lastIndexOf('.') + 1);
    }

    @Override public Map<String, String> registerTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("spec", spec());
        tags.put("data_fingerprint", fingerprint);
        if (lastCheck != null) {
            tags.put("objective", String.valueOf(lastCheck.objective()));
            tags.put("violations", String.valueOf(lastCheck.violations()));
        }
        if (solution != null) tags.put("status", solution.status());
        return tags;
    }

    /** The export's files under standard names (model_lp, solver_log, …), else the run's calibration; and the reports. */
    @Override public Map<String, Object> artifacts() {
        RunContext c = ctx.run();
        Map<String, Object> m = new LinkedHashMap<>();
        if (exportDir != null) {
            try (Stream<Path> s = Files.list(exportDir)) {
                s.filter(Files::isRegularFile).sorted().forEach(p -> m.put(artifactKey(p.getFileName().toString()), p));
            } catch (IOException ex) {
                throw new ModelworkException("Cannot list the export", exportDir.toString(), "check the folder");
            }
        } else {
            Path t = c.runDir().resolve("artifacts/calibration.json");
            if (Files.exists(t)) m.put("calibration.json", t);
        }
        m.put("reports", c.runDir().resolve("reports"));
        return m;
    }

    private static String artifactKey(String f) {
        return switch (f) {
            case "model.lp" -> "model_lp";
            case "model.mps" -> "model_mps";
            case "model.cpsat.pbtxt" -> "model_cpsat_proto";
            case "model.cpsat.pb" -> "model_cpsat_proto_binary";
            case "model.json" -> "model";
            case "solver.log" -> "solver_log";
            case "training_log.jsonl" -> "training_log";
            case "data_fingerprint.txt" -> "data_fingerprint";
            case "requirements.txt" -> "requirements";
            case "artifact_manifest.json" -> "artifact_manifest";
            default -> f;
        };
    }
}
