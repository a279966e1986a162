package dev.churn.bench.server;

import dev.churn.bench.posix.SocketCalls;
import java.io.Closeable;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** What every listener thread of a sink shares: counts, and the sockets NEVER keeps open until close. */
final class SinkStats {

    final LongAdder accepted = new LongAdder();
    final LongAdder acceptFailures = new LongAdder();
    final LongAdder resets = new LongAdder();
    /** TLS handshakes that failed: a client speaking plain TCP, or one the server's TLS refused. */
    final LongAdder tlsFailures = new LongAdder();
    /** Connections reset because they made no progress for the idle bound. */
    final LongAdder idleCloses = new LongAdder();
    /** Descriptors the epoll sink holds open (NEVER): through {@link #keep(int)}. */
    final Queue<Integer> held = new ConcurrentLinkedQueue<>();
    /** Sockets the TLS sink holds open (NEVER): through {@link #keep(Closeable)}. */
    final Queue<Closeable> heldSockets = new ConcurrentLinkedQueue<>();
    volatile String firstAcceptFailure;
    /**
     * Whether NEVER keeps its connections (true but in a run's warm-up): the warm-up's connections,
     * reset by their clients, are not the run's, and held by the ten thousand they ran the process
     * out of descriptors before the measured part began.
     */
    volatile boolean holdNever = true;
    /**
     * Most sockets NEVER keeps at once ({@code Long.MAX_VALUE}: no bound). A long-running
     * {@code churn serve} that kept every connection ran out of descriptors, and a session's results,
     * measured, could not be written; past the bound a connection is served as CLIENT serves it.
     */
    volatile long holdCap = Long.MAX_VALUE;
    /** Connections NEVER served and closed because {@link #holdCap} were held already. */
    final LongAdder notHeld = new LongAdder();
    /** What {@link #held} and {@link #heldSockets} hold: their size() walks the whole queue. */
    private final AtomicInteger heldNow = new AtomicInteger();

    void acceptFailed(IOException e) {
        acceptFailures.increment();
        if (firstAcceptFailure == null) {
            firstAcceptFailure = String.valueOf(e.getMessage());
        }
    }

    /** Sockets held open right now. */
    int heldCount() {
        return heldNow.get();
    }

    /**
     * Whether NEVER keeps the connection in hand: not in a warm-up, and not past {@link #holdCap}
     * (counted). True reserves its place: the caller then keeps it ({@link #keep}). Checked and
     * counted apart, two serving threads had held 250 where serve said "at most 249" (2026-12-06).
     */
    boolean mayKeep() {
        if (!holdNever) {
            return false;
        }
        for (int n = heldNow.get(); ; n = heldNow.get()) {
            if (n >= holdCap) {
                notHeld.increment();
                return false;
            }
            if (heldNow.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Keeps a descriptor open until {@link #releaseHeld}; its place was reserved by {@link #mayKeep}. */
    void keep(int fd) {
        held.add(fd);
    }

    /** Keeps a socket open until {@link #releaseHeld}; its place was reserved by {@link #mayKeep}. */
    void keep(Closeable socket) {
        heldSockets.add(socket);
    }

    /** Closes every held socket (the end of a NEVER run: CLOSE_WAIT goes away). */
    void releaseHeld() {
        SocketCalls sys = new SocketCalls();
        for (Integer fd; (fd = held.poll()) != null; ) {
            // the peer may have reset it meanwhile; it is closed either way
            sys.closeQuietly(fd);
            heldNow.decrementAndGet();
        }
        for (Closeable s; (s = heldSockets.poll()) != null; ) {
            heldNow.decrementAndGet();
            try {
                s.close();
            } catch (IOException ignored) {
                // reset by the peer meanwhile: closed either way
            }
        }
    }
}
