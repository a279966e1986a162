package dev.churn.bench.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters and histograms of one part of a run: the warm-up, then the measured part. Ending
 * the warm-up swaps in a fresh generation; cycles claimed before record into the old one, which
 * is dropped, so nothing of the warm-up leaks into results whatever the timing.
 */
final class Generation {

    final boolean measured;
    final long startNanos;
    /** System.nanoTime() at which no more cycles start, or {@link #NO_DEADLINE}. */
    final long deadlineNanos;
    final PhaseRecorder recorder = new PhaseRecorder();
    final Failures failures;
    final AtomicLong attempted = new AtomicLong();
    final LongAdder completed = new LongAdder();
    /** Completed cycles whose TLS handshake resumed a session. */
    final LongAdder tlsResumed = new LongAdder();
    final AtomicLong failed = new AtomicLong();
    /** Cycles that passed their start (awaitStart said go). */
    final LongAdder started = new LongAdder();
    /** Open loop: the latest a cycle started after its intended start, in nanoseconds. */
    final AtomicLong maxLagNanos = new AtomicLong();
    /** The most cycles in flight at once. */
    final AtomicInteger peakInFlight = new AtomicInteger();
    /** When the last cycle of this part ended (nanoTime), or {@link #NO_DEADLINE} before any did. */
    private final AtomicLong lastEndNanos = new AtomicLong(NO_DEADLINE);

    static final long NO_DEADLINE = Long.MIN_VALUE;

    Generation(boolean measured, long startNanos, long deadlineNanos) {
        this.measured = measured;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        this.failures = new Failures(startNanos);
    }

    /** True when the deadline has passed at {@code now}. */
    boolean pastDeadline(long now) {
        return deadlineNanos != NO_DEADLINE && now - deadlineNanos >= 0;
    }

    /** A cycle of this part ended (completed or failed) at this nanoTime. */
    void cycleEnded(long nanos) {
        lastEndNanos.accumulateAndGet(nanos, (a, b) -> a == NO_DEADLINE || b - a > 0 ? b : a);
    }

    /**
     * Where this part's window ends: when its last cycle ended, not when the threads that ran the
     * cycles were all joined (which, with many idle threads, can be much later); {@code fallback}
     * when no cycle ended.
     */
    long windowEnd(long fallback) {
        long last = lastEndNanos.get();
        return last == NO_DEADLINE || last - startNanos < 0 ? fallback : last;
    }
}
