package io.modelwork.tabular.engine;

import io.modelwork.core.Args;

import java.util.List;
import java.util.Map;

/**
 * A tabular engine (XGBoost, LightGBM, …) for the tabular category, found by {@link java.util.ServiceLoader}
 * (register an implementation in {@code META-INF/services/io.modelwork.tabular.engine.TaskProvider}). Adding an
 * engine adds a provider; neither the tabular category nor the core is edited.
 */
public interface TaskProvider {
    /** Specs this provider builds, without variants, e.g. {@code regression.xgboost}. */
    List<String> specs();

    /** One line describing a spec (without the spec itself), for {@code bin/modelwork specs} and errors. */
    default String describe(String spec) { return spec; }

    /** Hyper-parameters with their defaults, valid as {@code build} and {@code fit} arguments. */
    Map<String, Object> defaultParams(ModelSpec spec);

    /** Engine parameters accepted by {@code build}/{@code fit} besides those of {@link #defaultParams} (no default). */
    default List<String> extraParams(ModelSpec spec) { return List.of(); }

    /** Builds (initialises) a model for the spec. {@code params} are the user's build arguments. */
    Model build(ModelSpec spec, Args params, BuildContext context);

    /** What {@code build} knows of the session: device, seed, threads, the data's shape. */
    record BuildContext(String device, long seed, int threads, int numClasses, int numFeatures) {}
}
