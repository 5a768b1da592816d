package io.modelwork.magics;

import io.modelwork.core.Option;
import io.modelwork.core.Options;
import io.modelwork.core.Step;
import io.modelwork.session.Session;
import io.modelwork.spi.Categories;
import io.modelwork.spi.Category;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The keys of the step magics as the session declares them ({@link Session#options(Step, String)},
 * {@link Session#ownOptions(Step)}, each category's {@link Category#options(Step, String)}): {@code %help fit}, Tab
 * completion of keys ({@code %fit ro<Tab>} → {@code rounds=}), of spec names ({@code spec=<Tab>}) and of choices,
 * and the Shift-Tab summary of a magic. Nothing here declares keys: they are the session's and the categories'.
 *
 * <p>Before a dataset is attached the category is unknown, so a step's keys are those of every category that has the
 * step (a category that declares none, or cannot say without its data, adds nothing).
 */
public final class MagicOptions {
    private MagicOptions() {}

    /** The spec names offered after {@code spec=} (replaceable in tests). */
    static volatile Supplier<Collection<String>> specNames = () -> Categories.specs().keySet();

    /** The declared keys of {@code step} for the kernel's session now (see the class comment); never null. */
    public static Options options(Step step, String spec) {
        Options own = Session.ownOptions(step);
        if (own != null) return own;
        Session s = Magics.hasSession() ? Magics.session() : null;
        if (s != null && s.category() != null) return of(s.category(), step, spec);
        Options all = Options.none();
        for (Category<?> c : Categories.all()) {
            try {
                all = all.plus(of(c, step, spec));
            } catch (RuntimeException e) {
                // a category that cannot say (e.g. needs its data) adds nothing to help and completion
            }
        }
        return all;
    }

    private static Options of(Category<?> c, Step step, String spec) {
        Options o = c.options(step, spec);
        return o == null ? Options.none() : o;
    }

    /** {@code %help STEP}: the step's line of help and one line per key. */
    public static String helpText(Step step) {
        Options o = options(step, null);
        String title = "%" + Magics.magicName(step) + " — " + Magics.stepHelp(step) + "  (recipe step " + step.key() + ")";
        if (o.isEmpty()) return title + "\n  (no arguments" + (Session.ownOptions(step) == null && !Magics.hasSession()
                ? " known before a dataset is attached" : "") + ")\n";
        return o.helpText(title + "\nkeys:");
    }

    /** Completion candidates and the offset in the magic line they replace. */
    public record Completion(int start, List<String> candidates) {}

    /**
     * Completes the argument being typed at the end of {@code args} (the magic line after the name, up to the
     * cursor) of step magic {@code magic}: a key prefix gives {@code key=} for each matching key not given yet;
     * after {@code spec=} the spec names; after {@code key=} of a choice or boolean key, its values. {@code start} is
     * relative to the beginning of {@code args}. Null when {@code magic} is not a step magic.
     */
    public static Completion complete(String magic, String args) {
        Step step = Magics.stepOf(magic);
        boolean compare = "compare".equals(magic);
        if (step == null && !compare) return null;
        int tokenStart = Math.max(args.lastIndexOf(' '), args.lastIndexOf('\t')) + 1;
        String token = args.substring(tokenStart);
        Set<String> given = new LinkedHashSet<>();
        for (String part : args.substring(0, tokenStart).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) given.add(part.substring(0, eq));
        }
        String spec = null;
        for (String part : args.trim().split("\\s+")) if (part.startsWith("spec=")) spec = part.substring(5);
        int eq = token.indexOf('=');
        if (eq >= 0) {
            String key = token.substring(0, eq), typed = token.substring(eq + 1);
            List<String> values = new ArrayList<>();
            if (key.equals("spec")) values.addAll(specNames.get());
            else if (compare && key.equals("specs")) {   // a comma list: complete its last item
                int comma = typed.lastIndexOf(',');
                String done = typed.substring(0, comma + 1), last = typed.substring(comma + 1);
                List<String> out = new ArrayList<>();
                for (String v : specNames.get()) if (v.startsWith(last) && !List.of(done.split(",")).contains(v)) out.add(v);
                return new Completion(tokenStart + eq + 1 + done.length(), out);
            } else {
                Option o = (compare ? Magics.COMPARE : options(step, null)).get(key);
                if (o != null && o.type() == Option.Type.CHOICE) values.addAll(o.choices());
                else if (o != null && o.type() == Option.Type.BOOL) values.addAll(List.of("true", "false"));
            }
            List<String> out = new ArrayList<>();
            for (String v : values) if (v.toLowerCase(Locale.ROOT).startsWith(typed.toLowerCase(Locale.ROOT))) out.add(v);
            return new Completion(tokenStart + eq + 1, out);
        }
        List<String> out = new ArrayList<>();
        for (String k : (compare ? Magics.COMPARE : options(step, spec)).names()) if (k.startsWith(token) && !given.contains(k)) out.add(k + "=");
        return new Completion(tokenStart, out);
    }

    /** Shift-Tab on a step magic (or %compare): its help and keys with defaults and help; null when not one. */
    public static String inspect(String magic) {
        if ("compare".equals(magic))
            return Magics.COMPARE.helpText("%compare — leaderboard of runs, of specs fitted on this session's split, or of registered versions\nkeys:");
        Step step = Magics.stepOf(magic);
        return step == null ? null : helpText(step);
    }
}
