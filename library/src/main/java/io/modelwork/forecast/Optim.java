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
 */
final class Optim {
    private Optim() {}

    static final double PENALTY = 1e10;

    record Result(double[] x, double value, int evaluations) {}

    static Result minimize(ToDoubleFunction<double[]> f, double[] start, double initialRadius, double stopRadius,
                           int maxEval) {
        int n = start.length;
        if (n == 0) return new Result(start, f.applyAsDouble(start), 1);
        final double[] best = start.clone();
        final double[] bestVal = {Double.POSITIVE_INFINITY};
        final int[] evals = {0};
        boolean pad = n == 1;
        ToDoubleFunction<double[]> g = v -> {
            double[] x = pad ? new double[]{v[0]} : v;
            double val = f.applyAsDouble(x);
            evals[0]++;
            if (!Double.isFinite(val) || val > PENALTY) val = PENALTY;
            if (val < bestVal[0]) {
                bestVal[0] = val;
                System.arraycopy(x, 0, best, 0, n);
            }
            return val;
        };
        double[] x0 = pad ? new double[]{start[0], 0} : start.clone();
        int dim = x0.length;
        BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * dim + 1, initialRadius, stopRadius);
        try {
            opt.optimize(new MaxEval(maxEval), new ObjectiveFunction(g::applyAsDouble), GoalType.MINIMIZE,
                    new InitialGuess(x0), SimpleBounds.unbounded(dim));
        } catch (MathIllegalStateException e) {
            // evaluation budget exhausted or numerical trouble: keep the best point seen
        }
        return new Result(best, bestVal[0], evals[0]);
    }
}
