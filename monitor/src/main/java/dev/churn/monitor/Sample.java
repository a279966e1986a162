package dev.churn.monitor;

import java.util.Objects;

/**
 * One reading of the kernel's TCP states, as a {@link StateSampler} takes it: when (wall clock and
 * nanoseconds since sampling started), the per-state counts for the sampler's filter, the
 * namespace-wide {@link Sockstat}, what taking this sample cost in microseconds (the count plus
 * the sockstat read), so a reader can judge the observer's own overhead, and the actual time since
 * the previous sample in microseconds ({@link #NO_INTERVAL} for the first), which is longer than the
 * interval asked for when the sampler had to put ticks off (see {@link StateSampler}).
 */
public record Sample(long epochMillis, long elapsedNanos, StateCounts states, Sockstat sockstat, long sampleMicros,
                     long intervalMicros) {

    /** {@link #intervalMicros()} of the first sample: there is no previous one. */
    public static final long NO_INTERVAL = -1;

    public Sample {
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(sockstat, "sockstat");
    }

    /** A sample whose interval is unknown ({@link #NO_INTERVAL}). */
    public Sample(long epochMillis, long elapsedNanos, StateCounts states, Sockstat sockstat, long sampleMicros) {
        this(epochMillis, elapsedNanos, states, sockstat, sampleMicros, NO_INTERVAL);
    }

    /** Milliseconds since sampling started: the {@code t_ms} column of the CSV. */
    public long elapsedMillis() {
        return elapsedNanos / 1_000_000L;
    }

    /** Sockets of the filter in this state. */
    public long get(TcpState s) {
        return states.get(s);
    }
}
