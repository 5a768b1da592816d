package io.modelwork.registry;

import io.modelwork.core.Json;
import io.modelwork.core.ModelworkException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code modelwork registry} command line, called by the launcher as {@code bin/modelwork registry ...}.
 *
 * <p>Exit codes: 0 success (for {@code verify}: the registry is intact), 1 a failed command or a verification
 * failure (the bad audit row is printed), 2 a usage error.
 */
public final class RegistryCli {
    private RegistryCli() {}

    static final String USAGE = String.join("\n",
            "usage: modelwork registry [--home DIR] [--actor NAME] COMMAND [ARGS]",
            "",
            "commands:",
            "  list [NAME]                          list registered versions (all models, or one)",
            "  show REF                             print one version as JSON; REF is NAME:VERSION, NAME@ALIAS,",
            "                                       NAME/STAGE or NAME (latest version)",
            "  register NAME DIR [--stage STAGE] [--tag KEY=VALUE]...",
            "                                       register the files of DIR as the next version of NAME",
            "  promote NAME VERSION STAGE           move a version to a stage (none, staging, canary, production,",
            "                                       archived); promoting to production archives the previous one",
            "  rollback NAME STAGE                  return STAGE to the version that held it before",
            "  alias NAME ALIAS VERSION             point an alias (e.g. champion, challenger) at a version",
            "  unalias NAME ALIAS                   remove an alias",
            "  materialize REF DIR                  re-assemble a version's bundle into DIR (verifying hashes)",
            "  audit                                print the audit log as JSON lines",
            "  verify                               check the audit hash chain and every artifact blob",
            "",
            "options:",
            "  --home DIR      registry home (default: -Dmodelwork.home, $MODELWORK_HOME or ~/.modelwork)",
            "  --actor NAME    who is acting, recorded in the audit (default: the user name)",
            "  --help          print this help");

    /** Entry point; exits with {@link #run}'s status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one command.
     *
     * @return the exit status (0 success, 1 failure or verification failure, 2 usage error)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path home = null;
        String actor = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h", "help" -> {
                    out.println(USAGE);
                    return 0;
                }
                case "--home" -> {
                    if (++i >= args.length) return usage(err, "--home needs a directory");
                    home = Path.of(args[i]);
                }
                case "--actor" -> {
                    if (++i >= args.length) return usage(err, "--actor needs a name");
                    actor = args[i];
                }
                default -> {
                    if (a.startsWith("--home=")) home = Path.of(a.substring(7));
                    else if (a.startsWith("--actor=")) actor = a.substring(8);
                    else rest.add(a);
                }
            }
        }
        if (rest.isEmpty()) return usage(err, "missing command");
        String cmd = rest.get(0);
        List<String> p = rest.subList(1, rest.size());
        if (!List.of("list", "show", "register", "promote", "rollback", "alias", "unalias", "materialize", "audit",
                "verify").contains(cmd)) {
            return usage(err, "unknown command '" + cmd + "'");
        }
        try (ModelRegistry reg = ModelRegistry.open(home == null ? ModelRegistry.defaultHome() : home)) {
            switch (cmd) {
                case "list" -> {
                    if (p.size() > 1) return usage(err, "list takes at most one NAME");
                    List<ModelVersion> vs = reg.list(p.isEmpty() ? null : p.get(0));
                    if (vs.isEmpty()) {
                        out.println("(no registered models)");
                        return 0;
                    }
                    out.printf("%-24s %7s  %-10s  %-20s  %-12s  %-20s  %s%n", "NAME", "VERSION", "STAGE", "ALIASES",
                            "CONTENT", "CREATED", "KEY METRICS (test)");
                    for (ModelVersion v : vs) {
                        out.printf("%-24s %7d  %-10s  %-20s  %-12s  %-20s  %s%n", v.name(), v.version(), v.stage().text(),
                                v.aliases().isEmpty() ? "-" : String.join(",", v.aliases()),
                                v.contentId().substring(0, 12), v.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                                keyMetrics(v.tags()));
                    }
                }
                case "show" -> {
                    if (p.size() != 1) return usage(err, "show needs REF");
                    out.println(Json.write(reg.get(p.get(0)).toJson()));
                }
                case "register" -> {
                    if (p.size() < 2) return usage(err, "register needs NAME DIR");
                    String stage = null;
                    Map<String, String> tags = new TreeMap<>();
                    for (int i = 2; i < p.size(); i++) {
                        String o = p.get(i);
                        if (o.equals("--stage") && i + 1 < p.size()) stage = p.get(++i);
                        else if (o.equals("--tag") && i + 1 < p.size()) {
                            String kv = p.get(++i);
                            int eq = kv.indexOf('=');
                            if (eq <= 0) return usage(err, "--tag needs KEY=VALUE, got '" + kv + "'");
                            tags.put(kv.substring(0, eq), kv.substring(eq + 1));
                        } else return usage(err, "unexpected argument '" + o + "' for register");
                    }
                    ModelVersion v = reg.register(p.get(0), Path.of(p.get(1)), stage, tags, actor);
                    out.println("registered " + v.modelId() + " (" + v.stage().text() + ", " + v.manifest().size()
                            + " files, content " + v.contentId().substring(0, 12) + ")");
                }
                case "promote" -> {
                    if (p.size() != 3) return usage(err, "promote needs NAME VERSION STAGE");
                    Integer version = version(p.get(1), err);
                    if (version == null) return 2;
                    ModelVersion v = reg.promote(p.get(0), version, p.get(2), actor);
                    out.println(v.modelId() + " is now in " + v.stage().text());
                }
                case "rollback" -> {
                    if (p.size() != 2) return usage(err, "rollback needs NAME STAGE");
                    ModelVersion v = reg.rollback(p.get(0), p.get(1), actor);
                    out.println("rolled back " + p.get(0) + "/" + v.stage().text() + " to " + v.modelId());
                }
                case "alias" -> {
                    if (p.size() != 3) return usage(err, "alias needs NAME ALIAS VERSION");
                    Integer version = version(p.get(2), err);
                    if (version == null) return 2;
                    ModelVersion v = reg.setAlias(p.get(0), p.get(1), version, actor);
                    out.println(p.get(0) + "@" + p.get(1) + " -> " + v.modelId());
                }
                case "unalias" -> {
                    if (p.size() != 2) return usage(err, "unalias needs NAME ALIAS");
                    reg.removeAlias(p.get(0), p.get(1), actor);
                    out.println("removed " + p.get(0) + "@" + p.get(1));
                }
                case "materialize" -> {
                    if (p.size() != 2) return usage(err, "materialize needs REF DIR");
                    ModelVersion v = reg.get(p.get(0));
                    out.println("materialized " + v.modelId() + " into " + reg.materialize(v, Path.of(p.get(1))));
                }
                case "audit" -> {
                    if (!p.isEmpty()) return usage(err, "audit takes no arguments");
                    reg.auditLog().forEach(o -> out.println(o.toString()));
                }
                case "verify" -> {
                    if (!p.isEmpty()) return usage(err, "verify takes no arguments");
                    VerifyReport r = reg.verify();
                    if (r.intact()) {
                        out.println(r.summary());
                        return 0;
                    }
                    err.println(r.summary());
                    for (VerifyReport.Problem pr : r.problems()) err.println("  " + pr);
                    return 1;
                }
                default -> {
                    return usage(err, "unknown command '" + cmd + "'");
                }
            }
            return 0;
        } catch (ModelworkException e) {
            err.println("error: " + e.what());
            if (!e.where().isEmpty()) err.println("  where: " + e.where());
            if (!e.fix().isEmpty()) err.println("  fix:   " + e.fix());
            return 1;
        }
    }

    private static Integer version(String text, PrintStream err) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            usage(err, "VERSION must be a whole number, got '" + text + "'");
            return null;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.println(USAGE);
        return 2;
    }

    /** Headline metrics of the categories, shown first in {@code list} when a version has them. */
    static final java.util.List<String> HEADLINE = java.util.List.of("rmse", "r2", "auc", "roc_auc", "logloss", "accuracy", "ndcg",
            "ndcg@10", "map", "mase", "smape", "objective", "gap", "image_auroc", "pixel_auroc", "aupro", "cer", "wer", "hota",
            "mota", "idf1", "der", "jer", "eer", "tar_at_far");

    /**
     * Three numeric {@code test_<metric>} tags of a version (the test metrics the register step recorded) to 4
     * significant digits, headline metrics first ({@link #HEADLINE}), e.g. {@code rmse=5.412 r2=0.8876 mae=3.003};
     * "-" when it has none.
     */
    static String keyMetrics(java.util.Map<String, String> tags) {
        java.util.Map<String, String> metrics = new java.util.LinkedHashMap<>();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String h : HEADLINE) if (tags.containsKey("test_" + h)) names.add("test_" + h);
        new java.util.TreeMap<>(tags).keySet().stream().filter(k -> k.startsWith("test_") && !names.contains(k)).forEach(names::add);
        for (String k : names) {
            if (metrics.size() == 3) break;
            try {
                java.math.BigDecimal d = new java.math.BigDecimal(tags.get(k)).round(new java.math.MathContext(4));
                metrics.put(k.substring(5), d.stripTrailingZeros().toPlainString());
            } catch (NumberFormatException ex) {
                // not a number (NaN, or a user's text tag): not shown as a metric
            }
        }
        if (metrics.isEmpty()) return "-";
        java.util.List<String> out = new java.util.ArrayList<>();
        metrics.forEach((k, v) -> out.add(k + "=" + v));
        return String.join(" ", out);
    }
}
