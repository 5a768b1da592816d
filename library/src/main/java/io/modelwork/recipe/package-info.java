/**
 * Headless runs: {@link io.modelwork.recipe.Recipe} parses and checks a YAML/JSON recipe (the step names as keys,
 * the same argument keys as the magics) and runs it through a {@link io.modelwork.session.Session}. Used by
 * {@code bin/modelwork pipeline} and the kernel's {@code %%recipe}.
 */
package io.modelwork.recipe;
