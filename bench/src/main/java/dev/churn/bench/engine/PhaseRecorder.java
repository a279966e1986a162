package dev.churn.bench.engine;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One HdrHistogram {@link Recorder} per {@link Phase}, in nanoseconds. Any thread records (wait-free);
 * one reporting thread calls {@link #interval} each tick to take what was recorded since its last
 * call, and keeps totals itself. Values above the highest trackable one are clamped, not lost, and
 * counted ({@link #overCeiling}), so a run can say its tail is at least that.
 */
public final class PhaseRecorder {

    /** Highest trackable latency: one hour in nanoseconds. */
    public static final long HIGHEST_NANOS = 3_600_000_000_000L;
    /** Significant digits of every histogram churn records, and so writes into its logs. */
    public static final int DIGITS = 3;

    private final Map<Phase, Recorder> recorders = new EnumMap<>(Phase.class);
    private final Map<Phase, Histogram> reuse = new EnumMap<>(Phase.class);
    private final LongAdder[] overCeiling = new LongAdder[Phase.values().length];

    public PhaseRecorder() {
        for (Phase p : Phase.values()) {
            recorders.put(p, new Recorder(HIGHEST_NANOS, DIGITS));
            overCeiling[p.ordinal()] = new LongAdder();
        }
    }

    /** Records one phase's duration in nanoseconds (negative values, a clock quirk, count as 0). */
    public void record(Phase p, long nanos) {
        if (nanos > HIGHEST_NANOS) {
            overCeiling[p.ordinal()].increment(); // rare: a branch on the hot path, a count off it
            nanos = HIGHEST_NANOS;
        }
        recorders.get(p).recordValue(Math.max(nanos, 0));
    }

    /** How many values each phase recorded above {@link #HIGHEST_NANOS} since the start or {@link #reset}; none: absent. */
    public Map<Phase, Long> overCeiling() {
        Map<Phase, Long> m = new EnumMap<>(Phase.class);
        for (Phase p : Phase.values()) {
            long n = overCeiling[p.ordinal()].sum();
            if (n > 0) {
                m.put(p, n);
            }
        }
        return m;
    }

    /**
     * Records {@code count} values of {@code nanos} at once, through recordValueWithCount: for
     * made-up histograms (the reporter's rehearsal), which must not run the cycles' recordValue.
     */
    void recordCount(Phase p, long nanos, long count) {
        recorders.get(p).recordValueWithCount(nanos, count);
    }

    /**
     * What this phase recorded since the last call (or the start), tagged with the phase label. The
     * returned histogram is reused by the next call for the same phase: copy or add it before then.
     */
    public Histogram interval(Phase p) {
        Histogram h = recorders.get(p).getIntervalHistogram(reuse.get(p));
        h.setTag(p.label());
        reuse.put(p, h);
        return h;
    }

    /** Discards everything recorded so far (the end of warm-up). */
    public void reset() {
        for (Recorder r : recorders.values()) {
            r.reset();
        }
        for (LongAdder a : overCeiling) {
            a.reset();
        }
    }
}
