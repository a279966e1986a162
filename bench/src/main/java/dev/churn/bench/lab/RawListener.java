package dev.churn.bench.lab;

import dev.churn.bench.posix.SocketCalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * An IPv4 loopback listener made through FFM, for the listener options Java does not expose: a
 * backlog of 0 (one queued connection fills the accept queue, so the next SYN is dropped) and
 * TCP_DEFER_ACCEPT (the handshake's final ACK is dropped until data comes, holding SYN_RECV).
 */
final class RawListener implements AutoCloseable {

    private final SocketCalls sys;
    private final int fd;
    private final int port;

    private RawListener(SocketCalls sys, int fd, int port) {
        this.sys = sys;
        this.fd = fd;
        this.port = port;
    }

    /** Listens on 127.0.0.1 on a port the kernel picks; deferAcceptSeconds 0 leaves the option off. */
    static RawListener open(int backlog, int deferAcceptSeconds) throws IOException {
        SocketCalls sys = new SocketCalls();
        int fd = sys.socket(SocketCalls.AF_INET);
        try {
            if (deferAcceptSeconds > 0) {
                sys.setInt(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_DEFER_ACCEPT, deferAcceptSeconds);
            }
            sys.bind(fd, new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
            sys.listen(fd, backlog);
            return new RawListener(sys, fd, sys.localPort(fd));
        } catch (IOException | RuntimeException e) {
            sys.closeQuietly(fd);
            throw e;
        }
    }

    /** The port the kernel gave. */
    int port() {
        return port;
    }

    /**
     * Accepts one connection, waiting at most {@code timeout} (SO_RCVTIMEO, which accept(2) obeys:
     * past it, an {@link dev.churn.bench.posix.ErrnoException} with EAGAIN); give it back with
     * {@link #closeAccepted}.
     */
    synchronized int accept(java.time.Duration timeout) throws IOException {
        sys.setTimeout(fd, SocketCalls.SO_RCVTIMEO, Math.max(1, timeout.toMillis()));
        return sys.accept(fd);
    }

    /** Closes a descriptor {@link #accept} returned. */
    synchronized void closeAccepted(int accepted) {
        sys.closeQuietly(accepted);
    }

    @Override
    public synchronized void close() {
        sys.closeQuietly(fd);
    }
}
