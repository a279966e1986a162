package dev.churn.bench.server;

import dev.churn.bench.config.Closer;
import dev.churn.bench.posix.Errno;
import dev.churn.bench.posix.ErrnoException;
import dev.churn.bench.posix.SocketCalls;
import java.util.concurrent.locks.LockSupport;

/**
 * Accepts and serves each connection on the listener's own thread, blocking, before the next
 * accept: what a C accept loop does, and the fastest way for one client at a time.
 */
final class InlineAcceptor extends Acceptor {

    private final Object lock = new Object();
    /** The connection being served, or -1; guarded by {@link #lock} so shutdown never touches a reused descriptor. */
    private int current = -1;

    InlineAcceptor(SinkConfig config, int listener, SinkStats stats) {
        super(config, listener, stats);
    }

    @Override
    public void run() {
        while (!closed) {
            int fd = sys.acceptOrErrno(listener, false);
            if (fd < 0) {
                if (closed) {
                    return;
                }
                if (-fd != Errno.ECONNABORTED) {
                    acceptFailed(-fd);
                    LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                }
                continue;
            }
            int port = sys.acceptedPeerPort();
            synchronized (lock) {
                current = fd;
            }
            boolean kept = false;
            try {
                accepted(fd, port);
                kept = !closed && serve(fd);
            } catch (ErrnoException e) {
                // setsockopt on a connection already reset: the client's doing, not the sink's
                stats.resets.increment();
            } finally {
                synchronized (lock) {
                    current = -1;
                    if (!kept) {
                        sys.closeQuietly(fd);
                    }
                }
            }
        }
    }

    /** Plays the server's part; true when the socket is kept open (NEVER), false when the caller closes it. */
    private boolean serve(int fd) {
        for (long left = config.requestBytes(); left > 0; ) {
            long n = sys.readOrErrno(fd, scratch, Math.min(SCRATCH_BYTES, left));
            if (n <= 0) {
                return ended(n);
            }
            left -= n;
        }
        for (long done = 0; done < config.responseBytes(); ) {
            long n = sys.writeOrErrno(fd, response.asSlice(done), config.responseBytes() - done);
            if (n < 0) {
                return ended(n);
            }
            done += n;
        }
        Closer closer = config.closer();
        if (closer == Closer.NEVER) {
            stats.held.add(fd);
            return true;
        }
        if (closer != Closer.SERVER) {
            // CLIENT, HALF, ABORT: wait for the client's FIN (or RST), then close: our FIN comes second.
            long n;
            while ((n = sys.readOrErrno(fd, scratch, SCRATCH_BYTES)) > 0) {
                // discard
            }
            return ended(n);
        }
        return false;
    }

    /** End of stream (0) closes normally; an errno (a client's RST, a shutdown mid-read) is counted as a reset. */
    private boolean ended(long n) {
        if (n < 0 && !closed) {
            stats.resets.increment();
        }
        return false;
    }

    @Override
    void shutdown() {
        closed = true;
        wakeListener();
        synchronized (lock) {
            if (current >= 0) {
                try {
                    // Wakes a read blocked on a client that never sends its FIN.
                    new SocketCalls().shutdown(current, SocketCalls.SHUT_RDWR);
                } catch (ErrnoException ignored) {
                    // already reset or shut: the read returns by itself
                }
            }
        }
    }
}
