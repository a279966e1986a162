package dev.churn.bench.transport;

/**
 * When every event loop of an open loop had all its slots in flight: the latest such span. A loop with a free
 * slot holds the next ticket or claims it as soon as it looks, so a start that came due while every slot was busy
 * waited for a cycle to end; what it waited beyond the span was a loop busy with its other connections, the
 * client's own waking. The loop whose slot ended the span goes from its cycle's end straight to its claim, as a
 * thread-per-connection worker does, and for it the span runs on to that claim. Only the latest span is kept: a
 * lateness that spans two of them is counted short, never long. Transitions only (a loop filling up, a loop's
 * first slot coming free), a few per cycle at most, and only in an open loop: a closed loop is full almost all
 * the time and pays nothing for this.
 */
final class AllSlotsBusy {

    /** The span {@code from}..{@code until} (System.nanoTime()); {@link #NONE} before any. */
    record Span(long from, long until) {}

    static final Span NONE = new Span(0, 0);

    private final int loops;
    private int full; // guarded by this
    private long since; // guarded by this
    private volatile Span latest = NONE;

    AllSlotsBusy(int loops) {
        this.loops = loops;
    }

    /** A loop's slots are all in flight, since {@code nanos} (at the latest). */
    synchronized void loopFull(long nanos) {
        if (++full == loops) {
            since = nanos;
        }
    }

    /**
     * A full loop's first slot came free at {@code nanos}, its cycle ended and reported; true when that ended a span
     * (every other slot still busy): no start can be due and waiting for that loop's slot but the next it claims.
     */
    synchronized boolean loopFreed(long nanos) {
        if (full-- == loops && nanos - since > 0) {
            latest = new Span(since, nanos);
            return true;
        }
        return false;
    }

    /** The latest span in which every slot was busy, or {@link #NONE}. */
    Span latest() {
        return latest;
    }
}
