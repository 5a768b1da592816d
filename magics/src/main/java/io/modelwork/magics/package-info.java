/**
 * The lifecycle magics: {@link io.modelwork.magics.Magics} parses {@code %configure}, {@code %attach}, …,
 * {@code %close}, {@code %session}, {@code %help} and the {@code %%recipe} cell magic into calls on the library's
 * {@link io.modelwork.session.Session} (the same keys as the recipe steps of {@code bin/modelwork pipeline}), and
 * {@link io.modelwork.magics.MagicSet} is the service interface through which a group of line and cell magics is
 * registered with the kernel ({@link java.util.ServiceLoader}). The step magics are derived from
 * {@link io.modelwork.core.Step} and run through {@link io.modelwork.session.Session#run}; {@link
 * io.modelwork.magics.MagicOptions} reads the declared step options for {@code %help STEP}, Tab completion and
 * Shift-Tab. May import {@code core}, {@code spi}, {@code session} and {@code recipe}. Nothing else lives
 * here: no Jupyter protocol, no rendering (that is {@code kernel-extensions}).
 */
package io.modelwork.magics;
