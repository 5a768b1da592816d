/** The command line behind {@code bin/modelwork} ({@link io.modelwork.cli.Main}): pipeline, registry, specs. */
package io.modelwork.cli;
