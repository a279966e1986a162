package dev.churn.bench.control;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * Wall-clock time in nanoseconds since the epoch, the only clock two hosts can compare (each
 * System.nanoTime() has an origin of its own). Linux gives it at microsecond resolution or better.
 */
public final class EpochClock {

    private EpochClock() {}

    /** Now, in nanoseconds since 1970-01-01T00:00Z. */
    public static long nanos() {
        return nanos(Instant.now());
    }

    /** An instant in nanoseconds since the epoch. */
    public static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** These nanoseconds since the epoch as an instant; {@link #nanos(Instant)} is the inverse. */
    public static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    /**
     * Sleeps until this clock reads {@code epochNanos}; returns at once for a time already past.
     * Parks rather than spins: the timer wakes it within tens of microseconds, while clients spinning
     * together on a machine with fewer cores than spinners push one another off the CPU for a whole
     * scheduler slice (15 ms late, measured with three JVMs on two cores). Interrupts end the wait
     * early, with the thread's flag set.
     */
    public static void sleepUntil(long epochNanos) {
        while (!Thread.currentThread().isInterrupted()) {
            long left = epochNanos - nanos();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(left);
        }
    }
}
