package dev.churn.bench.engine;

import dev.churn.bench.config.PortRange;
import dev.churn.bench.server.AcceptObserver;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times the ACCEPT phase, the accept-queue wait: from the moment the handshake completed to the
 * server's accept() return. The client's connect() return stands for the handshake's completion: on
 * loopback the kernel has queued the connection for accept() by then (the final ACK is processed
 * before connect() returns), so the wait is what the connection spent queued, not a connection
 * cost. An accept() that returned before the client's connect() did (the sink's thread woke first)
 * waited nothing and counts 0.
 *
 * <p>The two sides are paired on the client's local port, which both know: the client after
 * connect() returns, the server from the accepted socket's remote port. A port can come back before
 * the sink accepted its previous connection: a linger-0 close frees it at once, and connect() may
 * pick a just-freed port when its thread was preempted inside the port search. So each port keeps a
 * small FIFO of whichever side's posts wait for a partner, and pairs the n-th client post on a port
 * with the n-th accept on it:
 * <ul>
 *   <li>client posts on one port arrive in the order the port was used, since each cycle posts
 *       before the close that frees the port; not in connect() <em>start</em> order, because the
 *       port is chosen inside connect(), so a connect() that started earlier can get the port after
 *       a later one has used and freed it;</li>
 *   <li>accepts on one port arrive in the same order: the accept queue is FIFO per listener,
 *       SO_REUSEPORT hashes the same 4-tuple to the same listener, and one thread serves a
 *       listener.</li>
 * </ul>
 * A pair must make sense in time: an accept that returned before the oldest waiting client's
 * connect() started belongs to none of them (an accept whose client never reported, e.g. its
 * connect() timed out after the handshake): it is dropped and counted. A client post still waiting
 * after {@code staleNanos} (the run's connect timeout, at least 10 s) when an accept comes belongs to a connection
 * the sink never accepted (the kernel dropped it from a full accept queue): dropped and counted. So is
 * one {@link #QUEUE_ORDER_SLACK} older than a connection its listener has already accepted: the accept queue
 * is FIFO, so a connection the kernel had queued would have come first. The stale bound alone left such a
 * post at the head of its port's FIFO, and each later accept on the port paired with the connection before
 * its own, every wait longer by the port's reuse interval (review, 2026-12-07: 1.0 ms for a wait of 10 µs);
 * a listener is known by the thread that serves it, one each. A
 * full FIFO drops its oldest post, counted. When that post is a client's (its port came back more
 * times than the FIFO holds before the sink accepted it: {@code --bind-ports} over a few ports, the
 * sink lagging), the port's next accept is that connection's, and it is skipped: pairing it with
 * the next client post instead had shifted every later wait on the port by a cycle, each too short
 * (2 ports, 2 s runs of 44,903-77,637 connections: 15,288-49,114 left out, and the rest paired late,
 * p90 29-93 µs where the sink's lag was 2.8 ms; 2026-12-06). {@link #pairing} reports the counts and the posts still
 * waiting, so the ACCEPT count's difference from the connects is explained, never silent.
 *
 * <p>The FIFOs share one budget of {@code 65,536 * DEPTH} entries: {@link #DEPTH} per port over the
 * whole port space, or, when the clients bind a range of their own ({@code --bind-ports}), as deep
 * as the budget allows over that range's ports, up to {@link #MAX_DEPTH}. Two ports had overflowed
 * a depth of 4 on a third to two thirds of the connections of 2 s runs (2026-12-06): a sink lagging
 * 2.8 ms at its p90 is about 50 uses of a port reused every 60 µs.
 *
 * <p>Cost: per post one striped monitor (uncontended: a compare-and-set) around a few array reads
 * and writes; no allocation. Each wait goes to the part of the run (warm-up or measured) the
 * client's cycle was claimed in, whenever it is paired.
 */
final class AcceptClock implements AcceptObserver {

    /** Where paired waits go: the nanoseconds queued, and whether the client's cycle was measured. */
    @FunctionalInterface
    interface Recording {
        void record(long waitNanos, boolean measured);
    }

    /**
     * How much older than the latest connection its listener accepted a waiting client post must be to count as
     * never queued. The queue's order is that of the server's handling of the last ACKs, the posts' that of the
     * clients' connect() returns, and the two part by more than a preempted thread's lateness: with 50 ms here,
     * 79 of 3,000 connections of an AcceptPortReuseTest run were dropped that the sink accepted (2026-12-07, the
     * machine loaded). A port reused sooner than this stays one behind after a lost connection until the stale
     * bound, as before.
     */
    static final long QUEUE_ORDER_SLACK = 1_000_000_000L;

    /** Posts one port holds at most: two is a port reused before its accept; four leaves room. */
    static final int DEPTH = 4;
    /** The most one port of a --bind-ports range holds: 1,024 uses of a port before its accept. */
    static final int MAX_DEPTH = 1024;
    private static final int PORTS = 65536;
    private static final int STRIPES = 4096;
    private static final long CLIENT = 0;
    private static final long SERVER = 1;
    private static final long MEASURED = 2;

    /** The first port of the slots (0, or a --bind-ports range's first), and how many there are. */
    private final int firstPort;
    private final int slots;
    /** Entries per slot, a power of two: a ring per port. */
    private final int depth;
    /**
     * Per slot, {@link #depth} entries in a ring from {@link #heads}: a tagged time (see {@link #encode}),
     * 0 when empty.
     */
    private final long[] posts;
    /** Beside each client entry, its connect() return (ns since base). */
    private final long[] connectEnds;
    /** Each slot's oldest entry, and how many it holds; guarded, like the two above, by the slot's stripe. */
    private final short[] heads;
    private final short[] held;
    /** Per slot, the accepts still to come of client posts its full FIFO gave up: skipped, not paired. */
    private final int[] skips;
    private final Object[] stripes = new Object[STRIPES];
    private final long baseNanos;
    private final long staleNanos;
    private final Recording record;
    /** Pairs whose accept() returned before the client's connect() did, recorded as 0: [warm-up, measured]. */
    private final AtomicLong[] acceptedFirst = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong reusedBeforeAccept = new AtomicLong();
    private final AtomicLong[] connectsWithoutAccept = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] acceptsWithoutConnect = {new AtomicLong(), new AtomicLong()};
    /** Client posts a full FIFO gave up (the port back too often before its accept): [warm-up, measured]. */
    private final AtomicLong[] connectsBeyondDepth = {new AtomicLong(), new AtomicLong()};
    /**
     * Per accepting thread (one serves each listener), the latest connect() return (ns since base) among the
     * connections it accepted and paired; -1 before any.
     */
    private final ThreadLocal<long[]> acceptedUpTo = ThreadLocal.withInitial(() -> new long[] {-1});
    /** Accepts from this time on (ns since base) belong to the measured part; none before {@link #measuredFrom}. */
    private volatile long measuredFromSince = Long.MAX_VALUE;

    /**
     * Pairs times taken after {@code baseNanos}, hands each ACCEPT wait to {@code record}, and takes
     * a client post still unpaired {@code staleNanos} after its connect() returned for one the sink
     * never accepted.
     */
    AcceptClock(long baseNanos, long staleNanos, Recording record) {
        this(baseNanos, staleNanos, record, null);
    }

    /** As above, for clients that bind the ports of {@code bound} (null: any port). */
    AcceptClock(long baseNanos, long staleNanos, Recording record, PortRange bound) {
        this.firstPort = bound == null ? 0 : bound.from();
        this.slots = bound == null ? PORTS : bound.size();
        this.depth = Math.clamp(Integer.highestOneBit(PORTS * DEPTH / slots), DEPTH, MAX_DEPTH);
        this.posts = new long[slots * depth];
        this.connectEnds = new long[slots * depth];
        this.heads = new short[slots];
        this.held = new short[slots];
        this.skips = new int[slots];
        this.baseNanos = baseNanos;
        this.staleNanos = staleNanos;
        this.record = record;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** The measured part began at {@code nanos} (nanoTime): accepts from then on count as measured. */
    void measuredFrom(long nanos) {
        measuredFromSince = since(nanos);
    }

    /** A client connected from this local port; connect() ran from start to end (nanoTime). */
    void connected(int localPort, long connectStartNanos, long connectEndNanos, boolean measured) {
        long mine = encode(connectStartNanos, CLIENT | (measured ? MEASURED : 0));
        long end = since(connectEndNanos);
        long server = 0;
        int slot = localPort - firstPort;
        if (slot < 0 || slot >= slots) {
            connectsWithoutAccept[measured ? 1 : 0].incrementAndGet(); // not from the range its clients bind
            return;
        }
        synchronized (stripes[slot & (STRIPES - 1)]) {
            while (held[slot] > 0 && side(oldest(slot)) == SERVER) {
                long oldest = oldest(slot);
                remove(slot);
                if (time(oldest) >= time(mine)) {
                    server = oldest;
                    break;
                }
                // It returned before this connect() began: the accept of a connection no client reported.
                acceptsWithoutConnect[part(oldest)].incrementAndGet();
            }
            if (server == 0) {
                if (held[slot] > 0) {
                    reusedBeforeAccept.incrementAndGet();
                }
                append(slot, mine, end);
            }
        }
        if (server != 0) {
            paired(time(server) - end, measured);
        }
    }

    @Override
    public void accepted(int remotePort, long acceptedNanos) {
        long mine = encode(acceptedNanos, SERVER);
        long client = 0;
        long end = 0;
        long[] upTo = acceptedUpTo.get();
        int slot = remotePort - firstPort;
        if (slot < 0 || slot >= slots) {
            acceptsWithoutConnect[part(mine)].incrementAndGet(); // not from the range its clients bind
            return;
        }
        synchronized (stripes[slot & (STRIPES - 1)]) {
            if (skips[slot] > 0) {
                // The accept of a client post the full FIFO gave up: accepts come in connect order.
                skips[slot]--;
                return;
            }
            while (held[slot] > 0 && side(oldest(slot)) == CLIENT) {
                long oldest = oldest(slot);
                long oldestEnd = connectEnds[slot * depth + heads[slot]];
                if (time(mine) < time(oldest)) {
                    // Not the oldest's accept, which began later; and the accept queue is FIFO, so
                    // the oldest's accept comes before any later connection's: no client of ours.
                    acceptsWithoutConnect[part(mine)].incrementAndGet();
                    return;
                }
                remove(slot);
                if (time(mine) - oldestEnd > staleNanos || upTo[0] - oldestEnd > QUEUE_ORDER_SLACK) {
                    connectsWithoutAccept[part(oldest)].incrementAndGet();
                    continue;
                }
                client = oldest;
                end = oldestEnd;
                break;
            }
            if (client == 0) {
                append(slot, mine, 0);
            }
        }
        if (client != 0) {
            upTo[0] = Math.max(upTo[0], end);
            paired(time(mine) - end, (tags(client) & MEASURED) != 0);
        }
    }

    /** How many pairs, in both parts of the run, had the accept() return before (or as) the client's connect() did (recorded as 0). */
    long acceptedBeforeConnectReturned() {
        return acceptedFirst[0].get() + acceptedFirst[1].get();
    }

    /**
     * The measured part's posts that found no partner: dropped ones, and those still waiting now
     * (call it once the sink has accepted what it will).
     */
    AcceptPairing pairing() {
        long connects = connectsWithoutAccept[1].get();
        long accepts = acceptsWithoutConnect[1].get();
        for (int s = 0; s < STRIPES; s++) {
            synchronized (stripes[s]) {
                for (int slot = s; slot < slots; slot += STRIPES) {
                    for (int i = 0; i < held[slot]; i++) {
                        long v = posts[slot * depth + ((heads[slot] + i) & (depth - 1))];
                        if (part(v) == 1) {
                            if (side(v) == CLIENT) {
                                connects++;
                            } else {
                                accepts++;
                            }
                        }
                    }
                }
            }
        }
        return new AcceptPairing(connects, accepts, reusedBeforeAccept.get(), acceptedFirst[1].get(),
                connectsBeyondDepth[1].get(), depth);
    }

    private void paired(long wait, boolean measured) {
        // A wait of exactly 0 ns (accept() returned in the nanosecond connect() did) is a 0 in the
        // histogram too: counted with the others, the count is the histogram's zeros (once in a CI
        // run, 245 zeros against 244 counted).
        if (wait <= 0) {
            acceptedFirst[measured ? 1 : 0].incrementAndGet();
        }
        record.record(Math.max(0, wait), measured);
    }

    /**
     * Appends a post to its port's FIFO; a full one gives up its oldest, counted. A client post given
     * up has its accept still to come, next on the port: noted, to be skipped. Holding the stripe.
     */
    private void append(int slot, long post, long connectEnd) {
        if (held[slot] == depth) {
            long oldest = oldest(slot);
            if (side(oldest) == CLIENT) {
                connectsBeyondDepth[part(oldest)].incrementAndGet();
                skips[slot]++;
            } else {
                acceptsWithoutConnect[part(oldest)].incrementAndGet();
            }
            remove(slot);
        }
        int i = slot * depth + ((heads[slot] + held[slot]) & (depth - 1));
        posts[i] = post;
        connectEnds[i] = connectEnd;
        held[slot]++;
    }

    /** The slot's oldest post. Holding the stripe, with {@code held[slot] > 0}. */
    private long oldest(int slot) {
        return posts[slot * depth + heads[slot]];
    }

    /** Removes the slot's oldest post. Holding the stripe. */
    private void remove(int slot) {
        posts[slot * depth + heads[slot]] = 0;
        heads[slot] = (short) ((heads[slot] + 1) & (depth - 1));
        held[slot]--;
    }

    /** 1 when a post belongs to the measured part, 0 for the warm-up. */
    private int part(long post) {
        if (side(post) == CLIENT) {
            return (tags(post) & MEASURED) != 0 ? 1 : 0;
        }
        return time(post) >= measuredFromSince ? 1 : 0;
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

    private static long tags(long v) {
        return (v - 4) & 3;
    }

    private static long side(long v) {
        return (v - 4) & 1;
    }

    private static long time(long v) {
        return (v - 4) >>> 2;
    }
}
