/**
 * Engine-neutral hyper-parameter search: grid, random, TPE-style Bayesian optimisation and successive halving
 * ("asha") over a resource such as boosting rounds.
 *
 * <p>The pieces: a {@link io.modelwork.tune.SearchSpace} of named {@link io.modelwork.tune.Param}s (built in code,
 * from a recipe map or from a one-line mini-syntax), an {@link io.modelwork.tune.Objective} that trains and scores
 * one configuration at a given budget, a {@link io.modelwork.tune.TunerConfig} (strategy, trial budget, threads,
 * seed, direction, metric) and {@link io.modelwork.tune.Tuner#run} which returns a
 * {@link io.modelwork.tune.TuningReport} holding every trial and the best configuration.
 *
 * <p><b>Determinism.</b> Every random choice derives from {@link io.modelwork.tune.TunerConfig#seed()}. Strategies
 * propose trials in rounds ("batches") computed only from the results of <em>completed</em> rounds, ordered by trial
 * id, never from completion order; the batch sizes do not depend on the number of threads. Hence the same seed gives
 * the same trial sequence, parameters, budgets and (for a deterministic objective) values whatever
 * {@link io.modelwork.tune.TunerConfig#threads()} is; only timings differ. A per-trial timeout is the one exception:
 * whether a slow trial times out depends on the machine.
 *
 * <p>References: J. Bergstra, R. Bardenet, Y. Bengio, B. Kégl, "Algorithms for Hyper-Parameter Optimization",
 * NeurIPS 2011 (TPE); J. Bergstra, Y. Bengio, "Random Search for Hyper-Parameter Optimization", JMLR 13, 2012;
 * K. Jamieson, A. Talwalkar, "Non-stochastic Best Arm Identification and Hyperparameter Optimization", AISTATS 2016
 * (successive halving); L. Li, K. Jamieson, A. Rostamizadeh, E. Gonina, J. Ben-Tzur, M. Hardt, B. Recht,
 * A. Talwalkar, "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020 (ASHA).
 *
 * <p>Depends only on {@code io.modelwork.core} (errors, JSON) and commons-math3 (the error function).
 */
package io.modelwork.tune;
