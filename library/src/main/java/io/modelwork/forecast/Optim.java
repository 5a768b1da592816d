package io.modelwork.forecast;

import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Unconstrained minimisation through Apache Commons Math's BOBYQA (Powell 2009), a derivative-free trust-region
 * method. BOBYQA needs two or more variables, so a one-parameter problem gets an inert second coordinate. The best
 * point seen is returned even when the evaluation budget runs out. Non-finite objective values are replaced by a
 * large finite penalty so the trust-region model stays finite.
 *
 * <p>Besides BOBYQA's own stop (the trust-region radius reaching {@code stopRadius}) a relative-tolerance stop in the
 * manner of R's {@code optim(reltol = sqrt(.Machine$double.eps))}: when the best value has improved by less than
 * {@code reltol * (|f| + reltol)} over the last {@code 3 (2n + 1)} evaluations (three full interpolation sets, after
 * the initial one), the search ends. On the flat ridges of near-redundant ARMA models BOBYQA otherwise spends its
 * whole budget shrinking the radius for changes of 1e-10 in the objective.
 */
final class Optim {
    private Optim() {}

    static final double PENALTY = 1e10;

    record Result(double[] x, double value, int evaluations) {}

    /** R's default {@code reltol}, {@code sqrt(.Machine$double.eps)}. */
    static final double RELTOL = 1.490116119384765625e-8;

    /** Thrown from inside the objective to end BOBYQA when the relative-tolerance stop is met. */
    private static final class Converged extends RuntimeException {
        Converged() { super(null, null, false, false); }
    }

    static Result minimize(ToDoubleFunction<double[]> f, double[] start, double initialRadius, double stopRadius,
                           int maxEval) {
        return minimize(f, start, initialRadius, stopRadius, maxEval, RELTOL);
    }

    /** As above with an explicit relative tolerance ({@code <= 0}: only BOBYQA's radius and budget stop it). */
    static Result minimize(ToDoubleFunction<double[]> f, double[] start, double initialRadius, double stopRadius,
                           int maxEval, double reltol) {
        int n = start.length;
        if (n == 0) return new Result(start, f.applyAsDouble(start), 1);
        final double[] best = start.clone();
        final double[] bestVal = {Double.POSITIVE_INFINITY};
        final int[] evals = {0};
        boolean pad = n == 1;
        int npt = 2 * Math.max(n, 2) + 1, window = 3 * npt;
        final double[] history = new double[window]; // best value after each of the last `window` evaluations
        ToDoubleFunction<double[]> g = v -> {
            double[] x = pad ? new double[]{v[0]} : v;
            double val = f.applyAsDouble(x);
            evals[0]++;
            if (!Double.isFinite(val) || val > PENALTY) val = PENALTY;
            if (val < bestVal[0]) {
                bestVal[0] = val;
                System.arraycopy(x, 0, best, 0, n);
            }
            int k = evals[0];
            if (reltol > 0 && k > npt + window) {
                double old = history[k % window];
                if (old - bestVal[0] <= reltol * (Math.abs(bestVal[0]) + reltol)) throw new Converged();
            }
            history[k % window] = bestVal[0];
            return val;
        };
        double[] x0 = pad ? new double[]{start[0], 0} : start.clone();
        int dim = x0.length;
        BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * dim + 1, initialRadius, stopRadius);
        try {
            opt.optimize(new MaxEval(maxEval), new ObjectiveFunction(g::applyAsDouble), GoalType.MINIMIZE,
                    new InitialGuess(x0), SimpleBounds.unbounded(dim));
        } catch (MathIllegalStateException | Converged e) {
            // evaluation budget exhausted, numerical trouble, or converged by reltol: keep the best point seen
        }
        return new Result(best, bestVal[0], evals[0]);
    }
}
