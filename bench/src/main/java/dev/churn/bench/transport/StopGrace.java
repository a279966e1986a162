package dev.churn.bench.transport;

import java.time.Duration;

/**
 * After a stop (Ctrl-C, too many failures), how long the cycles in flight may still take before they count as
 * unfinished: {@link #GRACE}, timed from when the stop was first seen. Waiting for their timeouts instead held a
 * stopped run for up to five of them: past Ctrl-C's 10 s wait for the results with a --connect-timeout over 10 s, and
 * the JVM left without writing a thing (a stalled server, 20,669 cycles measured, 2026-12-06). A cycle on its way ends
 * in milliseconds; one not ended in a second is stuck. One per waiting thread (the workers' join, each event loop).
 */
final class StopGrace {

    static final Duration GRACE = Duration.ofSeconds(1);

    private boolean seen;
    private long seenAt;

    /**
     * Looks once more: the nanoseconds since the stop was first seen once they pass {@link #GRACE} (give up then),
     * else -1, as while the run is not stopping.
     */
    long over(Cycles cycles, long now) {
        if (!cycles.stopping()) {
            return -1;
        }
        if (!seen) {
            seen = true;
            seenAt = now;
            return -1;
        }
        long waited = now - seenAt;
        return waited > GRACE.toNanos() ? waited : -1;
    }
}
