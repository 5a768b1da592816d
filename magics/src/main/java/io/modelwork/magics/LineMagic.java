package io.modelwork.magics;

/** A line magic: {@code %name rest-of-line}. Returns the value to display (a report, a table, text) or {@code null}. */
@FunctionalInterface
public interface LineMagic {
    Object run(String line) throws Exception;
}
