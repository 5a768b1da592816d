package io.modelwork.optimization;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.ortools.constraintsolver.main;
import io.modelwork.core.*;
import io.modelwork.registry.RegisterStep;
import io.modelwork.report.StepReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import java.util.stream.Stream;

/**
 * Steps 12-14 for optimization: the bundle (the model as LP + MPS for MIPs, CP-SAT proto text for job-shop, CP-SAT
 * proto binary + text for optimization.cpsat, the
 * scaled integer data + routing search parameters for routing; the solution JSON, the solver log, metrics, the
 * instance fingerprint, requirements and a SHA-256 manifest), written in a staging folder and published with one
 * rename; registration in the model registry; the artifact map.
 */
final class OptimizationExport {
    private OptimizationExport() {}

    static Path export(OptimizationWorkflow w, Path target) {
        if (Files.exists(target))
            throw new ModelworkException("The export target already exists", target.toString(),
                    "choose a new target=... (bundles are immutable once written) or delete the old one");
        Path staging = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        Problem p = w.problem();
        Solution s = w.best();
        try {
            AtomicFiles.deleteTree(staging);
            Files.createDirectories(staging);
            List<String> modelFiles = new ArrayList<>();
            if (w.isCpSat()) {
                // binary for CpSolver / attach_dataset path=model.cpsat.pb, text for reading and diffing
                Files.write(staging.resolve("model.cpsat.pb"), w.cpModel().toByteArray());
                Files.writeString(staging.resolve("model.cpsat.pbtxt"), w.cpModel().toString());
                modelFiles.add("model.cpsat.pb");
                modelFiles.add("model.cpsat.pbtxt");
            } else if (p instanceof Problem.Mip) {
                Files.writeString(staging.resolve("model.lp"), w.mipModel().exportToLpString(false));
                Files.writeString(staging.resolve("model.mps"), w.mipModel().exportToMpsString(false));
                modelFiles.add("model.lp");
                modelFiles.add("model.mps");
            } else if (p instanceof Problem.JobShop j) {
                Solvers.JobShopModel jm = Solvers.jobShopModel(j);
                Files.writeString(staging.resolve("model.cpsat.pbtxt"), jm.model().model().toString());
                modelFiles.add("model.cpsat.pbtxt");
            } else {
                Files.writeString(staging.resolve("model.json"), Json.write(routingModel(w)));
                Solvers.Params pr = w.params(Args.empty());
                Files.writeString(staging.resolve("search_parameters.pbtxt"), main.defaultRoutingSearchParameters().toBuilder()
                        .setTimeLimit(com.google.protobuf.Duration.newBuilder().setSeconds((long) pr.timeLimit())).build().toString()
                        + "# first_solution: " + (pr.firstSolution() == null ? "default of the spec" : pr.firstSolution())
                        + ", metaheuristic: " + (pr.metaheuristic() == null ? "guided_local_search" : pr.metaheuristic()) + "\n");
                modelFiles.add("model.json");
                modelFiles.add("search_parameters.pbtxt");
            }
            ObjectNode sol = s == null ? Json.object().put("status", "none") : s.toJson();
            if (w.isCpSat() && s != null && s.values() != null) sol.set("reported", CpSatReport.values(w.cpReport(), s.values()));
            sol.put("instance", p.name());
            sol.put("spec", w.spec());
            if (w.lastCheck() != null) {
                sol.put("validated_objective", w.lastCheck().objective());
                sol.put("violations", w.lastCheck().violations());
            }
            Files.writeString(staging.resolve("solution.json"), Json.write(sol));
            Files.writeString(staging.resolve("solver.log"), s == null || s.log() == null ? "" : s.log());
            ObjectNode metrics = Json.object();
            w.session().report(Step.EVALUATE).ifPresent(ev -> metrics.set("metrics", ev.body().get("metrics")));
            metrics.put("model", w.spec());
            Files.writeString(staging.resolve("metrics.json"), Json.write(metrics));
            if (w.calibrationJson() != null) Files.writeString(staging.resolve("calibration.json"), Json.write(w.calibrationJson()));
            Files.writeString(staging.resolve("data_fingerprint.txt"), w.file() == null ? "none  (no dataset: the model is model.cpsat.pb, sha256 "
                    + CpSatReport.fingerprint(w.cpModel()) + ")\n" : w.fingerprint() + "  " + w.file().getFileName() + "\n");
            Path log = w.session().context().log().file();
            if (Files.exists(log)) Files.copy(log, staging.resolve("training_log.jsonl"));
            Files.writeString(staging.resolve("requirements.txt"), "# exact runtime dependencies of this bundle\njava>=17\n"
                    + "io.modelwork:modelwork-library:0.1.0-SNAPSHOT\ncom.google.ortools:ortools-java:" + OrTools.version() + "\n");
            ObjectNode sig = Json.object();
            sig.put("model", w.spec());
            sig.put("task", "optimization");
            sig.put("instance_format", p.format());
            if (w.isCpSat()) sig.put("model_fingerprint", CpSatReport.fingerprint(w.cpModel()));
            sig.set("model_files", Json.MAPPER.valueToTree(modelFiles));
            sig.put("scale", w.scaling().factor());
            sig.put("precision", w.scaling().precision());
            Files.writeString(staging.resolve("signature.json"), Json.write(sig));
            ObjectNode manifest = manifest(staging, w);
            Files.writeString(staging.resolve("artifact_manifest.json"), Json.write(manifest));
            AtomicFiles.publishDirectory(staging, target);
            return target;
        } catch (IOException e) {
            AtomicFiles.deleteTree(staging);
            throw new ModelworkException("Cannot write the export bundle: " + e.getMessage(), target.toString(), "check free disk space and permissions");
        } catch (RuntimeException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
    }

    /** The integer data the routing model is built from (so the solve can be reproduced without the source file). */
    static ObjectNode routingModel(OptimizationWorkflow w) {
        Scaling sc = w.scaling();
        ObjectNode o = Json.object();
        o.put("format", "modelwork.routing/1");
        o.put("spec", w.spec());
        o.put("scale", sc.factor());
        o.put("precision", sc.precision());
        o.set("arc_cost", Json.MAPPER.valueToTree(sc.cost()));
        if (w.problem() instanceof Problem.Vrptw v) {
            Solvers.Params pr = w.params(Args.empty());
            o.put("vehicles", pr.vehicles() > 0 ? pr.vehicles() : v.vehicles());
            o.put("capacity", sc.capacity());
            o.set("demand", Json.MAPPER.valueToTree(sc.demand()));
            if (v.hasTimeWindows()) {
                o.set("travel_time", Json.MAPPER.valueToTree(sc.travel()));
                o.set("service_time", Json.MAPPER.valueToTree(sc.service()));
                o.set("window_open", Json.MAPPER.valueToTree(sc.ready()));
                o.set("window_close", Json.MAPPER.valueToTree(sc.due()));
            }
        } else o.put("vehicles", 1);
        o.put("depot", 0);
        return o;
    }

    static ObjectNode manifest(Path dir, OptimizationWorkflow w) throws IOException {
        ObjectNode m = Json.object();
        m.put("format", "modelwork.bundle/1");
        m.put("model", w.spec());
        m.put("engine", "OR-Tools " + OrTools.version());
        m.put("data_fingerprint", w.fingerprint());
        io.modelwork.core.Bundles.addFiles(m, dir);
        return m;
    }

    static StepReport register(OptimizationWorkflow w, Args a) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("spec", w.spec());
        tags.put("data_fingerprint", w.fingerprint());
        if (w.lastCheck() != null) {
            tags.put("objective", String.valueOf(w.lastCheck().objective()));
            tags.put("violations", String.valueOf(w.lastCheck().violations()));
        }
        if (w.solution() != null) tags.put("status", w.solution().status());
        return RegisterStep.run(w.exportDir(), a, RegisterStep.stem(w.problem().name()) + "-"
                + w.spec().substring(w.spec().lastIndexOf('.') + 1), tags, "");
    }

    static StepReport artifacts(OptimizationWorkflow w, ObjectNode registered) {
        RunContext c = w.session().context();
        Map<String, Object> m = new LinkedHashMap<>();
        Path e = w.exportDir();
        if (e != null) {
            try (Stream<Path> s = Files.list(e)) {
                s.filter(Files::isRegularFile).sorted().forEach(p -> {
                    String f = p.getFileName().toString();
                    String key = switch (f) {
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
                    m.put(key, p);
                });
            } catch (IOException ex) {
                throw new ModelworkException("Cannot list the export", e.toString(), "check the folder");
            }
        } else {
            m.put("training_log", c.log().file());
            Path t = c.runDir().resolve("artifacts/calibration.json");
            if (Files.exists(t)) m.put("calibration.json", t);
        }
        m.put("reports", c.runDir().resolve("reports"));
        StepReport r = io.modelwork.report.ArtifactMap.report(m, registered);
        return r;
    }
}
