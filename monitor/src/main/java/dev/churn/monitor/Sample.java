package dev.churn.monitor;

import java.util.Objects;

/**
 * One reading of the kernel's TCP states, as a {@link StateSampler} takes it: when (wall clock and
 * nanoseconds since sampling started), the per-state counts for the sampler's filter, the
 * namespace-wide {@link Sockstat}, and what taking this sample cost in microseconds (the count plus
 * the sockstat read), so a reader can judge the observer's own overhead.
 */
public record Sample(long epochMillis, long elapsedNanos, StateCounts states, Sockstat sockstat, long sampleMicros) {

    public Sample {
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(sockstat, "sockstat");
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
