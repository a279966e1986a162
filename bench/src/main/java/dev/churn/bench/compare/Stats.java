package dev.churn.bench.compare;

import java.util.Arrays;
import java.util.List;

/**
 * The repeats of one metric for one configuration: median and range (min..max). Build it with
 * {@link #of}; {@link #beyondNoise} says whether two configurations differ by more than the noise.
 *
 * <p>The rule: two configurations differ beyond the noise when their ranges do not overlap, i.e.
 * every repeat of one is above every repeat of the other. With K repeats each, two samples of the
 * same distribution do that by chance with probability 2·K!·K!/(2K)! ({@link #chance}: 33% for
 * K=2, 10% for K=3, 2.9% for K=4, 0.8% for K=5). A mark that is wrong one time in three says
 * nothing, so nothing is marked below {@value #MIN_REPEATS} repeats a side.
 */
public record Stats(double median, double min, double max, List<Double> values) {

    /** Repeats each side needs before a difference can be beyond the noise. */
    public static final int MIN_REPEATS = 3;

    public Stats {
        values = List.copyOf(values);
    }

    /**
     * The probability that {@code m} and {@code n} repeats of one unchanged configuration have
     * disjoint ranges by chance, 2·m!·n!/(m+n)!: each of the two orders is one of C(m+n, m) equally
     * likely interleavings.
     */
    public static double chance(int m, int n) {
        double p = 2;
        for (int i = 1; i <= Math.min(m, n); i++) {
            p = p * i / (Math.max(m, n) + i);
        }
        return p;
    }

    /** The statistics of these repeats (at least one). */
    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Stats(median, v[0], v[n - 1], values);
    }

    /** max - min: how far apart the repeats were. */
    public double spread() {
        return max - min;
    }

    /** The spread relative to the median (0.05 = 5%), 0 when the median is 0. */
    public double relativeSpread() {
        return median == 0 ? 0 : spread() / Math.abs(median);
    }

    /** True when both have {@value #MIN_REPEATS} repeats or more and their ranges do not overlap (see the class comment). */
    public boolean beyondNoise(Stats other) {
        if (values.size() < MIN_REPEATS || other.values.size() < MIN_REPEATS) {
            return false;
        }
        return max < other.min || other.max < min;
    }

    @Override
    public String toString() {
        return median + " [" + min + ".." + max + "] " + Arrays.toString(values.toArray());
    }
}
