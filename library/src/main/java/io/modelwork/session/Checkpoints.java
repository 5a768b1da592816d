package io.modelwork.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelwork.core.*;
import io.modelwork.report.StepReport;
import io.modelwork.shared.BestCheckpoint;
import io.modelwork.shared.BundleWriter;
import io.modelwork.shared.StateStore;
import io.modelwork.spi.CategoryState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;

/**
 * Step 11 for the {@link Session}: writing a checkpoint (through the shared {@link BundleWriter}) and reading one back
 * ({@link StateStore}: every file verified against the manifest first), with the checks that keep a damaged,
 * half-written or foreign checkpoint from being used, and the rule that a resumed session writes into its own new
 * run directory.
 */
final class Checkpoints {
    private Checkpoints() { }

    /** A verified checkpoint, parsed: what {@link Session#resume} restores. */
    record Loaded(StateStore.Verified verified, String id, Map<String, Object> contextArgs, List<Step> steps,
                  Map<Step, Args> stepArgs, String category, Path originalRunDir) { }

    /** Writes checkpoint {@code <tag>-NNN} of a session (its context, steps, reports and the category's state). */
    static StepReport write(RunContext context, String category, Map<Step, Args> done, Map<Step, StepReport> reports,
                            CategoryState state, String tag) {
        Path root = context.runDir().resolve("checkpoints");
        String id = tag + "-" + String.format("%03d", lastCheckpointNumber(root) + 1);
        Path target = root.resolve(id);
        try (BundleWriter b = BundleWriter.create(target, "checkpoint")) {
            ObjectNode st = Json.object();
            st.put("format", Session.CHECKPOINT_FORMAT);
            st.put("id", id);
            st.put("created", java.time.Instant.now().toString());
            st.set("context", context.toJson());
            if (category != null) st.put("category", category);
            ArrayNode steps = st.putArray("steps");
            for (var e : done.entrySet()) {
                if (e.getKey() == Step.SAVE_CHECKPOINT || e.getKey() == Step.RESUME) continue;
                ObjectNode s = steps.addObject();
                s.put("step", e.getKey().key());
                s.set("args", Json.args(e.getValue().asMap()));
            }
            for (var e : reports.entrySet()) b.json("reports/" + e.getKey().key() + ".json", e.getValue().toJson());
            if (state != null) state.save(StateStore.writer(b, "state/"));
            b.json("checkpoint.json", st);
            b.manifest().put("format", Session.CHECKPOINT_FORMAT).put("id", id);
            b.publish();
        } catch (IOException e) {
            throw new ModelworkException("Cannot write the checkpoint: " + e.getMessage(), target.toString(),
                    "check free disk space and permissions of the run directory");
        }
        StepReport r = new StepReport("save_checkpoint", "Checkpoint " + id);
        r.body().put("checkpoint_id", id);
        r.body().put("path", target.toString());
        ArrayNode steps = r.body().putArray("steps");
        done.keySet().forEach(s -> steps.add(s.key()));
        r.note("resume in a new session with: resume id=" + id + " run_dir=" + context.runDir());
        return r;
    }

    /** The highest NNN of the user checkpoints {@code <tag>-NNN} under {@code root} (0 when none). */
    static int lastCheckpointNumber(Path root) {
        if (!Files.isDirectory(root)) return 0;
        int max = 0;
        try (var s = Files.list(root)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || n.startsWith("fit-best")) continue;
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(\\d{3,})$").matcher(n);
                if (m.find()) max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        } catch (IOException | NumberFormatException e) {
            return max;
        }
        return max;
    }

    /** "resume from another checkpoint: a, b" naming the published ones next to {@code dir}, or saying there is none. */
    static String otherCheckpoints(Path dir, Path except) {
        Path root = dir.toAbsolutePath().getParent();
        List<String> ids = new ArrayList<>();
        if (root != null && Files.isDirectory(root)) {
            try (var s = Files.list(root)) {
                for (Path p : s.sorted().toList())
                    if (!p.getFileName().toString().startsWith(".") && !p.equals(except == null ? null : except.toAbsolutePath())
                            && Files.isRegularFile(p.resolve(BundleWriter.MANIFEST))) ids.add(p.getFileName().toString());
            } catch (IOException ignored) { }
        }
        return ids.isEmpty() ? "resume from another checkpoint - there is none in " + root + ": run the steps again from attach_dataset"
                : "resume from another checkpoint: " + String.join(", ", ids);
    }

    /**
     * Finds, verifies and parses the checkpoint named by resume's arguments ({@code id} + {@code run_dir}, or
     * {@code path}); {@code contextArgs} holds the configure arguments of the resumed session, with {@code run_dir}
     * only when {@code out} gives one (never the checkpoint's own run directory).
     */
    static Loaded read(Args a) {
        Path dir;
        if (a.has("path")) dir = Path.of(a.getString("path", null));
        else {
            String id = a.requireString("id", "give the checkpoint id, e.g. id=after-fit-001");
            Path runDir = Path.of(a.requireString("run_dir", "give the run directory that holds checkpoints/"));
            dir = runDir.resolve("checkpoints").resolve(id);
        }
        dir = BestCheckpoint.resolve(dir);
        if (!Files.isDirectory(dir))
            throw new ModelworkException("No checkpoint at " + dir, "resume", "check id= and run_dir= (checkpoints live "
                    + "in run_dir/checkpoints/<id>); " + otherCheckpoints(dir, null));
        String dirName = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (dirName.startsWith(".") && dirName.contains(".partial"))
            throw new ModelworkException("This is the staging folder of an unfinished save_checkpoint, not a checkpoint",
                    dir.toString(), "resume from another checkpoint (published ones are listed in run_dir/checkpoints/)");
        StateStore.Verified v;
        try {
            v = StateStore.open(dir, "checkpoint");
        } catch (ModelworkException e) {
            throw new ModelworkException(e.what(), e.where(), e.fix().replace("resume from another checkpoint (list run_dir/checkpoints/)",
                    "resume from another checkpoint").replace("resume from another checkpoint", otherCheckpoints(dir, dir)), e);
        }
        JsonNode st = v.json("checkpoint.json");
        if (!Session.CHECKPOINT_FORMAT.equals(st.path("format").asText()))
            throw new ModelworkException("Unsupported checkpoint format '" + st.path("format").asText() + "'",
                    dir.toString(), "this version reads " + Session.CHECKPOINT_FORMAT);
        JsonNode c = v.require(st, "context", "checkpoint.json");
        Map<String, Object> cargs = new LinkedHashMap<>();
        cargs.put("device", v.require(c, "requested_device", "checkpoint.json").asText());
        cargs.put("seed", v.require(c, "seed", "checkpoint.json").asLong());
        cargs.put("threads", v.require(c, "threads", "checkpoint.json").asInt());
        cargs.put("run_dir", v.require(c, "run_dir", "checkpoint.json").asText());
        cargs.put("retries", c.path("retries").asInt(0));
        cargs.put("timeout_s", c.path("timeout_s").asLong(0));
        List<Step> steps = new ArrayList<>();
        Map<Step, Args> stepArgs = new LinkedHashMap<>();
        for (JsonNode s : v.require(st, "steps", "checkpoint.json")) {
            String stepName = v.require(s, "step", "checkpoint.json").asText();
            Step step;
            try {
                step = Step.of(stepName);
            } catch (ModelworkException e) {
                throw new ModelworkException("The checkpoint is damaged: checkpoint.json names an unknown step '" + stepName + "'",
                        dir.toString(), otherCheckpoints(dir, dir));
            }
            steps.add(step);
            JsonNode argsNode = v.require(s, "args", "checkpoint.json");
            if (!argsNode.isObject())
                throw new ModelworkException("The checkpoint is damaged: checkpoint.json has step '" + step.key()
                        + "' with arguments that are not an object", dir.toString(), otherCheckpoints(dir, dir));
            @SuppressWarnings("unchecked") Map<String, Object> m = Json.MAPPER.convertValue(argsNode, Map.class);
            stepArgs.put(step, Args.from(m));
        }
        String categoryName = st.path("category").asText("");
        if (categoryName.isEmpty() && stepArgs.containsKey(Step.ATTACH_DATASET))
            throw new ModelworkException("The checkpoint is damaged: checkpoint.json names no category", dir.toString(),
                    "resume from another checkpoint");
        // the resumed session writes into its own new run directory: never the checkpoint's (nor the one holding it)
        Path original = Path.of(cargs.get("run_dir").toString()).toAbsolutePath().normalize();
        Path holder = dir.toAbsolutePath().normalize().getParent() == null ? null
                : dir.toAbsolutePath().normalize().getParent().getParent();
        cargs.remove("run_dir");
        if (a.has("out")) {
            Path out = Path.of(a.getString("out", null)).toAbsolutePath().normalize();
            if (out.startsWith(original) || (holder != null && out.startsWith(holder)))
                throw new ModelworkException("resume would write into the run directory of the checkpoint (" + out + ")",
                        "resume out", "give a new run directory (out=... or --out), or leave it out for a fresh runs/run-<time>");
            cargs.put("run_dir", out.toString());
        }
        return new Loaded(v, st.path("id").asText(dirName), cargs, steps, stepArgs, categoryName, original);
    }

    /** Restores the category's state from a loaded checkpoint's {@code state/}. */
    static void restoreState(Loaded l, CategoryState state) {
        try {
            state.restore(l.verified().reader("state/"));
        } catch (IOException e) {
            throw new ModelworkException("Cannot read the checkpoint: " + e.getMessage(), l.verified().dir().toString(),
                    "resume from another checkpoint");
        }
    }

    /**
     * The reports of a loaded checkpoint, put into {@code reports} and written into the resumed session's own run
     * directory (so that it is complete on its own), and the resume step's report.
     */
    static StepReport restore(Loaded l, RunContext context, Map<Step, StepReport> reports) {
        StateStore.Verified v = l.verified();
        for (Step step : l.steps()) {
            String name = "reports/" + step.key() + ".json";
            if (v.has(name)) reports.put(step, new StepReport(step.key(), "(restored) " + step.key(), (ObjectNode) v.json(name)));
        }
        for (var e : reports.entrySet())
            AtomicFiles.writeStringFast(context.runDir().resolve("reports").resolve(e.getKey().key() + ".json"),
                    Json.write(e.getValue().toJson()));
        StepReport r = new StepReport("resume", "Resumed " + l.id());
        r.body().put("checkpoint_id", l.id());
        r.body().put("path", v.dir().toString());
        r.body().put("run_dir", context.runDir().toString());
        r.body().put("original_run_dir", l.originalRunDir().toString());
        r.note("this session writes into its own run directory " + context.runDir() + "; the checkpoint's run "
                + "directory " + l.originalRunDir() + " is not modified");
        ArrayNode restored = r.body().putArray("steps");
        l.steps().forEach(s -> restored.add(s.key()));
        return r;
    }
}
