package dev.churn.bench.engine;

import java.util.List;

/**
 * Whether a closed loop's rate was still climbing when it ended (the JIT still compiling, caches
 * warming): the rate over the first third of the measured time against the last third. When the
 * last is more than {@value #CLIMB_LIMIT_PERCENT}% above the first, the run's rate is not a
 * steady-state figure: a longer --warmup gives one. Thirds of time, not of intervals: the reporter
 * reads the rate every 50 ms at first and every second later, and an interval cut by a third's edge
 * counts in proportion to the part of it on each side.
 */
public record RateTrend(int intervals, double earlyPerSecond, double latePerSecond) {

    /** How much faster the end may run than the start before the run counts as still climbing. */
    public static final int CLIMB_LIMIT_PERCENT = 15;

    /** Fewer intervals than this say nothing about a trend. */
    public static final int MIN_INTERVALS = 4;

    /** One reporting interval of the measured part: its length and the cycles completed in it. */
    public record Interval(long nanos, long completed) {}

    /**
     * True when the late rate is more than {@value #CLIMB_LIMIT_PERCENT}% under the early one: not a
     * steady state either, and not the JIT's (a port range filling with TIME_WAIT, the server, other work).
     * Only a climb had been flagged (QA, 2026-12-06).
     */
    public boolean falling() {
        return earlyPerSecond > 0 && latePerSecond < earlyPerSecond * (1 - CLIMB_LIMIT_PERCENT / 100.0);
    }

    /** True when the late rate exceeds the early one by more than {@value #CLIMB_LIMIT_PERCENT}%. */
    public boolean climbing() {
        return earlyPerSecond > 0 && latePerSecond > earlyPerSecond * (1 + CLIMB_LIMIT_PERCENT / 100.0);
    }

    /**
     * The trend of these intervals, in order, or null when there are fewer than {@value #MIN_INTERVALS}; over the
     * intervals after their first {@code skipNanos}: the time before a closed loop's first cycle,
     * which its rate's window leaves out. Counted in the first third, it put that third's rate 27-42% under the rate
     * of the run's own first third in cold runs of 2,000-3,000 connections (QA, 2026-12-06, against a packet capture),
     * and a third 15% under tells the user the run was still climbing.
     */
    public static RateTrend of(List<Interval> intervals, long skipNanos) {
        int n = intervals.size();
        if (n < MIN_INTERVALS) {
            return null;
        }
        long total = 0;
        for (Interval i : intervals) {
            total += Math.max(0, i.nanos());
        }
        double from = Math.min(Math.max(0, skipNanos), total);
        double third = (total - from) / 3.0;
        return new RateTrend(n, rate(intervals, from, from + third), rate(intervals, total - third, total));
    }

    /** Cycles per second over [from, to) nanoseconds of the intervals laid end to end. */
    private static double rate(List<Interval> intervals, double from, double to) {
        double completed = 0;
        double start = 0;
        for (Interval i : intervals) {
            double length = Math.max(0, i.nanos());
            double overlap = Math.min(to, start + length) - Math.max(from, start);
            if (overlap > 0) {
                completed += i.completed() * overlap / length;
            }
            start += length;
        }
        return to - from <= 0 ? 0 : completed * 1e9 / (to - from);
    }
}
