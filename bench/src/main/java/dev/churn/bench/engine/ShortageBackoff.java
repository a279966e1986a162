package dev.churn.bench.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * A closed loop's pause after the client ran short of something of its own: descriptors (EMFILE),
 * local ports (EADDRNOTAVAIL, or EADDRINUSE with --bind-ports). Such a connect fails in
 * microseconds, and the next, tried at once, fails the same way until something is given back: a
 * descriptor closed, a TIME_WAIT expired. Tried at once, a worker made 112,000 of them a second
 * (2026-12-04, {@code --closer never} under {@code ulimit -n 512}), counts that said nothing but how
 * fast a failure is, on a CPU taken from the sink and the sampler that would free and see the
 * shortage. So the next start waits: {@link #FIRST_NANOS} after the first such failure, doubling
 * with each one after up to {@link #MAX_NANOS}, and back to none after a cycle completes. An open
 * loop keeps its schedule and never pauses: its cycles start when due, and fail when due.
 * One per {@link Generation}: the measured part starts without the warm-up's pause, and counts its own.
 * Thread-safe; the race between two failures that both double the step is harmless.
 */
public final class ShortageBackoff {

    /** The pause after the first shortage in a row. */
    static final long FIRST_NANOS = 100_000;
    /** The longest pause: a shortage that lasts costs at most 100 tries a second per worker or event loop. */
    public static final long MAX_NANOS = 10_000_000;

    /** The current step; 0 while cycles complete. */
    private volatile long stepNanos;
    /** No cycle starts before this System.nanoTime() (valid while {@link #stepNanos} is not 0). */
    private volatile long resumeAtNanos;
    private final LongAdder pauses = new LongAdder();
    private final LongAdder pausedNanos = new LongAdder();

    ShortageBackoff() {}

    /**
     * A cycle failed with this kind at {@code now}: a shortage makes the next starts wait; true when it did.
     * Only the pause that begins after the last one ended is counted into {@link #pausedNanos()}, so
     * that many workers failing at once count the time once, not once each.
     */
    boolean failed(FailureKind kind, long now) {
        if (!kind.localShortage()) {
            return false;
        }
        synchronized (this) {
            long step = stepNanos == 0 ? FIRST_NANOS : Math.min(stepNanos * 2, MAX_NANOS);
            long previousEnd = stepNanos == 0 ? now : resumeAtNanos;
            long end = now + step;
            pausedNanos.add(Math.max(0, end - Math.max(now, previousEnd)));
            resumeAtNanos = end;
            stepNanos = step;
        }
        pauses.increment();
        return true;
    }

    /** A cycle completed: the shortage is over, starts wait no more. One volatile read while there is none. */
    void completed() {
        if (stepNanos != 0) {
            stepNanos = 0;
        }
    }

    /** When a cycle claimed at {@code now} may start: now, or the end of the current pause. */
    long startAt(long now) {
        if (stepNanos == 0) {
            return now;
        }
        long resume = resumeAtNanos;
        return resume - now > 0 ? resume : now;
    }

    /** Failures that made the next starts wait. */
    long pauses() {
        return pauses.sum();
    }

    /** The time the run's starts were held back, in nanoseconds: overlapping pauses count once. */
    long pausedNanos() {
        return pausedNanos.sum();
    }
}
