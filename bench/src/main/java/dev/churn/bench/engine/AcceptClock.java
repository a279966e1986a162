package dev.churn.bench.engine;

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
 * the sink never accepted (the kernel dropped it from a full accept queue): dropped and counted. A
 * full FIFO drops its oldest post, counted. {@link #pairing} reports the counts and the posts still
 * waiting, so the ACCEPT count's difference from the connects is explained, never silent.
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

    /** Posts one port holds at most: two is a port reused before its accept; four leaves room. */
    static final int DEPTH = 4;
    private static final int PORTS = 65536;
    private static final int STRIPES = 4096;
    private static final long CLIENT = 0;
    private static final long SERVER = 1;
    private static final long MEASURED = 2;

    /** Per port, DEPTH entries oldest first: a tagged time (see {@link #encode}), 0 when empty. */
    private final long[] posts = new long[PORTS * DEPTH];
    /** Beside each client entry, its connect() return (ns since base). */
    private final long[] connectEnds = new long[PORTS * DEPTH];
    /** How many entries each port holds; guarded, like the two above, by the port's stripe. */
    private final byte[] held = new byte[PORTS];
    private final Object[] stripes = new Object[STRIPES];
    private final long baseNanos;
    private final long staleNanos;
    private final Recording record;
    /** Pairs whose accept() returned before the client's connect() did, recorded as 0: [warm-up, measured]. */
    private final AtomicLong[] acceptedFirst = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong reusedBeforeAccept = new AtomicLong();
    private final AtomicLong[] connectsWithoutAccept = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] acceptsWithoutConnect = {new AtomicLong(), new AtomicLong()};
    /** Accepts from this time on (ns since base) belong to the measured part; none before {@link #measuredFrom}. */
    private volatile long measuredFromSince = Long.MAX_VALUE;

    /**
     * Pairs times taken after {@code baseNanos}, hands each ACCEPT wait to {@code record}, and takes
     * a client post still unpaired {@code staleNanos} after its connect() returned for one the sink
     * never accepted.
     */
    AcceptClock(long baseNanos, long staleNanos, Recording record) {
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
        synchronized (stripes[localPort & (STRIPES - 1)]) {
            int base = localPort * DEPTH;
            while (held[localPort] > 0 && side(posts[base]) == SERVER) {
                long oldest = posts[base];
                remove(localPort);
                if (time(oldest) >= time(mine)) {
                    server = oldest;
                    break;
                }
                // It returned before this connect() began: the accept of a connection no client reported.
                acceptsWithoutConnect[part(oldest)].incrementAndGet();
            }
            if (server == 0) {
                if (held[localPort] > 0) {
                    reusedBeforeAccept.incrementAndGet();
                }
                append(localPort, mine, end);
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
        synchronized (stripes[remotePort & (STRIPES - 1)]) {
            int base = remotePort * DEPTH;
            while (held[remotePort] > 0 && side(posts[base]) == CLIENT) {
                long oldest = posts[base];
                long oldestEnd = connectEnds[base];
                if (time(mine) < time(oldest)) {
                    // Not the oldest's accept, which began later; and the accept queue is FIFO, so
                    // the oldest's accept comes before any later connection's: no client of ours.
                    acceptsWithoutConnect[part(mine)].incrementAndGet();
                    return;
                }
                remove(remotePort);
                if (time(mine) - oldestEnd > staleNanos) {
                    connectsWithoutAccept[part(oldest)].incrementAndGet();
                    continue;
                }
                client = oldest;
                end = oldestEnd;
                break;
            }
            if (client == 0) {
                append(remotePort, mine, 0);
            }
        }
        if (client != 0) {
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
                for (int port = s; port < PORTS; port += STRIPES) {
                    for (int i = 0; i < held[port]; i++) {
                        long v = posts[port * DEPTH + i];
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
        return new AcceptPairing(connects, accepts, reusedBeforeAccept.get(), acceptedFirst[1].get());
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

    /** Appends a post to its port's FIFO; a full one gives up its oldest, counted. Holding the stripe. */
    private void append(int port, long post, long connectEnd) {
        if (held[port] == DEPTH) {
            long oldest = posts[port * DEPTH];
            (side(oldest) == CLIENT ? connectsWithoutAccept : acceptsWithoutConnect)[part(oldest)].incrementAndGet();
            remove(port);
        }
        int i = port * DEPTH + held[port];
        posts[i] = post;
        connectEnds[i] = connectEnd;
        held[port]++;
    }

    /** Removes the port's oldest post (DEPTH is tiny: shifting beats a ring's bookkeeping). Holding the stripe. */
    private void remove(int port) {
        int base = port * DEPTH;
        int n = held[port] - 1;
        System.arraycopy(posts, base + 1, posts, base, n);
        System.arraycopy(connectEnds, base + 1, connectEnds, base, n);
        posts[base + n] = 0;
        held[port] = (byte) n;
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
