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
 * SO_RCVTIMEO, which accepted sockets inherit, ends the read with EAGAIN.
 */
final class BlockingAcceptor extends Acceptor {

    /** The connection being served, or -1: shut down by {@link #shutdown} so a blocked read returns. */
    private volatile int serving = -1;

    BlockingAcceptor(SinkConfig config, int listener, SinkStats stats) {
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
                if (-fd == Errno.EAGAIN || -fd == Errno.ECONNABORTED) {
                    continue; // the idle bound passed with no client, or one gave up in the queue
                }
                acceptFailed(-fd);
                LockSupport.parkNanos(ACCEPT_BACKOFF_NANOS);
                continue;
            }
            serving = fd;
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
        for (long done = 0; done < responseSize; done += n) {
            n = sys.writeOrErrno(fd, response.asSlice(done), responseSize - done);
            if (n < 0) {
                reset(fd);
                return;
            }
        }
        switch (config.closer()) {
            case SERVER -> {
                sys.closeQuietly(fd);
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

    /** A read that could not go on: 0 is the client's FIN (close: ours comes second); else a reset or the idle bound. */
    private void ended(int fd, long n) {
        if (n == 0) {
            sys.closeQuietly(fd);
        } else if (n == -Errno.EAGAIN) {
            stats.idleCloses.increment();
            try {
                sys.setLinger(fd, true, 0); // no FIN to a peer that is gone: an RST, and the descriptor is free
            } catch (ErrnoException ignored) {
                // reset meanwhile: the close frees it either way
            }
            sys.closeQuietly(fd);
        } else {
            reset(fd);
        }
    }

    private void reset(int fd) {
        stats.resets.increment();
        sys.closeQuietly(fd);
    }

    @Override
    public void shutdown() {
        closed = true;
        wakeListener();
        int fd = serving;
        if (fd >= 0) {
            try {
                new SocketCalls().shutdown(fd, SocketCalls.SHUT_RDWR);
            } catch (ErrnoException ignored) {
                // already closed, or not connected any more: its read has returned
            }
        }
    }
}
