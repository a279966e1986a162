package dev.churn.bench.lab;

import java.io.IOException;

/**
 * An IPv4 loopback listener made through FFM, for the listener options Java does not expose: a
 * backlog of 0 (one queued connection fills the accept queue, so the next SYN is dropped) and
 * TCP_DEFER_ACCEPT (the handshake's final ACK is dropped until data comes, holding SYN_RECV).
 */
final class RawListener implements AutoCloseable {

    private final int fd;
    private final int port;

    private RawListener(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    /** Listens on 127.0.0.1 on a port the kernel picks; deferAcceptSeconds 0 leaves the option off. */
    static RawListener open(int backlog, int deferAcceptSeconds) throws IOException {
        int fd = LabLibc.socket();
        try {
            if (deferAcceptSeconds > 0) {
                LabLibc.setInt(fd, LabLibc.IPPROTO_TCP, LabLibc.TCP_DEFER_ACCEPT, deferAcceptSeconds);
            }
            return new RawListener(fd, LabLibc.bindLoopbackAndListen(fd, 0, backlog));
        } catch (IOException | RuntimeException e) {
            LabLibc.close(fd);
            throw e;
        }
    }

    /** The port the kernel gave. */
    int port() {
        return port;
    }

    /** Accepts one connection (blocks); the caller closes it with {@link LabLibc#close}. */
    int accept() throws IOException {
        return LabLibc.accept(fd);
    }

    @Override
    public void close() {
        LabLibc.close(fd);
    }
}
