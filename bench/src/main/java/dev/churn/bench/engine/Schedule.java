package dev.churn.bench.engine;

/**
 * How well an open loop kept its schedule in the measured part: {@code intended} cycles were due
 * to start in the measured window (its deadline, or when its last cycle ended), {@code started}
 * did (the others, {@link #missed}, never did: the run ended before the generator reached them), half
 * of them started at most {@code lagP50Nanos} after their intended time, 99% at most
 * {@code lagP99Nanos}, the latest {@code maxLagNanos}, and at most {@code peakInFlight} of the
 * {@code maxInFlight} allowed were in flight at once.
 *
 * <p>{@code slotWaitShare} is the part of all the starts' lag (their sum) spent waiting for a free
 * in-flight slot, 0..1, the rest being the client's waking; {@link #UNKNOWN} where it is not
 * measured (results written before 2026-12-05 by any transport, and before 2026-12-05 22:10 UTC by the event loops).
 *
 * <p>Latencies count from the intended start, so a start's lag is in its cycle's latency: the lag
 * percentiles say how much of that is the client's own waking and scheduling (a timer's precision,
 * a thread's wake-up), not the server's.
 *
 * <p>When {@link #generatorLimited()}, the load generator, not the server, set the pace: the
 * offered rate was below the asked one, so the measured rate is what this client managed (its
 * in-flight cap, threads or CPU), as wrk2 warns. Latencies still count from the intended starts.
 */
public record Schedule(long intended, long started, long lagP50Nanos, long lagP99Nanos, long maxLagNanos, int peakInFlight,
                       int maxInFlight, double slotWaitShare) {

    /** {@link #slotWaitShare} where it was not measured. */
    public static final double UNKNOWN = -1;

    /** A schedule whose lag was not split ({@link #UNKNOWN}). */
    public Schedule(long intended, long started, long lagP50Nanos, long lagP99Nanos, long maxLagNanos, int peakInFlight,
                    int maxInFlight) {
        this(intended, started, lagP50Nanos, lagP99Nanos, maxLagNanos, peakInFlight, maxInFlight, UNKNOWN);
    }

    /** A start later than this behind its intended time means the generator fell behind. */
    public static final long LAG_LIMIT_NANOS = 100_000_000L;

    /** More than this share of intended cycles not started means the generator fell behind. */
    public static final double SHORTFALL_LIMIT = 0.01;

    /**
     * Intended cycles that never started: due before the deadline, but the generator, behind, reached them only
     * after it, when no cycle starts (the run's --duration holds). They are in no latency figure (they never ran),
     * so they are counted here, and in {@link #generatorLimited}.
     */
    public long missed() {
        return Math.max(0, intended - started);
    }

    /** True when the schedule was not kept: too few cycles started, or some started too late. */
    public boolean generatorLimited() {
        return maxLagNanos > LAG_LIMIT_NANOS || intended - started > Math.max(1, intended * SHORTFALL_LIMIT);
    }

    /** True when every allowed in-flight slot was busy at some point: the cap, not the CPU, held starts back. */
    public boolean capReached() {
        return peakInFlight >= maxInFlight;
    }

    /**
     * The cycles an open loop at {@code nanosPerCycle} intended to start from {@code start} up to
     * (not including) {@code horizon}, at most {@code limit} when {@code limit} is positive.
     */
    static long intended(long start, long horizon, double nanosPerCycle, long limit) {
        long span = Math.max(0, horizon - start);
        long n = (long) Math.ceil(span / nanosPerCycle);
        return limit > 0 ? Math.min(limit, n) : n;
    }
}
