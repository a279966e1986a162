package dev.churn.bench.server;

import dev.churn.bench.posix.Epoll;
import dev.churn.bench.posix.Errno;
import dev.churn.bench.posix.ErrnoException;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One epoll loop per listener serving every connection non-blocking: read the request (its bytes,
 * or with HTTP its head), write the response, then close, keep (NEVER) or wait for the client's FIN (CLIENT, HALF, ABORT).
 * Connections never wait for each other. A connection whose client already reset it (linger 0)
 * costs accept4, one read that returns ECONNRESET, and close: no epoll registration, no exception.
 * A connection that makes no progress for the idle bound ({@link SinkServer#IDLE_SECONDS}) is
 * reset and counted: its client is gone, or closed without a FIN or an RST reaching us, and a
 * long-running {@code churn serve} must not keep its descriptor for good.
 */
final class SelectorAcceptor extends Acceptor {

    /** Accepts per readiness event: drains the queue in bursts without starving open connections. */
    private static final int ACCEPT_BURST = 64;
    /** Longest wait, so shutdown is seen even if the listener's wake-up were lost. */
    private static final int WAIT_MILLIS = 100;
    /** Ready descriptors taken per epoll_wait. */
    private static final int EVENTS = 256;
    /** Longest time between two looks for idle connections. */
    private static final long SWEEP_NANOS = 1_000_000_000L;

    private enum Step { REQUEST, RESPONSE, DRAIN }

    private static final class Conn {
        final int fd;
        Step step = Step.REQUEST;
        long requestLeft;
        /** With HTTP, where the scan for the request head's end stands; null otherwise. */
        final HttpHead head;
        long responseDone;
        /** The epoll events it is registered for; 0 while not registered. */
        int watching;
        /** Whether a read has returned anything yet (bytes, the FIN or an error). */
        boolean readAny;
        /** The loop's clock when the connection last made progress (accepted, or an event for it). */
        long since;

        Conn(int fd, long requestLeft, HttpHead head) {
            this.fd = fd;
            this.requestLeft = requestLeft;
            this.head = head;
        }
    }

    private final Epoll epoll;
    /**
     * With a request, one client at a time and a client that writes only once its connect has
     * returned, the read right after accept4 nearly always says EAGAIN, and the second accept4 of
     * a burst always does: two of the eleven system calls a connection cost this loop (strace,
     * 2026-12-02). Each is kept while it pays.
     */
    private final CallThatMayMiss readAtAccept = new CallThatMayMiss();
    /**
     * Whether a connection's first step is a read (a request, or an HTTP head): only then can the
     * read at accept wait for EPOLLIN. A connection that is first written to, or closed, must not.
     */
    private final boolean readsFirst;
    private final CallThatMayMiss acceptMore = new CallThatMayMiss();
    /** Registered connections by descriptor: epoll hands back the descriptor. */
    private Conn[] conns = new Conn[1024];
    private final long idleNanos;
    private final long sweepNanos;
    /** System.nanoTime() at the loop's last wake-up: one clock read per wake-up, not per connection. */
    private long now;
    private long nextSweep;

    SelectorAcceptor(SinkConfig config, int listener, SinkStats stats, int idleMillis) throws ErrnoException {
        super(config, listener, stats);
        this.idleNanos = idleMillis * 1_000_000L;
        this.sweepNanos = Math.min(SWEEP_NANOS, Math.max(1_000_000L, idleNanos / 4));
        this.epoll = new Epoll(EVENTS);
        this.readsFirst = config.http() || config.requestBytes() > 0;
        try {
            epoll.add(listener, Epoll.EPOLLIN);
        } catch (ErrnoException e) {
            epoll.close();
            throw e;
        }
    }

    @Override
    public void run() {
        try {
            now = System.nanoTime();
            nextSweep = now + sweepNanos;
            while (!closed) {
                int n = epoll.await(WAIT_MILLIS);
                now = System.nanoTime();
                for (int i = 0; i < n && !closed; i++) {
                    int fd = epoll.fd(i);
                    if (fd == listener) {
                        acceptBurst();
                    } else if (fd < conns.length && conns[fd] != null) {
                        Conn c = conns[fd];
                        c.since = now;
                        advance(c);
                    }
                }
                if (now - nextSweep >= 0) {
                    nextSweep = now + sweepNanos;
                    resetIdle();
                }
            }
        } catch (ErrnoException e) {
            if (!closed) {
                throw new IllegalStateException("sink epoll failed: " + e.getMessage(), e);
            }
        } finally {
            closeAll();
        }
    }

    private void acceptBurst() {
        for (int i = 0; i < ACCEPT_BURST && !closed; i++) {
            if (i == 1 && !acceptMore.worthTrying()) {
                return; // the listener stays readable if another is queued: the next wait says so
            }
            int fd = sys.acceptOrErrno(listener, true);
            if (i == 1) {
                if (fd == -Errno.EAGAIN) {
                    acceptMore.missed();
                } else {
                    acceptMore.paid();
                }
            }
            if (fd < 0) {
                if (-fd == Errno.EAGAIN) {
                    return;
                }
                if (-fd == Errno.ECONNABORTED) {
                    continue;
                }
                if (!closed) {
                    acceptFailed(-fd);
                    LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                }
                return;
            }
            int port = sys.acceptedPeerPort();
            Conn c = new Conn(fd, config.requestBytes(), config.http() ? new HttpHead() : null);
            c.since = now;
            try {
                accepted(fd, port);
            } catch (ErrnoException e) {
                // setsockopt on a connection already reset: the client's doing, not the sink's
                reset(c);
                continue;
            }
            if (!readsFirst) {
                advance(c);
                continue;
            }
            if (!readAtAccept.worthTrying()) {
                watch(c, Epoll.EPOLLIN);
                continue;
            }
            advance(c);
            if (c.watching == Epoll.EPOLLIN && !c.readAny) {
                readAtAccept.missed();
            } else {
                readAtAccept.paid();
            }
        }
    }

    /** Moves the connection on as far as it can go without blocking. */
    private void advance(Conn c) {
        if (c.step == Step.REQUEST) {
            if (c.head != null) {
                if (!readHead(c)) {
                    return;
                }
            } else {
                while (c.requestLeft > 0) {
                    long n = read(c, Math.min(SCRATCH_BYTES, c.requestLeft));
                    if (n <= 0) {
                        stalled(c, n, Epoll.EPOLLIN);
                        return;
                    }
                    c.requestLeft -= n;
                }
            }
            c.step = Step.RESPONSE;
        }
        if (c.step == Step.RESPONSE) {
            long size = responseSize;
            while (c.responseDone < size) {
                long n = sys.writeOrErrno(c.fd, response.asSlice(c.responseDone), size - c.responseDone);
                if (n < 0) {
                    stalled(c, n, Epoll.EPOLLOUT);
                    return;
                }
                c.responseDone += n;
            }
            switch (config.closer()) {
                case SERVER -> {
                    finish(c);
                    return;
                }
                case NEVER -> {
                    if (stats.mayKeep()) {
                        // Keep the socket and stop watching it: its EOF would otherwise wake us forever.
                        unwatch(c);
                        stats.keep(c.fd);
                        return;
                    }
                    c.step = Step.DRAIN; // a warm-up's, or past the bound: served as CLIENT serves it
                }
                default -> c.step = Step.DRAIN;
            }
            if (size > 0) {
                // The client has only just been sent the response: its FIN (or RST) is almost never
                // here yet, and a read now would nearly always say EAGAIN, a system call wasted per
                // connection. Level-triggered EPOLLIN reports it whenever it came.
                watch(c, Epoll.EPOLLIN);
                return;
            }
        }
        long n;
        while ((n = read(c, SCRATCH_BYTES)) > 0) {
            // discard what the client sends before its FIN
        }
        stalled(c, n, Epoll.EPOLLIN);
    }

    /** One read into the scratch buffer (bytes, 0 at the FIN, or -errno), noting whether it found anything. */
    private long read(Conn c, long max) {
        long n = sys.readOrErrno(c.fd, scratch, max);
        c.readAny |= n != -Errno.EAGAIN;
        return n;
    }

    /**
     * Reads until the request head's blank line, however the client splits it; false while it is
     * not all here yet (or the connection ended: a head over {@link HttpHead#MAX_BYTES} is a reset).
     */
    private boolean readHead(Conn c) {
        while (true) {
            long n = read(c, SCRATCH_BYTES);
            if (n <= 0) {
                stalled(c, n, Epoll.EPOLLIN);
                return false;
            }
            switch (c.head.scan(scratch, n)) {
                case COMPLETE -> {
                    return true;
                }
                case TOO_LONG -> {
                    reset(c);
                    return false;
                }
                case MORE -> {
                    // the blank line is still to come
                }
            }
        }
    }

    /**
     * A read or write that could not go on: 0 is the client's FIN (close: ours comes second),
     * EAGAIN means wait for {@code events}, any other errno (ECONNRESET: the client's RST) is a reset.
     */
    private void stalled(Conn c, long n, int events) {
        if (n == 0) {
            finish(c);
        } else if (n == -Errno.EAGAIN) {
            watch(c, events);
        } else {
            reset(c);
        }
    }

    private void watch(Conn c, int events) {
        try {
            if (c.watching == 0) {
                epoll.add(c.fd, events);
                if (c.fd >= conns.length) {
                    conns = Arrays.copyOf(conns, Math.max(conns.length * 2, c.fd + 1));
                }
                conns[c.fd] = c;
            } else if (c.watching != events) {
                epoll.modify(c.fd, events);
            }
            c.watching = events;
        } catch (ErrnoException e) {
            // epoll_ctl fails only for want of kernel memory (ENOMEM, ENOSPC): give the connection up
            reset(c);
        }
    }

    private void unwatch(Conn c) {
        if (c.watching != 0) {
            conns[c.fd] = null;
            c.watching = 0;
            try {
                epoll.remove(c.fd);
            } catch (ErrnoException ignored) {
                // not registered after all: nothing to undo
            }
        }
    }

    /**
     * Resets every watched connection with no progress for the idle bound (NEVER's held sockets
     * are not watched: they are meant to stay). SO_LINGER 0 first: a FIN to a peer that is gone
     * would sit in FIN_WAIT1, retransmitted, for minutes.
     */
    private void resetIdle() {
        long before = now - idleNanos;
        for (Conn c : conns) {
            if (c != null && c.since - before < 0) {
                stats.idleCloses.increment();
                try {
                    sys.setLinger(c.fd, true, 0);
                } catch (ErrnoException ignored) {
                    // the peer reset it meanwhile: the close frees it either way
                }
                finish(c);
            }
        }
    }

    private void reset(Conn c) {
        stats.resets.increment();
        finish(c);
    }

    private void finish(Conn c) {
        if (c.watching != 0) {
            // close(2) removes it from the epoll set; only the table needs clearing
            conns[c.fd] = null;
            c.watching = 0;
        }
        sys.closeQuietly(c.fd);
    }

    private void closeAll() {
        for (Conn c : conns) {
            if (c != null) {
                sys.closeQuietly(c.fd);
            }
        }
        Arrays.fill(conns, null);
        epoll.close();
    }

    @Override
    public void abandon() {
        epoll.close();
    }

    @Override
    public void shutdown() {
        closed = true;
        wakeListener();
    }
}
