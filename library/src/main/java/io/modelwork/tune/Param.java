package io.modelwork.tune;

import io.modelwork.core.ModelworkException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One dimension of a {@link SearchSpace}: a finite {@link Choice}, an inclusive {@link IntRange}, or a continuous
 * {@link Uniform} / {@link LogUniform} interval.
 */
public sealed interface Param permits Param.Choice, Param.IntRange, Param.Uniform, Param.LogUniform {

    /** Draws one value uniformly (log-uniformly for {@link LogUniform}) from this dimension. */
    Object sample(Random rnd);

    /** Whether the dimension has a finite list of values, so that grid search can enumerate it. */
    boolean enumerable();

    /** The values grid search enumerates, in order; only for {@link #enumerable()} dimensions. */
    List<Object> gridValues();

    /** This dimension in the mini-syntax of {@link SearchSpace#parse(String)}. */
    String syntax();

    /** A finite set of values (numbers, strings, booleans), drawn with equal probability. */
    record Choice(List<Object> values) implements Param {
        public Choice {
            if (values == null || values.isEmpty()) {
                throw new ModelworkException("a choice needs at least one value", "", "list one or more values, e.g. 3|6|9");
            }
            if (values.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ModelworkException("a choice contains a null value", "", "remove the null or replace it by a value");
            }
            values = Collections.unmodifiableList(new ArrayList<>(values));
        }

        /** A choice among the given values. */
        public static Choice of(Object... values) { return new Choice(java.util.Arrays.asList(values)); }

        @Override public Object sample(Random rnd) { return values.get(rnd.nextInt(values.size())); }
        @Override public boolean enumerable() { return true; }
        @Override public List<Object> gridValues() { return values; }
        @Override public String syntax() {
            StringBuilder sb = new StringBuilder();
            for (Object v : values) sb.append(sb.length() == 0 ? "" : "|").append(v);
            return sb.toString();
        }
    }

    /** The integers {@code lo..hi}, both inclusive. */
    record IntRange(int lo, int hi) implements Param {
        public IntRange {
            if (lo > hi) {
                throw new ModelworkException("integer range " + lo + ".." + hi + " is empty", "", "write the lower bound first, e.g. int:1..10");
            }
        }
        @Override public Object sample(Random rnd) { return lo + (int) (rnd.nextDouble() * ((long) hi - lo + 1)); }
        @Override public boolean enumerable() { return true; }
        @Override public List<Object> gridValues() {
            if ((long) hi - lo >= 1_000_000) {
                throw new ModelworkException("integer range " + lo + ".." + hi + " is too wide to enumerate", "",
                        "narrow the range or list the grid values explicitly, e.g. 1|10|100");
            }
            List<Object> out = new ArrayList<>(hi - lo + 1);
            for (int v = lo; v <= hi; v++) out.add(v);
            return Collections.unmodifiableList(out);
        }
        @Override public String syntax() { return "int:" + lo + ".." + hi; }
    }

    /** Real numbers drawn uniformly from {@code [lo, hi]}. */
    record Uniform(double lo, double hi) implements Param {
        public Uniform {
            if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo >= hi) {
                throw new ModelworkException("uniform range " + lo + ".." + hi + " is empty or not finite", "",
                        "give two finite bounds, lower first, e.g. 0.5..1.0");
            }
        }
        @Override public Object sample(Random rnd) { return lo + rnd.nextDouble() * (hi - lo); }
        @Override public boolean enumerable() { return false; }
        @Override public List<Object> gridValues() { throw notEnumerable(); }
        @Override public String syntax() { return lo + ".." + hi; }
    }

    /** Positive real numbers whose logarithm is uniform on {@code [ln lo, ln hi]} (learning rates, penalties). */
    record LogUniform(double lo, double hi) implements Param {
        public LogUniform {
            if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo <= 0 || lo >= hi) {
                throw new ModelworkException("log-uniform range " + lo + ".." + hi + " needs 0 < lo < hi", "",
                        "give two positive bounds, lower first, e.g. log:0.01..0.3");
            }
        }
        @Override public Object sample(Random rnd) {
            double v = Math.exp(Math.log(lo) + rnd.nextDouble() * (Math.log(hi) - Math.log(lo)));
            return Math.min(hi, Math.max(lo, v));
        }
        @Override public boolean enumerable() { return false; }
        @Override public List<Object> gridValues() { throw notEnumerable(); }
        @Override public String syntax() { return "log:" + lo + ".." + hi; }
    }

    private static ModelworkException notEnumerable() {
        return new ModelworkException("a continuous parameter has no grid", "",
                "give grid search an explicit list of values, e.g. eta=0.01|0.1|0.3");
    }
}
