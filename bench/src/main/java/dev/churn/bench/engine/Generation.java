package dev.churn.bench.engine;

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
    final AtomicLong failed = new AtomicLong();

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
}
