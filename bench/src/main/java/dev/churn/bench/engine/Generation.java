package dev.churn.bench.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

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
    /** A closed loop's pause after the client ran out of descriptors or ports, and its tally. */
    final ShortageBackoff backoff = new ShortageBackoff();
    /** Cycles that passed their start (awaitStart said go). */
    final LongAdder started = new LongAdder();
    /** Open loop: the latest a cycle started after its intended start, in nanoseconds. */
    final AtomicLong maxLagNanos = new AtomicLong();
    /**
     * Open loop: how late each cycle started after its intended start, in nanoseconds. A cycle's
     * latency counts from its intended start, so this lag is in every one of them: the client's own
     * share (its timer waking, its threads scheduled), which the table shows beside the phases.
     */
    final ConcurrentHistogram startLag = new ConcurrentHistogram(3);
    /** Open loop: every start's lag added up, in nanoseconds. */
    final LongAdder lagNanosSum = new LongAdder();
    /** Open loop: the part of {@link #lagNanosSum} starts spent waiting for a free slot (RunControl.Claim). */
    final LongAdder slotWaitNanosSum = new LongAdder();
    /**
     * Open loop: the latest cycle start and the share of its lag that was waiting for a slot, as one value
     * (up to four workers start at once: read apart, a time and a share could be of two starts), in an object of
     * its own so that its writes do not dirty the line of this part's fields every claim reads.
     */
    final AtomicReference<LastStart> lastStart;
    /** The most cycles in flight at once. */
    final AtomicInteger peakInFlight = new AtomicInteger();
    /**
     * The cycles in flight, the ones ending (recording their outcome) and whether the run gave up on
     * the rest, in one word: a cycle's end and {@link #giveUp} then exclude each other without a lock
     * on the cycle's path. A cycle that ends counts once, as what it reported or as unfinished, never
     * as both; and giveUp returns only once no outcome is half recorded, so the results read after it
     * agree with themselves. Counting the worker threads still alive instead counted a thread that had
     * just recorded its cycle, and not yet returned, twice.
     */
    private final AtomicLong cycles = new AtomicLong();
    private static final long IN_FLIGHT_MASK = (1L << 31) - 1;
    private static final long ENDING_ONE = 1L << 31;
    private static final long ENDING_MASK = IN_FLIGHT_MASK << 31;
    private static final long GIVEN_UP = 1L << 62;
    /** {@code !measured}, a field of its own so a test of it is one load, not a branch (see {@link #limit}). */
    final boolean warmup;
    /**
     * The most cycles this part may attempt: the measured part's --connections, else no limit. The
     * warm-up and the measured part run the same code, the same tests with the same outcomes until the
     * part ends, so the compiled code of the warm-up is still right for the measured part. A test whose
     * outcome flipped at the switch (the warm-up never counted, the measured part did; a first cycle
     * end that found no earlier one) made the JIT throw away the hot path's code just as the measured
     * part began (an "unstable_if" uncommon trap), and its first half second ran in the interpreter
     * and C1 at 0.8x of the rate after it (2026-12-03).
     */
    final long limit;
    /**
     * {@link #deadlineNanos}, or a time 146 years away: a deadline test without a NO_DEADLINE branch. A closed loop's
     * moves to its first cycle's start plus the --duration (see {@link #cycleStarted}). Volatile: written once, by
     * whichever thread starts first, and read before every claim.
     */
    volatile long effectiveDeadlineNanos;
    /**
     * The --duration a closed loop's deadline counts from its first cycle's start, or {@link #NO_DEADLINE}: its window
     * starts there ({@link #windowStart}), and a deadline from the part's start cut it short by the time its threads
     * took to start: 138 ms of a 5 s run, and 2.85 s of one on a busy machine, which measured 2.17 s of the 5 s asked
     * and said nothing (QA, 2026-12-06).
     */
    private final long spanNanos;
    /** When the last cycle of this part ended (nanoTime); one before {@link #startNanos} before any did. */
    private final AtomicLong lastEndNanos;
    /** When the first cycle of this part started (nanoTime), or {@link #NOT_STARTED}. */
    private final AtomicLong firstStartNanos = new AtomicLong(NOT_STARTED);
    private static final long NOT_STARTED = Long.MIN_VALUE;

    static final long NO_DEADLINE = Long.MIN_VALUE;

    Generation(boolean measured, long startNanos, long deadlineNanos) {
        this(measured, startNanos, deadlineNanos, 0, false);
    }

    /**
     * A part of at most {@code connections} cycles (0: no limit; the warm-up has none), whose deadline counts from its
     * first cycle's start when {@code fromFirstStart} (a closed loop's: an open loop's schedule starts with the part).
     */
    Generation(boolean measured, long startNanos, long deadlineNanos, long connections, boolean fromFirstStart) {
        this.measured = measured;
        this.warmup = !measured;
        this.limit = measured && connections > 0 ? connections : Long.MAX_VALUE;
        this.startNanos = startNanos;
        this.deadlineNanos = deadlineNanos;
        this.effectiveDeadlineNanos = deadlineNanos == NO_DEADLINE ? startNanos + (1L << 62) : deadlineNanos;
        this.spanNanos = fromFirstStart && deadlineNanos != NO_DEADLINE ? deadlineNanos - startNanos : NO_DEADLINE;
        this.lastEndNanos = new AtomicLong(startNanos - 1);
        this.lastStart = new AtomicReference<>(new LastStart(startNanos, 0));
        this.failures = new Failures(startNanos);
    }

    /** An open loop part's latest start (nanoTime) and the share of its lag that was waiting for a free slot. */
    record LastStart(long nanos, double slotShare) {}

    /** An open loop start at {@code nanos}: kept as the latest unless a later one already is (starts race). */
    void startedAt(long nanos, double slotShare) {
        LastStart mine = new LastStart(nanos, slotShare);
        for (LastStart cur = lastStart.get(); cur.nanos() - nanos < 0; cur = lastStart.get()) {
            if (lastStart.compareAndSet(cur, mine)) {
                return;
            }
        }
    }

    /** A cycle starts: the cycles now in flight, or -1 when the run gave up on this part (the cycle must not start). */
    int start() {
        for (long s = cycles.get(); ; s = cycles.get()) {
            if ((s & GIVEN_UP) != 0) {
                return -1;
            }
            if (cycles.compareAndSet(s, s + 1)) {
                return (int) ((s + 1) & IN_FLIGHT_MASK);
            }
        }
    }

    /**
     * A started cycle begins to record its outcome: false when the run gave up on it, which then
     * counts as unfinished and records nothing. After true, {@link #endRecorded} must follow.
     */
    boolean beginEnd() {
        for (long s = cycles.get(); ; s = cycles.get()) {
            if ((s & GIVEN_UP) != 0) {
                return false;
            }
            if (cycles.compareAndSet(s, s + ENDING_ONE)) {
                return true;
            }
        }
    }

    /** The cycle {@link #beginEnd} let through has recorded its outcome: it is no longer in flight. */
    void endRecorded() {
        cycles.getAndAdd(-ENDING_ONE - 1);
    }

    /** The cycles started and not ended. */
    int inFlight() {
        return (int) (cycles.get() & IN_FLIGHT_MASK);
    }

    /**
     * Gives up on the cycles in flight: none starts or records after this. Waits for the ones already
     * recording (a few microseconds each), then returns how many were still in flight, and counts
     * none in flight from then on. The first caller counts them; any other gets 0.
     */
    int giveUp() {
        long s = cycles.getAndUpdate(x -> x | GIVEN_UP);
        if ((s & GIVEN_UP) != 0) {
            // Another thread gave up first and counts them: every event loop of a part gives up on its own, and two
            // that did at once each counted the part's cycles (4 unfinished of 2 in flight, epoll, 2026-12-06).
            return 0;
        }
        while ((s & ENDING_MASK) != 0) {
            Thread.onSpinWait();
            s = cycles.get();
        }
        // Nothing changes the word now: starts and ends both see GIVEN_UP.
        cycles.set(GIVEN_UP);
        return (int) (s & IN_FLIGHT_MASK);
    }

    /** True when the deadline has passed at {@code now}. */
    boolean pastDeadline(long now) {
        return now - effectiveDeadlineNanos >= 0;
    }

    /**
     * A cycle of this part started at this nanoTime. After the first, one read: the earliest of the first few to race
     * here wins, since a later thread's {@code now} may be the earlier one.
     */
    void cycleStarted(long nanos) {
        long first = firstStartNanos.get(); // one read on the cycle's path
        if (first == NOT_STARTED || nanos - first < 0) {
            long won = firstStartNanos.accumulateAndGet(nanos, (a, b) -> a == NOT_STARTED || b - a < 0 ? b : a);
            if (spanNanos != NO_DEADLINE) {
                effectiveDeadlineNanos = won + spanNanos;
            }
        }
    }

    /**
     * Where a closed loop's window starts: its first cycle's start, not the part's, so the measured part's thread
     * starts are not in its rate (a C loop's clock starts at its first socket() too); {@link #startNanos} when no
     * cycle started.
     */
    long windowStart() {
        long first = firstStartNanos.get();
        return first == NOT_STARTED ? startNanos : first;
    }

    /** Whether any cycle of this part started. */
    boolean anyStarted() {
        return firstStartNanos.get() != NOT_STARTED;
    }

    /** A cycle of this part ended (completed or failed) at this nanoTime. */
    void cycleEnded(long nanos) {
        lastEndNanos.accumulateAndGet(nanos, (a, b) -> b - a > 0 ? b : a);
    }

    /**
     * Where this part's window ends: when its last cycle ended, not when the threads that ran the
     * cycles were all joined (which, with many idle threads, can be much later); {@code fallback}
     * when no cycle ended.
     */
    long windowEnd(long fallback) {
        long last = lastEndNanos.get();
        return last - startNanos < 0 ? fallback : last;
    }
}
