package dev.churn.bench.server;

import dev.churn.bench.posix.Errno;
import dev.churn.bench.posix.ErrnoException;
import dev.churn.bench.posix.SocketCalls;
import java.util.concurrent.locks.LockSupport;

/**
 * One connection at a time, in blocking system calls, as tcpref's C sink serves: accept(2), read
 * the request, write the response, read until the client's FIN, close(2). For a sink whose client
 * has one connection in flight ({@code churn run --concurrency 1}): there, an epoll loop spends an
 * epoll_ctl and a second epoll_wait on every connection, to wait for a FIN that a blocking read
 * waits for by itself. A connection that stays silent for the idle bound is reset: the listener's
 * SO_RCVTIMEO, which accepted sockets inherit, ends the read with EAGAIN. So is one that takes
 * nothing of the response for the bound: see {@link #writeSliceMillis}.
 */
final class BlockingAcceptor extends Acceptor {

    /** Longest wait of one write without progress, as the other sinks look for stalled ones once a second. */
    private static final int WRITE_SLICE_MILLIS = 1_000;

    /**
     * The connection being served, or -1: shut down by {@link #shutdown} so a blocked read returns. Its close and that
     * shutdown hold this acceptor's lock ({@link #close}): read unlocked, the number could be closed by the serving
     * thread and given to another socket of the process before shutdown(2) reached it, which then shut that one down
     * (ShutdownRaceTest).
     */
    private volatile int serving = -1;
    /** Runs between an accept and {@code serving}'s naming of it: a test's way into that window. */
    private Runnable afterAccept = () -> {};
    private final long idleNanos;
    private final long writeSliceNanos;

    BlockingAcceptor(SinkConfig config, int listener, SinkStats stats, int idleMillis) {
        super(config, listener, stats);
        this.idleNanos = idleMillis * 1_000_000L;
        this.writeSliceNanos = writeSliceMillis(idleMillis) * 1_000_000L;
    }

    /** For tests: what runs right after each accept, before {@code serving} names the connection. */
    void afterAccept(Runnable r) {
        this.afterAccept = r;
    }

    /**
     * The listener's SO_SNDTIMEO, which accepted sockets inherit: a second (a quarter of a shorter bound), not the
     * bound itself. A timed-out write that had sent part of the response returns that part, and the next one waits
     * the whole timeout again, so with SO_SNDTIMEO at the bound a client that took nothing was reset after three times
     * it (3,072 ms for 1,000 in BlockingSinkTest).
     * Each slice without progress ends in EAGAIN, and the connection is reset once they add up to the bound. Before
     * the write had no bound: a client that took nothing of a 16 MiB response held the serving thread until the sink
     * closed (45 s and on, Send-Q 2,803,712, 2026-12-07).
     */
    static int writeSliceMillis(int idleMillis) {
        return Math.min(WRITE_SLICE_MILLIS, Math.max(1, idleMillis / 4));
    }

    @Override
    public void run() {
        while (!closed) {
            int fd = sys.acceptOrErrno(listener, false);
            if (fd < 0) {
                if (closed) {
                    return;
                }
                if (-fd == Errno.EAGAIN || -fd == Errno.ECONNABORTED) {
                    continue; // the idle bound passed with no client, or one gave up in the queue
                }
                acceptFailed(-fd);
                LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                continue;
            }
            afterAccept.run();
            serving = fd;
            if (closed) {
                // A shutdown came between the accept and `serving`, saw -1 and shut nothing: served now, a client
                // that sends nothing would hold this thread until the idle bound, past the sink's close. Both
                // fields are volatile, so the shutdown saw this number or this read sees its `closed`.
                close(fd);
                return;
            }
            try {
                serve(fd, sys.acceptedPeerPort());
            } finally {
                serving = -1;
            }
        }
    }

    private void serve(int fd, int port) {
        try {
            accepted(fd, port);
        } catch (ErrnoException e) {
            reset(fd);
            return;
        }
        long n;
        if (config.http()) {
            HttpHead head = new HttpHead();
            HttpHead.Progress s = HttpHead.Progress.MORE;
            while (s == HttpHead.Progress.MORE) {
                n = sys.readOrErrno(fd, scratch, SCRATCH_BYTES);
                if (n <= 0) {
                    ended(fd, n);
                    return;
                }
                s = head.scan(scratch, n);
            }
            if (s == HttpHead.Progress.TOO_LONG) {
                reset(fd);
                return;
            }
        } else {
            for (long left = config.requestBytes(); left > 0; left -= n) {
                n = sys.readOrErrno(fd, scratch, Math.min(SCRATCH_BYTES, left));
                if (n <= 0) {
                    ended(fd, n);
                    return;
                }
            }
        }
        if (!respond(fd)) {
            return;
        }
        switch (config.closer()) {
            case SERVER -> {
                close(fd);
                return;
            }
            case NEVER -> {
                if (stats.mayKeep()) {
                    stats.keep(fd);
                    return;
                }
            }
            default -> {
                // CLIENT, HALF, ABORT: the client closes first; read until its FIN or RST
            }
        }
        while ((n = sys.readOrErrno(fd, scratch, SCRATCH_BYTES)) > 0) {
            // discard what the client sends before its FIN
        }
        ended(fd, n);
    }

    /**
     * Writes the response; false when the connection ended instead (closed: the client's reset, or the idle bound
     * passed with nothing of it taken). No clock is read while each write takes something.
     */
    private boolean respond(int fd) {
        long stalledSince = 0;
        boolean stalled = false;
        for (long done = 0; done < responseSize; ) {
            long n = sys.writeOrErrno(fd, response.asSlice(done), responseSize - done);
            if (n > 0) {
                done += n;
                stalled = false;
                continue;
            }
            if (n == -Errno.EAGAIN) {
                long now = System.nanoTime();
                if (!stalled) {
                    stalled = true;
                    stalledSince = now - writeSliceNanos; // the slice this write waited, with nothing taken
                }
                if (now - stalledSince < idleNanos) {
                    continue;
                }
            }
            ended(fd, n);
            return false;
        }
        return true;
    }

    /** A read or write that could not go on: 0 is the client's FIN (close: ours comes second); else a reset or the idle bound. */
    private void ended(int fd, long n) {
        if (n == 0) {
            close(fd);
        } else if (n == -Errno.EAGAIN) {
            stats.idleCloses.increment();
            try {
                sys.setLinger(fd, true, 0); // no FIN to a peer that is gone: an RST, and the descriptor is free
            } catch (ErrnoException ignored) {
                // reset meanwhile: the close frees it either way
            }
            close(fd);
        } else {
            reset(fd);
        }
    }

    private void reset(int fd) {
        stats.resets.increment();
        close(fd);
    }

    /** Closes the connection served, never while {@link #shutdown} is using its number. */
    private synchronized void close(int fd) {
        serving = -1;
        sys.closeQuietly(fd);
    }

    /** Its accept waits for a connection or the idle bound: only the listener's shutdown (which resets its queue) wakes it. */
    @Override
    public void stopAccepting() {
        shutdown();
    }

    @Override
    public void shutdown() {
        closed = true;
        wakeListener();
        SocketCalls calls = new SocketCalls();
        synchronized (this) {
            int fd = serving; // still the connection's: its close waits for the lock
            if (fd >= 0) {
                try {
                    calls.shutdown(fd, SocketCalls.SHUT_RDWR);
                } catch (ErrnoException ignored) {
                    // not connected any more: its read has returned
                }
            }
        }
    }
}
