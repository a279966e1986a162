package dev.churn.bench.config;

import java.util.Locale;

/** How the client opens and closes its sockets. */
public enum TransportKind {
    /** java.net.Socket on platform threads, one per concurrent connection. */
    BLOCKING,
    /** SocketChannel in blocking mode on platform threads. */
    NIO,
    /** Non-blocking SocketChannels, many connects in flight on each of its Selector loops ({@code --threads}). */
    SELECTOR,
    /** Blocking sockets on virtual threads, one per concurrent connection. */
    VIRTUAL,
    /**
     * socket(2), connect(2) and close(2) through FFM on platform threads, no JDK socket layer: the
     * kernel's cost, what a C client pays.
     */
    RAW,
    /**
     * Non-blocking descriptors through FFM on {@code --threads} epoll loops: {@link #SELECTOR}'s shape
     * with no java.nio layer, the system calls neper's tcp_crr makes in C.
     */
    EPOLL;

    /** True when the transport runs {@code --threads} event loops, each with many connections in flight. */
    public boolean eventLoops() {
        return this == SELECTOR || this == EPOLL;
    }

    /**
     * True when every connection in flight has a thread of its own, platform or virtual (all but
     * the event loops, selector and epoll): each thread claims, waits for and runs one cycle at a time.
     */
    public boolean threadPerConnection() {
        return !eventLoops();
    }

    /** True when every connection in flight has a platform thread of its own (blocking, nio, raw). */
    public boolean platformThreadPerConnection() {
        return threadPerConnection() && this != VIRTUAL;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
