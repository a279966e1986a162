package dev.churn.bench.server;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.tls.ServerTls;
import java.net.InetAddress;

/**
 * How a {@link SinkServer} listens and serves: address and port (0: the kernel picks), listener
 * options (backlog, SO_REUSEPORT with several listeners, SO_REUSEADDR, buffers, TCP_NODELAY for
 * accepted sockets), the close choreography it plays, the request bytes it reads and response bytes
 * it writes per connection, an optional accept observer, TLS (null: none), HTTP, and whether plain
 * TCP is served in blocking calls, one connection at a time per listener ({@link #withBlocking}).
 * Start from {@link #loopback} and adjust with the {@code with} methods.
 */
public record SinkConfig(
        InetAddress bindAddress,
        int port,
        SocketConfig socket,
        Closer closer,
        int requestBytes,
        int responseBytes,
        AcceptObserver acceptObserver,
        ServerTls tls,
        boolean http,
        boolean blocking) {

    public SinkConfig {
        if (socket == null || closer == null) {
            throw new IllegalArgumentException("socket and closer must be set");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535 (0: the kernel picks), got " + port);
        }
        if (requestBytes < 0 || responseBytes < 0 || requestBytes > 1 << 24 || responseBytes > 1 << 24) {
            throw new IllegalArgumentException("--request and --response must be 0..16777216 bytes");
        }
        bindAddress = bindAddress == null ? loopbackAddress(socket.ipv6()) : bindAddress;
    }

    /** A sink served by epoll loops. */
    public SinkConfig(InetAddress bindAddress, int port, SocketConfig socket, Closer closer, int requestBytes,
                      int responseBytes, AcceptObserver acceptObserver, ServerTls tls, boolean http) {
        this(bindAddress, port, socket, closer, requestBytes, responseBytes, acceptObserver, tls, http, false);
    }

    /** A plain (no TLS, no HTTP) sink. */
    public SinkConfig(InetAddress bindAddress, int port, SocketConfig socket, Closer closer, int requestBytes,
                      int responseBytes, AcceptObserver acceptObserver) {
        this(bindAddress, port, socket, closer, requestBytes, responseBytes, acceptObserver, null, false);
    }

    /** A sink on loopback (::1 when {@code socket.ipv6()}), on a port the kernel picks. */
    public static SinkConfig loopback(SocketConfig socket, Closer closer, int requestBytes, int responseBytes) {
        return new SinkConfig(null, 0, socket, closer, requestBytes, responseBytes, null);
    }

    /** 127.0.0.1, or ::1 for IPv6. */
    public static InetAddress loopbackAddress(boolean ipv6) {
        return InetAddress.ofLiteral(ipv6 ? "::1" : "127.0.0.1");
    }

    public SinkConfig withPort(int p) {
        return new SinkConfig(bindAddress, p, socket, closer, requestBytes, responseBytes, acceptObserver, tls, http, blocking);
    }

    public SinkConfig withAcceptObserver(AcceptObserver o) {
        return new SinkConfig(bindAddress, port, socket, closer, requestBytes, responseBytes, o, tls, http, blocking);
    }

    /** Speaks TLS with this server side on every connection (null: plain TCP). */
    public SinkConfig withTls(ServerTls t) {
        return new SinkConfig(bindAddress, port, socket, closer, requestBytes, responseBytes, acceptObserver, t, http, blocking);
    }

    /**
     * Serves HTTP/1.1: reads a request head (up to its blank line) instead of {@code requestBytes},
     * and answers 200 with a body of {@code responseBytes} bytes.
     */
    public SinkConfig withHttp(boolean h) {
        return new SinkConfig(bindAddress, port, socket, closer, requestBytes, responseBytes, acceptObserver, tls, h, blocking);
    }

    /**
     * Serves plain TCP (and HTTP) in blocking system calls, one connection at a time per listener, as
     * tcpref's C sink does, instead of from an epoll loop; TLS is served its own way either way. For a
     * client with one connection in flight only: a second connection waits for the first's FIN. A
     * diagnostic of the sink's cost (docs/performance.md), not churn's default.
     */
    public SinkConfig withBlocking(boolean b) {
        return new SinkConfig(bindAddress, port, socket, closer, requestBytes, responseBytes, acceptObserver, tls, http, b);
    }
}
