package dev.churn.bench.engine;

import dev.churn.bench.server.AcceptObserver;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Times the ACCEPT phase, the accept-queue wait: from the moment the handshake completed to the
 * server's accept() return. The client's connect() return stands for the handshake's completion: on
 * loopback the kernel has queued the connection for accept() by then (the final ACK is processed
 * before connect() returns), so the wait is what the connection spent queued, not a connection
 * cost. An accept() that returned before the client's connect() did (the sink's thread woke first)
 * waited nothing and counts 0.
 *
 * <p>The two sides are paired on the client's local port, which both know: the client after
 * connect() returns, the server from the accepted socket's remote port. Pairing uses the client's
 * connect() <em>start</em>, which no accept of the same connection can precede, so a pair is never
 * mistaken for a leftover; the connect() return is kept beside it, per port, for the wait.
 *
 * <p>One slot per port holds 0 (empty) or one side's time tagged with its side (and, for the
 * client, whether its cycle was measured or warm-up). Each side, in {@link #post}, reads the slot
 * and then acts by compare-and-set on exactly what it read:
 * <ul>
 *   <li>empty: put its own time; the other side will pair with it;</li>
 *   <li>the other side's time, not later than the server's: take it (CAS to 0) and record the
 *       wait; only the CAS winner records, so a pair is recorded once;</li>
 *   <li>anything else is a leftover of an earlier connection on the same port whose partner never
 *       came (a failed cycle, a fast port reuse): the newer time stays, the older one is dropped.</li>
 * </ul>
 * A failed CAS means another thread changed the slot; it re-reads and decides again, at most
 * {@link #MAX_TRIES} times (a dropped sample rather than an unbounded loop). Each wait goes to the
 * part of the run (warm-up or measured) the client's cycle was claimed in, whenever it is paired.
 */
final class AcceptClock implements AcceptObserver {

    /** Where paired waits go: the nanoseconds queued, and whether the client's cycle was measured. */
    @FunctionalInterface
    interface Recording {
        void record(long waitNanos, boolean measured);
    }

    private static final int MAX_TRIES = 64;
    private static final long CLIENT = 0;
    private static final long SERVER = 1;
    private static final long MEASURED = 2;

    private final AtomicLongArray slots = new AtomicLongArray(65536);
    /** Per port, the client's connect() return (ns since base) of the connection its slot holds. */
    private final AtomicLongArray connectEnds = new AtomicLongArray(65536);
    private final long baseNanos;
    private final Recording record;
    private final AtomicLong acceptedFirst = new AtomicLong();

    /** Pairs times taken after {@code baseNanos} and hands each ACCEPT wait to {@code record}. */
    AcceptClock(long baseNanos, Recording record) {
        this.baseNanos = baseNanos;
        this.record = record;
    }

    /** A client connected from this local port; connect() ran from start to end (nanoTime). */
    void connected(int localPort, long connectStartNanos, long connectEndNanos, boolean measured) {
        connectEnds.set(localPort, since(connectEndNanos));
        post(localPort, encode(connectStartNanos, CLIENT | (measured ? MEASURED : 0)), since(connectEndNanos));
    }

    @Override
    public void accepted(int remotePort, long acceptedNanos) {
        post(remotePort, encode(acceptedNanos, SERVER), -1);
    }

    /** How many pairs had the accept() return before the client's connect() did (recorded as 0). */
    long acceptedBeforeConnectReturned() {
        return acceptedFirst.get();
    }

    private void post(int port, long mine, long myConnectEnd) {
        for (int i = 0; i < MAX_TRIES; i++) {
            long cur = slots.get(port);
            if (cur == 0) {
                if (slots.compareAndSet(port, 0, mine)) {
                    return;
                }
                continue;
            }
            if (side(cur) != side(mine)) {
                long client = side(mine) == CLIENT ? mine : cur;
                long server = side(mine) == SERVER ? mine : cur;
                if (time(server) - time(client) >= 0) {
                    // Read before the CAS: once the slot is empty the port's next client may overwrite it.
                    long connectEnd = side(mine) == CLIENT ? myConnectEnd : connectEnds.get(port);
                    if (slots.compareAndSet(port, cur, 0)) {
                        long wait = time(server) - connectEnd;
                        if (wait < 0) {
                            acceptedFirst.incrementAndGet();
                        }
                        record.record(Math.max(0, wait), ((client - 4) & MEASURED) != 0);
                        return;
                    }
                    continue;
                }
            }
            if (time(mine) < time(cur)) {
                return; // ours is the leftover
            }
            if (slots.compareAndSet(port, cur, mine)) {
                return;
            }
        }
    }

    private long since(long nanos) {
        return Math.max(0, nanos - baseNanos);
    }

    /**
     * Time since base, shifted left, plus the side bit and the measured bit, so that no posted value
     * is 0 (empty): the low bits are never all clear once 4 is added.
     */
    private long encode(long nanos, long tags) {
        return ((since(nanos) << 2) | tags) + 4;
    }

    private static long side(long v) {
        return (v - 4) & 1;
    }

    private static long time(long v) {
        return (v - 4) >>> 2;
    }
}
