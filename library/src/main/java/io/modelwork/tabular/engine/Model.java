package io.modelwork.tabular.engine;

/**
 * A built model: what {@code build} returns and {@code fit} trains. Task families extend it (the tabular family with
 * {@link io.modelwork.tabular.TabularModel}). Native handles are released by {@link #close()}.
 */
public interface Model extends AutoCloseable {
    ModelSpec spec();

    /** The engine and its version, e.g. {@code xgboost4j 3.4.0}, for provenance. */
    String engine();

    @Override void close();
}
