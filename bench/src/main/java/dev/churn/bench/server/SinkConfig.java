package dev.churn.bench.server;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import java.net.InetAddress;

/**
 * How a {@link SinkServer} listens and serves: address and port (0: the kernel picks), listener
 * options (backlog, SO_REUSEPORT with several listeners, SO_REUSEADDR, buffers, TCP_NODELAY for
 * accepted sockets), the close choreography it plays, the request bytes it reads and response bytes
 * it writes per connection, how it serves, and an optional accept observer. Start from
 * {@link #loopback} and adjust with the {@code with} methods.
 */
public record SinkConfig(
        InetAddress bindAddress,
        int port,
        SocketConfig socket,
        Closer closer,
        int requestBytes,
        int responseBytes,
        Serving serving,
        AcceptObserver acceptObserver) {

    /** How accepted connections are served. */
    public enum Serving {
        /**
         * Each listener's thread serves every connection itself before the next accept, like a C
         * accept loop: the fastest at concurrency 1, but it serialises connections and waits for
         * each client (its FIN, its request), so use it only for one client at a time.
         */
        INLINE,
        /** Each listener's thread is a Selector loop serving every connection non-blocking: never serialises. */
        SELECTOR
    }

    public SinkConfig {
        if (socket == null || closer == null || serving == null) {
            throw new IllegalArgumentException("socket, closer and serving must be set");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535 (0: the kernel picks), got " + port);
        }
        if (requestBytes < 0 || responseBytes < 0 || requestBytes > 1 << 24 || responseBytes > 1 << 24) {
            throw new IllegalArgumentException("--request and --response must be 0..16777216 bytes");
        }
        bindAddress = bindAddress == null ? loopbackAddress(socket.ipv6()) : bindAddress;
    }

    /** A selector-served sink on loopback (::1 when {@code socket.ipv6()}), on a port the kernel picks. */
    public static SinkConfig loopback(SocketConfig socket, Closer closer, int requestBytes, int responseBytes) {
        return new SinkConfig(null, 0, socket, closer, requestBytes, responseBytes, Serving.SELECTOR, null);
    }

    /** 127.0.0.1, or ::1 for IPv6. */
    public static InetAddress loopbackAddress(boolean ipv6) {
        return InetAddress.ofLiteral(ipv6 ? "::1" : "127.0.0.1");
    }

    public SinkConfig withPort(int p) {
        return new SinkConfig(bindAddress, p, socket, closer, requestBytes, responseBytes, serving, acceptObserver);
    }

    public SinkConfig withServing(Serving s) {
        return new SinkConfig(bindAddress, port, socket, closer, requestBytes, responseBytes, s, acceptObserver);
    }

    public SinkConfig withAcceptObserver(AcceptObserver o) {
        return new SinkConfig(bindAddress, port, socket, closer, requestBytes, responseBytes, serving, o);
    }
}
