package io.modelwork.spi;

import java.io.IOException;

/**
 * The typed state of one category in one session: the attached data, the preprocessing, the split, the model and
 * what the steps learnt. What a checkpoint keeps is the category's choice ({@link #save}); how it is written,
 * checksummed, verified and read back is shared ({@link StateWriter}, {@link StateReader}).
 * {@link #close()} releases native handles (boosters, ONNX sessions, decoders).
 */
public interface CategoryState extends AutoCloseable {

    /** Writes what is needed to continue in a fresh session. */
    void save(StateWriter out) throws IOException;

    /** Restores from what {@link #save} wrote (every file has been verified against the manifest first). */
    void restore(StateReader in) throws IOException;

    @Override default void close() { }
}
