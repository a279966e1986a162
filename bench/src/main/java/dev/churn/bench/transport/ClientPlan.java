package dev.churn.bench.transport;

import dev.churn.bench.config.Closer;
import dev.churn.bench.config.Linger;
import dev.churn.bench.config.SocketConfig;
import dev.churn.bench.http.HttpRequest;
import dev.churn.bench.posix.SocketCalls;
import dev.churn.bench.tls.ClientTls;
import dev.churn.bench.tls.TlsVersion;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * What every client cycle does, whatever the transport: where it connects, with which socket
 * options, how many bytes it sends and expects, and how it closes. Build one with {@link #of}.
 */
public record ClientPlan(
        InetSocketAddress target,
        SocketConfig socket,
        Closer closer,
        int requestBytes,
        int responseBytes,
        Duration connectTimeout,
        PortCursor bindPorts,
        ClientTls tls,
        HttpRequest http) {

    /**
     * Most bytes a client reads while waiting for the peer's FIN: a peer that keeps sending is
     * a failure, not an endless loop.
     */
    public static final int MAX_DRAIN_BYTES = 1 << 24;

    /** A plan for these settings; the local port range, if any, is walked round-robin. */
    public static ClientPlan of(InetSocketAddress target, SocketConfig socket, Closer closer,
                                int requestBytes, int responseBytes, Duration connectTimeout) {
        PortCursor cursor = socket.bindPorts() == null ? null : new PortCursor(socket.bindPorts());
        return new ClientPlan(target, socket, closer, requestBytes, responseBytes, connectTimeout, cursor, null, null);
    }

    /** This plan with TLS over every connection (null: none). */
    public ClientPlan withTls(ClientTls t) {
        return new ClientPlan(target, socket, closer, requestBytes, responseBytes, connectTimeout, bindPorts, t, http);
    }

    /** This plan sending an HTTP request instead of {@code requestBytes} and reading an HTTP response (null: none). */
    public ClientPlan withHttp(HttpRequest h) {
        return new ClientPlan(target, socket, closer, requestBytes, responseBytes, connectTimeout, bindPorts, tls, h);
    }

    /**
     * The plan the warm-up runs: the same cycle, but closed with SO_LINGER 0 (RST), so warm-up
     * connections leave no TIME_WAIT (nor FIN_WAIT2 or CLOSE_WAIT) behind to fill the port range or
     * show up in the measured part's states. A half close would still end in the client's TIME_WAIT
     * (the peer's FIN arrives before close), so the warm-up closes those abortively at once. So does
     * a TLS 1.2 {@code --closer server} over an SSLSocket: the JDK answers the server's close_notify
     * with its own and a FIN, by itself, as it reads it ({@code SSLSocketImpl.deliverClosedNotify}),
     * and that FIN left the server a TIME_WAIT for every warm-up connection (1,166 beside 200 measured).
     */
    public ClientPlan forWarmup() {
        boolean jdkAnswersClose = closer == Closer.SERVER && tls != null && tls.config().version() == TlsVersion.V1_2;
        Closer c = closer == Closer.HALF || jdkAnswersClose ? Closer.ABORT : closer;
        return new ClientPlan(target, socket.withLinger(Linger.ABORT), c, requestBytes, responseBytes, connectTimeout, bindPorts,
                tls, http);
    }

    /**
     * TCP_NODELAY: when asked for ({@code --no-delay}), and always under TLS, as curl, browsers and
     * nginx set it: the JDK writes a handshake flight as several small segments, and Nagle's wait
     * for the ACK of the first against the peer's delayed ACK held each handshake ~40 ms on
     * loopback (2026-12-02: TLS 1.3 p50 47 ms without it, 4 ms with it).
     */
    public boolean noDelay() {
        return socket.noDelay() || tls != null;
    }

    /** The connect and read timeout in milliseconds (at least 1: 0 would mean forever). */
    public int timeoutMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    }

    /** The linger the close choreography needs: ABORT forces 0 (RST), otherwise the configured one. */
    public Linger linger() {
        return closer == Closer.ABORT ? Linger.ABORT : socket.linger();
    }

    /**
     * A new, unconnected java.net.Socket with the options applied and the next local port bound if
     * a range is set. Options left at their defaults are not set at all: each one is a system call
     * per cycle. Closes the socket if an option cannot be applied.
     */
    public Socket newSocket() throws IOException {
        return newSocket(true);
    }

    /**
     * The family of the target's address, for a channel's: one of the other family cannot reach it. --ipv6 chooses
     * the built-in sink's address, and with --target the address gives the family, as a Socket and a raw descriptor
     * ({@link SocketCalls#family}) take it.
     */
    StandardProtocolFamily family() {
        return target.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /**
     * As {@link #newSocket()}, but without SO_TIMEOUT when {@code readTimeout} is false: for a
     * caller that times its reads itself (a {@link SocketWatchdog}), since SO_TIMEOUT makes the
     * socket non-blocking and each read that finds no data yet a failed read, a poll and a retry.
     */
    Socket newSocket(boolean readTimeout) throws IOException {
        // NO_PROXY: a plain Socket() wraps its impl in a SocksSocketImpl that asks the ProxySelector
        // (building and parsing a socket:// URI) on every connect, a few percent of a loopback
        // cycle; churn always connects to its target directly.
        Socket s = new Socket(Proxy.NO_PROXY);
        try {
            configure(s, readTimeout);
            open(s);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Makes the socket's descriptor now. A java.net.Socket makes it lazily, at its first option or
     * in connect(): socket(2), and the registration of a Cleaner that closes it if the Socket is
     * dropped. With no option set that landed in the connect phase, which is the connect() call
     * alone (as in C, and as every other transport times it). It was not small there: 500 virtual
     * threads waited on the Cleaner's lock (the synchronized CleanerImpl.CleanableList.insert), and
     * some waited seconds, timed as connects (2026-12-04, --transport virtual --concurrency 500).
     * supportedOptions() makes the descriptor without a system call of its own.
     */
    private static void open(Socket s) {
        s.supportedOptions();
    }

    private void configure(Socket s, boolean readTimeout) throws IOException {
        SocketConfig c = socket;
        if (c.reuseAddr()) {
            s.setReuseAddress(true);
        }
        if (noDelay()) {
            s.setTcpNoDelay(true);
        }
        if (c.rcvBuf() > 0) {
            s.setReceiveBufferSize(c.rcvBuf());
        }
        if (c.sndBuf() > 0) {
            s.setSendBufferSize(c.sndBuf());
        }
        Linger l = linger();
        if (l.enabled()) {
            s.setSoLinger(true, l.seconds());
        }
        if (readTimeout && needsReads()) {
            s.setSoTimeout(timeoutMillis());
        }
        if (bindPorts != null) {
            bindPorts.bind(port -> s.bind(new InetSocketAddress(target.getAddress(), port)));
        }
    }

    /** Applies the options to a new, unconnected channel and binds the next local port if a range is set. */
    public void configure(SocketChannel ch) throws IOException {
        SocketConfig c = socket;
        if (c.reuseAddr()) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
        if (noDelay()) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        if (c.rcvBuf() > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, c.rcvBuf());
        }
        if (c.sndBuf() > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, c.sndBuf());
        }
        Linger l = linger();
        if (l.enabled()) {
            ch.setOption(StandardSocketOptions.SO_LINGER, l.seconds());
        }
        if (bindPorts != null) {
            bindPorts.bind(port -> ch.bind(new InetSocketAddress(target.getAddress(), port)));
        }
    }

    /**
     * Applies the options to a new raw descriptor (the {@code raw} transport) and binds the next
     * local port if a range is set. The connect timeout is SO_SNDTIMEO, which a blocking connect(2)
     * honours: one system call per cycle instead of a watchdog thread.
     */
    public void configure(SocketCalls sys, int fd) throws IOException {
        sys.setTimeout(fd, SocketCalls.SO_SNDTIMEO, timeoutMillis());
        if (needsReads()) {
            sys.setTimeout(fd, SocketCalls.SO_RCVTIMEO, timeoutMillis());
        }
        configureUntimed(sys, fd);
    }

    /**
     * Applies the options to a new raw descriptor whose calls are timed by their caller (the
     * {@code epoll} transport's loop, the {@code raw} transport's watchdog), so no SO_SNDTIMEO or
     * SO_RCVTIMEO, and binds the next local port if a range is set.
     */
    public void configureUntimed(SocketCalls sys, int fd) throws IOException {
        SocketConfig c = socket;
        if (c.reuseAddr()) {
            sys.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR, 1);
        }
        if (c.noDelay()) {
            sys.setInt(fd, SocketCalls.IPPROTO_TCP, SocketCalls.TCP_NODELAY, 1);
        }
        if (c.rcvBuf() > 0) {
            sys.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_RCVBUF, c.rcvBuf());
        }
        if (c.sndBuf() > 0) {
            sys.setInt(fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_SNDBUF, c.sndBuf());
        }
        Linger l = linger();
        if (l.enabled()) {
            sys.setLinger(fd, true, l.seconds());
        }
        if (bindPorts != null) {
            bindPorts.bind(port -> sys.bind(fd, new InetSocketAddress(target.getAddress(), port)));
        }
    }

    /**
     * True when the cycle reads at all: a response, a TLS handshake, or the peer's FIN in the SERVER
     * and HALF choreographies.
     */
    public boolean needsReads() {
        return responseBytes > 0 || tls != null || http != null || closer == Closer.SERVER || closer == Closer.HALF;
    }

    /** True when the cycle writes a request: {@code requestBytes} of it, or an HTTP request. */
    public boolean writesRequest() {
        return requestBytes > 0 || http != null;
    }

    /** True when the cycle reads a response: {@code responseBytes} of it, or an HTTP response. */
    public boolean readsResponse() {
        return responseBytes > 0 || http != null;
    }

    /** True when the close choreography waits for the server's FIN before closing. */
    public boolean readsEofBeforeClose() {
        return closer == Closer.SERVER || closer == Closer.HALF;
    }
}
