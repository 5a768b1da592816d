package io.modelwork.spi;

import io.modelwork.core.Args;

import java.util.List;
import java.util.Map;

/**
 * What a task category supplies, found by {@link java.util.ServiceLoader} (register an implementation in
 * {@code META-INF/services/io.modelwork.spi.TaskProvider}). Adding a category adds a provider; the core is not edited.
 */
public interface TaskProvider {
    /** Specs this provider builds, without variants, e.g. {@code regression.xgboost}. */
    List<String> specs();

    /** One line per spec for listings and errors. */
    default String describe(String spec) { return spec; }

    /** Hyper-parameters with their defaults, valid as {@code build} and {@code fit} arguments. */
    Map<String, Object> defaultParams(ModelSpec spec);

    /** Builds (initialises) a model for the spec. {@code params} are the user's build arguments. */
    Model build(ModelSpec spec, Args params, BuildContext context);

    /** What {@code build} knows of the session: device, seed, threads, the data's shape. */
    record BuildContext(String device, long seed, int threads, int numClasses, int numFeatures) {}
}
