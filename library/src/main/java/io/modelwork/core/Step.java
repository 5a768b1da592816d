package io.modelwork.core;

import java.util.List;
import java.util.Locale;

/** The 15 lifecycle steps of SPEC.md (save_checkpoint and resume are step 11), in order, with their prerequisites. */
public enum Step {
    CONFIGURE("configure", 1),
    ATTACH_DATASET("attach_dataset", 2, CONFIGURE),
    PREPARE_DATA("prepare_data", 3, ATTACH_DATASET),
    SPLIT("split", 4, PREPARE_DATA),
    BUILD("build", 5, SPLIT),
    FIT("fit", 6, BUILD),
    EVALUATE("evaluate", 7, FIT),
    TUNE("tune", 8, FIT),
    BACKTEST("backtest", 9, FIT),
    CALIBRATE("calibrate", 10, FIT),
    SAVE_CHECKPOINT("save_checkpoint", 11, CONFIGURE),
    RESUME("resume", 11),
    EXPORT("export", 12, FIT),
    REGISTER("register", 13, EXPORT),
    ARTIFACTS("artifacts", 14, CONFIGURE),
    CLOSE("close", 15);

    private final String key;
    private final int number;
    private final List<Step> requires;

    Step(String key, int number, Step... requires) {
        this.key = key;
        this.number = number;
        this.requires = List.of(requires);
    }

    /** snake_case name used by recipes, reports and the run log. */
    public String key() { return key; }

    /** Position in SPEC.md's table. */
    public int number() { return number; }

    /** Steps that must have run before this one. */
    public List<Step> requires() { return requires; }

    /** Parses a snake_case or camelCase step name. */
    public static Step of(String name) {
        String n = name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT).replace('-', '_');
        if (n.equals("attach")) n = "attach_dataset";
        if (n.equals("prepare")) n = "prepare_data";
        if (n.equals("checkpoint")) n = "save_checkpoint";
        for (Step s : values()) if (s.key.equals(n)) return s;
        throw new ModelworkException("Unknown step '" + name + "'", "step name",
                "use one of " + java.util.Arrays.stream(values()).map(Step::key).toList());
    }
}
