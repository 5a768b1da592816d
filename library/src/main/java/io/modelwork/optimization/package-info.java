/**
 * The optimization task family on Google OR-Tools: {@link io.modelwork.optimization.OptimizationWorkflow} (build
 * defines variables, constraints and objective; fit solves), the instance {@link io.modelwork.optimization.Readers}
 * (TSPLIB, Solomon, JSPLIB, LP/MPS, CP-SAT protos), the integer {@link io.modelwork.optimization.Scaling} of
 * prepare_data, the routing / CP-SAT / MIP solves (MIP progress in slices or through CP-SAT), user-built CP-SAT
 * models ({@code optimization.cpsat}), MIP {@link io.modelwork.optimization.Formulations}, and the
 * solver-independent {@link io.modelwork.optimization.Validator}.
 * Imports the core, registry and report packages.
 */
package io.modelwork.optimization;
