package dev.churn.bench.engine;

import dev.churn.bench.server.AcceptObserver;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * Times the ACCEPT phase, client connect() start to server accept() return, by pairing the two
 * sides on the client's local port, which both know: the client after connect() returns, the
 * server from the accepted socket's remote port.
 *
 * <p>One slot per port holds 0 (empty) or one side's time tagged with its side. Each side, in
 * {@link #post}, reads the slot and then acts by compare-and-set on exactly what it read:
 * <ul>
 *   <li>empty: put its own time; the other side will pair with it;</li>
 *   <li>the other side's time, not later than the server's: take it (CAS to 0) and record
 *       {@code server - client}; only the CAS winner records, so a pair is recorded once;</li>
 *   <li>anything else is a leftover of an earlier connection on the same port whose partner never
 *       came (a failed cycle, a fast port reuse): the newer time stays, the older one is dropped.</li>
 * </ul>
 * A failed CAS means another thread changed the slot; it re-reads and decides again, at most
 * {@link #MAX_TRIES} times (a dropped sample rather than an unbounded loop).
 */
final class AcceptClock implements AcceptObserver {

    private static final int MAX_TRIES = 64;
    private static final long CLIENT = 0;
    private static final long SERVER = 1;

    private final AtomicLongArray slots = new AtomicLongArray(65536);
    private final long baseNanos;
    private final LongConsumer record;

    /** Pairs times taken after {@code baseNanos} and hands each ACCEPT duration to {@code record}. */
    AcceptClock(long baseNanos, LongConsumer record) {
        this.baseNanos = baseNanos;
        this.record = record;
    }

    /** The client connected from this local port; its connect() started at this nanoTime. */
    void connected(int localPort, long connectStartNanos) {
        post(localPort, encode(connectStartNanos, CLIENT));
    }

    @Override
    public void accepted(int remotePort, long acceptedNanos) {
        post(remotePort, encode(acceptedNanos, SERVER));
    }

    private void post(int port, long mine) {
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
                long nanos = time(server) - time(client);
                if (nanos >= 0) {
                    if (slots.compareAndSet(port, cur, 0)) {
                        record.accept(nanos);
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

    /** Time since base, shifted left, plus the side bit, plus 2 so no posted value is 0 (empty). */
    private long encode(long nanos, long side) {
        return ((Math.max(0, nanos - baseNanos) << 1) | side) + 2;
    }

    private static long side(long v) {
        return (v - 2) & 1;
    }

    private static long time(long v) {
        return (v - 2) >>> 1;
    }
}
