package io.modelwork.core;

/**
 * The one error type Modelwork raises at the boundary where bad input enters.
 *
 * <p>Every instance says <b>what</b> is wrong, <b>where</b> (file, column, row, step, key) and <b>how to fix it</b>.
 * The kernel renders these three parts without a stack trace; the recipe runner prints them on one screen.
 */
public class ModelworkException extends RuntimeException {
    private final String what;
    private final String where;
    private final String fix;

    public ModelworkException(String what, String where, String fix) {
        this(what, where, fix, null);
    }

    public ModelworkException(String what, String where, String fix, Throwable cause) {
        super(compose(what, where, fix), cause);
        this.what = what;
        this.where = where;
        this.fix = fix;
    }

    private static String compose(String what, String where, String fix) {
        StringBuilder sb = new StringBuilder(what);
        if (where != null && !where.isBlank()) sb.append(" [at ").append(where).append(']');
        if (fix != null && !fix.isBlank()) sb.append(". Fix: ").append(fix);
        return sb.toString();
    }

    /** What is wrong, in one sentence. */
    public String what() { return what; }

    /** Where it is wrong: a file, column, row, step or key; may be empty. */
    public String where() { return where == null ? "" : where; }

    /** How to fix it. */
    public String fix() { return fix == null ? "" : fix; }
}
