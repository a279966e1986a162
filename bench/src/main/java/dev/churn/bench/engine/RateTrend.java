package dev.churn.bench.engine;

import java.util.List;

/**
 * Whether a closed loop's rate was still climbing when it ended (the JIT still compiling, caches
 * warming): the rate of the first third of the measured intervals against the last third. When the
 * last is more than {@value #CLIMB_LIMIT_PERCENT}% above the first, the run's rate is not a
 * steady-state figure: a longer --warmup gives one.
 */
public record RateTrend(int intervals, double earlyPerSecond, double latePerSecond) {

    /** How much faster the end may run than the start before the run counts as still climbing. */
    public static final int CLIMB_LIMIT_PERCENT = 15;

    /** Fewer intervals than this say nothing about a trend. */
    public static final int MIN_INTERVALS = 4;

    /** One reporting interval of the measured part: its length and the cycles completed in it. */
    public record Interval(long nanos, long completed) {}

    /** True when the late rate exceeds the early one by more than {@value #CLIMB_LIMIT_PERCENT}%. */
    public boolean climbing() {
        return earlyPerSecond > 0 && latePerSecond > earlyPerSecond * (1 + CLIMB_LIMIT_PERCENT / 100.0);
    }

    /** The trend of these intervals, in order, or null when there are fewer than {@value #MIN_INTERVALS}. */
    public static RateTrend of(List<Interval> intervals) {
        int n = intervals.size();
        if (n < MIN_INTERVALS) {
            return null;
        }
        int third = n / 3;
        return new RateTrend(n, rate(intervals.subList(0, third)), rate(intervals.subList(n - third, n)));
    }

    private static double rate(List<Interval> part) {
        long nanos = 0;
        long completed = 0;
        for (Interval i : part) {
            nanos += i.nanos();
            completed += i.completed();
        }
        return nanos <= 0 ? 0 : completed * 1e9 / nanos;
    }
}
