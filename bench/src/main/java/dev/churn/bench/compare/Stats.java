package dev.churn.bench.compare;

import java.util.Arrays;
import java.util.List;

/**
 * The repeats of one metric for one configuration: median and range (min..max). Build it with
 * {@link #of}; {@link #beyondNoise} says whether two configurations differ by more than the noise.
 *
 * <p>The rule: two configurations differ beyond the noise when their ranges do not overlap, i.e.
 * every repeat of one is above every repeat of the other. With K repeats each, two samples of the
 * same distribution do that by chance with probability 2·K!·K!/(2K)! (10% for K=3, 2.9% for K=4,
 * 0.8% for K=5). A single run has no noise estimate, so nothing is marked with K=1.
 */
public record Stats(double median, double min, double max, List<Double> values) {

    public Stats {
        values = List.copyOf(values);
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

    /** True when both have two repeats or more and their ranges do not overlap (see the class comment). */
    public boolean beyondNoise(Stats other) {
        if (values.size() < 2 || other.values.size() < 2) {
            return false;
        }
        return max < other.min || other.max < min;
    }

    @Override
    public String toString() {
        return median + " [" + min + ".." + max + "] " + Arrays.toString(values.toArray());
    }
}
