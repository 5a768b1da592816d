package io.modelwork.magics;

/** A cell magic: {@code %%name rest-of-line} followed by the cell body. */
@FunctionalInterface
public interface CellMagic {
    Object run(String line, String body) throws Exception;
}
