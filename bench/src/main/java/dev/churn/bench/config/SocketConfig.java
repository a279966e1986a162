package dev.churn.bench.config;

/**
 * The socket options of a run. Buffers of 0 leave the kernel's default; {@code listeners} is the
 * sink's listeners on its one port, each with its own serving loop (0: one per processor, see
 * {@link EventLoops}); more than one are bound with SO_REUSEPORT whatever {@code reusePort} says,
 * the kernel spreading connections among them; {@code reusePort} sets it on a single listener too
 * (another process may then share the port);
 * {@code bindPorts}, when set, makes each client bind a local port from the range before
 * connecting, as the old SO_REUSEADDR recipes do.
 */
public record SocketConfig(
        Linger linger,
        boolean reuseAddr,
        boolean reusePort,
        int listeners,
        boolean noDelay,
        int rcvBuf,
        int sndBuf,
        int backlog,
        boolean ipv6,
        PortRange bindPorts) {

    /** Java's ServerSocket default backlog is 50; the kernel caps it at net.core.somaxconn (4096). */
    public static final int DEFAULT_BACKLOG = 4096;

    /** The most listeners a sink opens. */
    public static final int MAX_LISTENERS = 64;

    /** The defaults: no linger, no reuse, one listener, Nagle on, kernel buffers, IPv4. */
    public static final SocketConfig DEFAULTS =
            new SocketConfig(Linger.OFF, false, false, 1, false, 0, 0, DEFAULT_BACKLOG, false, null);

    public SocketConfig {
        if (linger == null) {
            throw new IllegalArgumentException("linger must be set (Linger.OFF for none)");
        }
        if (listeners < 0 || listeners > MAX_LISTENERS) {
            throw new IllegalArgumentException("--listeners must be 1.." + MAX_LISTENERS + ", got " + listeners);
        }
        if (rcvBuf < 0 || sndBuf < 0) {
            throw new IllegalArgumentException("--rcvbuf and --sndbuf must be >= 0 (0 = kernel default)");
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("--backlog must be >= 1, got " + backlog);
        }
    }

    public SocketConfig withLinger(Linger l) {
        return new SocketConfig(l, reuseAddr, reusePort, listeners, noDelay, rcvBuf, sndBuf, backlog, ipv6, bindPorts);
    }

    public SocketConfig withListeners(int n) {
        return new SocketConfig(linger, reuseAddr, reusePort, n, noDelay, rcvBuf, sndBuf, backlog, ipv6, bindPorts);
    }

    public SocketConfig withIpv6(boolean v6) {
        return new SocketConfig(linger, reuseAddr, reusePort, listeners, noDelay, rcvBuf, sndBuf, backlog, v6, bindPorts);
    }
}
