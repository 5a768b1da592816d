package io.modelwork.kernel;

import java.util.List;

/**
 * A failed cell, already formatted: the error name and value Jupyter shows, and the traceback lines (ANSI colours
 * allowed). Thrown from {@link ModelworkKernel#eval(String)}; {@link ModelworkKernel#formatError} prints it as is.
 */
public class CellException extends Exception {
    private final String ename;
    private final List<String> traceback;

    public CellException(String ename, String evalue, List<String> traceback) {
        super(evalue, null, false, false);
        this.ename = ename;
        this.traceback = List.copyOf(traceback);
    }

    public String ename() { return ename; }

    public List<String> traceback() { return traceback; }
}
