/**
 * The optimization category on Google OR-Tools. {@link io.modelwork.optimization.OptimizationCategory} (the
 * {@link io.modelwork.spi.Category}: specs, recognition, the keys of every step) and
 * {@link io.modelwork.optimization.OptimizationState} (what the steps read and write; checkpoints); the step
 * handlers ({@code InstanceHandlers}, {@code SolveHandlers}, {@code TuneHandler}, {@code ScenarioHandlers},
 * {@code OptimizationExport}); one {@code Formulation} per kind of problem (TSP, VRPTW, job-shop, MIP, CP-SAT) that
 * the handlers call instead of asking which kind they hold. Algorithms: the instance
 * {@link io.modelwork.optimization.Readers} (TSPLIB, Solomon, JSPLIB, LP/MPS, CP-SAT protos), the integer
 * {@link io.modelwork.optimization.Scaling} of prepare_data, the routing / CP-SAT / MIP solves in {@code Solvers}
 * (MIP progress in slices or through CP-SAT), MIP {@link io.modelwork.optimization.Formulations}, and the
 * solver-independent {@link io.modelwork.optimization.Validator}.
 *
 * <p>Imports {@code core}, {@code spi}, {@code shared}, {@code tune}, {@code registry} and {@code report}; never
 * {@code session} or another category.
 */
package io.modelwork.optimization;
